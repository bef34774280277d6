/**
 * The mixed workload: what teams make on the service now that most tasks are VEO and
 * Seedance, beside some Sora, Grok and models the catalogue does not know. Built like the
 * standard workload (POLLING-WORKLOAD.md: seeded, 1,000 tasks, 200 warm-up, exponential queue
 * wait of mean 20 s capped at 90 s, normal processing with a 10 % spread, 5 % failures, the
 * watch starting 0–30 s after creation), with each kind's mean processing time read from its
 * documented range (the middle of the range, less the mean queue wait) and Sora's as in the
 * standard workload. Resolutions are never known to the tracker; clip lengths only in the
 * "known length" mode.
 */
import { drawTask, seededRandom, WORKLOAD, type WorkloadTask } from './polling-workload.ts';

export interface TaskKind {
  /** The line it is reported under. */
  family: string;
  model: string;
  clipSeconds: number;
  /** Only to tell kinds apart in this table: the tracker never learns it. */
  resolution?: string;
  share: number;
  processingMeanMs: number;
}

export const MIXED_KINDS: readonly TaskKind[] = [
  {
    family: 'Sora',
    model: 'openAiSora2Pro',
    clipSeconds: 4,
    share: 0.05,
    processingMeanMs: 90_000,
  },
  {
    family: 'Sora',
    model: 'openAiSora2Pro',
    clipSeconds: 8,
    share: 0.05,
    processingMeanMs: 180_000,
  },
  {
    family: 'Sora',
    model: 'openAiSora2Plus',
    clipSeconds: 12,
    share: 0.05,
    processingMeanMs: 300_000,
  },
  { family: 'VEO', model: 'veo_3_1_fast', clipSeconds: 8, share: 0.2, processingMeanMs: 170_000 },
  { family: 'VEO', model: 'veo_3_1_pro', clipSeconds: 8, share: 0.15, processingMeanMs: 220_000 },
  {
    family: 'Seedance',
    model: 'seedance_2_0',
    clipSeconds: 5,
    resolution: '720p',
    share: 0.08,
    processingMeanMs: 170_000,
  },
  {
    family: 'Seedance',
    model: 'seedance_2_0',
    clipSeconds: 10,
    resolution: '1080p',
    share: 0.07,
    processingMeanMs: 340_000,
  },
  {
    family: 'Seedance',
    model: 'seedance_2_0_fast',
    clipSeconds: 5,
    resolution: '1080p',
    share: 0.08,
    processingMeanMs: 280_000,
  },
  {
    family: 'Seedance',
    model: 'seedance_2_0_fast',
    clipSeconds: 10,
    resolution: '720p',
    share: 0.07,
    processingMeanMs: 210_000,
  },
  { family: 'Grok', model: 'grok-video', clipSeconds: 10, share: 0.08, processingMeanMs: 160_000 },
  { family: 'Grok', model: 'grok-video', clipSeconds: 30, share: 0.04, processingMeanMs: 340_000 },
  {
    family: 'unknown',
    model: 'studio-motion-x',
    clipSeconds: 6,
    share: 0.05,
    processingMeanMs: 150_000,
  },
  {
    family: 'unknown',
    model: 'studio-motion-long',
    clipSeconds: 20,
    share: 0.03,
    processingMeanMs: 420_000,
  },
];

export interface MixedTask extends WorkloadTask {
  family: string;
}

export function generateMixedWorkload(
  taskCount: number = WORKLOAD.taskCount,
  seed: number = WORKLOAD.seed,
): MixedTask[] {
  const random = seededRandom(seed);
  return Array.from({ length: taskCount }, (_, i) => {
    const kind = pickKind(random());
    return { ...drawTask(random, i, kind), family: kind.family };
  });
}

function pickKind(u: number): TaskKind {
  let cumulative = 0;
  for (const kind of MIXED_KINDS) {
    cumulative += kind.share;
    if (u < cumulative) return kind;
  }
  return MIXED_KINDS[MIXED_KINDS.length - 1] as TaskKind;
}
