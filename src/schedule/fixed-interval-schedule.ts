/**
 * Polls every `intervalMs`, whatever the model (`sora-status --watch --interval`): for people
 * who want a plain, predictable pace. Failed polls back off as in the adaptive schedule; the
 * estimate shown and the learning are the adaptive schedule's, which it is given.
 */
import type { Random } from '../clock.ts';
import { type BackoffPolicy, fullJitterDelay } from '../sora/backoff.ts';
import type { Estimate, FinishedTask, PollOutcome, PollSchedule, TaskProgress } from './port.ts';

export interface FixedIntervalOptions {
  intervalMs: number;
  /** Estimates and learning come from here. */
  estimates: PollSchedule;
  random: Random;
  /** After failed polls: no sooner than the interval, longer as failures add up. */
  backoff?: BackoffPolicy;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 300_000 };

export class FixedIntervalSchedule implements PollSchedule {
  readonly #options: FixedIntervalOptions;

  constructor(options: FixedIntervalOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError('the poll interval must be positive');
    this.#options = options;
  }

  load(): Promise<void> {
    return this.#options.estimates.load();
  }

  nextPollDelay(_task: TaskProgress, outcome: PollOutcome, consecutiveFailures: number): number {
    const { intervalMs, random } = this.#options;
    if (outcome === 'answer') return intervalMs;
    const backoff = fullJitterDelay(
      Math.max(1, consecutiveFailures),
      this.#options.backoff ?? DEFAULT_BACKOFF,
      random,
    );
    return Math.max(intervalMs, backoff);
  }

  estimate(task: TaskProgress): Estimate {
    return this.#options.estimates.estimate(task);
  }

  learn(task: FinishedTask): void {
    this.#options.estimates.learn(task);
  }
}
