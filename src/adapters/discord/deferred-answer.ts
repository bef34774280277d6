/**
 * A deferred answer, kept with the watch so that an answer a restart cut off can still be
 * finished: what finishing it takes (the interaction's token and server) and until when.
 */
import type { PendingReply } from '../../watch/watch.ts';

/**
 * How long after deferring an answer it may still be finished: Discord keeps an interaction
 * token for 15 minutes; a minute is left for the clocks and the request itself.
 */
const DEFERRED_ANSWER_LIFETIME_MS = 14 * 60_000;

/** The pending answer of an interaction deferred at `now`. */
export function pendingReplyOf(
  interaction: { guildId: string | null; token: string },
  now: number,
): PendingReply {
  return {
    ref: deferredAnswerRef(interaction.guildId, interaction.token),
    until: now + DEFERRED_ANSWER_LIFETIME_MS,
  };
}

/**
 * What finishing a deferred answer later takes: the interaction's token, and its server for
 * the link to the card (the gateway's cache may not know the channel yet after a restart).
 */
export function deferredAnswerRef(guildId: string | null, token: string): string {
  return `${guildId ?? '@me'}:${token}`;
}

/** The server and token of `deferredAnswerRef`. */
export function readDeferredAnswerRef(ref: string): { guildId: string; token: string } {
  const colon = ref.indexOf(':');
  return { guildId: ref.slice(0, colon), token: ref.slice(colon + 1) };
}
