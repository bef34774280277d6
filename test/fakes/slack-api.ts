/**
 * A stand-in for the Slack Web API, served over real HTTP on 127.0.0.1 so the real Bolt app
 * and WebClient are exercised through `slackApiUrl`, sockets and bodies as in production.
 *
 * It answers the methods the bot uses, hands out absolute `upload_url`s and `response_url`s
 * on itself (the WebClient and Bolt use those as given), records every call, and can be
 * told to fail a method once with a Slack error or a 429, or to refuse the bytes posted to
 * an upload link with an HTTP error. A call or an upload can be held (received, not yet
 * acted on) until the test releases it, to kill the bot in that window. Files keep every
 * share `files.completeUploadExternal` made, and `files.info` tells them, as Slack does.
 * Modals live in slack-api/views.ts (`views.open`, `views.update`). User groups are set by the
 * test (`setUserGroup`) and told by `usergroups.users.list`. A message whose blocks Slack would
 * refuse (a video block without its thumbnail, with a title too long, or playing a page off
 * the app's unfurl domains; a section's text too long, an image Slack cannot fetch:
 * slack-api/block-checks.ts) is answered `invalid_blocks`, through a `response_url` too. It also plays Slack's side of a
 * slash command, of a modal's submission (slack-api/view-submission.ts) and of a press on a
 * button or a picker (slack-api/block-actions.ts): form-encoded bodies signed with the app's
 * signing secret.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockProblems, invalidBlocksAnswer } from './slack-api/block-checks.ts';
import { signedPost } from './slack-api/signed-post.ts';
import { createViewBoard, type OpenedView } from './slack-api/views.ts';

export {
  type BlockActionPress,
  blockActionPayload,
  sendBlockAction,
} from './slack-api/block-actions.ts';
export {
  sendViewSubmission,
  type ViewSubmission,
  viewSubmissionPayload,
} from './slack-api/view-submission.ts';
export type { OpenedView } from './slack-api/views.ts';

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  authorization: string | undefined;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  /** Every later `chat.update` of this message, in order. */
  edits: { text: string; blocks?: unknown[] }[];
}

export interface UploadedFile {
  fileId: string;
  filename: string;
  /** The bytes posted to the upload link (empty when the fake keeps none, see `keepBytes`). */
  bytes: Buffer;
  /** How many bytes the upload link received, and their SHA-256 (hex). */
  size: number;
  sha256?: string;
  /** Set once `files.completeUploadExternal` shares it (the last channel shared in). */
  channel?: string;
  /** Every share made by a completion, in order: more than one is the clip posted twice. */
  shares: { channel: string; ts: string }[];
  initialComment?: string;
}

/** One POST to an upload link as it arrived: its headers and how it ended. */
export interface UploadRequest {
  fileId: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  /** Whether the whole body arrived (false for a sender that died midway). */
  complete: boolean;
}

/** A call kept waiting: `arrived` resolves when it comes, `release()` lets it go on. */
export interface HeldCall {
  readonly arrived: Promise<void>;
  release(): void;
}

/**
 * One-off failure of a method: a Slack error in a 200 answer, or a 429. With `channel`, only
 * a call aimed at that channel meets it, so other watches running meanwhile are not hit.
 */
export type SlackFailure = ({ error: string } | { status: 429; retryAfter: number }) & {
  channel?: string;
};

export interface FakeSlackApi {
  /** Base for `slackApiUrl`, ends with "/api/". */
  readonly apiUrl: string;
  readonly calls: SlackCall[];
  readonly messages: PostedMessage[];
  readonly files: UploadedFile[];
  readonly uploads: UploadRequest[];
  /** Every modal opened, with each version it showed. */
  readonly views: OpenedView[];
  /** Bodies posted to the `response_url`s handed out with slash commands and presses. */
  readonly responses: { id: string; body: Record<string, unknown> }[];
  /** The next `times` calls of `method` fail as told. */
  fail(method: string, failure: SlackFailure, times?: number): void;
  /** The next `times` posts of a file's bytes to its upload link are answered with `status`. */
  refuseUploads(status: number, times?: number): void;
  /**
   * The next call of `method` (of those `matches` picks, when given) is recorded, then waits
   * until released before it acts or answers (as if Slack were slow to do it); the test may
   * kill the bot meanwhile.
   */
  hold(method: string, matches?: (params: Record<string, unknown>) => boolean): HeldCall;
  /** The next post of bytes to an upload link waits, unread, until released. */
  holdUpload(): HeldCall;
  /** Who is in a user group ("S0123"), as `usergroups.users.list` tells it. */
  setUserGroup(id: string, users: readonly string[]): void;
  /** Deletes a message, as a person would; `chat.update` then answers `message_not_found`. */
  deleteMessage(channel: string, ts: string): void;
  /** Every share of every file in `channel`. */
  sharesIn(channel: string): { fileId: string; ts: string }[];
  callsOf(method: string): SlackCall[];
  /** A fresh `response_url` on this fake. */
  responseUrl(): string;
  close(): Promise<void>;
}

export interface FakeSlackApiOptions {
  botToken: string;
  /** Socket Mode: answers `apps.connections.open`, which carries the app-level token. */
  socketMode?: { connectionsOpen(authorization: string | undefined): Record<string, unknown> };
  /** Whether uploaded bytes are kept in `bytes` (default); false keeps only size and hash. */
  keepBytes?: boolean;
  /** The app's unfurl domains ("bot.example.com"): the only hosts a video block may play. */
  unfurlDomains?: readonly string[];
  /**
   * The hosts whose images Slack can download ("clips.example.com"); an image block or
   * accessory elsewhere is refused as Slack refuses one it cannot fetch. Absent: every host.
   */
  imageHosts?: readonly string[];
}

function heldCall(): HeldCall & { wait: Promise<void>; arrive(): void } {
  let arrive = () => {};
  let release = () => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const wait = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { arrived, release, wait, arrive };
}

export async function startFakeSlackApi(options: FakeSlackApiOptions): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const messages: PostedMessage[] = [];
  const files: UploadedFile[] = [];
  const uploads: UploadRequest[] = [];
  const holds = new Map<
    string,
    ReturnType<typeof heldCall> & { matches?: (params: Record<string, unknown>) => boolean }
  >();
  const responses: FakeSlackApi['responses'] = [];
  const failures = new Map<string, SlackFailure[]>();
  const userGroups = new Map<string, readonly string[]>();
  let uploadRefusals: number[] = [];
  let counter = 0;
  let baseUrl = '';
  const viewBoard = createViewBoard(() => ++counter);

  function takeFailure(method: string, channel: string): SlackFailure | undefined {
    const queue = failures.get(method) ?? [];
    const index = queue.findIndex((f) => f.channel === undefined || f.channel === channel);
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://slack.invalid');
      if (url.pathname.startsWith('/upload/')) return receiveUpload(req, res, url);
      const raw = await readBody(req);
      if (url.pathname.startsWith('/response/')) {
        const body = JSON.parse(raw.toString() || '{}') as Record<string, unknown>;
        // A response_url answers a refusal as an HTTP error with a bare code, and shows nothing.
        if (refusedBlocks(body) !== undefined) return send(res, 400, 'invalid_blocks');
        responses.push({ id: url.pathname.slice('/response/'.length), body });
        return send(res, 200, 'ok');
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const params = parseParams(raw, req.headers['content-type']);
      const authorization = req.headers.authorization;
      calls.push({ method, params, authorization });
      const hold = holds.get(method);
      if (hold && (hold.matches?.(params) ?? true)) {
        holds.delete(method);
        hold.arrive();
        await hold.wait;
      }
      const failure = takeFailure(method, String(params.channel ?? params.channel_id ?? ''));
      if (failure && 'status' in failure) {
        res.writeHead(429, { 'retry-after': String(failure.retryAfter) }).end();
        return;
      }
      if (failure) return json(res, { ok: false, error: failure.error });
      if (method === 'apps.connections.open') {
        if (options.socketMode === undefined) return json(res, { ok: false, error: 'not_allowed' });
        return json(res, options.socketMode.connectionsOpen(authorization));
      }
      if (authorization !== `Bearer ${options.botToken}`)
        return json(res, { ok: false, error: 'invalid_auth' });
      json(res, viewBoard.answer(method, params) ?? answer(method, params));
    })().catch((error: unknown) => send(res, 500, String(error)));
  });

  /** The bytes of an upload link, streamed: counted and hashed, kept only if asked. */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    const file = files.find((f) => f.fileId === url.pathname.slice('/upload/'.length));
    if (file === undefined) return send(res, 404, 'no such upload');
    const record: UploadRequest = {
      fileId: file.fileId,
      contentType: req.headers['content-type'],
      contentLength: req.headers['content-length'],
      transferEncoding: req.headers['transfer-encoding'],
      complete: false,
    };
    uploads.push(record);
    const hold = holds.get('upload');
    if (hold) {
      holds.delete('upload');
      hold.arrive();
      await hold.wait;
    }
    const refusal = uploadRefusals.shift();
    if (refusal !== undefined) {
      req.resume();
      return send(res, refusal, 'upload refused');
    }
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (options.keepBytes !== false) chunks.push(chunk as Buffer);
    }
    // A sender that died midway leaves a short body: Slack keeps nothing of it.
    if (req.readableAborted || (record.contentLength && Number(record.contentLength) !== size)) {
      return;
    }
    record.complete = true;
    file.bytes = await uploadedBytes(Buffer.concat(chunks), record.contentType);
    file.size = size;
    file.sha256 = hash.digest('hex');
    return send(res, 200, 'OK - uploaded');
  }

  function answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const channel = String(params.channel ?? params.channel_id ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'sora-bot' };
      case 'chat.postMessage': {
        const refused = refusedBlocks(params);
        if (refused) return refused;
        const ts = `1767225600.${String(++counter).padStart(6, '0')}`;
        messages.push({
          channel,
          ts,
          text: String(params.text ?? ''),
          ...blocksOf(params),
          edits: [],
        });
        return { ok: true, channel, ts, message: { text: params.text } };
      }
      case 'chat.update': {
        const refused = refusedBlocks(params);
        if (refused) return refused;
        const message = messages.find((m) => m.channel === channel && m.ts === params.ts);
        if (message === undefined) return { ok: false, error: 'message_not_found' };
        message.edits.push({ text: String(params.text ?? ''), ...blocksOf(params) });
        return { ok: true, channel, ts: message.ts };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1767225600.${String(++counter).padStart(6, '0')}` };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel,
          permalink: `https://fake.slack.com/archives/${channel}/p${String(params.message_ts).replace('.', '')}`,
        };
      case 'usergroups.users.list': {
        const users = userGroups.get(String(params.usergroup ?? ''));
        return users === undefined
          ? { ok: false, error: 'no_such_subteam' }
          : { ok: true, users: [...users] };
      }
      case 'conversations.join':
        return { ok: true, channel: { id: channel } };
      case 'files.getUploadURLExternal': {
        const fileId = `F${String(++counter).padStart(6, '0')}`;
        files.push({
          fileId,
          filename: String(params.filename ?? ''),
          bytes: Buffer.alloc(0),
          size: 0,
          shares: [],
        });
        return { ok: true, file_id: fileId, upload_url: `${baseUrl}/upload/${fileId}` };
      }
      case 'files.completeUploadExternal': {
        const listed = JSON.parse(String(params.files ?? '[]')) as { id: string }[];
        for (const { id } of listed) {
          const file = files.find((f) => f.fileId === id);
          if (file === undefined) return { ok: false, error: 'file_not_found' };
          file.channel = channel;
          file.shares.push({ channel, ts: `1767225600.${String(++counter).padStart(6, '0')}` });
          if (typeof params.initial_comment === 'string')
            file.initialComment = params.initial_comment;
        }
        return { ok: true, files: listed.map(({ id }) => ({ id })) };
      }
      case 'files.info': {
        // Like Slack, an upload never completed is no file yet.
        const file = files.find((f) => f.fileId === params.file);
        if (file === undefined || file.shares.length === 0) {
          return { ok: false, error: 'file_not_found' };
        }
        const byChannel: Record<string, { ts: string }[]> = {};
        for (const share of file.shares) {
          byChannel[share.channel] = [...(byChannel[share.channel] ?? []), { ts: share.ts }];
        }
        return {
          ok: true,
          file: {
            id: file.fileId,
            name: file.filename,
            size: file.size,
            channels: Object.keys(byChannel).filter((c) => c.startsWith('C')),
            groups: Object.keys(byChannel).filter((c) => c.startsWith('G')),
            shares: {
              public: pick(byChannel, (c) => c.startsWith('C')),
              private: pick(byChannel, (c) => !c.startsWith('C')),
            },
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Slack's answer to blocks it would not post, if these are such. */
  function refusedBlocks(params: Record<string, unknown>): Record<string, unknown> | undefined {
    const problems = blockProblems(blocksOf(params).blocks ?? [], {
      unfurlDomains: options.unfurlDomains ?? [],
      ...(options.imageHosts ? { imageHosts: options.imageHosts } : {}),
    });
    return problems.length > 0 ? invalidBlocksAnswer(problems) : undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${baseUrl}/api/`,
    calls,
    messages,
    files,
    uploads,
    views: viewBoard.views,
    responses,
    fail(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    refuseUploads(status, times = 1) {
      uploadRefusals = [...uploadRefusals, ...Array<number>(times).fill(status)];
    },
    hold(method, matches) {
      const held = heldCall();
      holds.set(method, matches ? { ...held, matches } : held);
      return held;
    },
    holdUpload() {
      const held = heldCall();
      holds.set('upload', held);
      return held;
    },
    setUserGroup(id, users) {
      userGroups.set(id, [...users]);
    },
    deleteMessage(channel, ts) {
      const at = messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (at !== -1) messages.splice(at, 1);
    },
    sharesIn: (channel) =>
      files.flatMap((f) =>
        f.shares.filter((s) => s.channel === channel).map((s) => ({ fileId: f.fileId, ts: s.ts })),
      ),
    callsOf: (method) => calls.filter((c) => c.method === method),
    responseUrl: () => `${baseUrl}/response/${++counter}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SlashCommand {
  /** The bot's events URL, e.g. http://127.0.0.1:PORT/slack/events. */
  url: string;
  signingSecret: string;
  command: string;
  text: string;
  channelId: string;
  userId: string;
  responseUrl: string;
  /** Unix seconds to sign with; default now. */
  timestamp?: number;
  /** Overrides the computed signature, to forge one. */
  signature?: string;
}

/** The fields Slack sends with a slash command, over HTTP (form-encoded) or Socket Mode. */
export function slashCommandPayload(
  command: Pick<SlashCommand, 'command' | 'text' | 'channelId' | 'userId' | 'responseUrl'>,
): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T1',
    team_domain: 'fake',
    channel_id: command.channelId,
    channel_name: 'general',
    user_id: command.userId,
    user_name: command.userId.toLowerCase(),
    command: command.command,
    text: command.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: command.responseUrl,
    trigger_id: '1.2.3',
  };
}

/** Sends a slash command to the bot as Slack does; resolves with the HTTP answer and its delay. */
export function sendSlashCommand(
  command: SlashCommand,
): Promise<{ status: number; body: string; ms: number }> {
  return signedPost(command.url, slashCommandPayload(command), command);
}

function pick<T>(record: Record<string, T>, keep: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));
}

function blocksOf(params: Record<string, unknown>): { blocks?: unknown[] } {
  if (params.blocks === undefined) return {};
  const blocks = typeof params.blocks === 'string' ? JSON.parse(params.blocks) : params.blocks;
  return { blocks: blocks as unknown[] };
}

function parseParams(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType?.startsWith('application/json')) return JSON.parse(text || '{}');
  return Object.fromEntries(new URLSearchParams(text));
}

/** The WebClient sends the bytes as the "body" field of a multipart form; others send them raw. */
async function uploadedBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const part = form.get('body') ?? form.get('file');
  if (part === null || typeof part === 'string') return Buffer.from(part ?? '');
  return Buffer.from(await part.arrayBuffer());
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, body: Record<string, unknown>): void {
  res
    .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
}
