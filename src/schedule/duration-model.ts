/**
 * How long one model's tasks take, as distributions: the queue wait, the processing time per
 * clip length and how often each length comes up. Starts from the model's documented times
 * (the catalogue) and leans on learned timings as they accumulate, so a handful of odd tasks
 * cannot throw it far.
 */
import { documentedTimes, type ModelInfo } from '../models/index.ts';
import {
  bandwidthFor,
  blendMass,
  exponentialMass,
  foldedNormalMass,
  kernelMass,
  survivalOf,
} from './duration-density.ts';
import type { LearnedTimings } from './learned-timings.ts';

export interface DurationModelOptions {
  /** Mean queue wait before any is learned; the docs give none, queues are usually short. */
  priorQueueWaitMs?: number;
  /** How many learned samples the documented estimates are worth. */
  priorStrength?: number;
  /** The narrowest learned spread: each sample is only known to within a few seconds. */
  minBandwidthMs?: number;
  /**
   * The chance that a task behaves like none seen before (a stuck queue, a slow day). Its
   * long tail keeps an overdue task polled at a pace that slows with its age, instead of
   * ever faster as a thin-tailed model would have it.
   */
  surpriseWeight?: number;
  /** That tail's scale: a surprising task has even odds of ending within this long. */
  surpriseScaleMs?: number;
  /**
   * Longer samples are left out: a task stuck for hours says nothing about the usual one
   * (the surprise tail covers it), and would stretch every distribution's grid.
   */
  maxLearnedDurationMs?: number;
}

export const DURATION_MODEL_DEFAULTS = {
  priorQueueWaitMs: 20_000,
  priorStrength: 2,
  minBandwidthMs: 2_000,
  surpriseWeight: 0.005,
  surpriseScaleMs: 300_000,
  maxLearnedDurationMs: 3_600_000,
} as const satisfies Required<DurationModelOptions>;

export interface ClipComponent {
  clipSeconds: number;
  /** How often this length comes up, among all components (the weights sum to 1). */
  weight: number;
  /** `survival[j]`: the chance that processing lasts at least j seconds. */
  processingSurvival: Float64Array;
}

export interface DurationModel {
  /** `queueMass[i]`: the chance that processing starts i to i + 1 seconds after creation. */
  queueMass: Float64Array;
  /** Every typical clip length of the model, and every length with a learned sample. */
  clips: readonly ClipComponent[];
  /** The component for one clip length, made from its documented time if not among `clips`. */
  clip(clipSeconds: number): ClipComponent;
}

const MS = 1000;

/**
 * The model for one catalogue entry and the timings learned for it. Build it once per change
 * of the timings (they are replaced, never changed, when a task finishes): every poll of
 * every task of that model reads it.
 */
export function buildDurationModel(info: ModelInfo, timings: LearnedTimings): DurationModel {
  const d = DURATION_MODEL_DEFAULTS;
  const priorQueueS = d.priorQueueWaitMs / MS;
  const queueMass = learnedBlend(exponentialMass(priorQueueS), timings.queueWaitMs);

  const processingSurvival = (clip: string): Float64Array => {
    // Each documented span covers queue and processing; the queue's share is its prior mean.
    // Several spans (resolutions not known while watching) weigh alike.
    const spans = documentedTimes(info, Number(clip));
    const priors = spans.map(({ totalMs: [low, high] }) =>
      foldedNormalMass((low + high) / 2 / MS - priorQueueS, (high - low) / 4 / MS),
    );
    let prior = priors[0] ?? foldedNormalMass(300 - priorQueueS, 120);
    for (let k = 1; k < priors.length; k += 1) {
      prior = blendMass(prior, k / (k + 1), priors[k] as Float64Array, 1 / (k + 1));
    }
    return survivalOf(learnedBlend(prior, timings.processingMs[clip] ?? []));
  };

  // Timings come back from storage as plain JSON: anything but a clip length is passed over.
  const counts = new Map<string, number>();
  for (const clip of info.typicalClips) counts.set(String(clip), 1);
  for (const [clip, series] of Object.entries(timings.processingMs)) {
    if (isClipLength(Number(clip)) && series.length > 0 && !counts.has(clip)) counts.set(clip, 0);
  }
  for (const clip of timings.clipSeconds ?? []) {
    if (isClipLength(clip)) counts.set(String(clip), (counts.get(String(clip)) ?? 0) + 1);
  }
  let total = 0;
  for (const count of counts.values()) total += count;
  const clips = [...counts].map(([clip, count]) => ({
    clipSeconds: Number(clip),
    weight: count / total,
    processingSurvival: processingSurvival(clip),
  }));

  const extra = new Map<number, ClipComponent>();
  return {
    queueMass,
    clips,
    clip(clipSeconds) {
      // A plain loop: a `find` callback would be a fresh closure on every poll.
      for (const known of clips) if (known.clipSeconds === clipSeconds) return known;
      const known = extra.get(clipSeconds);
      if (known !== undefined) return known;
      const made = {
        clipSeconds,
        weight: 0,
        processingSurvival: processingSurvival(String(clipSeconds)),
      };
      extra.set(clipSeconds, made);
      return made;
    },
  };
}

/** The prior and the samples, weighted by how many samples there are. */
function learnedBlend(prior: Float64Array, samplesMs: readonly number[]): Float64Array {
  const longest = DURATION_MODEL_DEFAULTS.maxLearnedDurationMs;
  const samples = (Array.isArray(samplesMs) ? samplesMs : [])
    .filter((ms) => typeof ms === 'number' && ms >= 0 && ms <= longest)
    .map((ms) => ms / MS);
  if (samples.length === 0) return prior;
  const bandwidth = bandwidthFor(samples, DURATION_MODEL_DEFAULTS.minBandwidthMs / MS);
  const strength = DURATION_MODEL_DEFAULTS.priorStrength;
  const learnedWeight = samples.length / (samples.length + strength);
  return blendMass(prior, 1 - learnedWeight, kernelMass(samples, bandwidth), learnedWeight);
}

function isClipLength(seconds: unknown): seconds is number {
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0 && seconds <= 600;
}

/** A piece of the queue wait, spread evenly over [from, to] seconds after creation. */
export interface QueuePiece {
  from: number;
  to: number;
  /** Unnormalised: the pieces of one bracket sum to the chance of landing in it. */
  mass: number;
}

/** Pieces too light to move any figure only slow every later sum down. */
const NEGLIGIBLE_SHARE = 1e-6;
/** The trace kept of a queue slower than any the model knows. */
const TRACE_MASS = 1e-12;

/**
 * Queue pieces as parallel arrays, refilled in place by `fillQueueWaitBetween`: read for
 * every poll of every watch, pieces as objects would be hundreds of small allocations each.
 */
export class QueuePieces {
  /** How many pieces the last fill left; entries past it are stale. */
  count = 0;
  from = new Float64Array(0);
  to = new Float64Array(0);
  mass = new Float64Array(0);

  /** Room for `n` pieces. Growing drops the contents, so it comes before a fill. */
  reserve(n: number): void {
    if (n <= this.mass.length) return;
    const size = Math.max(n, 2 * this.mass.length);
    this.from = new Float64Array(size);
    this.to = new Float64Array(size);
    this.mass = new Float64Array(size);
  }
}

const scratch = new QueuePieces();

/** The queue wait known to lie between `after` and `by` seconds, as pieces of the model. */
export function queueWaitBetween(model: DurationModel, after: number, by: number): QueuePiece[] {
  const found = fillQueueWaitBetween(model, after, by, scratch);
  const pieces: QueuePiece[] = [];
  for (let p = 0; p < found.count; p += 1) {
    pieces.push({ from: found.from[p] ?? 0, to: found.to[p] ?? 0, mass: found.mass[p] ?? 0 });
  }
  return pieces;
}

/** `queueWaitBetween` written into `into` instead of new objects; returns `into`. */
export function fillQueueWaitBetween(
  model: DurationModel,
  after: number,
  by: number,
  into: QueuePieces,
): QueuePieces {
  const mass = model.queueMass;
  // Every bin of the model yields at most one piece, and the trace needs one.
  into.reserve(mass.length + 1);
  const { from, to } = into;
  const shares = into.mass;
  let count = 0;
  let total = 0;
  for (let i = Math.max(0, Math.floor(after)); i < mass.length && i < by; i += 1) {
    const low = Math.max(i, after);
    const high = Math.min(i + 1, by);
    const share = high > low ? (mass[i] ?? 0) * (high - low) : 0;
    if (share > 0) {
      from[count] = low;
      to[count] = high;
      shares[count] = share;
      count += 1;
    }
    total += share;
  }
  if (count === 0) {
    // Beyond every wait the model knows of: the queue is slower than ever, keep a trace of it.
    from[0] = after;
    to[0] = Math.min(by, after + 1);
    shares[0] = TRACE_MASS;
    into.count = 1;
    return into;
  }
  // Only now is the total known: drop the negligible pieces, keeping the rest in order.
  const least = total * NEGLIGIBLE_SHARE;
  let kept = 0;
  for (let p = 0; p < count; p += 1) {
    const share = shares[p] ?? 0;
    if (!(share >= least)) continue;
    from[kept] = from[p] ?? 0;
    to[kept] = to[p] ?? 0;
    shares[kept] = share;
    kept += 1;
  }
  into.count = kept;
  return into;
}
