/**
 * The `WatchStore` on any Keyv backend (SQLite, Redis, Postgres).
 *
 * Layout, under the Keyv instance's namespace:
 * - `watch:<taskId>`: the watch, as plain JSON.
 * - `active:<n>`: the ids of unfinished watches whose id hashes to shard n (of 64). A change
 *   rewrites one small shard, never one list of every active watch, and `listActive` reads
 *   64 keys then the watches, in batches, instead of scanning the store.
 * - `timings`: the learned timings.
 * - `create:<sha-256 of the key>`: a create's record by its idempotency key, kept for a day.
 * - `kept:<kind>:<sha-256 of the id>`: a kept record (a day's spending, a created task's
 *   request), stored with its id, for as long as its owner asked.
 *
 * The index is kept a superset of the unfinished watches, so a crash between two writes can
 * leave a stale id but never lose an active watch: an id is added to the index before a
 * watch becomes active and removed after it is written as finished or deleted.
 * `listActive` skips and prunes stale ids.
 *
 * Keyv has no atomic operations, so within this process every operation on one task id runs
 * in call order (one queue per task id), and every read-modify-write of a shard runs alone
 * (one queue per shard). `get` and `listActive` see every write asked for before them, even
 * one not awaited yet. Two processes writing the same store would need locks in the backend.
 */
import { createHash } from 'node:crypto';
import type { Keyv } from 'keyv';
import { PerKeyQueue } from '../per-key-queue.ts';
import type { TimingsStore } from '../schedule/index.ts';
import type { CreateRecord, CreateRecordStore } from '../watch/create-record.ts';
import type { KeptRecordStore } from '../watch/kept-records.ts';
import { StoreError } from '../watch/store-error.ts';
import type { Watch, WatchStore } from '../watch/watch.ts';

export interface KeyvWatchStoreOptions {
  /**
   * How long a finished watch stays readable by `get` (ms), so a repeated request for a task
   * that is done can be answered from the record; 0 keeps finished watches forever.
   */
  keepFinishedMs?: number;
  /** Watches read per round trip by `listActive`. */
  readBatchSize?: number;
  /** Read round trips `listActive` keeps in flight at once. */
  readConcurrency?: number;
}

const DEFAULTS = {
  /** A week: well past the one-day life of a finished task's video link. */
  keepFinishedMs: 7 * 24 * 60 * 60 * 1000,
  readBatchSize: 500,
  readConcurrency: 4,
} as const satisfies Required<KeyvWatchStoreOptions>;

/**
 * Shards of the active index. Part of the stored layout: changing it strands ids in shards
 * that are no longer read, so it is not an option.
 */
export const ACTIVE_INDEX_SHARDS = 64;

const keys = {
  watch: (taskId: string) => `watch:${taskId}`,
  // Hashed: a key is chosen by whoever calls the intake, so its length and characters are not ours.
  create: (key: string) => `create:${sha256(key)}`,
  kept: (kind: string, id: string) => `kept:${kind}:${sha256(id)}`,
  shard: (shard: number) => `active:${shard}`,
  timings: 'timings',
};

/** FNV-1a: stable across processes and versions, unlike anything keyed on memory. */
export function activeIndexShard(taskId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < taskId.length; i += 1) {
    hash ^= taskId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % ACTIVE_INDEX_SHARDS;
}

const isActive = (watch: Watch): boolean => watch.phase !== 'finished';

export class KeyvWatchStore
  implements WatchStore, TimingsStore, CreateRecordStore, KeptRecordStore
{
  readonly #keyv: Keyv;
  readonly #options: Required<KeyvWatchStoreOptions>;
  /** Operations on one stored watch (or the timings), in call order. */
  readonly #byKey = new PerKeyQueue();
  /** Read-modify-writes of one index shard, one at a time. */
  readonly #byShard = new PerKeyQueue();
  #closing = false;
  #closed = false;

  /** `keyv` must throw on errors, or a store outage would read as "no such watch". */
  constructor(keyv: Keyv, options: KeyvWatchStoreOptions = {}) {
    if (!keyv.throwOnErrors) {
      throw new TypeError('KeyvWatchStore needs a Keyv constructed with throwOnErrors: true');
    }
    this.#keyv = keyv;
    this.#options = { ...DEFAULTS, ...options };
  }

  async get(taskId: string): Promise<Watch | undefined> {
    return this.#queue(this.#byKey, keys.watch(taskId), () => this.#readWatch(taskId));
  }

  async put(watch: Watch): Promise<void> {
    // Copied now: the write waits its turn, and the caller may change the object meanwhile.
    const copy = structuredClone(watch);
    return this.#queue(this.#byKey, keys.watch(copy.taskId), async () => {
      if (isActive(copy)) {
        await this.#setIndexed(copy.taskId, true);
        await this.#write(keys.watch(copy.taskId), copy, 0);
      } else {
        await this.#write(keys.watch(copy.taskId), copy, this.#options.keepFinishedMs);
        await this.#setIndexed(copy.taskId, false);
      }
    });
  }

  async delete(taskId: string): Promise<void> {
    return this.#queue(this.#byKey, keys.watch(taskId), async () => {
      await this.#remove(keys.watch(taskId));
      await this.#setIndexed(taskId, false);
    });
  }

  async listActive(): Promise<Watch[]> {
    this.#assertOpen();
    // Writes already asked for are seen: the caller's own earlier puts and deletes count.
    await Promise.all([this.#byKey.settled(), this.#byShard.settled()]);
    const shardKeys = Array.from({ length: ACTIVE_INDEX_SHARDS }, (_, shard) => keys.shard(shard));
    const shards = await this.#readMany(shardKeys);
    const ids = [...new Set(shards.flatMap((ids, shard) => asIdList(ids, shardKeys[shard])))];
    const found = await this.#readInBatches(ids.map(keys.watch));
    const active: Watch[] = [];
    const stale: string[] = [];
    ids.forEach((taskId, i) => {
      const watch = found[i] === undefined ? undefined : asWatch(found[i], taskId);
      if (watch && isActive(watch)) active.push(watch);
      else stale.push(taskId);
    });
    await Promise.all(stale.map((taskId) => this.#pruneIfInactive(taskId)));
    return active;
  }

  async getTimings(): Promise<unknown> {
    return this.#queue(this.#byKey, keys.timings, async () => {
      const value = await this.#read(keys.timings);
      return value === undefined ? undefined : asTimings(value);
    });
  }

  async putTimings(timings: object): Promise<void> {
    const copy = structuredClone(timings);
    return this.#queue(this.#byKey, keys.timings, () => this.#write(keys.timings, copy, 0));
  }

  async getCreate(key: string): Promise<CreateRecord | undefined> {
    const stored = keys.create(key);
    return this.#queue(this.#byKey, stored, async () => {
      const value = await this.#read(stored);
      return isCreateRecord(value) && value.key === key ? value : undefined;
    });
  }

  async putCreate(record: CreateRecord, keepMs: number): Promise<void> {
    const copy = structuredClone(record);
    const stored = keys.create(copy.key);
    return this.#queue(this.#byKey, stored, () => this.#write(stored, copy, keepMs));
  }

  async deleteCreate(key: string): Promise<void> {
    const stored = keys.create(key);
    return this.#queue(this.#byKey, stored, () => this.#remove(stored));
  }

  async getKept(kind: string, id: string): Promise<unknown> {
    const stored = keys.kept(kind, id);
    return this.#queue(this.#byKey, stored, async () => {
      const value = await this.#read(stored);
      return isKept(value) && value.id === id ? value.value : undefined;
    });
  }

  async putKept(kind: string, id: string, value: object, keepMs: number): Promise<void> {
    const copy = { id, value: structuredClone(value) };
    const stored = keys.kept(kind, id);
    return this.#queue(this.#byKey, stored, () => this.#write(stored, copy, keepMs));
  }

  async deleteKept(kind: string, id: string): Promise<void> {
    const stored = keys.kept(kind, id);
    return this.#queue(this.#byKey, stored, () => this.#remove(stored));
  }

  /** Finishes the operations already asked for, then disconnects the backend. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await Promise.all([this.#byKey.settled(), this.#byShard.settled()]);
    this.#closed = true;
    await this.#keyv.disconnect();
  }

  async #readWatch(taskId: string): Promise<Watch | undefined> {
    const value = await this.#read(keys.watch(taskId));
    return value === undefined ? undefined : asWatch(value, taskId);
  }

  /** Adds `taskId` to its shard of the index or removes it; writes only on a change. */
  #setIndexed(taskId: string, indexed: boolean): Promise<void> {
    const shard = activeIndexShard(taskId);
    const key = keys.shard(shard);
    return this.#byShard.run(key, async () => {
      const ids = asIdList(await this.#read(key), key);
      if (ids.includes(taskId) === indexed) return;
      const next = indexed ? [...ids, taskId] : ids.filter((id) => id !== taskId);
      if (next.length > 0) await this.#write(key, next, 0);
      else await this.#remove(key);
    });
  }

  /** Drops a stale index entry, checking again in turn with the task's own writes. */
  async #pruneIfInactive(taskId: string): Promise<void> {
    return this.#queue(this.#byKey, keys.watch(taskId), async () => {
      const watch = await this.#readWatch(taskId);
      if (!watch || !isActive(watch)) await this.#setIndexed(taskId, false);
    });
  }

  async #readInBatches(allKeys: string[]): Promise<unknown[]> {
    const { readBatchSize, readConcurrency } = this.#options;
    const batches: string[][] = [];
    for (let i = 0; i < allKeys.length; i += readBatchSize) {
      batches.push(allKeys.slice(i, i + readBatchSize));
    }
    const results: unknown[][] = [];
    let next = 0;
    const reader = async () => {
      for (let i = next++; i < batches.length; i = next++) {
        results[i] = await this.#readMany(batches[i] ?? []);
      }
    };
    await Promise.all(Array.from({ length: Math.min(readConcurrency, batches.length) }, reader));
    return results.flat();
  }

  /** Queues `task` under `key`; the async callers turn a refusal into a rejection. */
  #queue<T>(queue: PerKeyQueue, key: string, task: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    return queue.run(key, task);
  }

  #assertOpen(): void {
    if (this.#closing) throw new StoreError('the watch store is closed');
  }

  // The four backend calls. Each turns a backend failure into a StoreError naming the key.

  #read(key: string): Promise<unknown> {
    return this.#backend(`read ${key}`, () => this.#keyv.get(key));
  }

  #readMany(keyList: string[]): Promise<unknown[]> {
    return this.#backend(`read ${keyList.length} keys`, async () => {
      // Keyv's own fallback for a backend without getMany reads each key but turns a failed
      // read into `undefined`; reading one by one here keeps failures failures.
      if (typeof this.#keyv.store.getMany === 'function') return this.#keyv.getMany(keyList);
      return Promise.all(keyList.map((key) => this.#keyv.get(key)));
    });
  }

  /** `ttlMs` 0: no expiry (it also clears an expiry the key had). */
  #write(key: string, value: unknown, ttlMs: number): Promise<void> {
    return this.#backend(`write ${key}`, async () => {
      if (!(await this.#keyv.set(key, value, ttlMs))) throw new Error('the backend refused');
    });
  }

  #remove(key: string): Promise<void> {
    return this.#backend(`delete ${key}`, async () => {
      await this.#keyv.delete(key);
    });
  }

  async #backend<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError(`could not ${what}: the watch store is closed`);
    try {
      return await call();
    } catch (error) {
      throw new StoreError(`could not ${what}: ${describe(error)}`, { cause: error });
    }
  }
}

/** Some client errors have no message (a Redis command timeout): their class names them. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message || error.constructor.name;
}

function asWatch(value: unknown, taskId: string): Watch {
  const watch = value as Partial<Watch> | null;
  if (
    typeof watch !== 'object' ||
    watch === null ||
    watch.taskId !== taskId ||
    !Array.isArray(watch.subscriptions) ||
    typeof watch.phase !== 'string'
  ) {
    throw new StoreError(`unreadable watch under ${keys.watch(taskId)}`);
  }
  return watch as Watch;
}

function asIdList(value: unknown, key: string | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) return value;
  throw new StoreError(`unreadable index shard under ${key}`);
}

/** The schedule reads the document's fields itself (it knows their older shapes); a document it is. */
function asTimings(value: unknown): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreError(`unreadable learned timings under ${keys.timings}`);
  }
  return value;
}

/** A kept record as stored: its id beside it, since the key holds only a hash of the id. */
function isKept(value: unknown): value is { id: string; value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

/** Keys chosen by callers (an intake's key, a form's id) are hashed: their length and characters are not ours. */
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isCreateRecord(value: unknown): value is CreateRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.key !== 'string' || typeof record.at !== 'number') return false;
  return (
    record.state === 'sending' || (record.state === 'created' && typeof record.taskId === 'string')
  );
}
