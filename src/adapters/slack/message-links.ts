/**
 * Links to what the bot posted in Slack, for the status card to point at. Best effort: the
 * post stands either way, and the card merely goes without a link when Slack gives none.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import type { ChannelCalls } from './channel-calls.ts';
import { shareTs } from './file-shares.ts';
import { slackErrorCode } from './slack-errors.ts';

export class MessageLinks {
  readonly #client: WebClient;
  readonly #calls: ChannelCalls;
  readonly #logger: Logger;

  constructor(client: WebClient, calls: ChannelCalls, logger: Logger) {
    this.#client = client;
    this.#calls = calls;
    this.#logger = logger;
  }

  /** The permalink of a message. */
  async permalink(channelId: string, ts: string): Promise<string | undefined> {
    try {
      const answer = await this.#client.chat.getPermalink({ channel: channelId, message_ts: ts });
      return answer.permalink;
    } catch (error) {
      this.#logger.warn({ channelId, code: slackErrorCode(error) }, 'no permalink for a message');
      return undefined;
    }
  }

  /** A link to the message that shared a file in the channel, else to the file itself. */
  async sharedFile(channelId: string, fileId: string): Promise<string | undefined> {
    try {
      const { file } = await this.#calls.run(channelId, 'files.info', () =>
        this.#client.files.info({ file: fileId }),
      );
      const ts = shareTs(file, channelId);
      const link = ts === undefined ? undefined : await this.permalink(channelId, ts);
      return link ?? file?.permalink;
    } catch (error) {
      this.#logger.warn({ channelId, code: slackErrorCode(error) }, 'no link for the clip');
      return undefined;
    }
  }
}
