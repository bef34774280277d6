/**
 * Learned timings kept three ways: per model, per family and for all tasks. A model's own
 * samples are used once there are enough of them; until then its family's, then everyone's
 * (save for processing times of a model the catalogue knows: there its documented times
 * are a better guide than other families' tasks).
 */
import type { ModelInfo } from '../models/index.ts';
import {
  emptyTimings,
  type FinishedTaskSample,
  type LearnedTimings,
  recordFinishedTask,
} from './learned-timings.ts';

export interface TimingsBook {
  all: LearnedTimings;
  /** By family id ("veo"). */
  families: Record<string, LearnedTimings>;
  /** By model id ("veo_3_1_fast"), the most recently learned last. */
  models: Record<string, LearnedTimings>;
}

export interface TimingsBookOptions {
  /** A series is used once it holds this many samples; fewer: the broader one's. */
  minSamples?: number;
  /** Models remembered; the one learned from longest ago is dropped first. */
  maxModels?: number;
}

export const TIMINGS_BOOK_DEFAULTS = {
  minSamples: 10,
  maxModels: 32,
} as const satisfies Required<TimingsBookOptions>;

export function emptyBook(): TimingsBook {
  return { all: emptyTimings(), families: {}, models: {} };
}

/** A new book with the sample added at every level; the input is left untouched. */
export function recordInBook(
  book: TimingsBook,
  info: ModelInfo,
  sample: FinishedTaskSample,
  options: TimingsBookOptions = {},
): TimingsBook {
  const maxModels = options.maxModels ?? TIMINGS_BOOK_DEFAULTS.maxModels;
  const models = { ...book.models };
  const learned = recordFinishedTask(models[info.id] ?? emptyTimings(), sample);
  // Deleted and added again, so the object's key order stays "learned from longest ago first".
  delete models[info.id];
  models[info.id] = learned;
  const ids = Object.keys(models);
  for (const id of ids.slice(0, Math.max(0, ids.length - maxModels))) delete models[id];
  return {
    all: recordFinishedTask(book.all, sample),
    families: {
      ...book.families,
      [info.family]: recordFinishedTask(book.families[info.family] ?? emptyTimings(), sample),
    },
    models,
  };
}

/** The timings a model's tasks are read with: each series from the narrowest level that has enough. */
export function learnedFor(
  book: TimingsBook,
  info: ModelInfo,
  options: TimingsBookOptions = {},
): LearnedTimings {
  const minSamples = options.minSamples ?? TIMINGS_BOOK_DEFAULTS.minSamples;
  const own = Object.hasOwn(book.models, info.id) ? book.models[info.id] : undefined;
  const family = Object.hasOwn(book.families, info.family) ? book.families[info.family] : undefined;
  const narrowToBroad = [own, family, book.all].filter((t) => t !== undefined);
  // A known model's lengths and processing times come from its own family at the broadest.
  const forShape = info.known ? [own, family].filter((t) => t !== undefined) : narrowToBroad;
  const pick = (series: (number[] | undefined)[]): number[] => {
    const present = series.filter((s) => s !== undefined);
    return present.find((s) => s.length >= minSamples) ?? present.at(-1) ?? [];
  };
  const clips = new Set(forShape.flatMap((t) => Object.keys(t.processingMs)));
  const processingMs: Record<string, number[]> = {};
  for (const clip of clips) {
    const series = pick(forShape.map((t) => t.processingMs[clip]));
    if (series.length > 0) processingMs[clip] = series;
  }
  return {
    queueWaitMs: pick(narrowToBroad.map((t) => t.queueWaitMs)),
    processingMs,
    clipSeconds: pick(forShape.map((t) => t.clipSeconds)),
  };
}

/**
 * Reads a stored book, whatever shape it was stored in: timings stored before they were kept
 * per model are everyone's; anything unreadable is dropped rather than trusted.
 */
export function readTimingsBook(value: unknown): TimingsBook {
  if (!isRecord(value)) return emptyBook();
  if (Array.isArray(value.queueWaitMs)) return { ...emptyBook(), all: readTimings(value) };
  return {
    all: readTimings(value.all),
    families: readTimingsByKey(value.families),
    models: readTimingsByKey(value.models),
  };
}

function readTimingsByKey(value: unknown): Record<string, LearnedTimings> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, t]) => [key, readTimings(t)]));
}

function readTimings(value: unknown): LearnedTimings {
  if (!isRecord(value)) return emptyTimings();
  const processingMs: Record<string, number[]> = {};
  if (isRecord(value.processingMs)) {
    for (const [clip, series] of Object.entries(value.processingMs)) {
      processingMs[clip] = numbers(series);
    }
  }
  return {
    queueWaitMs: numbers(value.queueWaitMs),
    processingMs,
    clipSeconds: numbers(value.clipSeconds),
  };
}

function numbers(value: unknown): number[] {
  return Array.isArray(value)
    ? value.filter((n): n is number => typeof n === 'number' && Number.isFinite(n))
    : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
