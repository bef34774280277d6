/**
 * What is known about one task's end, given what polling saw: the duration model conditioned
 * on every bracket the answers put around the start of processing and on the task still
 * running at the last answer. Both the poll schedule and the estimate shown to users read it.
 *
 * It is read for every poll and every status refresh of every watch, thousands at a time, so
 * it is built to leave nothing for the collector: an outlook is one object refilled in place,
 * its queue pieces sit in reused typed arrays, and the chances are asked for a batch of
 * moments at a time. A number passed to or returned from a call the compiler did not inline
 * is a heap allocation; one call per batch, with the moments and answers in typed arrays,
 * keeps the searches over many moments free of them.
 */
import {
  type ClipComponent,
  DURATION_MODEL_DEFAULTS,
  type DurationModel,
  fillQueueWaitBetween,
  QueuePieces,
} from './duration-model.ts';
import type { ObservedHistory } from './history.ts';

export interface OutlookInput {
  /** Task creation (ms). */
  createdAt: number;
  /** The last answer that showed the task not finished (ms). */
  lastAnswerAt: number;
  /** The status in that answer. */
  status?: string | undefined;
  history: ObservedHistory;
  clipSeconds?: number | undefined;
  /** How long tasks of this model take. */
  durations: DurationModel;
}

const MS = 1000;
const SURPRISE_WEIGHT = DURATION_MODEL_DEFAULTS.surpriseWeight;
const SURPRISE_SCALE = DURATION_MODEL_DEFAULTS.surpriseScaleMs / MS;
/** The share of tasks the model explains. */
const EXPLAINED_WEIGHT = 1 - SURPRISE_WEIGHT;

export class CompletionOutlook {
  /** Seconds after creation when the task was last seen running. */
  runningAt = 0;
  /** The chance that the task, still running, is one the model does not explain. */
  unexplained = 1;

  /** When processing may have started: the queue wait inside the answers' bracket. */
  readonly #queue = new QueuePieces();
  /** Each queue piece's midpoint, the start of processing it stands for. */
  #start = new Float64Array(0);
  #queueMass = 0;
  #clips: readonly ClipComponent[] = [];
  /** The unnormalised chance of running at `runningAt`, which later chances are relative to. */
  #runningNow = 0;
  /** One moment and its answer, for the outlook's own single questions. */
  readonly #moment = new Float64Array(1);
  readonly #answer = new Float64Array(1);

  /** Reads the outlook for one task, replacing whatever it held. */
  read(input: OutlookInput): this {
    const model = input.durations;
    const runningAt = Math.max(0, (input.lastAnswerAt - input.createdAt) / MS);
    const after = startedAfter(input, runningAt);
    const queue = fillQueueWaitBetween(
      model,
      after,
      startedBy(input, runningAt, after),
      this.#queue,
    );
    if (this.#start.length < queue.mass.length) this.#start = new Float64Array(queue.mass.length);
    let queueMass = 0;
    for (let p = 0; p < queue.count; p += 1) {
      queueMass += queue.mass[p] ?? 0;
      this.#start[p] = ((queue.from[p] ?? 0) + (queue.to[p] ?? 0)) / 2;
    }
    this.#queueMass = queueMass;
    this.#clips =
      input.clipSeconds === undefined
        ? model.clips
        : soleClip(model.clip(Math.round(input.clipSeconds)));
    this.runningAt = runningAt;
    this.#moment[0] = runningAt;
    this.#surprise(this.#moment, 1, this.#answer);
    const surpriseNow = this.#answer[0] ?? 0;
    this.#running(this.#moment, 1, this.#answer);
    const runningNow = this.#answer[0] ?? 0;
    this.#runningNow = runningNow;
    this.unexplained = runningNow > 0 ? surpriseNow / runningNow : 1;
    return this;
  }

  /**
   * For each of `times[0..count)` (seconds after creation), the chance the task is still
   * running then, into `chances`: 1 up to `runningAt`.
   */
  stillRunningAt(times: Float64Array, count: number, chances: Float64Array): void {
    this.#running(times, count, chances);
    const runningNow = this.#runningNow;
    const runningAt = this.runningAt;
    for (let k = 0; k < count; k += 1) {
      const seconds = times[k] ?? 0;
      chances[k] =
        seconds <= runningAt || !(runningNow > 0) ? 1 : Math.min(1, (chances[k] ?? 0) / runningNow);
    }
  }

  /**
   * For each of `times[0..count)`, the chance the task is still queued then, into `chances`;
   * 0 once processing was seen.
   */
  stillQueuedAt(times: Float64Array, count: number, chances: Float64Array): void {
    const queueMass = this.#queueMass;
    const { count: pieces, from, to, mass } = this.#queue;
    for (let k = 0; k < count; k += 1) {
      if (!(queueMass > 0)) {
        chances[k] = 0;
        continue;
      }
      const seconds = times[k] ?? 0;
      let queued = 0;
      for (let p = 0; p < pieces; p += 1) {
        const low = from[p] ?? 0;
        const high = to[p] ?? 0;
        const span = high - low;
        const share = span > 0 ? (high - seconds) / span : high > seconds ? 1 : 0;
        queued += (mass[p] ?? 0) * Math.min(1, Math.max(0, share));
      }
      chances[k] = queued / queueMass;
    }
  }

  /**
   * Unnormalised, for each of `times`: the chance of seeing these answers and the task running
   * then. The surprise tail first, then each clip length's share, added in that order.
   */
  #running(times: Float64Array, count: number, into: Float64Array): void {
    this.#surprise(times, count, into);
    const clips = this.#clips;
    for (let c = 0; c < clips.length; c += 1) {
      addRunning(clips[c] as ClipComponent, this.#queue, this.#start, times, count, into);
    }
  }

  /**
   * For each of `times`, the unnormalised chance of a task the model does not explain, still
   * running then: a long tail, so an overdue task keeps a chance of ending.
   */
  #surprise(times: Float64Array, count: number, into: Float64Array): void {
    const mass = SURPRISE_WEIGHT * this.#queueMass;
    for (let k = 0; k < count; k += 1) {
      into[k] = mass * (1 / (1 + Math.max(0, times[k] ?? 0) / SURPRISE_SCALE));
    }
  }
}

/**
 * Adds to `into[k]` the chance that processing began with one of the queue pieces and, for a
 * clip of this length, still runs at `times[k]`. The innermost loop of every poll: it makes
 * no calls, so nothing in it is boxed whatever the compiler inlines.
 */
function addRunning(
  clip: ClipComponent,
  queue: QueuePieces,
  start: Float64Array,
  times: Float64Array,
  count: number,
  into: Float64Array,
): void {
  const survival = clip.processingSurvival;
  const last = survival.length - 1;
  const weight = EXPLAINED_WEIGHT * clip.weight;
  const { count: pieces, mass } = queue;
  for (let k = 0; k < count; k += 1) {
    const seconds = times[k] ?? 0;
    let sum = 0;
    for (let p = 0; p < pieces; p += 1) {
      // `survivalAt(survival, seconds - start[p])`, written out. A piece that starts later
      // surely still runs (survival 1); one whose processing is surely over adds nothing.
      const processing = seconds - (start[p] ?? 0);
      if (processing <= 0) {
        sum += mass[p] ?? 0;
        continue;
      }
      const j = Math.floor(processing);
      if (j >= last) continue;
      const f = processing - j;
      sum += (mass[p] ?? 0) * ((survival[j] ?? 0) * (1 - f) + (survival[j + 1] ?? 0) * f);
    }
    into[k] = (into[k] ?? 0) + weight * sum;
  }
}

/*
 * Seconds after creation between which processing began, as far as the answers tell: after
 * the last "queued" answer and by the first "processing" one.
 */

function startedAfter(input: OutlookInput, runningAt: number): number {
  const { lastQueuedAt } = input.history;
  const after = Math.max(0, lastQueuedAt === undefined ? 0 : (lastQueuedAt - input.createdAt) / MS);
  return input.status === 'queued' ? Math.max(after, runningAt) : after;
}

function startedBy(input: OutlookInput, runningAt: number, after: number): number {
  const { firstProcessingAt } = input.history;
  let by =
    firstProcessingAt === undefined
      ? Number.POSITIVE_INFINITY
      : (firstProcessingAt - input.createdAt) / MS;
  if (input.status === 'processing') by = Math.min(by, runningAt);
  // Answers that contradict each other (a task seen queued after processing): trust the latest.
  return by < after ? Number.POSITIVE_INFINITY : by;
}

/** The known clip length as the only component, made once per component. */
const soleClips = new WeakMap<ClipComponent, readonly ClipComponent[]>();

function soleClip(clip: ClipComponent): readonly ClipComponent[] {
  let sole = soleClips.get(clip);
  if (sole === undefined) {
    sole = [{ ...clip, weight: 1 }];
    soleClips.set(clip, sole);
  }
  return sole;
}
