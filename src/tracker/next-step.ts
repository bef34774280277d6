/**
 * The tracker's decisions about one watch, as pure functions of its state: who joins it,
 * whether it has run too long, what comes after a poll, and what a finished task teaches.
 * The tracker applies them and does the saving and the side effects.
 */
import type { CommandOrigin } from '../chat/commands.ts';
import { SILENT_AFTER_FAILURES } from '../chat/status-view.ts';
import {
  type FinishedTask,
  lastAnsweredAt,
  type PollOutcome,
  type PollSchedule,
  type TaskProgress,
} from '../schedule/index.ts';
import { isTerminal } from '../sora/task.ts';
import type { Subscription, Watch } from '../watch/watch.ts';

/**
 * What `watch()` did: started a watch, added a place or a requester, nothing new, or nothing
 * because the task's result was already posted in that place by an earlier, finished watch.
 */
export type WatchAddition =
  | 'new-watch'
  | 'new-place'
  | 'new-requester'
  | 'already-watching'
  | 'already-delivered';

/** Adds the asker's place to the watch, or the asker to a place already there. */
export function addSubscription(
  watch: Watch,
  origin: CommandOrigin,
  now: number,
  isNewWatch: boolean,
): { subscription: Subscription; addition: WatchAddition } {
  const existing = watch.subscriptions.find((s) => s.target === origin.target);
  if (existing !== undefined) {
    const added = addAsker(existing, origin);
    if (origin.pendingReply !== undefined) existing.pendingReply = { ...origin.pendingReply };
    return { subscription: existing, addition: added ? 'new-requester' : 'already-watching' };
  }
  const subscription: Subscription = {
    target: origin.target,
    requesters: [],
    delivery: 'pending',
    deliveryAttempts: 0,
    since: now,
    ...(origin.pendingReply !== undefined ? { pendingReply: { ...origin.pendingReply } } : {}),
    ...(origin.shared !== undefined ? { shared: { ...origin.shared } } : {}),
  };
  addAsker(subscription, origin);
  watch.subscriptions.push(subscription);
  return { subscription, addition: isNewWatch ? 'new-watch' : 'new-place' };
}

/** Adds the asker (a chat user, or a plain-text label) unless already there; true if added. */
function addAsker(sub: Subscription, origin: CommandOrigin): boolean {
  let added = false;
  if (origin.requester !== undefined && !sub.requesters.includes(origin.requester)) {
    sub.requesters.push(origin.requester);
    added = true;
  }
  if (origin.requestedBy !== undefined && !sub.requestedBy?.includes(origin.requestedBy)) {
    sub.requestedBy = [...(sub.requestedBy ?? []), origin.requestedBy];
    added = true;
  }
  return added;
}

/** Gives the watch an end reason when it has run too long or its task is gone. */
export function endIfOverdue(
  watch: Watch,
  now: number,
  limits: { maxNotFoundInARow: number; watchMaxAgeMs: number },
): void {
  if ((watch.notFoundInARow ?? 0) > 0 && watch.task === undefined) {
    // Watched while the service was not answering: now it says there is no such task.
    watch.endReason = `The service does not know the task ${watch.taskId}; check the id.`;
  } else if ((watch.notFoundInARow ?? 0) >= limits.maxNotFoundInARow) {
    watch.endReason = 'The task can no longer be found; stopped watching it.';
  } else if (now - watch.startedAt >= limits.watchMaxAgeMs) {
    const age = roughAge(limits.watchMaxAgeMs);
    if (watch.consecutiveFailures >= SILENT_AFTER_FAILURES) {
      // Say what happened: not a slow task, a service that stopped answering.
      const since = lastAnsweredAt(watch.history) ?? watch.startedAt;
      const silent = roughAge(Math.max(60_000, now - since));
      watch.endReason = `Stopped watching after ${age}: the service has not answered for ${silent}.`;
    } else {
      const status = watch.task?.status ?? 'unknown';
      watch.endReason = `Stopped watching: the task was still "${status}" after ${age}.`;
    }
  }
}

/**
 * After a poll: moves a finished (or given-up) watch on to its ending, or sets when to poll
 * next. Says 'task-finished' when the task itself reached a final status.
 */
export function planAfterPoll(
  watch: Watch,
  outcome: PollOutcome,
  context: { now: number; schedule: PollSchedule },
): 'task-finished' | 'watch-ended' | 'poll-again' {
  const { now } = context;
  const status = watch.task?.status;
  const taskFinished = status !== undefined && isTerminal(status);
  if (watch.endReason !== undefined || taskFinished) {
    watch.phase =
      status === 'completed' && watch.endReason === undefined ? 'downloading' : 'delivering';
    return taskFinished ? 'task-finished' : 'watch-ended';
  }
  const delay = context.schedule.nextPollDelay(
    progressOf(watch, now),
    outcome,
    watch.consecutiveFailures,
  );
  watch.nextPollAt = now + delay;
  return 'poll-again';
}

/** What the schedule is told of a watched task at `now`. */
export function progressOf(watch: Watch, now: number): TaskProgress {
  const task = watch.task;
  const progress: TaskProgress = { now, history: watch.history };
  if (task !== undefined) {
    progress.createdAt = task.created * 1000;
    progress.status = task.status;
    progress.model = task.model;
  }
  if (watch.clipSeconds !== undefined) progress.clipSeconds = watch.clipSeconds;
  return progress;
}

/** What a finished task has to teach the schedule; undefined when it was never seen. */
export function finishedTaskOf(watch: Watch): FinishedTask | undefined {
  const task = watch.task;
  if (task === undefined) return undefined;
  const clipSeconds = task.actualDuration ?? watch.clipSeconds;
  return {
    model: task.model,
    createdAt: task.created * 1000,
    history: watch.history,
    completed: task.status === 'completed',
    ...(clipSeconds !== undefined ? { clipSeconds } : {}),
  };
}

/** "6 h", "30 min": how long a watch may run, as people say it. */
function roughAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}
