/**
 * Runs one Web API call aimed at a channel the way this bot needs it: a 429 is waited out
 * here (Slack did nothing, so calling again cannot duplicate a post), `not_in_channel` gets
 * one `conversations.join`, and permanent refusals become `PlaceGone`. Nothing else is
 * retried: a timeout or reset may hide a post that went through, so the tracker decides.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import { PlaceGone } from '../../chat/port.ts';

/** Private channels and DMs cannot be joined: a person has to let the bot in. */
const NOT_A_MEMBER_ADVICE =
  'I cannot post in this conversation: invite me to it (type /invite and pick this app), then ask again.';

import type { Logger } from '../../log.ts';
import { isPlaceGoneCode, rateLimitRetryAfter, slackErrorCode } from './slack-errors.ts';

export interface ChannelCallOptions {
  /** The longest Retry-After waited out in place; a longer one fails the call. */
  maxRateLimitWaitMs: number;
  /** How many 429s in a row one call waits out before giving up. */
  maxRateLimitWaits: number;
}

export const CHANNEL_CALL_DEFAULTS = {
  maxRateLimitWaitMs: 30_000,
  maxRateLimitWaits: 3,
} as const satisfies Required<ChannelCallOptions>;

export class ChannelCalls {
  readonly #client: WebClient;
  readonly #logger: Logger;
  readonly #options: ChannelCallOptions;

  constructor(client: WebClient, logger: Logger, options: Partial<ChannelCallOptions> = {}) {
    this.#client = client;
    this.#logger = logger;
    this.#options = { ...CHANNEL_CALL_DEFAULTS, ...options };
  }

  /** Runs `call` for `channelId`, with the waiting, joining and classifying described above. */
  async run<T>(channelId: string, what: string, call: () => Promise<T>): Promise<T> {
    let joined = false;
    let waits = 0;
    for (;;) {
      try {
        return await call();
      } catch (error) {
        const retryAfter = rateLimitRetryAfter(error);
        if (retryAfter !== undefined) {
          const waitMs = retryAfter * 1000;
          if (waits >= this.#options.maxRateLimitWaits || waitMs > this.#options.maxRateLimitWaitMs)
            throw error;
          waits += 1;
          this.#logger.info({ channelId, what, retryAfter }, 'slack rate limit; waiting');
          await sleep(waitMs);
          continue;
        }
        const code = slackErrorCode(error);
        if (code === 'not_in_channel' && !joined) {
          joined = true;
          if (await this.#join(channelId)) continue;
        }
        if (isPlaceGoneCode(code)) {
          throw new PlaceGone(`slack:${channelId}: ${what} refused (${code})`, {
            cause: error,
            ...(code === 'not_in_channel' || code === 'channel_not_found'
              ? { advice: NOT_A_MEMBER_ADVICE }
              : {}),
          });
        }
        throw error;
      }
    }
  }

  /** Joins a public channel so the bot may post there; false when Slack says no. */
  async #join(channelId: string): Promise<boolean> {
    try {
      await this.#client.conversations.join({ channel: channelId });
      return true;
    } catch (error) {
      this.#logger.warn({ channelId, code: slackErrorCode(error) }, 'could not join channel');
      return false;
    }
  }
}
