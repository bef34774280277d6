/**
 * The fake Sora API's HTTP routes under its base path: GET /v1/result/:id answers a task's
 * current state, POST /v1/sora/videos and POST /v1/veo/videos create one. Every request
 * (and every create's body and Idempotency-Key) is recorded first; then
 * come the misbehaviours queued for every request, the key check, those queued for the
 * task, and finally the normal answer, in the order the real service and its proxies would.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CreateFamily, checkCreateBody } from './create-rules.ts';
import { readBody, sendError, sendJson } from './http-bodies.ts';
import { applyMisbehaviour } from './misbehaviours.ts';
import type { TaskBoard } from './tasks.ts';
import type { Duration, Misbehaviour, RecordedCreate, RecordedRequest } from './types.ts';

const RESULT_PREFIX = '/v1/result/';
/** Each family's create path, and the prefix of the ids its tasks get. */
const CREATE_PATHS: Readonly<Record<string, { family: CreateFamily; idPrefix: string }>> = {
  '/v1/sora/videos': { family: 'sora', idPrefix: 'sora_' },
  '/v1/veo/videos': { family: 'veo', idPrefix: 'vgen_' },
};

type Route =
  | { kind: 'result'; rawId: string }
  | { kind: 'create'; family: CreateFamily; idPrefix: string; create: RecordedCreate };

/** What the routes read and change; owned by `startFakeSoraApi`. */
export interface SoraApiRouteState {
  readonly apiKey: string;
  /** '' or a path starting with '/' and without a trailing one. */
  readonly basePath: string;
  readonly createTimeline: (duration: Duration) => { queuedMs: number; processingMs: number };
  readonly tasks: TaskBoard;
  readonly requests: RecordedRequest[];
  readonly creates: RecordedCreate[];
  readonly account: { balanceSeconds?: number };
  readonly moderatedWords: readonly string[];
  /** Misbehaviours queued by (decoded) task id. */
  readonly taskSteps: Map<string, Misbehaviour[]>;
  /** Misbehaviours for any request, in order. */
  readonly globalSteps: Misbehaviour[];
  readonly timers: Set<NodeJS.Timeout>;
}

export function createRequestHandler(
  state: SoraApiRouteState,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { tasks, timers } = state;

  function answerResult(res: ServerResponse, id: string): void {
    const json = tasks.jsonOf(id);
    if (json === undefined) {
      sendError(res, 404, 'Task not found');
      return;
    }
    sendJson(res, 200, json);
  }

  function answerCreate(
    res: ServerResponse,
    route: Extract<Route, { kind: 'create' }>,
    body: string,
  ): void {
    const checked = checkCreateBody(route.family, body);
    if ('problems' in checked) {
      sendError(res, 400, checked.problems.join('; '));
      return;
    }
    const { model, prompt, duration } = checked;
    const lower = prompt.toLowerCase();
    if (state.moderatedWords.some((word) => lower.includes(word.toLowerCase()))) {
      sendError(res, 400, 'The request was rejected by the content moderation policy.');
      return;
    }
    const { balanceSeconds } = state.account;
    if (balanceSeconds !== undefined) {
      if (balanceSeconds < duration) {
        sendError(res, 402, 'Insufficient balance: top up the account to create videos.');
        return;
      }
      state.account.balanceSeconds = balanceSeconds - duration;
    }
    const id = `${route.idPrefix}${randomBytes(8).toString('hex')}`;
    route.create.taskId = id;
    const timeline = state.createTimeline(duration);
    tasks.add({
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
    if (!authorized(req.headers.authorization, state.apiKey)) {
      sendError(res, 401, 'Invalid API key');
      return;
    }
    if (route.kind === 'create') {
      answerCreate(res, route, body);
      return;
    }
    const id = decodeId(route.rawId);
    if (id === undefined) {
      sendError(res, 404, 'Task not found');
      return;
    }
    const step = state.taskSteps.get(id)?.shift();
    if (step !== undefined) {
      const normal = {
        proceed: () => answerResult(res, id),
        sampleJson: () => tasks.sampleJson(id),
      };
      applyMisbehaviour(step, req, res, normal, timers);
      return;
    }
    answerResult(res, id);
  }

  return async function handle(req, res) {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    const idempotencyKey = req.headers['idempotency-key'];
    if (typeof idempotencyKey === 'string') record.idempotencyKey = idempotencyKey;
    state.requests.push(record);
    const read = await readBody(req);
    if (read.text.length > 0) record.body = read.text;
    if (read.tooLarge) {
      sendError(res, 413, 'Request body too large');
      return;
    }

    const route = matchRoute(record, state.basePath, read.text);
    if (route === undefined) {
      sendError(res, 404, 'Not found');
      return;
    }
    if (route.kind === 'create') state.creates.push(route.create);
    const body = read.text;
    // Global misbehaviours stand for trouble in front of the API (a gateway rate-limiting,
    // a proxy failing), so they come before the key is even looked at.
    const step = state.globalSteps.shift();
    if (step !== undefined) {
      const normal = {
        proceed: () => respond(req, res, route, body),
        sampleJson: () =>
          tasks.sampleJson(route.kind === 'result' ? decodeId(route.rawId) : undefined),
      };
      applyMisbehaviour(step, req, res, normal, timers);
      return;
    }
    respond(req, res, route, body);
  };
}

function pathnameOf(rawPath: string): string {
  const query = rawPath.indexOf('?');
  return query === -1 ? rawPath : rawPath.slice(0, query);
}

function matchRoute(record: RecordedRequest, basePath: string, body: string): Route | undefined {
  const { method } = record;
  const pathname = pathnameOf(record.path);
  if (!pathname.startsWith(`${basePath}/`)) return undefined;
  const rest = pathname.slice(basePath.length);
  const createPath = Object.hasOwn(CREATE_PATHS, rest) ? CREATE_PATHS[rest] : undefined;
  if (method === 'POST' && createPath !== undefined) {
    const create: RecordedCreate = {
      endpoint: rest,
      body: parseJson(body),
      idempotencyKey: record.idempotencyKey,
    };
    return { kind: 'create', ...createPath, create };
  }
  if (method === 'GET' && rest.startsWith(RESULT_PREFIX)) {
    const rawId = rest.slice(RESULT_PREFIX.length);
    if (rawId.length > 0 && !rawId.includes('/')) return { kind: 'result', rawId };
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
