/**
 * The fake Sora API's HTTP routes under its base path: GET /v1/result/:id answers a task's
 * current state and POST /v1/sora/videos creates one. Every request is recorded first; then
 * come the misbehaviours queued for every request, the key check, those queued for the
 * task, and finally the normal answer, in the order the real service and its proxies would.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkCreateBody } from './create-rules.ts';
import { readBody, sendError, sendJson } from './http-bodies.ts';
import { applyMisbehaviour } from './misbehaviours.ts';
import type { TaskBoard } from './tasks.ts';
import type { Duration, Misbehaviour, RecordedRequest } from './types.ts';

const RESULT_PREFIX = '/v1/result/';
const CREATE_PATH = '/v1/sora/videos';

type Route = { kind: 'result'; rawId: string } | { kind: 'create' };

/** What the routes read and change; owned by `startFakeSoraApi`. */
export interface SoraApiRouteState {
  readonly apiKey: string;
  /** '' or a path starting with '/' and without a trailing one. */
  readonly basePath: string;
  readonly createTimeline: (duration: Duration) => { queuedMs: number; processingMs: number };
  readonly tasks: TaskBoard;
  readonly requests: RecordedRequest[];
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

  function answerCreate(res: ServerResponse, body: string): void {
    const checked = checkCreateBody(body);
    if ('problems' in checked) {
      sendError(res, 400, checked.problems.join('; '));
      return;
    }
    const { model, prompt, duration } = checked;
    const id = `sora_${randomBytes(8).toString('hex')}`;
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
      answerCreate(res, body);
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
    state.requests.push(record);
    const read = await readBody(req);
    if (read.text.length > 0) record.body = read.text;
    if (read.tooLarge) {
      sendError(res, 413, 'Request body too large');
      return;
    }

    const route = matchRoute(record.method, pathnameOf(record.path), state.basePath);
    if (route === undefined) {
      sendError(res, 404, 'Not found');
      return;
    }
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
