/**
 * Share links for kept clips. A link names its clip by a token only the bot can make: the
 * task id and an HMAC of it with CLIP_LINK_SECRET, so nobody walks the library by guessing
 * task ids, and changing the secret takes every link back at once.
 *
 *   token = base64url(taskId) "." base64url(first 16 bytes of HMAC-SHA256(secret, "clip:" taskId))
 *
 * A channel's gallery has a token of the same make for its target, signed for another purpose
 * ("gallery:"), so neither kind of token ever opens the other kind of page.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** 128 bits of the MAC: far past guessing, and the link stays short. */
const MAC_BYTES = 16;
/** Keeps each kind of MAC apart from anything else the same secret signs. */
type Purpose = 'clip:' | 'gallery:';
/** Longer than any task id the service hands out; a longer token is refused before any MAC. */
const MAX_TOKEN_LENGTH = 512;

function macOf(purpose: Purpose, value: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}${value}`).digest().subarray(0, MAC_BYTES);
}

function signed(purpose: Purpose, value: string, secret: string): string {
  const id = Buffer.from(value, 'utf8').toString('base64url');
  return `${id}.${macOf(purpose, value, secret).toString('base64url')}`;
}

export function clipToken(taskId: string, secret: string): string {
  return signed('clip:', taskId, secret);
}

/** The task id a token was made for with this secret, or undefined for any other string. */
export function readClipToken(token: string, secret: string): string | undefined {
  return readSigned('clip:', token, secret);
}

/** A channel's gallery token, for its target ("slack:C0123"). */
export function galleryToken(target: string, secret: string): string {
  return signed('gallery:', target, secret);
}

/** The target a gallery token was made for with this secret, or undefined. */
export function readGalleryToken(token: string, secret: string): string | undefined {
  return readSigned('gallery:', token, secret);
}

/** The gallery of a channel: `<PUBLIC_URL>/gallery/<token>`. */
export function galleryLink(publicUrl: string, target: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${GALLERY_PATH}/${galleryToken(target, secret)}`;
}

function readSigned(purpose: Purpose, token: string, secret: string): string | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const [idPart, macPart] = parts as [string, string];
  const base64url = /^[A-Za-z0-9_-]+$/;
  if (!base64url.test(idPart) || !base64url.test(macPart)) return undefined;
  const taskId = Buffer.from(idPart, 'base64url').toString('utf8');
  // Only the one spelling the bot makes: a re-encoded id must give back the same text.
  if (Buffer.from(taskId, 'utf8').toString('base64url') !== idPart) return undefined;
  const sent = Buffer.from(macPart, 'base64url');
  if (sent.toString('base64url') !== macPart) return undefined;
  const expected = macOf(purpose, taskId, secret);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return undefined;
  return taskId;
}

/** The page of a kept clip: `<PUBLIC_URL>/clips/<token>`. */
export function shareLink(publicUrl: string, taskId: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CLIPS_PATH}/${clipToken(taskId, secret)}`;
}

export const CLIPS_PATH = '/clips';
export const GALLERY_PATH = '/gallery';
