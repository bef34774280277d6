/**
 * What one finished task teaches, from what polling saw of it. Polling only brackets each
 * change of status: processing began after the last "queued" answer (or creation) and by the
 * first "processing" one; it ended after the last "processing" answer and by the first final
 * one. Each duration is taken as its expected value inside those brackets under the current
 * model, not as the bracket's midpoint: a wide bracket over a stretch where ends are rare
 * (a short clip ending while polls were sparse) would otherwise teach a wrong time.
 */
import { survivalAt } from './duration-density.ts';
import { type DurationModel, type QueuePiece, queueWaitBetween } from './duration-model.ts';
import type { FinishedTaskSample } from './learned-timings.ts';
import type { FinishedTask } from './port.ts';

export interface SampleOptions {
  /**
   * A processing time is kept only when polling pinned its start down to within this much
   * either way; a looser bracket would teach the model mostly what it already believes. Only
   * the start is judged: how closely the end was seen depends on the processing time itself,
   * and dropping the loosely seen ends would drop the unusual durations.
   */
  maxStartUncertaintyMs?: number;
}

export const SAMPLE_DEFAULTS = {
  maxStartUncertaintyMs: 10_000,
} as const satisfies Required<SampleOptions>;

const MS = 1000;

/**
 * The sample to pass to `recordFinishedTask`. The brackets are read with the durations the
 * model has learned so far (with none learned: its documented times).
 */
export function sampleFinishedTask(
  finished: FinishedTask,
  durations: DurationModel,
  options: SampleOptions = {},
): FinishedTaskSample {
  const maxStartUncertainty =
    (options.maxStartUncertaintyMs ?? SAMPLE_DEFAULTS.maxStartUncertaintyMs) / MS;
  const { createdAt, history } = finished;
  const sample: FinishedTaskSample = {};
  if (finished.clipSeconds !== undefined) sample.clipSeconds = finished.clipSeconds;
  const at = (ms: number) => (ms - createdAt) / MS;

  const startedAfter = Math.max(0, at(history.lastQueuedAt ?? createdAt));
  if (history.firstProcessingAt === undefined) return sample;
  const startedBy = at(history.firstProcessingAt);
  if (startedBy < startedAfter) return sample;
  const model = durations;
  const queue = queueWaitBetween(model, startedAfter, startedBy);

  const endedAfter =
    history.lastProcessingAt === undefined ? undefined : at(history.lastProcessingAt);
  const endedBy = history.finishedSeenAt === undefined ? undefined : at(history.finishedSeenAt);
  const endSeen =
    finished.completed &&
    finished.clipSeconds !== undefined &&
    endedAfter !== undefined &&
    endedBy !== undefined &&
    startedBy <= endedAfter &&
    endedAfter <= endedBy;
  if (!endSeen) {
    sample.queueWaitMs = Math.round(expectedQueueWait(queue, startedAfter, startedBy) * MS);
    return sample;
  }

  const survival = model.clip(Math.round(finished.clipSeconds ?? 0)).processingSurvival;
  let weight = 0;
  let queueSum = 0;
  let processingSum = 0;
  for (const piece of queue) {
    const start = (piece.from + piece.to) / 2;
    const [mass, mean] = massAndMean(survival, endedAfter - start, endedBy - start);
    weight += piece.mass * mass;
    queueSum += piece.mass * mass * start;
    processingSum += piece.mass * mass * mean;
  }
  if (!(weight > 0)) {
    // The model cannot explain the task at all: fall back on the brackets' midpoints.
    const start = (startedAfter + startedBy) / 2;
    sample.queueWaitMs = Math.round(start * MS);
    if ((startedBy - startedAfter) / 2 <= maxStartUncertainty) {
      sample.processingMs = Math.round(((endedAfter + endedBy) / 2 - start) * MS);
    }
    return sample;
  }
  sample.queueWaitMs = Math.round((queueSum / weight) * MS);
  if ((startedBy - startedAfter) / 2 <= maxStartUncertainty) {
    sample.processingMs = Math.round((processingSum / weight) * MS);
  }
  return sample;
}

function expectedQueueWait(queue: readonly QueuePiece[], after: number, by: number): number {
  let mass = 0;
  let sum = 0;
  for (const piece of queue) {
    mass += piece.mass;
    sum += piece.mass * ((piece.from + piece.to) / 2);
  }
  if (mass > 0) return sum / mass;
  return Number.isFinite(by) ? (after + by) / 2 : after;
}

/** The chance that processing lasted between `low` and `high` seconds, and its mean there. */
function massAndMean(survival: Float64Array, low: number, high: number): [number, number] {
  const from = Math.max(0, low);
  if (high <= from) return [0, 0];
  let mass = 0;
  let moment = 0;
  const steps = Math.max(1, Math.ceil(high - from));
  const width = (high - from) / steps;
  for (let k = 0; k < steps; k += 1) {
    const a = from + k * width;
    const m = survivalAt(survival, a) - survivalAt(survival, a + width);
    mass += m;
    moment += m * (a + width / 2);
  }
  return [mass, mass > 0 ? moment / mass : 0];
}
