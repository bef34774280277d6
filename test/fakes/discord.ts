/**
 * A stand-in for Discord, served over real HTTP and WebSocket on 127.0.0.1 so a real
 * discord.js `Client` logs in to it through `rest.api`: the gateway (HELLO, heartbeat ACK,
 * IDENTIFY → READY and a GUILD_CREATE per server, INTERACTION_CREATE on demand) and the REST routes the bot uses
 * (interaction callbacks, webhook edits, channel messages with multipart files and nonce
 * dedupe, message edits, command registration). Every call is recorded; errors can be
 * queued per route, and every 429 carries Retry-After as Discord's does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeDiscordOptions {
  applicationId?: string;
  botUserId?: string;
  /** Interaction tokens stop working after this long (real time), like Discord's 15 min. */
  interactionTokenTtlMs?: number;
  /**
   * Edits of messages older than this (real time) are refused with 30046, like Discord's
   * limit on editing messages older than an hour. Default: one hour.
   */
  oldMessageEditAgeMs?: number;
  /**
   * Servers the bot is in: READY lists them as unavailable and a GUILD_CREATE for each
   * follows, as Discord does, so discord.js caches them (and their channels) before ready.
   */
  guilds?: FakeGuild[];
}

export interface FakeGuild {
  id: string;
  /** Boost tier, 0 to 3, sent as `premium_tier`. */
  premiumTier: number;
  /** Its text channels. */
  channelIds: string[];
}

export interface RecordedCall {
  method: string;
  /** The path after /api/v10, query excluded. */
  path: string;
  /** The JSON body, or the `payload_json` part of a multipart body. */
  body?: Record<string, unknown>;
  files: RecordedFile[];
  status: number;
}

export interface RecordedFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  content: string;
  embeds: Record<string, unknown>[];
  attachments: RecordedFile[];
  nonce?: string;
  allowedMentions?: unknown;
  edits: number;
  /** When it was posted (real ms); `ageMessage` moves it back. */
  createdAt: number;
}

export interface InteractionReply {
  deferred: boolean;
  ephemeral: boolean;
  content?: string;
}

export interface SlashCommand {
  name: string;
  options?: Record<string, string>;
  channelId: string;
  userId: string;
  guildId?: string;
  /** Sent as `attachment_size_limit`, the upload cap Discord reports for the place. */
  attachmentSizeLimit?: number;
  /** Sent as `app_permissions` (a decimal bit set); all the bot needs by default. */
  appPermissions?: string;
}

/** What a user is typing into an option that offers autocomplete. */
export interface AutocompleteRequest {
  name: string;
  /** The option being typed in. */
  option: string;
  /** What has been typed so far. */
  value: string;
  channelId: string;
  userId: string;
  guildId?: string;
}

/** The bot's answer to an autocomplete request (callback type 8). */
export interface AutocompleteAnswer {
  choices: { name: string; value: string }[];
  /** Real ms from dispatch to the answer. */
  afterMs: number;
}

/** An answer to give instead of the normal one. A 429 always carries Retry-After. */
export type InjectedError =
  | { kind: 'error'; status: number; code: number; message: string }
  | { kind: 'rate-limit'; retryAfterSeconds: number };

export interface FakeDiscord {
  /** For `rest.api`, e.g. http://127.0.0.1:PORT/api */
  readonly apiUrl: string;
  readonly calls: RecordedCall[];
  readonly messages: FakeMessage[];
  /** Interaction replies by interaction id. */
  readonly replies: Map<string, InteractionReply>;
  /** Autocomplete answers by interaction id. */
  readonly autocompletes: Map<string, AutocompleteAnswer>;
  /** Gateway sessions that sent IDENTIFY. */
  identifies(): number;
  /** Dispatches INTERACTION_CREATE to every identified session; returns the interaction id. */
  sendSlashCommand(command: SlashCommand): string;
  /** Dispatches APPLICATION_COMMAND_AUTOCOMPLETE (type 4); returns the interaction id. */
  sendAutocomplete(request: AutocompleteRequest): string;
  /** Queues answers for the next calls to `METHOD /path` (path after /api/v10). */
  inject(method: string, path: string, ...errors: InjectedError[]): void;
  /** Makes every interaction token issued so far invalid, as 15 minutes would. */
  expireInteractionTokens(): void;
  /** Uploads larger than this (total bytes) to the channel get 413 / 40005. */
  setUploadLimit(channelId: string, bytes: number): void;
  /** Makes a message older by `ms`, so edits past `oldMessageEditAgeMs` get 30046. */
  ageMessage(messageId: string, ms: number): void;
  /**
   * The next channel message with attachments posted to `channelId` is stored, but the
   * answer to it is held back (until `releaseHeldUploads` or `close`), as when the bot dies
   * mid-upload or the upload is slow.
   */
  holdNextUpload(channelId: string): void;
  /** Uploads stored whose answers are still held back. */
  heldUploads(): number;
  /** Sends the held-back answers: the slow uploads finish. */
  releaseHeldUploads(): void;
  /** Deletes a message, as a moderator would; edits then get 404 / 10008. */
  deleteMessage(messageId: string): void;
  messagesIn(channelId: string): FakeMessage[];
  close(): Promise<void>;
}

const API_PREFIX = '/api/v10';
const GATEWAY_PATH = '/gateway';
const EPHEMERAL = 1 << 6;
const DEFERRED_CHANNEL_MESSAGE = 5;
const AUTOCOMPLETE_RESULT = 8;
const DISCORD_EPOCH = 1420070400000n;
/** Every permission the bot needs in a channel (and more). */
const ALL_PERMISSIONS = '2248473465835073';

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? '100000000000000001';
  const botUserId = options.botUserId ?? '100000000000000002';
  const calls: RecordedCall[] = [];
  const messages: FakeMessage[] = [];
  const replies = new Map<string, InteractionReply>();
  const autocompletes = new Map<string, AutocompleteAnswer>();
  const tokens = new Map<string, { interactionId: string; channelId: string; issuedAt: number }>();
  const dispatchedAt = new Map<string, number>();
  const injected = new Map<string, InjectedError[]>();
  const uploadLimits = new Map<string, number>();
  const holdUploadIn = new Set<string>();
  const heldAnswers: (() => void)[] = [];
  const sessions = new Set<WebSocket>();
  let identified = 0;
  let sequence = 0;
  let idCounter = 0n;

  const snowflake = () => String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | ++idCounter);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error), code: 0 });
    });
  });
  const wss = new WebSocketServer({ server, path: GATEWAY_PATH });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}${GATEWAY_PATH}`;

  wss.on('connection', (socket) => {
    sessions.add(socket);
    socket.on('close', () => sessions.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (packet.op === 2) {
        identified += 1;
        dispatch(socket, 'READY', {
          v: 10,
          user: botUser(),
          guilds: (options.guilds ?? []).map((guild) => ({ id: guild.id, unavailable: true })),
          session_id: `fake-session-${identified}`,
          resume_gateway_url: gatewayUrl,
          shard: [0, 1],
          application: { id: applicationId, flags: 0 },
        });
        for (const guild of options.guilds ?? [])
          dispatch(socket, 'GUILD_CREATE', guildJson(guild));
      }
    });
  });

  function dispatch(socket: WebSocket, type: string, data: unknown): void {
    socket.send(JSON.stringify({ op: 0, t: type, s: ++sequence, d: data }));
  }

  function guildJson(guild: FakeGuild) {
    return {
      id: guild.id,
      name: `server ${guild.id}`,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: '100000000000000099',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: guild.premiumTier,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date(0).toISOString(),
      large: false,
      unavailable: false,
      member_count: 1,
      roles: [],
      emojis: [],
      stickers: [],
      members: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      channels: guild.channelIds.map((id, position) => ({
        id,
        type: 0,
        guild_id: guild.id,
        name: `channel-${position}`,
        position,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
        flags: 0,
      })),
    };
  }

  function botUser() {
    return {
      id: botUserId,
      username: 'sora-bot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const path = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length)
      : url.pathname;
    const { body, files } = await readBody(req);
    const call: RecordedCall = { method, path, files, status: 0 };
    if (body !== undefined) call.body = body;
    calls.push(call);
    const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      send(res, status, json, headers);
    };

    const queued = injected.get(`${method} ${path}`)?.shift();
    if (queued?.kind === 'rate-limit') {
      answer(
        429,
        {
          message: 'You are being rate limited.',
          retry_after: queued.retryAfterSeconds,
          global: false,
        },
        { 'retry-after': String(queued.retryAfterSeconds) },
      );
      return;
    }
    if (queued?.kind === 'error') {
      answer(queued.status, { message: queued.message, code: queued.code });
      return;
    }

    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && path === '/gateway/bot') {
      answer(200, {
        url: gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
      return;
    }
    if (method === 'POST' && parts[0] === 'interactions' && parts[3] === 'callback') {
      const token = tokens.get(parts[2] ?? '');
      if (!token || token.interactionId !== parts[1]) {
        answer(404, { message: 'Unknown interaction', code: 10062 });
        return;
      }
      if (body?.type === AUTOCOMPLETE_RESULT) {
        const choices = ((body.data ?? {}) as { choices?: AutocompleteAnswer['choices'] }).choices;
        autocompletes.set(token.interactionId, {
          choices: choices ?? [],
          afterMs: Date.now() - (dispatchedAt.get(token.interactionId) ?? Date.now()),
        });
        answer(204);
        return;
      }
      const data = (body?.data ?? {}) as { flags?: number; content?: string };
      const reply: InteractionReply = {
        deferred: body?.type === DEFERRED_CHANNEL_MESSAGE,
        ephemeral: ((data.flags ?? 0) & EPHEMERAL) !== 0,
      };
      if (data.content !== undefined) reply.content = data.content;
      replies.set(token.interactionId, reply);
      answer(204);
      return;
    }
    if (method === 'PATCH' && parts[0] === 'webhooks' && parts[4] === '@original') {
      const token = tokens.get(parts[2] ?? '');
      if (!token || parts[1] !== applicationId) {
        answer(404, { message: 'Unknown Webhook', code: 10015 });
        return;
      }
      if (Date.now() - token.issuedAt > (options.interactionTokenTtlMs ?? 15 * 60_000)) {
        answer(401, { message: 'Invalid Webhook Token', code: 50027 });
        return;
      }
      const reply = replies.get(token.interactionId);
      if (reply && typeof body?.content === 'string') reply.content = body.content;
      answer(
        200,
        messageJson({
          id: token.interactionId,
          channelId: token.channelId,
          content: reply?.content ?? '',
          embeds: [],
          attachments: [],
          edits: 1,
        }),
      );
      return;
    }
    if (parts[0] === 'channels' && parts[2] === 'messages') {
      const channelId = parts[1] ?? '';
      if (method === 'POST' && parts.length === 3) {
        postMessage(channelId, body ?? {}, files, answer);
        return;
      }
      if (method === 'PATCH' && parts.length === 4) {
        const message = messages.find((m) => m.id === parts[3] && m.channelId === channelId);
        if (!message) {
          answer(404, { message: 'Unknown Message', code: 10008 });
          return;
        }
        if (Date.now() - message.createdAt > (options.oldMessageEditAgeMs ?? 60 * 60_000)) {
          answer(400, {
            message: 'Maximum number of edits to messages older than 1 hour reached.',
            code: 30046,
          });
          return;
        }
        if (typeof body?.content === 'string') message.content = body.content;
        if (Array.isArray(body?.embeds)) message.embeds = body.embeds as Record<string, unknown>[];
        message.edits += 1;
        answer(200, messageJson(message));
        return;
      }
    }
    if (method === 'PUT' && parts[0] === 'applications' && parts.at(-1) === 'commands') {
      const list = Array.isArray(body) ? body : [];
      answer(
        200,
        list.map((command: object) => ({
          ...command,
          id: snowflake(),
          application_id: applicationId,
        })),
      );
      return;
    }
    answer(404, { message: '404: Not Found', code: 0 });
  }

  function postMessage(
    channelId: string,
    body: Record<string, unknown>,
    files: RecordedFile[],
    answer: (status: number, json?: unknown) => void,
  ): void {
    const uploaded = files.reduce((sum, file) => sum + file.bytes.length, 0);
    if (uploaded > (uploadLimits.get(channelId) ?? Number.POSITIVE_INFINITY)) {
      answer(413, { message: 'Request entity too large', code: 40005 });
      return;
    }
    const nonce = typeof body.nonce === 'string' ? body.nonce : undefined;
    if (nonce !== undefined && body.enforce_nonce === true) {
      const earlier = messages.find((m) => m.channelId === channelId && m.nonce === nonce);
      if (earlier) {
        answer(200, messageJson(earlier));
        return;
      }
    }
    const message: FakeMessage = {
      id: snowflake(),
      channelId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [],
      attachments: files,
      edits: 0,
      createdAt: Date.now(),
    };
    if (nonce !== undefined) message.nonce = nonce;
    if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
    messages.push(message);
    if (files.length > 0 && holdUploadIn.delete(channelId)) {
      // Posted, but the bot does not hear so until released; `close` ends the connection.
      heldAnswers.push(() => answer(200, messageJson(message)));
      return;
    }
    answer(200, messageJson(message));
  }

  function messageJson(message: Omit<FakeMessage, 'allowedMentions' | 'createdAt'>) {
    return {
      id: message.id,
      channel_id: message.channelId,
      type: 0,
      author: botUser(),
      content: message.content,
      embeds: message.embeds,
      attachments: message.attachments.map((file, index) => ({
        id: String(index),
        filename: file.name,
        size: file.bytes.length,
        url: `${origin}/attachments/${message.id}/${file.name}`,
        proxy_url: `${origin}/attachments/${message.id}/${file.name}`,
        content_type: file.contentType,
      })),
      nonce: message.nonce,
      timestamp: new Date().toISOString(),
      edited_timestamp: message.edits > 0 ? new Date().toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      pinned: false,
      flags: 0,
      components: [],
    };
  }

  /** Dispatches INTERACTION_CREATE to every identified session; returns the interaction id. */
  function sendInteraction(
    type: number,
    place: { channelId: string; userId: string; guildId?: string },
    name: string,
    options: object[],
    extra: Record<string, unknown>,
  ): string {
    const interactionId = snowflake();
    const token = `token-${interactionId}`;
    const guildId = place.guildId ?? '200000000000000001';
    tokens.set(token, { interactionId, channelId: place.channelId, issuedAt: Date.now() });
    dispatchedAt.set(interactionId, Date.now());
    const user = { ...botUser(), id: place.userId, username: `user${place.userId}`, bot: false };
    const payload = {
      id: interactionId,
      application_id: applicationId,
      type,
      token,
      version: 1,
      data: { id: snowflake(), name, type: 1, options },
      guild_id: guildId,
      channel_id: place.channelId,
      channel: {
        id: place.channelId,
        type: 0,
        guild_id: guildId,
        name: 'general',
        position: 0,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
        flags: 0,
      },
      member: {
        user,
        roles: [],
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        nick: null,
        avatar: null,
        premium_since: null,
        permissions: ALL_PERMISSIONS,
      },
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
      ...extra,
    };
    for (const socket of sessions) dispatch(socket, 'INTERACTION_CREATE', payload);
    return interactionId;
  }

  return {
    apiUrl: `${origin}/api`,
    calls,
    messages,
    replies,
    autocompletes,
    identifies: () => identified,
    sendSlashCommand(command) {
      const options = Object.entries(command.options ?? {}).map(([name, value]) => ({
        name,
        type: 3,
        value,
      }));
      return sendInteraction(2, command, command.name, options, {
        app_permissions: command.appPermissions ?? ALL_PERMISSIONS,
        ...(command.attachmentSizeLimit === undefined
          ? {}
          : { attachment_size_limit: command.attachmentSizeLimit }),
      });
    },
    sendAutocomplete(request) {
      const options = [{ name: request.option, type: 3, value: request.value, focused: true }];
      return sendInteraction(4, request, request.name, options, {
        app_permissions: ALL_PERMISSIONS,
      });
    },
    inject(method, path, ...errors) {
      const key = `${method} ${path}`;
      injected.set(key, [...(injected.get(key) ?? []), ...errors]);
    },
    expireInteractionTokens() {
      for (const token of tokens.values()) token.issuedAt = Number.NEGATIVE_INFINITY;
    },
    setUploadLimit(channelId, bytes) {
      uploadLimits.set(channelId, bytes);
    },
    ageMessage(messageId, ms) {
      const message = messages.find((m) => m.id === messageId);
      if (!message) throw new Error(`no message ${messageId}`);
      message.createdAt -= ms;
    },
    holdNextUpload(channelId) {
      holdUploadIn.add(channelId);
    },
    heldUploads: () => heldAnswers.length,
    releaseHeldUploads() {
      for (const release of heldAnswers.splice(0)) release();
    },
    deleteMessage(messageId) {
      const index = messages.findIndex((m) => m.id === messageId);
      if (index === -1) throw new Error(`no message ${messageId}`);
      messages.splice(index, 1);
    },
    messagesIn: (channelId) => messages.filter((m) => m.channelId === channelId),
    async close() {
      for (const socket of sessions) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown> | undefined; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (!type.startsWith('multipart/form-data')) {
    return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
  }
  // Node's web Response parses multipart exactly as a browser would.
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: RecordedFile[] = [];
  let body: Record<string, unknown> | undefined;
  for (const [key, value] of form.entries()) {
    if (key === 'payload_json' && typeof value === 'string') {
      body = JSON.parse(value) as Record<string, unknown>;
    } else if (typeof value !== 'string') {
      files.push({
        name: value.name,
        contentType: value.type,
        bytes: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return { body, files };
}

function send(
  res: ServerResponse,
  status: number,
  json?: unknown,
  headers: Record<string, string> = {},
): void {
  if (json === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(json));
}
