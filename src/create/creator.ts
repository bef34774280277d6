/**
 * Starts a video and watches it at once: the request is checked against its model's rules,
 * recorded under its idempotency key before it is sent, and the new task gets its card in
 * the asker's place with the prompt and a known clip length.
 *
 * Never twice: a key seen before answers with its task instead of creating again; a key
 * whose request was sent but whose answer was lost (a crash, a timeout) is not sent again,
 * since the service may have started the video. A request the service surely refused (bad
 * parameters, no balance, a refused key, a 429) is forgotten, so it can be fixed and resent.
 */
import type { CommandOrigin } from '../chat/commands.ts';
import { CreateLimitReached, CreateNotAllowed } from '../chat/create-refusal.ts';
import { personOf } from '../chat/person-text.ts';
import type { Clock } from '../clock.ts';
import type { CreateRequest } from '../models/index.ts';
import { PerKeyQueue } from '../per-key-queue.ts';
import { toCreateCall } from '../sora/create-params.ts';
import { InvalidCreateParams, surelyRefused } from '../sora/errors.ts';
import type { VideoTask } from '../sora/task.ts';
import type { WatchResult } from '../tracker/tracker.ts';
import { CreateInDoubt, type CreateRecordStore } from '../watch/create-record.ts';
import type { KeptRecordStore } from '../watch/kept-records.ts';
import { rememberMadeTask } from '../watch/made-task.ts';

/** How long a key keeps answering with its task: a day, as payment APIs keep theirs. */
export const CREATE_KEY_KEPT_MS = 24 * 60 * 60 * 1000;

export interface CreatorDeps {
  sora: {
    createTask(
      request: CreateRequest,
      options: { idempotencyKey?: string; signal?: AbortSignal },
    ): Promise<VideoTask>;
  };
  tracker: {
    watch(
      taskId: string,
      origin: CommandOrigin,
      known: { clipSeconds?: number; prompt?: string },
    ): Promise<WatchResult>;
  };
  /** The records of creates by key, and of made tasks by id (for their buttons). */
  records: CreateRecordStore & KeptRecordStore;
  clock: Clock;
  /** Who may create and how much a day; absent: anyone, without limits. */
  limits?: { reserve(origin: CommandOrigin, seconds: number): Promise<Reservation> };
  observer?: CreateObserver;
}

/** A create's share of the day's limits, given back when the service surely refused it. */
export interface Reservation {
  giveBack(): Promise<void>;
}

/** How each create ended, for the metrics: by model, with the seconds of clip asked for. */
export interface CreateObserver {
  createFinished(model: string, outcome: CreateOutcome, clipSeconds: number | undefined): void;
}

export type CreateOutcome =
  /** A new video was started. */
  | 'created'
  /** The key had been used: its task was answered, nothing was started. */
  | 'repeated'
  /** A rule of the model's was broken: nothing was sent. */
  | 'invalid'
  | 'not_allowed'
  | 'limited'
  /** The service refused it (content, parameters, key, balance, rate). */
  | 'refused'
  /** The answer was lost: the video may have started. */
  | 'in_doubt'
  | 'error';

export interface Created {
  taskId: string;
  /** True when the key had been used before: no video was started by this call. */
  repeated: boolean;
  /** The watch in each place asked for, in order. */
  watches: WatchResult[];
}

export class Creator {
  readonly #deps: CreatorDeps;
  /** One create per key at a time: a double click waits for the first and gets its task. */
  readonly #byKey = new PerKeyQueue();

  constructor(deps: CreatorDeps) {
    this.#deps = deps;
  }

  /**
   * Creates (once per key) and watches the task in every place of `origins`; the first
   * origin is the asker, whose limits the video counts against.
   */
  async create(
    request: CreateRequest,
    origins: readonly CommandOrigin[],
    key: string,
    keyKeptMs = CREATE_KEY_KEPT_MS,
  ): Promise<Created> {
    let clipSeconds: number | undefined;
    let outcome: CreateOutcome = 'error';
    try {
      // Checked before anything is recorded or sent: a wrong field costs nothing.
      let call: ReturnType<typeof toCreateCall>;
      try {
        call = toCreateCall(request, { idempotencyKey: key });
      } catch (error) {
        if (error instanceof InvalidCreateParams) outcome = 'invalid';
        throw error;
      }
      clipSeconds = call.clipSeconds;
      const asked = { ...request, prompt: request.prompt.trim() };
      const known = {
        prompt: asked.prompt,
        request: asked,
        ...(clipSeconds !== undefined ? { clipSeconds } : {}),
      };
      const asker = origins[0] ?? { target: 'unknown' };
      const created = await this.#byKey.run(key, () =>
        this.#createOnce(asked, key, keyKeptMs, asker, clipSeconds ?? 0),
      );
      outcome = created.repeated ? 'repeated' : 'created';
      const watches: WatchResult[] = [];
      for (const origin of origins) {
        watches.push(await this.#deps.tracker.watch(created.id, origin, known));
      }
      return { taskId: created.id, repeated: created.repeated, watches };
    } catch (error) {
      if (outcome === 'error') outcome = outcomeOf(error);
      throw error;
    } finally {
      this.#deps.observer?.createFinished(request.model, outcome, clipSeconds);
    }
  }

  async #createOnce(
    request: CreateRequest,
    key: string,
    keyKeptMs: number,
    asker: CommandOrigin,
    seconds: number,
  ): Promise<{ id: string; repeated: boolean }> {
    const { records, clock, sora, limits } = this.#deps;
    const earlier = await records.getCreate(key);
    if (earlier?.state === 'created') return { id: earlier.taskId, repeated: true };
    if (earlier?.state === 'sending') throw new CreateInDoubt(earlier.at);
    // Counted before the request goes out: a video that may have started always counts.
    const reservation = await limits?.reserve(asker, seconds);
    let task: VideoTask;
    try {
      await records.putCreate({ key, state: 'sending', at: clock.now() }, keyKeptMs);
    } catch (error) {
      await reservation?.giveBack();
      throw error;
    }
    try {
      task = await sora.createTask(request, { idempotencyKey: key });
    } catch (error) {
      if (surelyRefused(error)) {
        await records.deleteCreate(key);
        await reservation?.giveBack();
      }
      throw error;
    }
    await records.putCreate({ key, state: 'created', at: clock.now(), taskId: task.id }, keyKeptMs);
    const by = personOf(asker);
    await rememberMadeTask(records, {
      taskId: task.id,
      request,
      at: clock.now(),
      ...(by !== undefined ? { by } : {}),
    });
    return { id: task.id, repeated: false };
  }
}

function outcomeOf(error: unknown): CreateOutcome {
  if (error instanceof CreateNotAllowed) return 'not_allowed';
  if (error instanceof CreateLimitReached) return 'limited';
  if (error instanceof CreateInDoubt) return 'in_doubt';
  if (surelyRefused(error)) return 'refused';
  return 'error';
}
