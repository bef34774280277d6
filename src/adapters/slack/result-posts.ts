/**
 * The messages that tell a place how its task ended, other than an uploaded clip: an
 * announcement without a clip (a failure, a link), with the result's buttons. Each is one
 * `chat.postMessage`: Slack has no idempotency key, so a crash between Slack taking it and the
 * tracker recording the delivery may post it once more after a restart.
 */
import type { WebClient } from '@slack/web-api';
import type { ResultView } from '../../chat/result-view.ts';
import { resultBlocks } from './card-buttons.ts';
import type { ChannelCalls } from './channel-calls.ts';
import type { MessageLinks } from './message-links.ts';
import { resultMessage, type SlackCard } from './render.ts';

export class ResultPosts {
  readonly #client: WebClient;
  readonly #calls: ChannelCalls;
  readonly #links: MessageLinks;

  constructor(client: WebClient, calls: ChannelCalls, links: MessageLinks) {
    this.#client = client;
    this.#calls = calls;
    this.#links = links;
  }

  /** An announcement without a clip; resolves to its permalink, when Slack gives one. */
  announce(channelId: string, view: ResultView): Promise<string | undefined> {
    const text = resultMessage(view);
    return this.#post(channelId, { text, blocks: resultBlocks(text, view) });
  }

  async #post(channelId: string, message: SlackCard): Promise<string | undefined> {
    const posted = await this.#calls.run(channelId, 'chat.postMessage', () =>
      this.#client.chat.postMessage({ channel: channelId, ...message, unfurl_links: false }),
    );
    return posted.ts === undefined ? undefined : this.#links.permalink(channelId, posted.ts);
  }
}
