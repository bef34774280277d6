/**
 * The standard polling workload of /work/shared/bench/POLLING-WORKLOAD.md: seeded, so every
 * run and every machine sees the same tasks.
 */

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORKLOAD = {
  taskCount: 1000,
  warmUpTasks: 200,
  seed: 20_260_101,
  /** Clip length (s) and its share of tasks. */
  clipShares: [
    [4, 0.25],
    [8, 0.5],
    [12, 0.25],
  ],
  queueWaitMeanMs: 20_000,
  queueWaitCapMs: 90_000,
  processingMeanMs: { 4: 90_000, 8: 180_000, 12: 300_000 } as Record<number, number>,
  processingSdShare: 0.1,
  failedShare: 0.05,
  watchStartsWithinMs: 30_000,
  /** Tasks are created this far apart, so no two overlap. */
  taskSpacingMs: 3_600_000,
} as const;

/** The standard workload's tasks are Sora tasks, as the docs it is built on describe. */
const STANDARD_MODEL = 'openAiSora2Plus';

export interface WorkloadTask {
  /** The service's model id: the schedule reads its catalogue entry and learns per model. */
  model: string;
  /** Creation (ms), on a whole second like the API's `created`. */
  createdAt: number;
  clipSeconds: number;
  queueWaitMs: number;
  processingMs: number;
  completed: boolean;
  /** When the watch starts: its first poll. */
  watchStartsAt: number;
}

export function generateWorkload(
  taskCount: number = WORKLOAD.taskCount,
  seed: number = WORKLOAD.seed,
): WorkloadTask[] {
  const random = seededRandom(seed);
  return Array.from({ length: taskCount }, (_, i) => {
    const clipSeconds = pickClip(random());
    const processingMeanMs = WORKLOAD.processingMeanMs[clipSeconds] ?? 0;
    return drawTask(random, i, { model: STANDARD_MODEL, clipSeconds, processingMeanMs });
  });
}

/**
 * The `index`-th task of a workload, once its kind is picked: its queue wait, processing
 * time, outcome and watch start drawn from `random` in that order, the workload's rules.
 */
export function drawTask(
  random: () => number,
  index: number,
  kind: { model: string; clipSeconds: number; processingMeanMs: number },
): WorkloadTask {
  const createdAt = 1_700_000_000_000 + index * WORKLOAD.taskSpacingMs;
  const queueWaitMs = Math.min(
    WORKLOAD.queueWaitCapMs,
    -WORKLOAD.queueWaitMeanMs * Math.log(1 - random()),
  );
  const mean = kind.processingMeanMs;
  const processingMs = Math.max(0, mean + mean * WORKLOAD.processingSdShare * gaussian(random));
  const completed = random() >= WORKLOAD.failedShare;
  const watchStartsAt = createdAt + random() * WORKLOAD.watchStartsWithinMs;
  return {
    model: kind.model,
    createdAt,
    clipSeconds: kind.clipSeconds,
    queueWaitMs,
    processingMs,
    completed,
    watchStartsAt,
  };
}

function pickClip(u: number): number {
  let cumulative = 0;
  for (const [clip, share] of WORKLOAD.clipShares) {
    cumulative += share;
    if (u < cumulative) return clip;
  }
  return WORKLOAD.clipShares[WORKLOAD.clipShares.length - 1]?.[0] ?? 8;
}

/** A standard normal number (Box–Muller), from two uniform draws. */
function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The moment the task reaches its final status. */
export function endsAt(task: WorkloadTask): number {
  return task.createdAt + task.queueWaitMs + task.processingMs;
}

/** What a poll at `at` would see. */
export function statusAt(task: WorkloadTask, at: number): string {
  if (at < task.createdAt + task.queueWaitMs) return 'queued';
  if (at < endsAt(task)) return 'processing';
  return task.completed ? 'completed' : 'failed';
}
