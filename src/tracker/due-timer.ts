/**
 * The tracker's one timer: sleeps until the earliest due entry of the queue, then hands it
 * over. Pushing an earlier entry, or `wake()`, makes it look at the queue again; an entry
 * that may not run yet (too many polls in flight) waits until the next `wake()`.
 */
import type { Clock } from '../clock.ts';
import { type DueEntry, DueQueue } from './due-queue.ts';

export interface DueTimerDeps {
  clock: Clock;
  /** Ends the loop when aborted. */
  signal: AbortSignal;
  /** False holds the entry (and everything after it) until `wake()`. */
  mayRun: (entry: DueEntry) => boolean;
  run: (entry: DueEntry) => void;
}

export class DueTimer {
  readonly #deps: DueTimerDeps;
  readonly #queue = new DueQueue();
  #wake: AbortController | undefined;
  #sleepingUntil = Number.POSITIVE_INFINITY;
  #loop: Promise<void> | undefined;

  constructor(deps: DueTimerDeps) {
    this.#deps = deps;
    deps.signal.addEventListener('abort', () => this.wake(), { once: true });
  }

  push(entry: DueEntry): void {
    this.#queue.push(entry);
    if (entry.at < this.#sleepingUntil) this.wake();
  }

  /** Makes the loop look at the queue again now. */
  wake(): void {
    this.#wake?.abort();
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Resolves once the loop has ended (after the signal is aborted). */
  async stopped(): Promise<void> {
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { clock, signal } = this.#deps;
    while (!signal.aborted) {
      const next = this.#queue.peek();
      const now = clock.now();
      if (next === undefined || next.at > now) {
        await this.#sleep(next === undefined ? undefined : next.at - now);
        continue;
      }
      if (!this.#deps.mayRun(next)) {
        await this.#sleep(undefined);
        continue;
      }
      this.#queue.pop();
      this.#deps.run(next);
    }
  }

  /**
   * Waits `ms` (or until woken, when undefined), through one controller held here: a signal
   * combined with AbortSignal.any can be collected while nothing else holds it, and its
   * wake-up would be lost.
   */
  async #sleep(ms: number | undefined): Promise<void> {
    const wake = new AbortController();
    this.#wake = wake;
    if (this.#deps.signal.aborted) return;
    this.#sleepingUntil = ms === undefined ? Number.POSITIVE_INFINITY : this.#deps.clock.now() + ms;
    try {
      if (ms === undefined) {
        await new Promise<void>((resolve) => {
          wake.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } else {
        await this.#deps.clock.sleep(ms, wake.signal);
      }
    } catch {
      // Woken early: the loop looks at the queue again.
    } finally {
      this.#sleepingUntil = Number.POSITIVE_INFINITY;
    }
  }
}
