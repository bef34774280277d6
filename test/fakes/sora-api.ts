/**
 * A stand-in for the Sora task API, served over real HTTP on 127.0.0.1 so clients are
 * exercised through sockets, headers and a base URL with a path, as in production.
 *
 * Tasks follow scripted timelines read from an injectable clock, so a test decides when a
 * task is queued, processing or done without waiting. One-off misbehaviours (rate limits,
 * HTML pages, truncated bodies, resets, hangs) can be queued for one task or for every
 * request, to drive a client's retry and error paths.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Duration = 4 | 8 | 12;

export interface FakeSoraOptions {
  /** The only bearer token accepted; default 'test-key'. */
  apiKey?: string;
  /** Path prefix the API is mounted under; default '/kyyReactApiServer'. */
  basePath?: string;
  /** Milliseconds clock that drives task timelines; default `Date.now`. */
  now?: () => number;
  /** Completed tasks link to `${videoBaseUrl}/videos/${id}.mp4`; default 'https://sora-videos.invalid'. */
  videoBaseUrl?: string;
  /** Timeline of tasks created with POST; default 2 s queued, then 3/5/8 s processing. */
  createTimeline?: (duration: Duration) => { queuedMs: number; processingMs: number };
}

export interface ScriptedTask {
  id: string;
  /** Default 'openAiSora2Plus'. */
  model?: string;
  /** Unix seconds; default the clock's time when the task is added. */
  created?: number;
  /** Time spent 'queued' after being added; default 0. */
  queuedMs?: number;
  /** Then time spent 'processing'; default 0. */
  processingMs?: number;
  /** Final status; any string is allowed (e.g. 'cancelled'). Default 'completed'. */
  outcome?: 'completed' | 'failed' | (string & {});
  /** Shown once failed; default 'Content policy violation'. */
  error?: string;
  /** Overrides the generated `video_url`. */
  videoUrl?: string;
  /** Default 4. */
  actualDuration?: number;
  prompt?: string;
}

/** One-off misbehaviours, each consumed by one request. */
export type Misbehaviour =
  /** Any status, e.g. 429 with or without Retry-After (seconds or an HTTP date), 500/502/503. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string; contentType?: string }
  /** An HTML error page, as a proxy in front of the API would send; status 200 unless given. */
  | { kind: 'html'; status?: number }
  /** 200 with valid headers and a body that is only the first half of the JSON. */
  | { kind: 'truncated' }
  /** The socket is destroyed without an answer. */
  | { kind: 'reset' }
  /** The normal answer, after a real delay. */
  | { kind: 'slow'; ms: number }
  /** No answer until the fake is closed. */
  | { kind: 'hang' }
  /** 200 with valid JSON that is not a task. */
  | { kind: 'wrong-shape' };

export interface RecordedRequest {
  method: string;
  /** The raw request path, query and percent-encoding included. */
  path: string;
  authorization: string | undefined;
  /** Real time of arrival (`Date.now()`), not the injected clock. */
  at: number;
  body?: string;
}

export interface FakeSoraApi {
  /** e.g. http://127.0.0.1:PORT/kyyReactApiServer */
  readonly baseUrl: string;
  /** Every request received, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Adds a task (or replaces one with the same id); its timeline starts now. */
  addTask(task: ScriptedTask): void;
  /** Queues misbehaviours for the next GET requests for this (decoded) task id. */
  misbehave(taskId: string, ...steps: Misbehaviour[]): void;
  /** Misbehaviours applied to every request regardless of task id (e.g. rate-limit everything), consumed in order. */
  misbehaveAll(...steps: Misbehaviour[]): void;
  /** The status a GET would report right now, or undefined for an unknown id. */
  statusOf(taskId: string): string | undefined;
  /** Closes every socket, cancels pending timers and stops listening. */
  close(): Promise<void>;
}

const DEFAULT_API_KEY = 'test-key';
const DEFAULT_BASE_PATH = '/kyyReactApiServer';
// `.invalid` never resolves and the scheme is HTTPS, so the link passes a downloader's safety
// checks yet can never reach a real host. Demos that download set their own video server.
const DEFAULT_VIDEO_BASE_URL = 'https://sora-videos.invalid';
const DEFAULT_ERROR = 'Content policy violation';
const DEFAULT_MODEL = 'openAiSora2Plus';
const MODELS: ReadonlySet<unknown> = new Set(['openAiSora2Plus', 'openAiSora2Pro']);
const SIZES: ReadonlySet<unknown> = new Set(['720x1280', '1280x720']);
const ASPECT_RATIOS: ReadonlySet<unknown> = new Set(['9:16', '16:9']);
const DURATIONS: ReadonlySet<unknown> = new Set([4, 8, 12]);
const MAX_BODY_BYTES = 1024 * 1024;
const RESULT_PREFIX = '/v1/result/';
const CREATE_PATH = '/v1/sora/videos';

/** Short enough for a live demo, long enough to see each status go by. */
function defaultCreateTimeline(duration: Duration): { queuedMs: number; processingMs: number } {
  const processingMs = duration === 4 ? 3000 : duration === 8 ? 5000 : 8000;
  return { queuedMs: 2000, processingMs };
}

interface StoredTask {
  id: string;
  model: string;
  created: number;
  addedAt: number;
  queuedMs: number;
  processingMs: number;
  outcome: string;
  error: string;
  videoUrl: string;
  actualDuration: number;
  prompt: string | undefined;
}

type Route = { kind: 'result'; rawId: string } | { kind: 'create' };

export async function startFakeSoraApi(options: FakeSoraOptions = {}): Promise<FakeSoraApi> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH);
  const now = options.now ?? Date.now;
  const videoBaseUrl = (options.videoBaseUrl ?? DEFAULT_VIDEO_BASE_URL).replace(/\/+$/, '');
  const createTimeline = options.createTimeline ?? defaultCreateTimeline;

  const tasks = new Map<string, StoredTask>();
  const taskSteps = new Map<string, Misbehaviour[]>();
  const globalSteps: Misbehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function addTask(task: ScriptedTask): void {
    const addedAt = now();
    tasks.set(task.id, {
      id: task.id,
      model: task.model ?? DEFAULT_MODEL,
      created: task.created ?? Math.floor(addedAt / 1000),
      addedAt,
      queuedMs: task.queuedMs ?? 0,
      processingMs: task.processingMs ?? 0,
      outcome: task.outcome ?? 'completed',
      error: task.error ?? DEFAULT_ERROR,
      videoUrl: task.videoUrl ?? `${videoBaseUrl}/videos/${encodeURIComponent(task.id)}.mp4`,
      actualDuration: task.actualDuration ?? 4,
      prompt: task.prompt,
    });
  }

  function statusAt(task: StoredTask, time: number): string {
    const elapsed = time - task.addedAt;
    if (elapsed < task.queuedMs) return 'queued';
    if (elapsed < task.queuedMs + task.processingMs) return 'processing';
    return task.outcome;
  }

  /** The task as the API's JSON, fields present only in the statuses that carry them. */
  function taskJson(task: StoredTask): Record<string, unknown> {
    const status = statusAt(task, now());
    const json: Record<string, unknown> = {
      id: task.id,
      object: 'video.generation',
      created: task.created,
      model: task.model,
      status,
    };
    if (status === 'completed') {
      json.video_url = task.videoUrl;
      json.actualDuration = task.actualDuration;
    }
    if (status === 'failed') {
      json.error = task.error;
    }
    return json;
  }

  /** What a truncated answer cuts in half: the task's real JSON, or a plausible one. */
  function sampleJson(id: string | undefined): string {
    const task = id === undefined ? undefined : tasks.get(id);
    return JSON.stringify(task ? taskJson(task) : placeholderTask(id ?? 'sora_new'));
  }

  function answerResult(res: ServerResponse, id: string): void {
    const task = tasks.get(id);
    if (task === undefined) {
      sendError(res, 404, 'Task not found');
      return;
    }
    sendJson(res, 200, taskJson(task));
  }

  function answerCreate(res: ServerResponse, body: string): void {
    const checked = checkCreateBody(body);
    if ('problems' in checked) {
      sendError(res, 400, checked.problems.join('; '));
      return;
    }
    const { model, prompt, duration } = checked;
    const id = `sora_${randomBytes(8).toString('hex')}`;
    const timeline = createTimeline(duration);
    addTask({
      id,
      model,
      prompt,
      queuedMs: timeline.queuedMs,
      processingMs: timeline.processingMs,
      actualDuration: duration,
    });
    answerResult(res, id);
  }

  /** What the real API would do: auth first, then the task's own misbehaviours, then the answer. */
  function respond(req: IncomingMessage, res: ServerResponse, route: Route, body: string): void {
    if (!authorized(req.headers.authorization, apiKey)) {
      sendError(res, 401, 'Invalid API key');
      return;
    }
    if (route.kind === 'create') {
      answerCreate(res, body);
      return;
    }
    const id = decodeId(route.rawId);
    if (id === undefined) {
      sendError(res, 404, 'Task not found');
      return;
    }
    const step = taskSteps.get(id)?.shift();
    if (step !== undefined) {
      applyMisbehaviour(step, req, res, {
        proceed: () => answerResult(res, id),
        sampleJson: () => sampleJson(id),
      });
      return;
    }
    answerResult(res, id);
  }

  function applyMisbehaviour(
    step: Misbehaviour,
    req: IncomingMessage,
    res: ServerResponse,
    normal: { proceed: () => void; sampleJson: () => string },
  ): void {
    switch (step.kind) {
      case 'status': {
        const headers: Record<string, string> = {
          'content-type': step.contentType ?? 'application/json',
        };
        if (step.retryAfter !== undefined) headers['retry-after'] = step.retryAfter;
        const body =
          step.body ?? JSON.stringify({ error: { message: STATUS_CODES[step.status] ?? 'Error' } });
        send(res, step.status, headers, body);
        return;
      }
      case 'html': {
        const status = step.status ?? 200;
        const title = STATUS_CODES[status] ?? 'Error';
        send(
          res,
          status,
          { 'content-type': 'text/html; charset=utf-8' },
          `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>nginx</p></body></html>\n`,
        );
        return;
      }
      case 'truncated': {
        if (res.destroyed) return;
        const json = normal.sampleJson();
        // write() before end() makes Node use chunked encoding: no Content-Length to contradict,
        // so the client sees a well-formed response whose JSON simply stops.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(json.slice(0, Math.floor(json.length / 2)));
        res.end();
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          normal.proceed();
        }, step.ms);
        timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'hang':
        // Left unanswered; close() destroys the socket.
        return;
      case 'wrong-shape':
        sendJson(res, 200, { data: null });
        return;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    requests.push(record);
    const read = await readBody(req);
    if (read.text.length > 0) record.body = read.text;
    if (read.tooLarge) {
      sendError(res, 413, 'Request body too large');
      return;
    }

    const route = matchRoute(record.method, pathnameOf(record.path), basePath);
    if (route === undefined) {
      sendError(res, 404, 'Not found');
      return;
    }
    const body = read.text;
    // Global misbehaviours stand for trouble in front of the API (a gateway rate-limiting,
    // a proxy failing), so they come before the key is even looked at.
    const step = globalSteps.shift();
    if (step !== undefined) {
      applyMisbehaviour(step, req, res, {
        proceed: () => respond(req, res, route, body),
        sampleJson: () => sampleJson(route.kind === 'result' ? decodeId(route.rawId) : undefined),
      });
      return;
    }
    respond(req, res, route, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // A socket torn down mid-request (by the client or by close()) lands here.
      if (!res.headersSent && !res.destroyed) {
        sendError(res, 500, 'Internal server error');
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;

  return {
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    requests,
    addTask,
    misbehave(taskId, ...steps) {
      const queue = taskSteps.get(taskId) ?? [];
      queue.push(...steps);
      taskSteps.set(taskId, queue);
    },
    misbehaveAll(...steps) {
      globalSteps.push(...steps);
    },
    statusOf(taskId) {
      const task = tasks.get(taskId);
      return task === undefined ? undefined : statusAt(task, now());
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and keep-alive sockets would otherwise hold close() open indefinitely.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function normaliseBasePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function pathnameOf(rawPath: string): string {
  const query = rawPath.indexOf('?');
  return query === -1 ? rawPath : rawPath.slice(0, query);
}

function matchRoute(method: string, pathname: string, basePath: string): Route | undefined {
  if (!pathname.startsWith(`${basePath}/`)) return undefined;
  const rest = pathname.slice(basePath.length);
  if (method === 'POST' && rest === CREATE_PATH) return { kind: 'create' };
  if (method === 'GET' && rest.startsWith(RESULT_PREFIX)) {
    const rawId = rest.slice(RESULT_PREFIX.length);
    if (rawId.length > 0 && !rawId.includes('/')) return { kind: 'result', rawId };
  }
  return undefined;
}

function decodeId(rawId: string): string | undefined {
  try {
    return decodeURIComponent(rawId);
  } catch {
    return undefined;
  }
}

/** Accepts `Bearer <key>` with the scheme in any case, as HTTP allows. */
function authorized(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] === apiKey;
}

function placeholderTask(id: string): Record<string, unknown> {
  return {
    id,
    object: 'video.generation',
    created: 0,
    model: DEFAULT_MODEL,
    status: 'queued',
  };
}

type CreateCheck = { model: string; prompt: string; duration: Duration } | { problems: string[] };

/** The create endpoint's documented rules; every broken rule is reported, not just the first. */
function checkCreateBody(body: string): CreateCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problems: ['the body is not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problems: ['the body must be a JSON object'] };
  }
  const record = parsed as Record<string, unknown>;
  const field = (name: string): unknown => record[name] ?? undefined;
  const problems: string[] = [];

  const model = field('model');
  if (model === undefined) problems.push('model is required');
  else if (!MODELS.has(model)) problems.push('model must be openAiSora2Plus or openAiSora2Pro');

  const prompt = field('prompt');
  if (typeof prompt !== 'string' || prompt.trim() === '') problems.push('prompt is required');

  const size = field('size');
  const aspectRatio = field('aspect_ratio');
  if (size !== undefined && !SIZES.has(size)) problems.push('size must be 720x1280 or 1280x720');
  if (aspectRatio !== undefined && !ASPECT_RATIOS.has(aspectRatio)) {
    problems.push('aspect_ratio must be 9:16 or 16:9');
  }
  if (size !== undefined && aspectRatio !== undefined) {
    problems.push('give either size or aspect_ratio, not both');
  }

  const duration = field('duration');
  const seconds = field('seconds');
  if (duration !== undefined && !DURATIONS.has(duration)) {
    problems.push('duration must be 4, 8 or 12');
  }
  if (seconds !== undefined && !DURATIONS.has(seconds)) problems.push('seconds must be 4, 8 or 12');
  if (duration !== undefined && seconds !== undefined) {
    problems.push('give either duration or seconds, not both');
  }

  const imageUrls = field('image_urls');
  if (imageUrls !== undefined) {
    if (!Array.isArray(imageUrls) || !imageUrls.every((url) => typeof url === 'string')) {
      problems.push('image_urls must be an array of strings');
    } else if (imageUrls.length > 1) {
      problems.push('at most one image url is allowed');
    }
  }

  if (problems.length > 0) return { problems };
  return {
    model: model as string,
    prompt: prompt as string,
    duration: (duration ?? seconds ?? 4) as Duration,
  };
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Keep draining past the limit so the 413 can still be sent on an intact socket.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, { 'content-type': 'application/json' }, JSON.stringify(value));
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { message } });
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  // A slow answer may come due after the client gave up.
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
