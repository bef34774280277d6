/**
 * A clock that moves only when a test says so. `sleep()` calls wait until `advance()` or
 * `runUntil()` passes their due time; every requested sleep is recorded, so a test can
 * assert exactly how long the code under test chose to wait.
 */
import type { Clock } from '../../src/clock.ts';

interface Sleeper {
  due: number;
  resolve: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  /** Every duration passed to `sleep()`, in call order. */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = { due: this.#now + Math.max(0, ms), resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((other) => other !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** How many sleeps are waiting. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** The earliest due time among waiting sleeps. */
  get nextDue(): number | undefined {
    return this.#sleepers.reduce<number | undefined>(
      (earliest, s) => (earliest === undefined || s.due < earliest ? s.due : earliest),
      undefined,
    );
  }

  /** Moves time forward by `ms`, waking sleepers in due order and letting each one's follow-up run. */
  async advance(ms: number): Promise<void> {
    await this.runUntil(this.#now + ms);
  }

  /**
   * One step of a test that mixes virtual time with real I/O: lets pending work run, then
   * jumps to the next due sleep, or waits a moment of real time when none is due yet.
   */
  async step(): Promise<void> {
    await settle();
    const due = this.nextDue;
    if (due === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
    else await this.runUntil(due);
  }

  /** Steps until `condition` holds; fails with `what` after `timeoutMs` of real time. */
  async stepUntil(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await this.step();
    }
  }

  /** Runs `work` while moving the clock to each sleep's due time as it comes. */
  async stepWhile<T>(work: Promise<T>): Promise<T> {
    let finished = false;
    const tracked = work.finally(() => {
      finished = true;
    });
    tracked.catch(() => {});
    while (!finished) await this.step();
    return tracked;
  }

  async runUntil(target: number): Promise<void> {
    for (;;) {
      const due = this.nextDue;
      if (due === undefined || due > target) break;
      this.#now = Math.max(this.#now, due);
      const woken = this.#sleepers.filter((s) => s.due <= this.#now);
      this.#sleepers = this.#sleepers.filter((s) => s.due > this.#now);
      for (const sleeper of woken) sleeper.resolve();
      await settle();
    }
    this.#now = Math.max(this.#now, target);
    await settle();
  }
}

/** Lets pending promise callbacks and immediate I/O callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A `Random` that always returns the same value, for exact back-off figures. */
export const fixedRandom =
  (value: number): (() => number) =>
  () =>
    value;
