/**
 * A process-wide cap on requests per second to the Sora API, shared by every caller.
 *
 * A sliding-window log: a request may start only when fewer than `capacity` requests
 * started in the last `windowMs`. Waiters queue in arrival order and are released by a
 * single sleeping loop (one timer however many thousand watches wait), on the injected
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

export class RequestRateCap {
  readonly capacity: number;
  readonly windowMs: number;
  readonly #clock: Clock;
  /** Start times of the last `capacity` requests, oldest first (a ring buffer). */
  readonly #starts: number[] = [];
  #oldest = 0;
  #queue: Waiter[] = [];
  #head = 0;
  #pumping = false;
  #released = 0;

  /** `perSecond` may be fractional: 0.5 means one request every two seconds. */
  constructor(perSecond: number, clock: Clock) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
      throw new RangeError('the request rate cap must be a positive number');
    }
    // Whole rates allow short bursts of up to `perSecond`; fractional ones space single requests.
    const whole = Number.isInteger(perSecond) && perSecond >= 1;
    this.capacity = whole ? perSecond : 1;
    this.windowMs = whole ? 1000 : 1000 / perSecond;
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
        const delay = this.#delayUntilFree();
        if (delay > 0) {
          await this.#clock.sleep(delay);
          continue;
        }
        const waiter = this.#queue[this.#head] as Waiter;
        this.#head += 1;
        if (waiter.settled) continue;
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

  /** Milliseconds until one more request fits in the window. */
  #delayUntilFree(): number {
    if (this.#starts.length < this.capacity) return 0;
    const oldest = this.#starts[this.#oldest] as number;
    return oldest + this.windowMs - this.#clock.now();
  }

  #record(): void {
    const now = this.#clock.now();
    if (this.#starts.length < this.capacity) {
      this.#starts.push(now);
    } else {
      this.#starts[this.#oldest] = now;
      this.#oldest = (this.#oldest + 1) % this.capacity;
    }
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
