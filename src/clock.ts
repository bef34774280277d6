/**
 * Time and chance, injected. Production code takes a `Clock` and a `Random` instead of
 * calling `Date.now()`, `setTimeout` or `Math.random()` itself, so tests and benchmarks can
 * run hours of waiting in no time and get the same answer every run.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A number in [0, 1), like `Math.random()`. */
export type Random = () => number;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : undefined);
  },
};

export const systemRandom: Random = Math.random;
