/** The JSON the intake answers with: where a watched task stands, and where it is announced. */
import type { Estimate } from '../chat/status-view.ts';
import { displayName } from '../models/index.ts';
import { isCancelled, isTerminal, taskProblem } from '../sora/task.ts';
import type { Watch } from '../watch/watch.ts';

export interface WatchViewJson {
  task_id: string;
  /**
   * The API's status word, or "checking" before the first answer; "cancelled" for either
   * spelling of a cancellation, so callers test one word.
   */
  status: string;
  /** What the bot does with it now: polling, downloading, delivering, finished. */
  phase: string;
  /** The service's model id, as the API gives it (`veo_3_1_fast`). */
  model?: string;
  /** How people call the model ("VEO 3.1 Fast"); the id itself for a model without a name. */
  model_name?: string;
  /** When the task was created (ISO 8601), once known. */
  created_at?: string;
  /** When the bot began watching it (ISO 8601). */
  watching_since: string;
  /** While it runs, when it can be estimated. */
  estimate?: { remaining_seconds?: number; progress?: number };
  /** Every place it is announced in, and whether its result was posted there yet. */
  notify: { channel: string; delivery: string }[];
  /** The task's error, that the service cancelled it, or why the watch ended without a video. */
  error?: string;
}

export function watchView(watch: Watch, estimate: Estimate): WatchViewJson {
  const task = watch.task;
  const seen = task?.status ?? 'checking';
  const status = isCancelled(seen) ? 'cancelled' : seen;
  const view: WatchViewJson = {
    task_id: watch.taskId,
    status,
    phase: watch.phase,
    watching_since: new Date(watch.startedAt).toISOString(),
    notify: watch.subscriptions.map((sub) => ({ channel: sub.target, delivery: sub.delivery })),
  };
  if (task?.model) {
    view.model = task.model;
    view.model_name = displayName(task.model);
  }
  if (task) view.created_at = new Date(task.created * 1000).toISOString();
  if (!isTerminal(status) && watch.phase === 'polling') {
    const shown: NonNullable<WatchViewJson['estimate']> = {};
    if (estimate.remainingMs !== undefined) {
      shown.remaining_seconds = Math.round(estimate.remainingMs / 1000);
    }
    if (estimate.progress !== undefined) shown.progress = Math.round(estimate.progress * 100) / 100;
    if (Object.keys(shown).length > 0) view.estimate = shown;
  }
  const error = (task === undefined ? undefined : taskProblem(task)) ?? watch.endReason;
  if (error !== undefined && status !== 'completed') view.error = error;
  return view;
}
