/**
 * The `WatchStore` (and the learned timings) in process memory: for tests and the `sora-status` command line, where
 * nothing has to outlive the process.
 *
 * Values are copied through JSON on the way in and out, as a real backend stores them: the
 * caller cannot change stored state by holding on to an object, and a value that would not
 * survive a real store unchanged (a Date, a Map, an `undefined` field) changes the same way here.
 */
import type { TimingsStore } from '../schedule/index.ts';
import type { CreateRecord, CreateRecordStore } from '../watch/create-record.ts';
import type { KeptRecordStore } from '../watch/kept-records.ts';
import { StoreError } from '../watch/store-error.ts';
import type { Watch, WatchStore } from '../watch/watch.ts';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Kinds are ours and hold no NUL, so kind and id cannot run into each other. */
const keptKey = (kind: string, id: string) => `${kind}\u0000${id}`;

export class MemoryWatchStore
  implements WatchStore, TimingsStore, CreateRecordStore, KeptRecordStore
{
  readonly #watches = new Map<string, Watch>();
  readonly #creates = new Map<string, { record: CreateRecord; until: number }>();
  /** By kind, then id. */
  readonly #kept = new Map<string, { value: unknown; until: number }>();
  readonly #now: () => number;

  /** `now` decides when a kept create record is forgotten (tests pass their clock). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }
  #timings: object | undefined;
  #closed = false;

  async get(taskId: string): Promise<Watch | undefined> {
    this.#assertOpen();
    const watch = this.#watches.get(taskId);
    return watch && copy(watch);
  }

  async put(watch: Watch): Promise<void> {
    this.#assertOpen();
    this.#watches.set(watch.taskId, copy(watch));
  }

  async delete(taskId: string): Promise<void> {
    this.#assertOpen();
    this.#watches.delete(taskId);
  }

  async listActive(): Promise<Watch[]> {
    this.#assertOpen();
    return [...this.#watches.values()].filter((watch) => watch.phase !== 'finished').map(copy);
  }

  async getTimings(): Promise<unknown> {
    this.#assertOpen();
    return this.#timings && copy(this.#timings);
  }

  async putTimings(timings: object): Promise<void> {
    this.#assertOpen();
    this.#timings = copy(timings);
  }

  async getCreate(key: string): Promise<CreateRecord | undefined> {
    this.#assertOpen();
    const kept = this.#creates.get(key);
    if (kept === undefined || kept.until <= this.#now()) return undefined;
    return copy(kept.record);
  }

  async putCreate(record: CreateRecord, keepMs: number): Promise<void> {
    this.#assertOpen();
    this.#creates.set(record.key, { record: copy(record), until: this.#now() + keepMs });
  }

  async deleteCreate(key: string): Promise<void> {
    this.#assertOpen();
    this.#creates.delete(key);
  }

  async getKept(kind: string, id: string): Promise<unknown> {
    this.#assertOpen();
    const kept = this.#kept.get(keptKey(kind, id));
    if (kept === undefined || kept.until <= this.#now()) return undefined;
    return copy(kept.value);
  }

  async putKept(kind: string, id: string, value: object, keepMs: number): Promise<void> {
    this.#assertOpen();
    this.#kept.set(keptKey(kind, id), { value: copy(value), until: this.#now() + keepMs });
  }

  async deleteKept(kind: string, id: string): Promise<void> {
    this.#assertOpen();
    this.#kept.delete(keptKey(kind, id));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('the watch store is closed');
  }
}
