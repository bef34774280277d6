/**
 * What the tracker needs from the outside world, as small interfaces: the composition root
 * passes the real Sora client and downloader, tests pass the same real ones pointed at fakes.
 * Keeping them here keeps undici out of the tracker. The observer is how monitoring hears
 * what the tracker does, so the metrics library stays out of it too.
 */
import { AuthFailed, RateLimited, TaskNotFound } from '../sora/errors.ts';
import { isCancelled, type VideoTask } from '../sora/task.ts';

export interface TaskSource {
  getTask(taskId: string, signal?: AbortSignal): Promise<VideoTask>;
}

/**
 * Downloads `url` to `destination` (streamed, size-capped, checked) in at most `maxAttempts`
 * requests, or throws a typed error (`DownloadFailed` says how many it made).
 */
export type VideoFetcher = (
  url: string,
  destination: string,
  signal: AbortSignal,
  maxAttempts: number,
) => Promise<{ path: string; bytes: number }>;

/** What a poll came back with: the task's status, or the kind of error that answered instead. */
export type PollOutcomeLabel =
  | 'queued'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'other'
  | 'not_found'
  | 'rate_limited'
  | 'auth_failed'
  | 'error';

/** What one delivery carried: the clip, only its link (no file), or why there is no video. */
export type DeliveryKind = 'video' | 'link' | 'failure';

/** How one delivery went: sent, tried again later, dropped (place gone), or given up. */
export type DeliveryOutcome = 'ok' | 'retry' | 'gone' | 'gave_up';

/** How one download went: on disk, tried again later, or given up (the link is delivered). */
export type DownloadOutcome = 'ok' | 'retry' | 'failed';

/**
 * Told about what the tracker does, for monitoring. Calls are synchronous and must not throw;
 * the composition root passes the metrics, tests and the command line pass nothing.
 */
export interface TrackerObserver {
  polled(outcome: PollOutcomeLabel): void;
  delivered(platform: string, kind: DeliveryKind, outcome: DeliveryOutcome): void;
  /** A video (or its link) reached a place, `seconds` after the tracker first saw it done. */
  deliveredAfterCompletion(platform: string, seconds: number): void;
  downloaded(bytes: number, outcome: DownloadOutcome): void;
}

export const noTrackerObserver: TrackerObserver = {
  polled: () => {},
  delivered: () => {},
  deliveredAfterCompletion: () => {},
  downloaded: () => {},
};

const STATUSES: ReadonlySet<string> = new Set(['queued', 'processing', 'completed', 'failed']);

/**
 * The label for a poll's answer: a known status, or "other" for anything the API adds. Both
 * spellings of a cancellation count as one label, so a dashboard needs one series for it.
 */
export function pollOutcomeOf(status: string): PollOutcomeLabel {
  if (isCancelled(status)) return 'cancelled';
  return STATUSES.has(status) ? (status as PollOutcomeLabel) : 'other';
}

/** The label for a poll that failed. */
export function pollErrorOutcomeOf(error: unknown): PollOutcomeLabel {
  if (error instanceof TaskNotFound) return 'not_found';
  if (error instanceof RateLimited) return 'rate_limited';
  if (error instanceof AuthFailed) return 'auth_failed';
  return 'error';
}
