/**
 * The public shapes of the fake Sora task API: its options, the tasks a test scripts, the
 * misbehaviours it can queue, what it records, and the handle a test holds. Kept apart so
 * the files implementing tasks, routes and misbehaviours share one vocabulary;
 * `sora-api.ts` re-exports every name here.
 */

export type Duration = 4 | 8 | 12;

export interface FakeSoraOptions {
  /**
   * Words the service's moderation refuses in a create's prompt (any case), answered 400 as
   * the service does; default ['forbidden'].
   */
  moderatedWords?: readonly string[];
  /** The only bearer token accepted; default 'test-key'. */
  apiKey?: string;
  /** Path prefix the API is mounted under; default '/kyyReactApiServer'. */
  basePath?: string;
  /** Milliseconds clock that drives task timelines; default `Date.now`. */
  now?: () => number;
  /** Completed tasks link to `${videoBaseUrl}/videos/${id}.mp4`; default 'https://sora-videos.invalid'. */
  videoBaseUrl?: string;
  /**
   * Timeline of tasks created with POST, by clip length (VEO's is always 8); default 2 s
   * queued, then 3/5/8 s processing.
   */
  createTimeline?: (duration: Duration) => { queuedMs: number; processingMs: number };
}

export interface ScriptedTask {
  /** Any id the service hands out: `sora_…`, `vgen_…` (VEO), `video_…`, `proj_…` ("Videos"). */
  id: string;
  /**
   * The service's model id; default 'openAiSora2Plus'. A model without "sora" in it
   * (`veo_3_1_fast`, `seedance_2_0`, `videos`) is answered with `"object": "video"`.
   */
  model?: string;
  /** Unix seconds; default the clock's time when the task is added. */
  created?: number;
  /** Time spent 'queued' after being added; default 0. */
  queuedMs?: number;
  /** Then time spent 'processing'; default 0. */
  processingMs?: number;
  /** Final status; any string is allowed (e.g. 'expired'). Default 'completed'. */
  outcome?: 'completed' | 'failed' | 'cancelled' | 'canceled' | (string & {});
  /**
   * Shown once failed, default 'Content policy violation'; shown with any other ending except
   * 'completed' only when given.
   */
  error?: string;
  /** Overrides the generated `video_url`. */
  videoUrl?: string;
  /** Seconds, default 4. Decimals such as 5.04 stay decimals in the JSON (8.0 would read 8). */
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
  /** The `Idempotency-Key` header, when sent. */
  idempotencyKey?: string;
}

/** A request to a create endpoint, as received (refused ones included). */
export interface RecordedCreate {
  /** The path under the base path: '/v1/sora/videos' or '/v1/veo/videos'. */
  endpoint: string;
  /** The body as parsed JSON; undefined when it is not JSON. */
  body: unknown;
  /** The `Idempotency-Key` header, when sent. */
  idempotencyKey: string | undefined;
  /** The task it made; absent when it was refused or not (yet) answered. */
  taskId?: string;
}

export interface FakeSoraApi {
  /** e.g. http://127.0.0.1:PORT/kyyReactApiServer */
  readonly baseUrl: string;
  /** Every request received, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Every request to a create endpoint, in order of arrival, with the task each made. */
  readonly creates: RecordedCreate[];
  /**
   * The account's balance in seconds of clip: a create that costs more is refused with 402,
   * one that fits is taken from it. Undefined (the default): the balance never runs out.
   */
  readonly account: { balanceSeconds?: number };
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
