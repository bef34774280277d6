/**
 * What is known about one task's end, given what polling saw: the duration model conditioned
 * on every bracket the answers put around the start of processing and on the task still
 * running at the last answer. Both the poll schedule and the estimate shown to users read it.
 *
 * It is read for every poll and every status refresh of every watch, so an outlook is a
 * reusable object refilled in place: no closures, no per-call arrays, nothing for the
 * collector while thousands of polls are in flight.
 */
import { survivalAt } from './duration-density.ts';
import {
  type ClipComponent,
  DURATION_MODEL_DEFAULTS,
  durationModel,
  fillQueueWaitBetween,
  QueuePieces,
} from './duration-model.ts';
import type { LearnedTimings, ObservedHistory } from './watch.ts';

export interface OutlookInput {
  /** Task creation (ms). */
  createdAt: number;
  /** The last answer that showed the task not finished (ms). */
  lastAnswerAt: number;
  /** The status in that answer. */
  status?: string | undefined;
  history: ObservedHistory;
  clipSeconds?: number | undefined;
  timings: LearnedTimings;
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
  /** `running(runningAt)`, which every later chance is relative to. */
  #runningNow = 0;

  /** Reads the outlook for one task, replacing whatever it held. */
  read(input: OutlookInput): this {
    const model = durationModel(input.timings);
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
    this.#runningNow = this.#running(runningAt);
    this.unexplained = this.#runningNow > 0 ? surprise(queueMass, runningAt) / this.#runningNow : 1;
    return this;
  }

  /** The chance the task is still running `seconds` after creation (1 up to `runningAt`). */
  stillRunning(seconds: number): number {
    const runningNow = this.#runningNow;
    if (seconds <= this.runningAt || !(runningNow > 0)) return 1;
    return Math.min(1, this.#running(seconds) / runningNow);
  }

  /** The chance it is still queued `seconds` after creation; 0 once processing was seen. */
  stillQueued(seconds: number): number {
    const queueMass = this.#queueMass;
    if (!(queueMass > 0)) return 0;
    const { count, from, to, mass } = this.#queue;
    let queued = 0;
    for (let p = 0; p < count; p += 1) {
      const low = from[p] ?? 0;
      const high = to[p] ?? 0;
      const span = high - low;
      const share = span > 0 ? (high - seconds) / span : high > seconds ? 1 : 0;
      queued += (mass[p] ?? 0) * Math.min(1, Math.max(0, share));
    }
    return queued / queueMass;
  }

  /** Unnormalised: the chance of seeing these answers and the task running at `seconds`. */
  #running(seconds: number): number {
    const clips = this.#clips;
    const { count, mass } = this.#queue;
    const start = this.#start;
    let total = surprise(this.#queueMass, seconds);
    for (let c = 0; c < clips.length; c += 1) {
      const clip = clips[c] as ClipComponent;
      const survival = clip.processingSurvival;
      let sum = 0;
      for (let p = 0; p < count; p += 1) {
        sum += (mass[p] ?? 0) * survivalAt(survival, seconds - (start[p] ?? 0));
      }
      total += EXPLAINED_WEIGHT * clip.weight * sum;
    }
    return total;
  }
}

/** A one-off outlook; code that reads many keeps one `CompletionOutlook` and calls `read`. */
export function completionOutlook(input: OutlookInput): CompletionOutlook {
  return new CompletionOutlook().read(input);
}

/** The unnormalised chance of a task the model does not explain, still running at `seconds`. */
function surprise(queueMass: number, seconds: number): number {
  return SURPRISE_WEIGHT * queueMass * (1 / (1 + Math.max(0, seconds) / SURPRISE_SCALE));
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
