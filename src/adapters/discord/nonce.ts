/**
 * Message nonces for deliveries and status cards. Discord keeps a nonce sent with
 * `enforce_nonce` for a few minutes and answers a repeat with the message already posted, so
 * a post retried after a crash cannot post twice. Same task, channel and kind (and, for a
 * card that replaces one too old to edit, the same replaced message) → same nonce.
 */
import { createHash } from 'node:crypto';

/** Discord accepts nonces of at most 25 characters. */
const NONCE_LENGTH = 25;

export function deliveryNonce(
  kind: 'video' | 'failure' | 'status',
  taskId: string,
  channelId: string,
  replacing = '',
): string {
  return createHash('sha256')
    .update(`${kind}\n${taskId}\n${channelId}${replacing ? `\n${replacing}` : ''}`)
    .digest('base64url')
    .slice(0, NONCE_LENGTH);
}
