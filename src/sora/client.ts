/**
 * The video task API over undici: `getTask` for every family and `createTask` for the
 * models whose create call the catalogue knows, each request under the process-wide rate
 * cap, with timeouts and bounded retries.
 *
 * Retries are our own loop rather than undici's retry interceptor because every attempt
 * must pass the shared rate cap, waits must run on the injected clock, back-off needs full
 * jitter, and a garbled 200 body must be retried like a 5xx; undici's handler does none of
 * these. Timeouts, connection pooling and the response size limit are undici's.
 */
import { Agent, type Dispatcher, request } from 'undici';
import packageJson from '../../package.json' with { type: 'json' };
import { type Clock, type Random, systemClock, systemRandom } from '../clock.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { CreateRequest } from '../models/index.ts';
import { type BackoffPolicy, fullJitterDelay, parseRetryAfter } from './backoff.ts';
import { type CreateOptions, toCreateCall } from './create-params.ts';
import {
  ApiUnavailable,
  ApiUnreachable,
  AuthFailed,
  BadResponse,
  InsufficientBalance,
  InvalidCreateParams,
  RateLimited,
  type SoraError,
  TaskNotFound,
} from './errors.ts';
import { RequestRateCap } from './rate-cap.ts';
import {
  noSoraRequestObserver,
  type SoraOperation,
  type SoraRequestObserver,
} from './request-observer.ts';
import { parseTask, parseTaskId, type VideoTask } from './task.ts';

export interface SoraClientOptions {
  apiKey: string;
  /** Base URL without a trailing slash, e.g. https://host/kyyReactApiServer. */
  baseUrl: string;
  /** The process's one rate cap: pass the same instance to everything that calls the API. */
  rateCap: RequestRateCap;
  /** Time limit for one attempt, answer body included. */
  requestTimeoutMs?: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** A `Retry-After` longer than this is shortened to it (the attempt bound still applies). */
  maxRetryAfterMs?: number;
  /** Given by tests and the composition root; otherwise the client makes (and closes) its own. */
  dispatcher?: Dispatcher;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** Told about every HTTP attempt and every 429 (the metrics); nobody by default. */
  observer?: SoraRequestObserver;
}

export interface CreateTaskOptions extends CreateOptions {
  signal?: AbortSignal;
}

type TunableOptions = Required<
  Pick<SoraClientOptions, 'requestTimeoutMs' | 'maxAttempts' | 'backoff' | 'maxRetryAfterMs'>
>;

const DEFAULTS = {
  requestTimeoutMs: 30_000,
  maxAttempts: 5,
  backoff: { baseMs: 1_000, capMs: 30_000 },
  maxRetryAfterMs: 120_000,
} as const satisfies TunableOptions;

/** API answers are small JSON objects; anything bigger is not one. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** Connection errors where the request surely never reached the server, so even POST may retry. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** A refused create that speaks of the account's money rather than the request. */
const BALANCE = /balance|insufficient (?:funds|credit|quota)|余额/i;
/** A refused create on content grounds rather than a field's value. */
const CONTENT_REFUSAL = /moderation|policy|policies|safety|violat|inappropriate|sensitive/i;

interface ApiRequest {
  operation: SoraOperation;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Sent as `Idempotency-Key`, the same on every attempt. */
  idempotencyKey?: string;
  /** Set for task lookups: a 404 then means "no such task". */
  taskId?: string;
}

/** One attempt's result: the parsed JSON, or why to try again and what to report if not. */
type AttemptOutcome =
  | { kind: 'answer'; json: unknown }
  | { kind: 'retry'; error: SoraError; retryAfterMs: number | undefined; detail: string };

export class SoraClient {
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #rateCap: RequestRateCap;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #options: TunableOptions;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logger: Logger;
  readonly #observer: SoraRequestObserver;

  constructor(options: SoraClientOptions) {
    this.#apiKey = options.apiKey;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#rateCap = options.rateCap;
    this.#options = {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      backoff: options.backoff ?? DEFAULTS.backoff,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
    };
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#logger = options.logger ?? silentLogger;
    this.#observer = options.observer ?? noSoraRequestObserver;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: 10_000 },
        // The rate cap keeps few requests in flight; a small pool reuses warm connections.
        connections: 32,
        headersTimeout: this.#options.requestTimeoutMs,
        bodyTimeout: this.#options.requestTimeoutMs,
        maxResponseSize: MAX_ANSWER_BYTES,
      });
  }

  /** The task's current state. The id is validated (and URL-encoded) before any request. */
  async getTask(taskId: string, signal?: AbortSignal): Promise<VideoTask> {
    const id = parseTaskId(taskId);
    const json = await this.#send(
      {
        operation: 'get_task',
        method: 'GET',
        path: `/v1/result/${encodeURIComponent(id)}`,
        taskId: id,
      },
      signal,
    );
    return parseTask(json);
  }

  /**
   * Starts a video at the model's create endpoint. The request is checked against the model's
   * rules first (`InvalidCreateParams`, nothing sent); a request that may have reached the
   * service is never repeated.
   */
  async createTask(request: CreateRequest, options: CreateTaskOptions = {}): Promise<VideoTask> {
    const call = toCreateCall(request, options);
    const apiRequest: ApiRequest = {
      operation: 'create_task',
      method: 'POST',
      path: call.endpoint,
      body: JSON.stringify(call.body),
    };
    if (call.idempotencyKey !== undefined) apiRequest.idempotencyKey = call.idempotencyKey;
    const json = await this.#send(apiRequest, options.signal);
    return parseTask(json);
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #send(apiRequest: ApiRequest, signal: AbortSignal | undefined): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      await this.#rateCap.acquire(signal);
      const outcome = await this.#attempt(apiRequest, attempt, signal);
      if (outcome.kind === 'answer') return outcome.json;
      if (attempt >= this.#options.maxAttempts) throw outcome.error;
      const delayMs =
        outcome.retryAfterMs !== undefined
          ? Math.min(outcome.retryAfterMs, this.#options.maxRetryAfterMs)
          : fullJitterDelay(attempt, this.#options.backoff, this.#random);
      this.#logger.warn(
        {
          taskId: apiRequest.taskId,
          method: apiRequest.method,
          attempt,
          delayMs,
          reason: outcome.detail,
        },
        'Sora API request failed; retrying',
      );
      await this.#clock.sleep(delayMs, signal);
    }
  }

  async #attempt(
    apiRequest: ApiRequest,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<AttemptOutcome> {
    const idempotent = apiRequest.method === 'GET';
    const timeout = AbortSignal.timeout(this.#options.requestTimeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const startedAt = this.#clock.now();
    let response: Dispatcher.ResponseData | undefined;
    let text: string;
    try {
      response = await request(`${this.#baseUrl}${apiRequest.path}`, {
        method: apiRequest.method,
        headers: this.#headers(apiRequest),
        body: apiRequest.body,
        dispatcher: this.#dispatcher,
        signal: attemptSignal,
      });
      text = await response.body.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      this.#observeAttempt(apiRequest, response?.statusCode, startedAt);
      const code = errorCode(error);
      if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
        throw new BadResponse('the answer is larger than any task');
      }
      if (!idempotent && !NOT_SENT_CODES.has(code)) {
        // The API may have received it: repeating a create could start a second video.
        throw new ApiUnreachable(attempt, error);
      }
      return retry(new ApiUnreachable(attempt, error), undefined, code);
    }
    this.#observeAttempt(apiRequest, response.statusCode, startedAt);
    return this.#classify(apiRequest, response, text, attempt);
  }

  /** Tells the observer how one attempt ended: its status code, or that none came. */
  #observeAttempt(apiRequest: ApiRequest, status: number | undefined, startedAt: number): void {
    const seconds = (this.#clock.now() - startedAt) / 1000;
    const label = status === undefined ? 'network_error' : String(status);
    this.#observer.requestFinished(apiRequest.operation, label, seconds);
  }

  #classify(
    apiRequest: ApiRequest,
    response: Dispatcher.ResponseData,
    text: string,
    attempt: number,
  ): AttemptOutcome {
    const status = response.statusCode;
    const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), this.#clock.now());
    if (status >= 200 && status < 300) {
      try {
        return { kind: 'answer', json: JSON.parse(text) };
      } catch {
        // A proxy's HTML page or a cut-off body: the next attempt usually reads fine.
        return retry(new BadResponse('the answer is not valid JSON'), undefined, 'garbled body');
      }
    }
    const creating = apiRequest.method === 'POST';
    const message = status >= 400 && status < 500 ? apiErrorMessage(text) : undefined;
    if (status === 402 || (creating && message !== undefined && BALANCE.test(message))) {
      throw new InsufficientBalance(message);
    }
    if (status === 401 || status === 403) throw new AuthFailed(status);
    if (status === 404 && apiRequest.taskId !== undefined) {
      throw new TaskNotFound(apiRequest.taskId);
    }
    // A 429 is the service (or its gateway) turning the request away before any work, so no
    // video was started and even a create may be sent again once Retry-After has passed.
    if (status === 429) {
      this.#observer.rateLimited();
      return retry(new RateLimited(attempt), retryAfterMs, 'HTTP 429');
    }
    if ((status === 400 || status === 422) && creating) {
      const refusal = message ?? `the service answered HTTP ${status}`;
      throw new InvalidCreateParams([refusal], { contentRefused: CONTENT_REFUSAL.test(refusal) });
    }
    if (status >= 500 && apiRequest.method === 'GET') {
      return retry(new ApiUnavailable(status, attempt), retryAfterMs, `HTTP ${status}`);
    }
    throw new ApiUnavailable(status, attempt);
  }

  #headers(apiRequest: ApiRequest): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#apiKey}`,
      accept: 'application/json',
      'user-agent': `sora-status/${packageJson.version}`,
    };
    if (apiRequest.body !== undefined) headers['content-type'] = 'application/json';
    if (apiRequest.idempotencyKey !== undefined) {
      headers['idempotency-key'] = apiRequest.idempotencyKey;
    }
    return headers;
  }
}

function retry(error: SoraError, retryAfterMs: number | undefined, detail: string): AttemptOutcome {
  return { kind: 'retry', error, retryAfterMs, detail };
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    return error.name; // TimeoutError from the attempt's AbortSignal
  }
  return 'unknown';
}

/** The API's own explanation from an `{ error: { message } }` or `{ message }` body, kept short. */
function apiErrorMessage(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof json.error === 'string'
        ? json.error
        : typeof json.error?.message === 'string'
          ? json.error.message
          : json.message;
    return typeof message === 'string' ? message.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

/** The process's one client, from the `sora` settings, with its own rate cap on real time. */
export function soraClientFromConfig(
  settings: {
    apiKey: string;
    baseUrl: string;
    maxRps: number;
    requestTimeoutMs: number;
    maxAttempts: number;
  },
  logger: Logger,
  observer?: SoraRequestObserver,
): SoraClient {
  return new SoraClient({
    apiKey: settings.apiKey,
    baseUrl: settings.baseUrl,
    rateCap: new RequestRateCap(settings.maxRps, systemClock),
    requestTimeoutMs: settings.requestTimeoutMs,
    maxAttempts: settings.maxAttempts,
    logger,
    ...(observer ? { observer } : {}),
  });
}
