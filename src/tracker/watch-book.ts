/**
 * The tracker's working set: every unfinished watch in memory, written through to the store
 * on every change (the store first: a change it refuses never reaches memory), with one
 * lock per task so a command, a poll and a delivery never interleave their changes to the
 * same watch. The store stays the truth: a restart rebuilds this from `listActive()`.
 */
import { PerKeyQueue } from '../per-key-queue.ts';
import type { Watch, WatchStore } from '../watch/watch.ts';

export class WatchBook {
  readonly #store: WatchStore;
  readonly #watches = new Map<string, Watch>();
  readonly #locks = new PerKeyQueue();

  constructor(store: WatchStore) {
    this.#store = store;
  }

  get size(): number {
    return this.#watches.size;
  }

  get(taskId: string): Watch | undefined {
    return this.#watches.get(taskId);
  }

  /**
   * A copy of the watch to change: `save` it to make the change, or drop it. Decisions are
   * made on a copy so that memory never holds a change the store has not taken.
   */
  draft(taskId: string): Watch | undefined {
    const watch = this.#watches.get(taskId);
    return watch === undefined ? undefined : structuredClone(watch);
  }

  all(): Watch[] {
    return [...this.#watches.values()];
  }

  /** Takes watches read from the store at start. */
  load(watches: Watch[]): void {
    for (const watch of watches) this.#watches.set(watch.taskId, watch);
  }

  /** Writes the watch to the store first, then to memory; a finished watch leaves memory. */
  async save(watch: Watch): Promise<void> {
    await this.#store.put(watch);
    if (watch.phase === 'finished') this.#watches.delete(watch.taskId);
    else this.#watches.set(watch.taskId, watch);
  }

  /** Runs `work` alone for this task: later callers wait for earlier ones, in order. */
  exclusive<T>(taskId: string, work: () => Promise<T>): Promise<T> {
    return this.#locks.run(taskId, work);
  }
}
