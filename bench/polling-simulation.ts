/**
 * Runs pollers over the workload on a simulated clock: the project's schedule, learning
 * across tasks in order as the tracker would, and fixed-interval pollers for comparison.
 */

import { silentLogger } from '../src/log.ts';
import {
  AdaptiveSchedule,
  type ObservedHistory,
  observeStatus,
  type TimingsStore,
} from '../src/schedule/index.ts';
import type { ScheduleOptions } from '../src/schedule/poll-delay.ts';
import { isTerminal } from '../src/sora/task.ts';
import { endsAt, seededRandom, statusAt, type WorkloadTask } from './polling-workload.ts';

export type Mode = 'unknown length' | 'known length';

export interface TaskResult {
  polls: number;
  /** From the task's end to the poll that saw it (ms). */
  delayMs: number;
}

export interface Summary {
  tasks: number;
  meanPolls: number;
  /** Seconds. */
  meanDelay: number;
  /** Seconds. */
  p95Delay: number;
  /** Mean polls × mean delay (s). */
  product: number;
}

const JITTER_SEED = 7;
/** A guard against a runaway poller; none comes near it in this workload. */
const MAX_POLLS = 10_000;

/** Learned timings live only as long as one run: nothing is read back, nothing kept. */
const noStore: TimingsStore = { getTimings: async () => undefined, putTimings: async () => {} };

export function runSchedule(
  tasks: readonly WorkloadTask[],
  mode: Mode,
  options: ScheduleOptions = {},
): TaskResult[] {
  // The bot's own schedule, learning across tasks in order as it does in service.
  const schedule = new AdaptiveSchedule({
    store: noStore,
    random: seededRandom(JITTER_SEED),
    logger: silentLogger,
    options,
  });
  return tasks.map((task) => {
    const clip = mode === 'known length' ? { clipSeconds: task.clipSeconds } : {};
    let history: ObservedHistory = {};
    let at = task.watchStartsAt;
    let polls = 0;
    while (polls < MAX_POLLS) {
      polls += 1;
      const status = statusAt(task, at);
      // The tracker's own bookkeeping, so the policy sees what it would see in service.
      history = observeStatus(history, status, at);
      if (isTerminal(status)) break;
      const progress = { now: at, createdAt: task.createdAt, status, model: task.model, history };
      at += schedule.nextPollDelay({ ...progress, ...clip }, 'answer', 0);
    }
    schedule.learn({
      model: task.model,
      createdAt: task.createdAt,
      history,
      completed: task.completed,
      // A completed task reports its length; a failed one only if the bot asked for it.
      ...(task.completed || mode === 'known length' ? { clipSeconds: task.clipSeconds } : {}),
    });
    return { polls, delayMs: at - endsAt(task) };
  });
}

export function runFixed(tasks: readonly WorkloadTask[], intervalMs: number): TaskResult[] {
  return tasks.map((task) => {
    const end = endsAt(task);
    const waits = Math.max(0, Math.ceil((end - task.watchStartsAt) / intervalMs));
    return { polls: waits + 1, delayMs: task.watchStartsAt + waits * intervalMs - end };
  });
}

export function summarise(results: readonly TaskResult[], warmUp: number): Summary {
  const counted = results.slice(warmUp);
  const n = counted.length;
  const meanPolls = counted.reduce((sum, r) => sum + r.polls, 0) / n;
  const delays = counted.map((r) => r.delayMs / 1000).sort((a, b) => a - b);
  const meanDelay = delays.reduce((sum, d) => sum + d, 0) / n;
  const p95Delay = delays[Math.min(n - 1, Math.ceil(0.95 * n) - 1)] ?? Number.NaN;
  return { tasks: n, meanPolls, meanDelay, p95Delay, product: meanPolls * meanDelay };
}
