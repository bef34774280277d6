/**
 * The platform-neutral status of one task for one place: what every adapter renders as a
 * card, an embed or a terminal line. Built from the tracker's watch and estimate; pure.
 */
import { displayName } from '../models/index.ts';
import { lastAnsweredAt } from '../schedule/index.ts';
import { isTerminal, taskProblem } from '../sora/task.ts';
import type { Subscription, Watch } from '../watch/watch.ts';
import type { CardAction } from './card-actions.ts';
import { describeRequest } from './create-form.ts';
import { spokenEstimate, timeLeftPhrase } from './estimate-text.ts';

/** Coarse state for colours and emoji; `status` keeps the API's word verbatim. */
export type ViewTone = 'waiting' | 'running' | 'done' | 'failed' | 'ended';

export interface StatusView {
  taskId: string;
  /** The API's status word, verbatim ("queued", "processing", or anything undocumented). */
  status: string;
  tone: ViewTone;
  /** The service's model id, as the API gives it (`veo_3_1_fast`). */
  model?: string;
  /** How people call the model ("VEO 3.1 Fast"); the id itself for a model without a name. */
  modelName?: string;
  /** When the task was created (ms), or when the watch began when creation is unknown. */
  startedAt: number;
  /** Since `startedAt`, up to when the task was seen finished. */
  elapsedMs: number;
  /** Estimated time left, while running. */
  remainingMs?: number;
  /** When the task is expected to end (ms): now plus `remainingMs`, while running. */
  expectedAt?: number;
  /** 0..1, when it can be estimated. */
  progress?: number;
  /** "▰▰▰▰▱▱▱▱▱▱ 40%", or empty when there is no estimate. */
  progressBar: string;
  /** Clip length in seconds, once known. */
  clipSeconds?: number;
  /**
   * The API's error, that the service cancelled the task, or why the watch ended; while the
   * task runs, that the service has stopped answering ("… for 4 min; still trying").
   */
  error?: string;
  /** Chat users who asked, in the platform's ids (rendered as mentions). */
  requesters: string[];
  /** Who asked from outside the chat ("ci-pipeline"): plain text, never a mention. */
  requestedBy?: string[];
  /** A link to the message in this place that carries the clip or the failure, once posted. */
  resultLink?: string;
  /** The prompt, when known (the bot made the task, or the intake was told). */
  prompt?: string;
  /** What the task was asked for, in one line ("VEO 3.1 Fast · 16:9 · 8 s · 720p"), when the bot made it. */
  parameters?: string;
  /** The buttons the card carries now, in order; absent: none. */
  actions?: CardAction[];
}

/** Who asked in one place: a subscription or its view. Users are mentioned, labels are not. */
export type Askers = Pick<StatusView, 'requesters' | 'requestedBy'>;

export interface Estimate {
  remainingMs: number | undefined;
  progress: number | undefined;
}

const BAR_CELLS = 10;

export function buildStatusView(
  watch: Watch,
  sub: Subscription,
  estimate: Estimate,
  nowMs: number,
): StatusView {
  const task = watch.task;
  const status = task?.status ?? 'checking';
  const tone = toneOf(watch, status);
  const startMs = task ? task.created * 1000 : watch.startedAt;
  const progress =
    tone === 'done' ? 1 : tone === 'running' || tone === 'waiting' ? estimate.progress : undefined;
  const view: StatusView = {
    taskId: watch.taskId,
    status,
    tone,
    startedAt: startMs,
    elapsedMs: Math.max(0, (watch.history.finishedSeenAt ?? nowMs) - startMs),
    progressBar: progress === undefined ? '' : progressBar(progress),
    requesters: [...sub.requesters],
    actions: cardActions(watch, tone),
  };
  if (sub.requestedBy !== undefined && sub.requestedBy.length > 0) {
    view.requestedBy = [...sub.requestedBy];
  }
  if (watch.prompt !== undefined) view.prompt = watch.prompt;
  if (watch.request !== undefined) view.parameters = describeRequest(watch.request);
  if (task?.model) {
    view.model = task.model;
    view.modelName = displayName(task.model);
  }
  if (progress !== undefined) view.progress = progress;
  if ((tone === 'waiting' || tone === 'running') && estimate.remainingMs !== undefined) {
    view.remainingMs = estimate.remainingMs;
    view.expectedAt = nowMs + estimate.remainingMs;
  }
  if (sub.resultLink !== undefined) view.resultLink = sub.resultLink;
  const clipSeconds = task?.actualDuration ?? watch.clipSeconds;
  if (clipSeconds !== undefined) view.clipSeconds = clipSeconds;
  const error = (task === undefined ? undefined : taskProblem(task)) ?? watch.endReason;
  if (error !== undefined && tone !== 'done') view.error = error;
  else if (tone === 'waiting' || tone === 'running') {
    const silence = serviceSilence(watch, nowMs);
    if (silence !== undefined) view.error = silence;
  }
  return view;
}

/**
 * While the task runs: Stop watching. Once it ended: Rerun and Edit & rerun when the bot knows
 * what it was made with, Share when there is a clip, and Details. A place that stopped
 * watching a running task keeps Details only.
 */
function cardActions(watch: Watch, tone: ViewTone): CardAction[] {
  const ended = watch.task !== undefined && isTerminal(watch.task.status);
  if (!ended) return watch.endReason === undefined ? ['stop'] : ['details'];
  const actions: CardAction[] = [];
  if (watch.request !== undefined) actions.push('rerun', 'edit');
  if (tone === 'done') actions.push('share');
  actions.push('details');
  return actions;
}

/** Failed polls in a row after which the card says the service is not answering. */
export const SILENT_AFTER_FAILURES = 3;

/** "The service has not answered for 4 min; still trying." during an outage, else undefined. */
export function serviceSilence(watch: Watch, nowMs: number): string | undefined {
  if (watch.consecutiveFailures < SILENT_AFTER_FAILURES) return undefined;
  const since = lastAnsweredAt(watch.history) ?? watch.startedAt;
  const minutes = Math.floor(Math.max(0, nowMs - since) / 60_000);
  const span = minutes < 1 ? 'a minute' : `${minutes} min`;
  return `The service has not answered for ${minutes < 1 ? 'almost ' : ''}${span}; still trying.`;
}

/** Completed and failed have tones of their own; cancelled, like any other end, is 'ended'. */
function toneOf(watch: Watch, status: string): ViewTone {
  if (status === 'completed') return 'done';
  if (status === 'failed') return 'failed';
  if (isTerminal(status) || watch.endReason !== undefined) return 'ended';
  if (status === 'queued' || status === 'checking') return 'waiting';
  return 'running';
}

/** "▰▰▰▰▱▱▱▱▱▱ 40%". */
export function progressBar(progress: number): string {
  const clamped = Math.min(1, Math.max(0, progress));
  const filled = Math.round(clamped * BAR_CELLS);
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR_CELLS - filled)} ${Math.round(clamped * 100)}%`;
}

/** "about 3 min left", "any moment now", or undefined without an estimate: a phrase of its own. */
export function remainingText(view: StatusView): string | undefined {
  return view.remainingMs === undefined ? undefined : timeLeftPhrase(view.remainingMs);
}

/** "about 3 min", "under a minute": the value of a field whose label already says "left". */
export function remainingEstimate(view: StatusView): string | undefined {
  return view.remainingMs === undefined ? undefined : spokenEstimate(view.remainingMs);
}

/** The words of the card's link to the result message: "Go to the clip", or to the message. */
export function resultLinkLabel(view: StatusView): string {
  return view.tone === 'done' ? 'Go to the clip' : 'Go to the message';
}

/**
 * What a person would notice changing: status, requesters, a tenth of progress, the minute
 * of elapsed time and the estimate as it reads (which moves by whole minutes near the end
 * and by five further out). Two views with the same key need no edit.
 */
export function viewKey(view: StatusView): string {
  const minutes = (ms: number | undefined) => (ms === undefined ? '-' : Math.floor(ms / 60_000));
  return [
    view.status,
    view.tone,
    [...view.requesters, ...(view.requestedBy ?? [])].join(','),
    view.progress === undefined ? '-' : Math.floor(view.progress * BAR_CELLS),
    minutes(view.elapsedMs),
    remainingEstimate(view) ?? '-',
    view.clipSeconds ?? '-',
    view.error ?? '-',
    view.resultLink ?? '-',
    (view.actions ?? []).join(','),
  ].join('|');
}
