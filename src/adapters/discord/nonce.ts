/**
 * Message nonces for deliveries. Discord keeps a nonce sent with `enforce_nonce` for a few
 * minutes and answers a repeat with the message already posted, so a delivery retried after
 * a crash cannot post twice. Same task, channel and kind → same nonce.
 */
import { createHash } from 'node:crypto';

/** Discord accepts nonces of at most 25 characters. */
const NONCE_LENGTH = 25;

export function deliveryNonce(
  kind: 'video' | 'failure',
  taskId: string,
  channelId: string,
): string {
  return createHash('sha256')
    .update(`${kind}\n${taskId}\n${channelId}`)
    .digest('base64url')
    .slice(0, NONCE_LENGTH);
}
