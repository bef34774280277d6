/**
 * The Discord adapter: slash commands in, one living status embed per channel and task, and
 * a new message with the MP4 (or its link) that pings the requesters when the task ends.
 *
 * Everything after the first interaction answer goes through bot-token channel routes, not
 * the interaction webhook, because interaction tokens die after 15 minutes and tasks can
 * run longer.
 */
import { once } from 'node:events';
import { type APIMessage, Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import {
  CardDeleted,
  type ChatAdapter,
  type CommandHandler,
  type FinishedVideo,
  PlaceGone,
  type TaskFailure,
} from '../../chat/port.ts';
import { buildResultView, type ResultView } from '../../chat/result-view.ts';
import type { StatusView } from '../../chat/status-view.ts';
import type { Logger } from '../../log.ts';
import { MemoryWatchStore } from '../../store/memory-watch-store.ts';
import type { KeptRecordStore } from '../../watch/kept-records.ts';
import type { PendingReply, Subscription } from '../../watch/watch.ts';
import {
  isDeletedMessageError,
  isNotEditableError,
  isPlaceGoneError,
  isTooLargeError,
} from './api-errors.ts';
import { cardButtonRows } from './card-buttons.ts';
import { clipForm } from './clip-form.ts';
import { DISCORD_COMMANDS } from './commands.ts';
import { CreateDrafts } from './create-drafts.ts';
import { readDeferredAnswerRef } from './deferred-answer.ts';
import { answerInteraction } from './interactions.ts';
import { deliveryNonce } from './nonce.ts';
import { resultText, statusEmbed, tooLargeReason } from './render.ts';
import { restFetch } from './rest-fetch.ts';
import { decodeTarget, messageLink } from './targets.ts';
import { BASE_UPLOAD_LIMIT_BYTES, uploadLimitForTier } from './upload-limit.ts';

export interface DiscordAdapterOptions {
  token: string;
  applicationId: string;
  /** REST base such as "http://127.0.0.1:8080/api" (a proxy, or a fake in tests). */
  apiUrl?: string;
  logger: Logger;
  /**
   * Upload cap for channels that have not told us theirs, in servers below boost tier 2 or
   * of unknown tier; boost tiers 2 and 3 get Discord's 50 and 100 MiB.
   */
  uploadLimitBytes?: number;
  /** Per REST request; uploads of big clips need far more than discord.js's 15 s. */
  restTimeoutMs?: number;
  /**
   * The task ids watched at a target ("discord:<channel id>"), offered as autocomplete on
   * the `id` option; e.g. `(target) => tracker.list(target).map((w) => w.taskId)`. Without
   * it, autocomplete offers nothing.
   */
  suggest?: (target: string) => readonly string[];
  /** The time (ms), for how long a deferred answer can still be finished. */
  now?: () => number;
  /**
   * Where "Edit and resend" keeps the forms it opens again (the bot's store, so they outlive
   * a restart); in memory when not given.
   */
  drafts?: KeptRecordStore;
}

export const DISCORD_DEFAULTS = {
  /** Discord's limit for servers without boosts. */
  uploadLimitBytes: BASE_UPLOAD_LIMIT_BYTES,
  restTimeoutMs: 120_000,
} as const satisfies Required<Pick<DiscordAdapterOptions, 'uploadLimitBytes' | 'restTimeoutMs'>>;

/** The largest cap of any server (boost tier 3): no bigger clip is ever sent as a file. */
const MAX_UPLOAD_LIMIT_BYTES = uploadLimitForTier(3);

/** Discord accepts at most 100 user ids in `allowed_mentions.users`. */
const MAX_PINGS = 100;

export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord';
  readonly #options: DiscordAdapterOptions;
  readonly #client: Client;
  readonly #logger: Logger;
  /** Upload caps that interactions reported, by channel id. */
  readonly #uploadLimits = new Map<string, number>();
  /** The buttons of ended cards, for the messages with their results. */

  constructor(options: DiscordAdapterOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: {
        ...(options.apiUrl ? { api: options.apiUrl } : {}),
        // Node's own fetch: discord.js's bundled undici breaks uploads when a newer undici
        // (Slack, our Sora client) is loaded in the same process. Cast: discord.js types its
        // requests with the types of its bundled undici.
        makeRequest: restFetch as never,
        timeout: options.restTimeoutMs ?? DISCORD_DEFAULTS.restTimeoutMs,
      },
    });
  }

  /** The discord.js client, for command registration and tests. */
  get client(): Client {
    return this.#client;
  }

  async start(onCommand: CommandHandler): Promise<void> {
    const now = this.#options.now ?? Date.now;
    const answering = {
      onCommand,
      logger: this.#logger,
      uploadLimits: this.#uploadLimits,
      now,
      drafts: new CreateDrafts(this.#options.drafts ?? new MemoryWatchStore(now)),
      ...(this.#options.suggest ? { suggest: this.#options.suggest } : {}),
    };
    this.#client.on(Events.InteractionCreate, (interaction) => {
      void answerInteraction(interaction, answering);
    });
    this.#client.on(Events.Error, (error) => this.#logger.error({ err: error }, 'discord error'));
    const ready = once(this.#client, Events.ClientReady);
    await this.#client.login(this.#options.token);
    await ready;
    this.#logger.info({ user: this.#client.user?.tag }, 'discord ready');
  }

  /** A gateway session is open (not reconnecting or resuming). */
  connected(): boolean {
    return this.#client.isReady();
  }

  async stop(): Promise<void> {
    await this.#client.destroy();
  }

  /**
   * Replaces the bot's slash commands in bulk: in one guild (instant, for development) or
   * globally. Needs no gateway session, so a script can run it on its own.
   */
  async registerCommands(guildId?: string): Promise<void> {
    const { applicationId, token } = this.#options;
    this.#client.rest.setToken(token);
    const route = guildId
      ? Routes.applicationGuildCommands(applicationId, guildId)
      : Routes.applicationCommands(applicationId);
    await this.#client.rest.put(route, { body: DISCORD_COMMANDS });
  }

  async showStatus(sub: Subscription, view: StatusView): Promise<string> {
    const channelId = decodeTarget(sub.target);
    // Mentions inside an embed never ping; an edit must not ping either. The buttons are sent
    // with every edit: an ended card loses Stop watching and gains the rest.
    const body = {
      embeds: [statusEmbed(view)],
      components: cardButtonRows(view.taskId, view.actions),
      allowed_mentions: { parse: [] },
    };
    try {
      if (sub.statusMessage !== undefined) {
        try {
          await this.#client.rest.patch(Routes.channelMessage(channelId, sub.statusMessage), {
            body,
          });
          return sub.statusMessage;
        } catch (error) {
          // Deleted by someone: the tracker decides whether a fresh card follows.
          if (isDeletedMessageError(error)) throw new CardDeleted('status message deleted');
          if (!isNotEditableError(error)) throw error;
          // Too old to edit (30046): the channel gets a fresh message.
          this.#logger.info(
            { target: sub.target, message: sub.statusMessage, err: error },
            'status message not editable; posting a new one',
          );
        }
      }
      // A first card posted again after a crash comes back as the one already there; a card
      // replacing one (too old, or deleted) gets a nonce of its own.
      const replacing = sub.statusMessage ?? sub.deletedCards?.last;
      const nonce = deliveryNonce('status', view.taskId, channelId, replacing);
      const message = (await this.#client.rest.post(Routes.channelMessages(channelId), {
        body: { ...body, nonce, enforce_nonce: true },
      })) as APIMessage;
      return message.id;
    } catch (error) {
      throw this.#placeGoneOr(error, sub.target);
    }
  }

  async deliverVideo(sub: Subscription, video: FinishedVideo): Promise<string | undefined> {
    const channelId = decodeTarget(sub.target);
    const nonce = deliveryNonce('video', video.task.id, channelId);
    // An interaction's reported limit can overstate; no server takes more than tier 3's.
    const limit = Math.min(
      this.#uploadLimits.get(channelId) ?? this.#uploadLimitFromGuild(channelId),
      MAX_UPLOAD_LIMIT_BYTES,
    );
    let why = video.fileProblem ?? 'the clip could not be fetched.';
    if (video.file && video.file.bytes > limit) why = tooLargeReason(video.file.bytes, limit);
    if (video.file && video.file.bytes <= limit) {
      const name = `${video.task.id}.mp4`;
      const body = {
        ...this.#newMessage(sub, nonce, buildResultView(sub, video)),
        attachments: [{ id: 0, filename: name }],
      };
      try {
        // Streamed from disk (see clipForm): the clip is never held in memory whole.
        const message = (await this.#client.rest.post(Routes.channelMessages(channelId), {
          body: await clipForm(body, name, video.file.path),
          passThroughBody: true,
        })) as APIMessage;
        return this.#linkTo(channelId, message);
      } catch (error) {
        if (!isTooLargeError(error)) throw this.#placeGoneOr(error, sub.target);
        // The reported limit overstated; the same nonce is free again since nothing was posted.
        this.#logger.warn({ target: sub.target, bytes: video.file.bytes }, 'upload too large');
        why = tooLargeReason(video.file.bytes, undefined);
      }
    }
    return this.#post(sub, this.#newMessage(sub, nonce, buildResultView(sub, video, why)));
  }

  async deliverFailure(sub: Subscription, failure: TaskFailure): Promise<string | undefined> {
    const channelId = decodeTarget(sub.target);
    const nonce = deliveryNonce('failure', failure.taskId, channelId);
    return this.#post(sub, this.#newMessage(sub, nonce, buildResultView(sub, failure)));
  }

  /**
   * A new channel message that pings exactly the requesters and cannot be posted twice, with
   * the buttons of the result (those of the task's ended card).
   */
  #newMessage(sub: Subscription, nonce: string, view: ResultView) {
    return {
      content: resultText(view),
      components: cardButtonRows(view.taskId, view.actions),
      nonce,
      enforce_nonce: true,
      allowed_mentions: { users: sub.requesters.slice(0, MAX_PINGS) },
    };
  }

  /** Posts the result of a task; resolves to its jump link. */
  async #post(sub: Subscription, body: object): Promise<string | undefined> {
    const channelId = decodeTarget(sub.target);
    try {
      const message = (await this.#client.rest.post(Routes.channelMessages(channelId), {
        body,
      })) as APIMessage;
      return this.#linkTo(channelId, message);
    } catch (error) {
      throw this.#placeGoneOr(error, sub.target);
    }
  }

  #placeGoneOr(error: unknown, target: string): unknown {
    if (!isPlaceGoneError(error)) return error;
    this.#logger.warn({ err: error, target }, 'discord place gone');
    return new PlaceGone(target, { cause: error });
  }

  /** The cap from the boost tier of the channel's server, as cached from GUILD_CREATE. */
  /**
   * Edits a deferred answer that a restart cut off (its token lasts 15 min); the request
   * carries the token in its path and needs no bot authorisation.
   */
  async finishReply(sub: Subscription, reply: PendingReply, text: string): Promise<void> {
    const channelId = decodeTarget(sub.target);
    const { guildId, token } = readDeferredAnswerRef(reply.ref);
    const link =
      sub.statusMessage === undefined
        ? undefined
        : messageLink(guildId, channelId, sub.statusMessage);
    await this.#client.rest.patch(
      Routes.webhookMessage(this.#options.applicationId, token, '@original'),
      {
        body: { content: link ? `${text}\n${link}` : text, allowed_mentions: { parse: [] } },
        auth: false,
      },
    );
  }

  /**
   * The jump link of a posted message. Its server comes from the gateway's cache; a channel
   * the cache does not know (yet, right after a start) gets no link rather than a wrong one.
   */
  #linkTo(channelId: string, message: APIMessage | undefined): string | undefined {
    const channel = this.#client.channels.cache.get(channelId);
    if (typeof message?.id !== 'string' || channel === undefined) return undefined;
    const guildId = 'guildId' in channel ? channel.guildId : undefined;
    return messageLink(guildId, channelId, message.id);
  }

  #uploadLimitFromGuild(channelId: string): number {
    const channel = this.#client.channels.cache.get(channelId);
    const tier = channel && 'guild' in channel ? channel.guild.premiumTier : undefined;
    return uploadLimitForTier(
      tier,
      this.#options.uploadLimitBytes ?? DISCORD_DEFAULTS.uploadLimitBytes,
    );
  }
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  return new DiscordAdapter(options);
}
