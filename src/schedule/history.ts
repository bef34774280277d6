/**
 * What polling saw of a task's progress: the brackets around each change of status that the
 * schedule and the estimate read. The tracker folds every poll's answer in with `observeStatus`.
 */
import { isTerminal } from '../sora/task.ts';

/** Status changes as polling saw them. */
export interface ObservedHistory {
  /** Last poll that still saw "queued" (ms). Processing began after it. */
  lastQueuedAt?: number;
  /** First poll that saw "processing" (ms). Processing began before it. */
  firstProcessingAt?: number;
  /** Last poll that saw "processing" (ms). The task finished after it. */
  lastProcessingAt?: number;
  /** First poll that saw a final status (ms). */
  finishedSeenAt?: number;
}

/** The history after seeing `status` at `at` (ms). Pure. */
export function observeStatus(
  history: ObservedHistory,
  status: string,
  at: number,
): ObservedHistory {
  const next = { ...history };
  if (status === 'queued') {
    next.lastQueuedAt = at;
  } else if (isTerminal(status)) {
    next.finishedSeenAt ??= at;
  } else {
    // "processing", or an undocumented in-between status: the task is being worked on.
    next.firstProcessingAt ??= at;
    next.lastProcessingAt = at;
  }
  return next;
}

/** The last moment (ms) polling got an answer about the task, if it ever did. */
export function lastAnsweredAt(history: ObservedHistory): number | undefined {
  const answers = [history.lastQueuedAt, history.lastProcessingAt, history.finishedSeenAt];
  const seen = answers.filter((at) => at !== undefined);
  return seen.length === 0 ? undefined : Math.max(...seen);
}
