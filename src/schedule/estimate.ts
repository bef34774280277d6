/**
 * What users see of a running task: about how long it has left, how long it takes in all,
 * and how far along it is. Read from the same outlook as the poll schedule, so what the
 * finished tasks taught sharpens both.
 */
import { isTerminal } from '../sora/task.ts';
import { CompletionOutlook } from './completion-outlook.ts';
import type { DurationModel } from './duration-model.ts';
import type { Estimate, TaskProgress } from './port.ts';

export interface EstimateContext extends TaskProgress {
  /** How long tasks of this model take: documented, sharpened by finished tasks. */
  durations: DurationModel;
}

/** Past this chance that the task behaves like none seen before, no figure is worth showing. */
const UNEXPLAINED_LIMIT = 0.5;
const MS = 1000;
const MAX_STEPS = 2_000;

/** Steps asked about per call: a few wasted past the answer, against a call per step. */
const BATCH = 8;

// Refilled for every estimate, which is done with them before the next one starts.
const scratchOutlook = new CompletionOutlook();
const steps = new Float64Array(BATCH);
const moments = new Float64Array(BATCH);
const chances = new Float64Array(BATCH);

/**
 * All three are undefined when the task has outrun everything the model knows (better "taking
 * longer than usual" than a made-up figure). Before the first answer the task is taken to be
 * just created; while it runs it is taken to be running now, even if the last answer is old.
 */
export function estimateCompletion(ctx: EstimateContext): Estimate {
  const createdAt = ctx.createdAt ?? ctx.now;
  const elapsedMs = Math.max(0, ctx.now - createdAt);
  if (ctx.status !== undefined && isTerminal(ctx.status)) {
    const endedAt = ctx.history.finishedSeenAt ?? ctx.now;
    return { remainingMs: 0, totalMs: Math.max(0, endedAt - createdAt), progress: 1 };
  }
  const outlook = scratchOutlook.read({
    createdAt,
    lastAnswerAt: createdAt + elapsedMs,
    history: ctx.history,
    durations: ctx.durations,
    status: ctx.status,
    clipSeconds: ctx.clipSeconds,
  });
  if (outlook.unexplained > UNEXPLAINED_LIMIT) {
    return { remainingMs: undefined, totalMs: undefined, progress: undefined };
  }
  const median = whenEvenOdds(outlook, outlook.runningAt);
  const remainingMs = Math.round((median - outlook.runningAt) * MS);
  const totalMs = elapsedMs + remainingMs;
  return { remainingMs, totalMs, progress: totalMs > 0 ? elapsedMs / totalMs : 0 };
}

/**
 * The moment (seconds after creation) by which the task has even odds of having ended.
 *
 * Fine steps near the start, coarser ones far out (2 % of the way so far): the answer is read
 * in whole seconds, and a few hundred steps reach days ahead. The steps do not depend on the
 * chances, so a few are laid out ahead and the outlook is asked for them in one call.
 */
function whenEvenOdds(outlook: CompletionOutlook, from: number): number {
  let at = from;
  let before = 1;
  for (let i = 0; i < MAX_STEPS; i += BATCH) {
    const count = Math.min(BATCH, MAX_STEPS - i);
    let ahead = at;
    for (let k = 0; k < count; k += 1) {
      const step = Math.max(1, (ahead - from) / 50);
      steps[k] = step;
      moments[k] = ahead + step;
      ahead += step;
    }
    outlook.stillRunningAt(moments, count, chances);
    for (let k = 0; k < count; k += 1) {
      const step = steps[k] ?? 0;
      const after = chances[k] ?? 0;
      if (after <= 0.5) return at + (step * (before - 0.5)) / (before - after);
      before = after;
      at += step;
    }
  }
  return at;
}
