/**
 * What finished tasks teach: how long they queued, how long they processed per clip length,
 * and how often each length comes up. Kept as short, bounded series of recent samples so the
 * learning follows the service when it speeds up or slows down, and stays small to store.
 */

/** Observed durations of finished tasks, which sharpen the schedule and the estimate. */
export interface LearnedTimings {
  /** Milliseconds from creation to the start of processing. */
  queueWaitMs: number[];
  /** Milliseconds of processing, by clip length in seconds ("4", "8", "12"). */
  processingMs: Record<string, number[]>;
  /**
   * Clip lengths (seconds) of recently finished tasks, in order: how often each length comes
   * up, for a task whose length is not known yet. Absent in timings stored before it existed.
   */
  clipSeconds?: number[];
}

export interface TimingsOptions {
  /** Samples kept per series; older ones drop out first. */
  maxSamplesPerSeries?: number;
}

export const TIMINGS_DEFAULTS = {
  maxSamplesPerSeries: 200,
} as const satisfies Required<TimingsOptions>;

export interface FinishedTaskSample {
  /** From creation to the start of processing. */
  queueWaitMs?: number;
  processingMs?: number;
  /** The finished clip's length (`actualDuration`), or the requested one when known. */
  clipSeconds?: number;
}

export function emptyTimings(): LearnedTimings {
  return { queueWaitMs: [], processingMs: {}, clipSeconds: [] };
}

/** A new `LearnedTimings` with the sample added; the input is left untouched. */
export function recordFinishedTask(
  timings: LearnedTimings,
  sample: FinishedTaskSample,
  options: TimingsOptions = {},
): LearnedTimings {
  const limit = options.maxSamplesPerSeries ?? TIMINGS_DEFAULTS.maxSamplesPerSeries;
  const next: LearnedTimings = {
    queueWaitMs: [...timings.queueWaitMs],
    processingMs: Object.fromEntries(
      Object.entries(timings.processingMs).map(([clip, series]) => [clip, [...series]]),
    ),
    clipSeconds: [...(timings.clipSeconds ?? [])],
  };
  if (isDuration(sample.queueWaitMs)) {
    next.queueWaitMs = appendBounded(next.queueWaitMs, sample.queueWaitMs, limit);
  }
  // A reported length like 8.04 s belongs with the 8 s clips, not in a series of its own.
  const clip = sample.clipSeconds === undefined ? undefined : Math.round(sample.clipSeconds);
  if (clip !== undefined && clip > 0 && Number.isFinite(clip)) {
    next.clipSeconds = appendBounded(next.clipSeconds ?? [], clip, limit);
    if (isDuration(sample.processingMs)) {
      const key = String(clip);
      next.processingMs[key] = appendBounded(
        next.processingMs[key] ?? [],
        sample.processingMs,
        limit,
      );
    }
  }
  return next;
}

function isDuration(ms: number | undefined): ms is number {
  return ms !== undefined && ms >= 0 && Number.isFinite(ms);
}

function appendBounded(series: number[], value: number, limit: number): number[] {
  const grown = [...series, value];
  return grown.length > limit ? grown.slice(grown.length - limit) : grown;
}
