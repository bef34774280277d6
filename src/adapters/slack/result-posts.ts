/**
 * The messages that tell a place how its task ended, other than an uploaded clip: an
 * announcement without a clip (a failure, a link) and, with video blocks on, the clip as a
 * player of its share page, each with the result's buttons. Each is one `chat.postMessage`:
 * Slack has no idempotency key, so a crash between Slack taking it and the tracker recording
 * the delivery may post it once more after a restart.
 */
import type { WebClient } from '@slack/web-api';
import { PlaceGone } from '../../chat/port.ts';
import type { ResultView } from '../../chat/result-view.ts';
import type { Logger } from '../../log.ts';
import { resultBlocks } from './card-buttons.ts';
import type { ChannelCalls } from './channel-calls.ts';
import type { MessageLinks } from './message-links.ts';
import { resultMessage, type SlackCard } from './render.ts';
import { isVideoBlockRefusal, slackErrorCode } from './slack-errors.ts';
import { videoMessage } from './video-message.ts';

export class ResultPosts {
  readonly #client: WebClient;
  readonly #calls: ChannelCalls;
  readonly #links: MessageLinks;
  readonly #logger: Logger;

  constructor(client: WebClient, calls: ChannelCalls, links: MessageLinks, logger: Logger) {
    this.#client = client;
    this.#calls = calls;
    this.#links = links;
    this.#logger = logger;
  }

  /** An announcement without a clip; resolves to its permalink, when Slack gives one. */
  announce(channelId: string, view: ResultView): Promise<string | undefined> {
    const text = resultMessage(view);
    return this.#post(channelId, { text, blocks: resultBlocks(text, view) });
  }

  /**
   * The clip as a video block playing its share page; resolves to the message's permalink,
   * or to `refused` when Slack refused the block itself: nothing was posted, so the clip may
   * be uploaded instead.
   */
  async player(
    channelId: string,
    view: ResultView,
    shareLink: string,
  ): Promise<{ link: string | undefined } | 'refused'> {
    try {
      // The share page in the text would unfurl into a second player under the first.
      const message = { ...videoMessage(view, shareLink), unfurl_media: false };
      return { link: await this.#post(channelId, message) };
    } catch (error) {
      const code = slackErrorCode(error);
      if (error instanceof PlaceGone || !isVideoBlockRefusal(code)) throw error;
      this.#logger.warn(
        { channelId, taskId: view.taskId, code },
        'slack refused the video block; uploading the clip',
      );
      return 'refused';
    }
  }

  async #post(
    channelId: string,
    message: SlackCard & { unfurl_media?: boolean },
  ): Promise<string | undefined> {
    const posted = await this.#calls.run(channelId, 'chat.postMessage', () =>
      this.#client.chat.postMessage({ channel: channelId, ...message, unfurl_links: false }),
    );
    return posted.ts === undefined ? undefined : this.#links.permalink(channelId, posted.ts);
  }
}
