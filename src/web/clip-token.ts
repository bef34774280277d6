/**
 * Share links for kept clips. A link names its clip by a token only the bot can make: the
 * task id and an HMAC of it with CLIP_LINK_SECRET, so nobody walks the library by guessing
 * task ids, and changing the secret takes every link back at once.
 *
 *   token = base64url(taskId) "." base64url(first 16 bytes of HMAC-SHA256(secret, "clip:" taskId))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** 128 bits of the MAC: far past guessing, and the link stays short. */
const MAC_BYTES = 16;
/** Keeps these MACs apart from anything else the same secret might ever sign. */
const PURPOSE = 'clip:';
/** Longer than any task id the service hands out; a longer token is refused before any MAC. */
const MAX_TOKEN_LENGTH = 512;

function macOf(taskId: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}${taskId}`).digest().subarray(0, MAC_BYTES);
}

export function clipToken(taskId: string, secret: string): string {
  const id = Buffer.from(taskId, 'utf8').toString('base64url');
  return `${id}.${macOf(taskId, secret).toString('base64url')}`;
}

/** The task id a token was made for with this secret, or undefined for any other string. */
export function readClipToken(token: string, secret: string): string | undefined {
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
  const expected = macOf(taskId, secret);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return undefined;
  return taskId;
}

/** The page of a kept clip: `<PUBLIC_URL>/clips/<token>`. */
export function shareLink(publicUrl: string, taskId: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CLIPS_PATH}/${clipToken(taskId, secret)}`;
}

export const CLIPS_PATH = '/clips';
