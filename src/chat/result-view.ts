/**
 * The platform-neutral announcement of how a task ended, for one place: what every adapter
 * renders as a Slack message, Discord content or a terminal line, so that each says the
 * same facts and only what is true (no "ready" without a clip or a working link, no
 * validity for a link that has expired or never existed). Pure.
 */
import { displayName } from '../models/index.ts';
import { LinkExpired, userMessage } from '../sora/errors.ts';
import type { Subscription } from '../watch/watch.ts';
import type { CardAction } from './card-actions.ts';
import type { FinishedVideo, TaskFailure } from './port.ts';

/**
 * - `video`: the clip is attached (or saved) here.
 * - `link`: the clip is not attached here, but its link should still work.
 * - `unreachable`: the task completed, but its video cannot be fetched (the link expired,
 *   or the service gave none).
 * - `failed`: the task ended without a video (failed, cancelled, or the watch gave up).
 */
export type ResultOutcome = 'video' | 'link' | 'unreachable' | 'failed';

export interface ResultView {
  taskId: string;
  outcome: ResultOutcome;
  /** What happened, said after the task id: "is ready", "ended without a video". */
  headline: string;
  /** What falls short, said after the details: "but the clip could not be delivered here". */
  caveat?: string;
  /** How people call the model ("VEO 3.1 Fast"). */
  modelName?: string;
  /** Clip length in seconds, when the service says. */
  clipSeconds?: number;
  /** The clip's size, when it is attached or saved. */
  fileBytes?: number;
  /** The prompt, when known. */
  prompt?: string;
  /** A link that should still work; `validUntil` is the earliest moment it may stop (ms). */
  link?: { url: string; validUntil?: number };
  /** The clip's share page (plays in a browser, unfurls in chat), beside an attached clip. */
  shareLink?: string;
  /** One sentence for people: why the clip is not here, or why the task has no video. */
  reason?: string;
  /** Chat users who asked, in the platform's ids (rendered as mentions). */
  requesters: string[];
  /** Who asked from outside the chat ("ci-pipeline"): plain text, never a mention. */
  requestedBy?: string[];
  /**
   * Someone shared this clip here from another place: render "Shared by <user>" (shown as a
   * name, not a notifying mention, where the platform can) and a link back when there is one.
   */
  shared?: { by: string; from?: string };
  /**
   * The buttons the announcement carries, where the platform can put them on it: Rerun and
   * Edit & rerun for a video the bot made, Share for a completed task, and Details.
   */
  actions: CardAction[];
}

/** Said when nothing more precise is known about a missing clip. */
export const CLIP_NOT_FETCHED = 'The clip could not be fetched.';

/**
 * The sentence an expired link is worded with: watches stored before `linkExpired` existed
 * say it only this way.
 */
const EXPIRED_LINK_SENTENCE = userMessage(new LinkExpired(410));

/**
 * `notAttached` is the platform's own reason when it refused a clip that was fetched (too
 * large for the channel, upload refused): the announcement then carries the link instead.
 */
export function buildResultView(
  sub: Pick<Subscription, 'requesters' | 'requestedBy' | 'shared'>,
  result: FinishedVideo | TaskFailure,
  notAttached?: string,
): ResultView {
  const askers: Pick<ResultView, 'requesters' | 'requestedBy' | 'shared' | 'actions'> = {
    requesters: [...sub.requesters],
    actions: resultActions(result),
  };
  if (sub.requestedBy !== undefined && sub.requestedBy.length > 0) {
    askers.requestedBy = [...sub.requestedBy];
  }
  if (sub.shared !== undefined) askers.shared = { ...sub.shared };
  if ('reason' in result) return failureView(result, askers);
  const video = result;
  const view: ResultView = {
    taskId: video.task.id,
    outcome: 'video',
    headline: 'is ready',
    modelName: displayName(video.task.model),
    ...askers,
  };
  if (video.task.actualDuration !== undefined) view.clipSeconds = video.task.actualDuration;
  if (video.prompt) view.prompt = video.prompt;
  if (video.file !== undefined && notAttached === undefined) {
    view.fileBytes = video.file.bytes;
    if (video.shareLink !== undefined) view.shareLink = video.shareLink;
    return view;
  }
  // Fetched but not attached here (too large, refused): the share page plays it for as long
  // as the library keeps it, rather than the service's link for a day.
  if (video.file !== undefined && video.shareLink !== undefined) {
    view.reason = notAttached ?? video.fileProblem ?? CLIP_NOT_FETCHED;
    view.outcome = 'link';
    view.caveat = 'but the clip could not be delivered here';
    view.link = { url: video.shareLink };
    return view;
  }
  view.reason = notAttached ?? video.fileProblem ?? CLIP_NOT_FETCHED;
  const url = video.task.videoUrl;
  const expired =
    video.file === undefined &&
    (video.linkExpired === true || video.fileProblem === EXPIRED_LINK_SENTENCE);
  if (url === undefined || url === '' || expired) {
    view.outcome = 'unreachable';
    view.headline = 'finished';
    view.caveat = 'but its video cannot be fetched';
    return view;
  }
  view.outcome = 'link';
  view.caveat = 'but the clip could not be delivered here';
  view.link =
    video.linkExpiresAt === undefined ? { url } : { url, validUntil: video.linkExpiresAt };
  return view;
}

function failureView(
  failure: TaskFailure,
  askers: Pick<ResultView, 'requesters' | 'requestedBy' | 'shared' | 'actions'>,
): ResultView {
  const view: ResultView = {
    taskId: failure.taskId,
    outcome: 'failed',
    headline: 'ended without a video',
    reason: failure.reason,
    ...askers,
  };
  if (failure.task?.model) view.modelName = displayName(failure.task.model);
  return view;
}

/** The same buttons as the ended card's (see `cardActions` in status-view.ts). */
function resultActions(result: FinishedVideo | TaskFailure): CardAction[] {
  const actions: CardAction[] = result.remakeable ? ['rerun', 'edit'] : [];
  const completed = 'reason' in result ? result.task?.status === 'completed' : true;
  if (completed) actions.push('share');
  actions.push('details');
  return actions;
}

/** "VEO 3.1 Fast, 8 s clip": the details every rendering puts in brackets after the headline. */
export function resultDetails(view: ResultView): string {
  const details: string[] = [];
  if (view.modelName) details.push(view.modelName);
  if (view.clipSeconds !== undefined) details.push(`${view.clipSeconds} s clip`);
  return details.join(', ');
}
