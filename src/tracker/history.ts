/** Folds each poll's answer into what the tracker has seen of a task's progress. */
import { isTerminal } from '../sora/task.ts';
import type { ObservedHistory } from './watch.ts';

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
