/**
 * Runs tasks one after another per key, in the order they were queued; tasks under different
 * keys run side by side. Key-value stores have no compare-and-set, so a read-modify-write of
 * one value is safe only if nothing else writes that value meanwhile: within one process,
 * this queue is what guarantees it.
 */
export class PerKeyQueue {
  /** The last queued task per key, settled or not; removed once the key falls idle. */
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task queued earlier under `key` has settled, failed ones included. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves once every task queued so far has settled; tasks queued later are not awaited. */
  async settled(): Promise<void> {
    await Promise.all(this.#tails.values());
  }
}
