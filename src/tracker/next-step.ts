/**
 * The tracker's decisions about one watch, as pure functions of its state: who joins it,
 * whether it has run too long, what comes after a poll, and what a finished task teaches.
 * The tracker applies them and does the saving and the side effects.
 */
import type { CommandOrigin } from '../chat/commands.ts';
import type { Random } from '../clock.ts';
import { isTerminal } from '../sora/task.ts';
import { nextPollDelay, type PollOutcome } from './schedule.ts';
import { recordFinishedTask, sampleFinishedTask } from './timings.ts';
import type { LearnedTimings, Subscription, Watch } from './watch.ts';

/** What `watch()` did: started a watch, added a place or a requester, or nothing new. */
export type WatchAddition = 'new-watch' | 'new-place' | 'new-requester' | 'already-watching';

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
    return { subscription: existing, addition: added ? 'new-requester' : 'already-watching' };
  }
  const subscription: Subscription = {
    target: origin.target,
    requesters: [],
    delivery: 'pending',
    deliveryAttempts: 0,
    since: now,
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
  if ((watch.notFoundInARow ?? 0) >= limits.maxNotFoundInARow) {
    watch.endReason = 'The task can no longer be found; stopped watching it.';
  } else if (now - watch.startedAt >= limits.watchMaxAgeMs) {
    const status = watch.task?.status ?? 'unknown';
    watch.endReason = `Stopped watching: the task was still "${status}" after ${roughAge(limits.watchMaxAgeMs)}.`;
  }
}

/**
 * After a poll: moves a finished (or given-up) watch on to its ending, or sets when to poll
 * next. Says 'task-finished' when the task itself reached a final status.
 */
export function planAfterPoll(
  watch: Watch,
  outcome: PollOutcome,
  context: { now: number; fixedPollIntervalMs: number; timings: LearnedTimings; random: Random },
): 'task-finished' | 'watch-ended' | 'poll-again' {
  const { now } = context;
  const status = watch.task?.status;
  const taskFinished = status !== undefined && isTerminal(status);
  if (watch.endReason !== undefined || taskFinished) {
    watch.phase =
      status === 'completed' && watch.endReason === undefined ? 'downloading' : 'delivering';
    return taskFinished ? 'task-finished' : 'watch-ended';
  }
  if (context.fixedPollIntervalMs > 0 && outcome.kind === 'answer') {
    watch.nextPollAt = now + context.fixedPollIntervalMs;
    return 'poll-again';
  }
  const delay = nextPollDelay({
    now,
    ...(watch.task ? { createdAt: watch.task.created * 1000, status: watch.task.status } : {}),
    history: watch.history,
    ...(watch.clipSeconds !== undefined ? { clipSeconds: watch.clipSeconds } : {}),
    lastOutcome: outcome,
    consecutiveFailures: watch.consecutiveFailures,
    timings: context.timings,
    random: context.random,
  });
  watch.nextPollAt = now + delay;
  return 'poll-again';
}

/** The timings with what this finished task showed added. */
export function learnFrom(watch: Watch, timings: LearnedTimings): LearnedTimings {
  const task = watch.task;
  if (task === undefined) return timings;
  const clipSeconds = task.actualDuration ?? watch.clipSeconds;
  const sample = sampleFinishedTask(
    {
      createdAt: task.created * 1000,
      history: watch.history,
      completed: task.status === 'completed',
      ...(clipSeconds !== undefined ? { clipSeconds } : {}),
    },
    timings,
  );
  return recordFinishedTask(timings, sample);
}

/** "6 h", "30 min": how long a watch may run, as people say it. */
function roughAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}
