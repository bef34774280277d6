/**
 * The seam between the tracker and the chat platforms. The tracker calls nothing else of an
 * adapter; an adapter never calls the Sora API.
 */
import type { VideoTask } from '../sora/task.ts';
import type { DeliveryProgress, PendingReply, Subscription } from '../watch/watch.ts';
import type { Command, Reply } from './commands.ts';
import type { StatusView } from './status-view.ts';

/** Runs a parsed command for an adapter and says what to answer the asker. */
export type CommandHandler = (command: Command) => Promise<Reply>;

/** A finished task, ready to be announced. */
export interface FinishedVideo {
  task: VideoTask;
  /** The clip on disk, shared by every delivery of this task; absent when it could not be fetched. */
  file?: { path: string; bytes: number };
  /** Why there is no file (too large, link expired...): one sentence for people. */
  fileProblem?: string;
  /** The service's link had expired when the clip was fetched: no link is shown either. */
  linkExpired?: boolean;
  /** The earliest moment the API's link may stop working (ms). */
  linkExpiresAt?: number;
  /** The prompt, when known. */
  prompt?: string;
  /** The bot made the task and knows its request: its result offers Rerun and Edit & rerun. */
  remakeable?: true;
  /** The clip's share page, kept past the service's one-day link (the clip library). */
  shareLink?: string;
}

/** A task that ended without a video: it failed, or the watch gave up on it. */
export interface TaskFailure {
  taskId: string;
  task?: VideoTask;
  /** One sentence for people: the API's error, or why the watch ended. */
  reason: string;
  /** As for `FinishedVideo`. */
  remakeable?: true;
}

export interface ChatAdapter {
  /** The target prefix this adapter owns ("slack", "discord", "shell"). */
  readonly platform: string;
  start(onCommand: CommandHandler): Promise<void>;
  stop(): Promise<void>;
  /** Whether the platform connection is up now (gateway session, socket, listening server). */
  connected(): boolean;
  /**
   * Posts the status message (when `sub.statusMessage` is unset) or edits it; returns the
   * message reference to keep. May return a new reference when an old message can no
   * longer be edited. Throws `CardDeleted` when the message was deleted.
   */
  showStatus(sub: Subscription, view: StatusView): Promise<string>;
  /**
   * Posts the finished clip (or its link) with a mention of every requester. An adapter
   * whose upload takes several calls reports each step through `progress` (saved before it
   * goes on), so a retry after a crash can look before it posts again. Resolves to a link to
   * the posted message, when the platform has one: the status card then points at it.
   */
  deliverVideo(
    sub: Subscription,
    video: FinishedVideo,
    progress?: DeliveryProgress,
  ): Promise<string | undefined>;
  /** Posts why the task ended without a video, mentioning every requester; resolves as above. */
  deliverFailure(sub: Subscription, failure: TaskFailure): Promise<string | undefined>;
  /**
   * Finishes an answer a restart cut off (see `PendingReply`) with `text` and a link to the
   * place's card. Best effort: an answer that can no longer be finished is let go.
   */
  finishReply?(sub: Subscription, reply: PendingReply, text: string): Promise<void>;
}

/**
 * Thrown by an adapter when the place is gone for good (deleted channel, revoked token,
 * bot removed): the tracker then stops sending there instead of retrying.
 */
export class PlaceGone extends Error {
  /** What the asker can do about it, when a person can ("invite the bot to this channel"). */
  readonly advice: string | undefined;

  constructor(message: string, options: { cause?: unknown; advice?: string } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.advice = options.advice;
  }
}

/**
 * Thrown by `showStatus` when someone deleted the status message: the place is still there,
 * so the tracker decides whether to post a fresh card (once) or leave the place without one.
 */
export class CardDeleted extends Error {}

/**
 * Thrown to the asker when the bot cannot post where it was asked: no watch is kept for the
 * place, and `message` says what to do.
 */
export class CannotPostHere extends Error {}

/** The platform prefix of a subscription target: "slack" for "slack:C0123". */
export function platformOf(target: string): string {
  const colon = target.indexOf(':');
  return colon === -1 ? target : target.slice(0, colon);
}
