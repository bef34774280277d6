/**
 * The intake API: other programs hand the bot a task to announce.
 *
 *   POST /v1/watches            {"task_id", "notify"?, "requested_by"?, "prompt"?}  → 202
 *   GET  /v1/watches/{task_id}  where a watched task stands                        → 200 / 404
 *   POST /v1/videos             the service's create fields + "notify"?, "requested_by"?
 *                               (`Idempotency-Key` header: sent again, the first task) → 201 / 200
 *
 * Both want `Authorization: Bearer <INTAKE_TOKEN>`. Routes in the shape Bolt's receiver takes
 * (`customRoutes`), so in Slack HTTP mode they share Slack's port; our own server otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandOrigin } from '../chat/commands.ts';
import { CreateLimitReached, CreateNotAllowed } from '../chat/create-refusal.ts';
import type { Estimate } from '../chat/status-view.ts';
import type { HttpRoute } from '../http/routes.ts';
import type { Logger } from '../log.ts';
import type { CreateRequest } from '../models/index.ts';
import { isIdempotencyKey } from '../sora/create-params.ts';
import {
  InsufficientBalance,
  InvalidCreateParams,
  InvalidTaskId,
  RateLimited,
  SoraError,
  TaskNotFound,
  userMessage,
} from '../sora/errors.ts';
import { parseTaskId } from '../sora/task.ts';
import { RESTARTING } from '../stopping.ts';
import { CreateInDoubt } from '../watch/create-record.ts';
import { StoreError } from '../watch/store-error.ts';
import type { Watch } from '../watch/watch.ts';
import { hasBearerToken } from './bearer.ts';
import { parseCreateBody } from './create-body.ts';
import { BodyAborted, BodyMalformed, BodyTooLarge, readBody } from './read-body.ts';
import { BadWatchRequest, parseWatchRequest, type WatchRequestRules } from './watch-request.ts';
import { watchView } from './watch-view.ts';

/** The part of the tracker the intake uses. */
export interface IntakeService {
  watch(
    taskId: string,
    origin: CommandOrigin,
    known: { prompt?: string; repost?: boolean },
  ): Promise<{ addition: string }>;
  find(taskId: string): Promise<{ watch: Watch; estimate: Estimate } | undefined>;
  /** Starts a video once per key and watches it; absent, `POST /v1/videos` is not offered. */
  create?(
    request: CreateRequest,
    origins: readonly CommandOrigin[],
    key: string,
  ): Promise<{ taskId: string; repeated: boolean }>;
}

export interface IntakeOptions extends WatchRequestRules {
  /** The bearer token callers must send (INTAKE_TOKEN). Never logged. */
  token: string;
  service: IntakeService;
  logger: Logger;
  /** Largest request body read (bytes); larger ones get 413. */
  maxBodyBytes?: number;
  /** False while the bot stops: new watches get 503 and may be sent again after the restart. */
  accepting?: () => boolean;
}

export const INTAKE_DEFAULTS = {
  maxBodyBytes: 16 * 1024,
} as const satisfies Required<Pick<IntakeOptions, 'maxBodyBytes'>>;

export const WATCHES_PATH = '/v1/watches';

/** Every method is routed here, so a wrong one gets 405 on Bolt's port as on ours. */
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

type Handler = (req: IncomingMessage & { params?: Record<string, string> }) => Promise<Answer>;
interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function intakeRoutes(options: IntakeOptions): HttpRoute[] {
  const route = (path: string, allowed: string, handle: Handler): HttpRoute => ({
    path,
    method: ALL_METHODS,
    handler: (req, res) => {
      if ((req.method ?? '').toUpperCase() !== allowed) {
        send(res, { status: 405, headers: { allow: allowed }, body: { error: `Use ${allowed}.` } });
      } else if (!hasBearerToken(req, options.token)) {
        send(res, {
          status: 401,
          headers: { 'www-authenticate': 'Bearer' },
          body: { error: 'Send the intake token as "Authorization: Bearer <INTAKE_TOKEN>".' },
        });
      } else if (options.accepting?.() === false) {
        send(res, {
          status: 503,
          headers: { 'retry-after': '30' },
          body: { error: RESTARTING },
        });
      } else {
        void handle(req)
          .catch((error: unknown) => answerForError(error, options.logger))
          .then((answer) => send(res, answer));
      }
    },
  });
  return [
    route(WATCHES_PATH, 'POST', (req) => postWatch(req, options)),
    route(`${WATCHES_PATH}/:taskId`, 'GET', (req) => getWatch(req.params?.taskId ?? '', options)),
    route(VIDEOS_PATH, 'POST', (req) => postVideo(req, options)),
  ];
}

export const VIDEOS_PATH = '/v1/videos';

/**
 * Keys sent by callers live apart from the chat's own (form and interaction ids); a caller's
 * key may be 200 characters, so with the prefix it stays within what is sent on.
 */
const INTAKE_KEY_PREFIX = 'intake:';

async function postVideo(req: IncomingMessage, options: IntakeOptions): Promise<Answer> {
  const create = options.service.create;
  if (create === undefined) {
    return { status: 404, body: { error: 'This bot does not make videos.' } };
  }
  const body = await readBody(req, options.maxBodyBytes ?? INTAKE_DEFAULTS.maxBodyBytes);
  const parsed = parseCreateBody(body, options);
  const sentKey = req.headers['idempotency-key'];
  if (Array.isArray(sentKey) || (sentKey !== undefined && !isIdempotencyKey(sentKey, 200))) {
    throw new BadWatchRequest(
      '"Idempotency-Key" must be one header of 1 to 200 printable characters without spaces.',
    );
  }
  // Without a key every request is a new video, as the service itself would have it.
  const key = `${INTAKE_KEY_PREFIX}${sentKey ?? randomUUID()}`;
  const origins: CommandOrigin[] = parsed.targets.map((target) => ({
    target,
    ...(parsed.requestedBy !== undefined ? { requestedBy: parsed.requestedBy } : {}),
  }));
  const created = await create(parsed.request, origins, key);
  options.logger.info(
    { taskId: created.taskId, model: parsed.request.model, repeated: created.repeated },
    created.repeated ? 'intake: create repeated; the first task answers' : 'intake: created',
  );
  const found = await options.service.find(created.taskId);
  const view =
    found === undefined ? { task_id: created.taskId } : watchView(found.watch, found.estimate);
  return {
    status: created.repeated ? 200 : 201,
    body: { ...view, ...(created.repeated ? { repeated: true } : {}) },
  };
}

async function postWatch(req: IncomingMessage, options: IntakeOptions): Promise<Answer> {
  const body = await readBody(req, options.maxBodyBytes ?? INTAKE_DEFAULTS.maxBodyBytes);
  const request = parseWatchRequest(body, options);
  const deliveredBefore: string[] = [];
  for (const target of request.targets) {
    const origin: CommandOrigin = {
      target,
      ...(request.requestedBy !== undefined ? { requestedBy: request.requestedBy } : {}),
    };
    const { addition } = await options.service.watch(request.taskId, origin, {
      ...(request.prompt !== undefined ? { prompt: request.prompt } : {}),
      ...(request.repost ? { repost: true } : {}),
    });
    if (addition === 'already-delivered') deliveredBefore.push(target);
  }
  if (deliveredBefore.length === request.targets.length) {
    // Nothing new was started: the result is already in every place asked for.
    const found = await options.service.find(request.taskId);
    const view =
      found === undefined ? { task_id: request.taskId } : watchView(found.watch, found.estimate);
    return { status: 200, body: { ...view, delivered_before: deliveredBefore } };
  }
  options.logger.info(
    { taskId: request.taskId, notify: request.targets, requestedBy: request.requestedBy },
    'intake: watching',
  );
  const found = await options.service.find(request.taskId);
  if (found === undefined) {
    // Finished and gone between the two calls: nothing more to show than what was asked.
    return { status: 202, body: { task_id: request.taskId, notify: request.targets } };
  }
  const view = watchView(found.watch, found.estimate);
  return {
    status: 202,
    body: deliveredBefore.length > 0 ? { ...view, delivered_before: deliveredBefore } : view,
  };
}

async function getWatch(taskId: string, options: IntakeOptions): Promise<Answer> {
  const id = parseTaskId(taskId);
  const found = await options.service.find(id);
  if (found === undefined) {
    return { status: 404, body: { error: `${id} is not being watched by this bot.` } };
  }
  return { status: 200, body: watchView(found.watch, found.estimate) };
}

/** One sentence per error, with the status that says whose move it is. No stack, no secret. */
function answerForError(error: unknown, logger: Logger): Answer | undefined {
  if (error instanceof BodyAborted) return undefined; // the sender left: nobody to answer
  if (error instanceof BodyTooLarge) {
    return {
      status: 413,
      headers: { connection: 'close' },
      body: { error: `The body is larger than ${error.limitBytes} bytes.` },
    };
  }
  if (error instanceof BadWatchRequest || error instanceof BodyMalformed) {
    return { status: 400, body: { error: error.message } };
  }
  if (error instanceof InvalidTaskId) return { status: 400, body: { error: userMessage(error) } };
  if (error instanceof InvalidCreateParams) {
    const problems = error.details.map((p) => ({ field: p.field, message: p.message }));
    return { status: 400, body: { error: userMessage(error), problems } };
  }
  if (error instanceof InsufficientBalance) {
    return { status: 402, body: { error: userMessage(error) } };
  }
  if (error instanceof CreateInDoubt) return { status: 409, body: { error: error.message } };
  if (error instanceof CreateNotAllowed) return { status: 403, body: { error: error.message } };
  if (error instanceof CreateLimitReached) {
    const seconds = Math.max(1, Math.ceil(error.resetsInMs / 1000));
    return {
      status: 429,
      headers: { 'retry-after': String(seconds) },
      body: {
        error: error.message,
        limit: error.limit,
        resets_at: new Date(error.resetsAt).toISOString(),
      },
    };
  }
  if (error instanceof TaskNotFound) return { status: 404, body: { error: userMessage(error) } };
  if (error instanceof RateLimited) {
    return { status: 503, headers: { 'retry-after': '60' }, body: { error: userMessage(error) } };
  }
  if (error instanceof SoraError) {
    logger.warn({ err: error }, 'intake: the Sora API did not answer properly');
    return { status: 502, body: { error: userMessage(error) } };
  }
  if (error instanceof StoreError) {
    logger.error({ err: error }, 'intake: store unavailable');
    return {
      status: 503,
      body: { error: 'The bot cannot save watches right now; try again later.' },
    };
  }
  logger.error({ err: error }, 'intake: request failed');
  return { status: 500, body: { error: userMessage(error) } };
}

function send(res: ServerResponse, answer: Answer | undefined): void {
  if (answer === undefined || res.headersSent || res.destroyed) return;
  res
    .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    .end(answer.body === undefined ? undefined : `${JSON.stringify(answer.body)}\n`);
}
