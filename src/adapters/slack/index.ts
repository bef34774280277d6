/**
 * Slack: slash commands in (and `/sora-create`'s modal), a living Block Kit status card with
 * buttons (card-buttons.ts, card-button-presses.ts), and the finished clip uploaded into the
 * channel with a mention of everyone who asked; or, with `videoBlocks`, a message whose video
 * block plays the clip's share page (video-message.ts), with the result's buttons.
 *
 * HTTP mode (signing secret; Bolt's own receiver verifies every request at `/slack/events`)
 * is for production; Socket Mode (app-level token) is for running without a public URL.
 *
 * The WebClient never retries on its own: its default policy retries for half an hour and
 * may post a message twice after a timeout, since Slack has no idempotency key. 429s are
 * rejected at once (`rejectRateLimitedCalls`) and waited out per call in `ChannelCalls`,
 * which is safe because a refused call did nothing; any other failure goes back to the
 * tracker, which keeps the record of what was posted and decides when to try again.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, SocketModeReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ChatAdapter, CommandHandler, FinishedVideo, TaskFailure } from '../../chat/port.ts';
import { CardDeleted, PlaceGone } from '../../chat/port.ts';
import { buildResultView } from '../../chat/result-view.ts';
import type { StatusView } from '../../chat/status-view.ts';
import { type Clock, systemClock } from '../../clock.ts';
import type { HttpRoute } from '../../http/routes.ts';
import type { Logger } from '../../log.ts';
import type { DeliveryProgress, Subscription } from '../../watch/watch.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerCardButtons } from './card-button-presses.ts';
import { ChannelCalls } from './channel-calls.ts';
import { registerSlashCommands } from './commands.ts';
import { registerCreateSubmission } from './create-submission.ts';
import { MessageLinks } from './message-links.ts';
import { resultMessage, statusCard } from './render.ts';
import { ResultPosts } from './result-posts.ts';
import { slackErrorCode, uploadRefusal } from './slack-errors.ts';
import { decodeSlackTarget, SLACK_PLATFORM } from './targets.ts';
import { ClipUploader } from './upload.ts';
import { UserGroupDirectory } from './user-groups.ts';

export interface SlackAdapterOptions {
  /** Bot token (xoxb-…). */
  botToken: string;
  /** HTTP mode: verifies that requests come from Slack. */
  signingSecret?: string;
  /** Socket Mode: app-level token (xapp-…); used when there is no signing secret. */
  appToken?: string;
  /** Web API base URL, e.g. "https://slack.com/api/" (proxies, GovSlack, tests). */
  apiUrl?: string;
  /** HTTP mode: the port Bolt's receiver listens on (0 picks a free one). */
  port?: number;
  logger: Logger;
  /** Longest wait for one Web API call (ms), uploads included: the WebClient has none. */
  requestTimeoutMs?: number;
  /** The longest Retry-After of a 429 waited out in place (ms). */
  maxRateLimitWaitMs?: number;
  /** HTTP mode: the bot's own routes (probes), served on the same port. */
  routes?: HttpRoute[];
  /**
   * The Slack user group ids ("S0123ABC") `CREATE_ALLOWED` names: a person's membership of
   * them is looked up for creates and reruns (scope `usergroups:read`). Empty: no look-ups.
   */
  userGroups?: readonly string[];
  /** Time, for how long user group members are kept. */
  clock?: Clock;
  /**
   * SLACK_VIDEO_BLOCKS=on: a clip with a share page is posted as a video block playing that
   * page (scope `links.embed:write`, the page's host among the app's unfurl domains) instead
   * of being uploaded. Off by default.
   */
  videoBlocks?: boolean;
}

export const SLACK_ADAPTER_DEFAULTS = {
  port: 3000,
  apiUrl: 'https://slack.com/api/',
  requestTimeoutMs: 60_000,
  maxRateLimitWaitMs: 30_000,
} as const satisfies Partial<SlackAdapterOptions>;

/** `chat.update` refusals after which the card cannot be edited again: a new one is posted. */
const CARD_NOT_EDITABLE_CODES: ReadonlySet<string> = new Set([
  'cant_update_message',
  'edit_window_closed',
]);

export class SlackAdapter implements ChatAdapter {
  readonly platform = SLACK_PLATFORM;
  readonly app: App;
  readonly #client: WebClient;
  readonly #calls: ChannelCalls;
  readonly #uploader: ClipUploader;
  readonly #userGroups: UserGroupDirectory;
  readonly #links: MessageLinks;
  readonly #results: ResultPosts;
  readonly #logger: Logger;
  readonly #videoBlocks: boolean;
  readonly #socketMode: boolean;
  readonly #port: number;
  #server: Server | undefined;
  /** Socket Mode's receiver, kept to tell whether its WebSocket is up. */
  #socketReceiver: SocketModeReceiver | undefined;
  #started = false;

  constructor(options: SlackAdapterOptions) {
    if (options.signingSecret === undefined && options.appToken === undefined) {
      throw new Error('Slack needs a signing secret (HTTP mode) or an app token (Socket Mode)');
    }
    this.#logger = options.logger;
    this.#videoBlocks = options.videoBlocks === true;
    this.#socketMode = options.signingSecret === undefined;
    this.#port = options.port ?? SLACK_ADAPTER_DEFAULTS.port;
    const clientOptions = {
      slackApiUrl: options.apiUrl ?? SLACK_ADAPTER_DEFAULTS.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.requestTimeoutMs ?? SLACK_ADAPTER_DEFAULTS.requestTimeoutMs,
    };
    const common = {
      token: options.botToken,
      logger: boltLogger(options.logger),
      clientOptions,
      // The first auth.test waits for start(), so building the adapter touches no network.
      deferInitialization: true,
    };
    if (this.#socketMode) {
      // Built here rather than by Bolt (socketMode: true) so its client can be asked whether
      // the socket is connected (readiness).
      this.#socketReceiver = new SocketModeReceiver({
        appToken: options.appToken as string,
        logger: common.logger,
        installerOptions: { clientOptions },
      });
    }
    this.app = this.#socketReceiver
      ? new App({ ...common, receiver: this.#socketReceiver })
      : new App({
          ...common,
          signingSecret: options.signingSecret as string,
          endpoints: '/slack/events',
          ...(options.routes ? { customRoutes: options.routes } : {}),
        });
    this.app.error(async (error) => {
      this.#logger.error({ err: error }, 'slack listener failed');
    });
    this.#client = this.app.client;
    this.#calls = new ChannelCalls(this.#client, this.#logger, {
      maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? SLACK_ADAPTER_DEFAULTS.maxRateLimitWaitMs,
    });
    this.#links = new MessageLinks(this.#client, this.#calls, this.#logger);
    this.#results = new ResultPosts(this.#client, this.#calls, this.#links, this.#logger);
    this.#uploader = new ClipUploader(this.#client, this.#calls, this.#logger, {
      requestTimeoutMs: clientOptions.timeout,
    });
    this.#userGroups = new UserGroupDirectory(
      options.userGroups ?? [],
      this.#client,
      options.clock ?? systemClock,
      this.#logger,
    );
  }

  /** The port the HTTP receiver listens on, once started (useful with port 0). */
  get port(): number | undefined {
    const address = this.#server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  async start(onCommand: CommandHandler): Promise<void> {
    const userGroups = this.#userGroups;
    const deps = {
      onCommand,
      logger: this.#logger,
      permalink: (channelId: string, ts: string) => this.#links.permalink(channelId, ts),
      ...(userGroups.inUse ? { groupsOf: (userId: string) => userGroups.groupsOf(userId) } : {}),
    };
    registerSlashCommands(this.app, deps);
    registerCreateSubmission(this.app, deps);
    registerCardButtons(this.app, deps);
    await this.app.init();
    const started = this.#socketMode ? await this.app.start() : await this.app.start(this.#port);
    if (!this.#socketMode) this.#server = started as Server;
    this.#started = true;
    this.#logger.info(
      { mode: this.#socketMode ? 'socket' : 'http', port: this.port },
      'slack adapter started',
    );
  }

  connected(): boolean {
    if (!this.#started) return false;
    if (this.#socketReceiver) return this.#socketReceiver.client.websocket?.isActive() === true;
    return this.#server?.listening === true;
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.app.stop();
    this.#server = undefined;
  }

  async showStatus(sub: Subscription, view: StatusView): Promise<string> {
    const { channelId } = decodeSlackTarget(sub.target);
    const card = statusCard(view);
    const ts = sub.statusMessage;
    if (ts !== undefined) {
      try {
        await this.#calls.run(channelId, 'chat.update', () =>
          this.#client.chat.update({ channel: channelId, ts, ...card }),
        );
        return ts;
      } catch (error) {
        const code = slackErrorCode(error);
        // Deleted by someone: the tracker decides whether a fresh card follows.
        if (code === 'message_not_found') throw new CardDeleted('status message deleted');
        // No longer editable: a fresh card carries on, as the port allows.
        if (code === undefined || !CARD_NOT_EDITABLE_CODES.has(code)) throw error;
        this.#logger.info({ channelId, ts, code }, 'status card gone; posting a new one');
      }
    }
    const posted = await this.#calls.run(channelId, 'chat.postMessage', () =>
      this.#client.chat.postMessage({ channel: channelId, ...card }),
    );
    if (posted.ts === undefined) throw new Error('chat.postMessage answered without a ts');
    return posted.ts;
  }

  /**
   * Streams the clip into the channel (see `ClipUploader`); `progress` keeps the file id in
   * the delivery record, so a retry after a crash never shares the clip a second time. With
   * video blocks on, a clip with a share page is posted as a message playing it instead.
   */
  async deliverVideo(
    sub: Subscription,
    video: FinishedVideo,
    progress?: DeliveryProgress,
  ): Promise<string | undefined> {
    const { channelId } = decodeSlackTarget(sub.target);
    if (video.file === undefined) {
      return this.#results.announce(channelId, buildResultView(sub, video));
    }
    // A delivery that began as an upload (its file is in the record) ends as one: the
    // uploader's look at that file is what keeps the clip from being posted twice.
    if (this.#videoBlocks && video.shareLink !== undefined && sub.upload === undefined) {
      const played = await this.#results.player(
        channelId,
        buildResultView(sub, video),
        video.shareLink,
      );
      if (played !== 'refused') return played.link;
    }
    try {
      const fileId = await this.#uploader.upload({
        channelId,
        path: video.file.path,
        filename: `${video.task.id}.mp4`,
        title: `${video.task.id}.mp4`,
        initialComment: resultMessage(buildResultView(sub, video)),
        ...(sub.upload ? { previous: sub.upload } : {}),
        ...(progress ? { progress } : {}),
      });
      return await this.#links.sharedFile(channelId, fileId);
    } catch (error) {
      if (error instanceof PlaceGone) throw error;
      const code = slackErrorCode(error);
      // Not a refusal by Slack (network, timeout): the tracker tries the delivery again.
      if (code === undefined) throw error;
      this.#logger.warn({ channelId, taskId: video.task.id, code }, 'slack refused the clip');
      return this.#results.announce(channelId, buildResultView(sub, video, uploadRefusal(code)));
    }
  }

  async deliverFailure(sub: Subscription, failure: TaskFailure): Promise<string | undefined> {
    const { channelId } = decodeSlackTarget(sub.target);
    return this.#results.announce(channelId, buildResultView(sub, failure));
  }
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  return new SlackAdapter(options);
}
