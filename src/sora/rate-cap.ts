/**
 * A process-wide cap on requests per second to the Sora API, shared by every caller.
 *
 * Requests are spaced evenly rather than let through in bursts of a second's worth, and a
 * little wider than 1/rate: requests reach the API up to some jitter later than they left
 * (connection set-up, queues on the way), so two that left 1/rate apart can arrive closer
 * together. With the spacing (1 s + margin) / rate, any one-second window at the far end
 * holds at most `rate` arrivals as long as the jitter stays within the margin; the price is
 * a steady pace of rate / (1 + margin in seconds). Waiters queue in arrival order and are released
 * by a single sleeping loop (one timer however many thousand watches wait), on the injected
 * clock, so the cap can be checked exactly in tests. Every attempt counts, retries included.
 */
import type { Clock } from '../clock.ts';

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
}

export interface RateCapOptions {
  /** How much later than its neighbour a request may reach the API and still keep the cap. */
  jitterMarginMs?: number;
}

export const RATE_CAP_DEFAULTS = {
  jitterMarginMs: 200,
} as const satisfies Required<RateCapOptions>;

export class RequestRateCap {
  /** The time between two request starts. */
  readonly intervalMs: number;
  readonly #clock: Clock;
  #lastStart = Number.NEGATIVE_INFINITY;
  #queue: Waiter[] = [];
  #head = 0;
  #pumping = false;
  #released = 0;

  /** `perSecond` may be fractional: 0.5 means one request every two seconds. */
  constructor(perSecond: number, clock: Clock, options: RateCapOptions = {}) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
      throw new RangeError('the request rate cap must be a positive number');
    }
    const margin = options.jitterMarginMs ?? RATE_CAP_DEFAULTS.jitterMarginMs;
    this.intervalMs = (1000 + Math.max(0, margin)) / perSecond;
    this.#clock = clock;
  }

  /** How many requests have been let through so far. */
  get released(): number {
    return this.#released;
  }

  /** How many callers are waiting for a slot. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Resolves when the caller may send one request. Rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.waiting === 0 && this.#delayUntilFree() <= 0) {
      this.#record();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined, settled: false };
      if (signal) {
        waiter.onAbort = () => {
          // Left in the queue and skipped when its turn comes: removal from the middle is O(n).
          waiter.settled = true;
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#head < this.#queue.length) {
        const waiter = this.#queue[this.#head] as Waiter;
        if (waiter.settled) {
          this.#head += 1;
          continue;
        }
        const delay = this.#delayUntilFree();
        if (delay > 0) {
          await this.#clock.sleep(delay);
          continue;
        }
        this.#head += 1;
        waiter.settled = true;
        if (waiter.signal && waiter.onAbort) {
          waiter.signal.removeEventListener('abort', waiter.onAbort);
        }
        this.#record();
        waiter.resolve();
        this.#compactQueue();
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Milliseconds until the next request may start. */
  #delayUntilFree(): number {
    return this.#lastStart + this.intervalMs - this.#clock.now();
  }

  #record(): void {
    this.#lastStart = this.#clock.now();
    this.#released += 1;
  }

  /** Drops released waiters from the front now and then, so the array does not grow forever. */
  #compactQueue(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
