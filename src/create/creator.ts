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
import type { Clock } from '../clock.ts';
import type { CreateRequest } from '../models/index.ts';
import { PerKeyQueue } from '../per-key-queue.ts';
import { toCreateCall } from '../sora/create-params.ts';
import {
  AuthFailed,
  InsufficientBalance,
  InvalidCreateParams,
  RateLimited,
} from '../sora/errors.ts';
import type { VideoTask } from '../sora/task.ts';
import type { WatchResult } from '../tracker/tracker.ts';
import { CreateInDoubt, type CreateRecordStore } from '../watch/create-record.ts';

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
  records: CreateRecordStore;
  clock: Clock;
}

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

  /** Creates (once per key) and watches the task in every place of `origins`. */
  async create(
    request: CreateRequest,
    origins: readonly CommandOrigin[],
    key: string,
  ): Promise<Created> {
    // Checked before anything is recorded or sent: a wrong field costs nothing.
    const call = toCreateCall(request, { idempotencyKey: key });
    const known = {
      prompt: request.prompt.trim(),
      ...(call.clipSeconds !== undefined ? { clipSeconds: call.clipSeconds } : {}),
    };
    const created = await this.#byKey.run(key, () => this.#createOnce(request, key));
    const watches: WatchResult[] = [];
    for (const origin of origins) {
      watches.push(await this.#deps.tracker.watch(created.id, origin, known));
    }
    return { taskId: created.id, repeated: created.repeated, watches };
  }

  async #createOnce(
    request: CreateRequest,
    key: string,
  ): Promise<{ id: string; repeated: boolean }> {
    const { records, clock, sora } = this.#deps;
    const earlier = await records.getCreate(key);
    if (earlier?.state === 'created') return { id: earlier.taskId, repeated: true };
    if (earlier?.state === 'sending') throw new CreateInDoubt(earlier.at);
    await records.putCreate({ key, state: 'sending', at: clock.now() }, CREATE_KEY_KEPT_MS);
    let task: VideoTask;
    try {
      task = await sora.createTask(request, { idempotencyKey: key });
    } catch (error) {
      if (surelyRefused(error)) await records.deleteCreate(key);
      throw error;
    }
    await records.putCreate(
      { key, state: 'created', at: clock.now(), taskId: task.id },
      CREATE_KEY_KEPT_MS,
    );
    return { id: task.id, repeated: false };
  }
}

/** The service answered with a refusal: no video was started. */
function surelyRefused(error: unknown): boolean {
  return (
    error instanceof InvalidCreateParams ||
    error instanceof InsufficientBalance ||
    error instanceof AuthFailed ||
    error instanceof RateLimited
  );
}
