/** The intake's token check: `Authorization: Bearer <token>`, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * True when the request carries the expected bearer token. Both sides are hashed first, so
 * the comparison takes the same time whatever the given token's length or content.
 */
export function hasBearerToken(req: IncomingMessage, expected: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  const given = digest(match?.[1] ?? '');
  return timingSafeEqual(given, digest(expected)) && match !== null;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
