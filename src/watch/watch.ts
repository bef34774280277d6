/**
 * What the tracker remembers, and the port it keeps it through.
 *
 * A `Watch` is one task with everything needed to carry on after a restart: its
 * subscriptions, last seen state, observed history, next poll time and delivery progress.
 * Every field is plain JSON, so any Keyv backend can store it as is.
 */
import type { CreateRequest } from '../models/index.ts';
import type { ObservedHistory } from '../schedule/index.ts';
import type { VideoTask } from '../sora/task.ts';

export type { ObservedHistory };

/** Where the final result of one subscription stands. Written before and after each delivery. */
export type DeliveryState =
  /** Not delivered yet. */
  | 'pending'
  /** A delivery began; after a crash it is tried again (the platform may show it twice). */
  | 'started'
  | 'done'
  /** The place is gone (deleted channel, revoked token): nothing more is sent there. */
  | 'abandoned';

/** A file upload of one delivery, as far as it went. */
export interface DeliveryUpload {
  /** The platform's id of the file (Slack: the `file_id` of `files.getUploadURLExternal`). */
  fileId: string;
  /**
   * Set just before the file is shared into the channel. From then on the share may have
   * happened even without an answer, so it is never asked for again: only looked for.
   */
  sharing?: boolean;
}

/**
 * Lets an adapter keep how far a delivery went in the watch's record; each call resolves once
 * the store holds it, so the step after it may begin.
 */
export interface DeliveryProgress {
  recordUpload(upload: DeliveryUpload): Promise<void>;
}

/**
 * A private answer the asker is still waiting for: Discord's deferred reply to a slash
 * command, finished by editing it while its token lasts (15 min). Kept with the subscription
 * until then, so an answer cut off by a crash is finished after the restart.
 */
export interface PendingReply {
  /** What the adapter needs to finish it (Discord: the interaction token). Never logged. */
  ref: string;
  /** When it can no longer be finished (ms). */
  until: number;
}

/** One place that wants to hear about one task. */
export interface Subscription {
  /**
   * The place, serialised by its adapter: "slack:C0123:1718000000.0001", "discord:123456789",
   * "shell:terminal". The prefix before the first ":" routes it back to its adapter.
   */
  target: string;
  /** Who asked, in the platform's own ids, first asker first. */
  requesters: string[];
  /**
   * Who asked from outside the chat ("ci-pipeline"), as plain-text labels that are shown but
   * never mentioned. Absent in watches stored before it existed, and when nobody such asked.
   */
  requestedBy?: string[];
  /** The adapter's reference to the status message it edits, once posted. */
  statusMessage?: string;
  /**
   * How many of this place's status messages people deleted, and the last one's reference.
   * The first deletion gets a fresh card (the askers are still waiting); after a second the
   * place gets no card, only the result. Absent until a card is deleted.
   */
  deletedCards?: { count: number; last: string };
  /** A fingerprint of the last view shown, so an unchanged view is not sent again. */
  lastViewKey?: string;
  /** When the status message was last posted or edited (ms), for coalescing edits. */
  lastShownAt?: number;
  delivery: DeliveryState;
  deliveryAttempts: number;
  /**
   * The file this delivery handed to the platform (Slack), saved before its bytes go out, so
   * a restart looks at that file instead of posting the clip again. Absent in watches stored
   * before it existed and on platforms that need no such record.
   */
  upload?: DeliveryUpload;
  /** A link to the message that carries the result here, once posted, for the card to show. */
  resultLink?: string;
  /** The last asker's answer, while it can still be finished after a restart. */
  pendingReply?: PendingReply;
  /**
   * A clip someone shared here from another place: who (a platform user id, shown, not
   * notified) and a link back to where it was first posted, when there is one.
   */
  shared?: { by: string; from?: string };
  /** When this subscription was added (ms). */
  since: number;
}

/** What happens to the watch now. */
export type WatchPhase = 'polling' | 'downloading' | 'delivering' | 'finished';

export interface Watch {
  taskId: string;
  subscriptions: Subscription[];
  /** When the first subscription arrived (ms). */
  startedAt: number;
  /** The task as last seen; absent until the first successful poll. */
  task?: VideoTask;
  history: ObservedHistory;
  /** Clip length in seconds when known before completion (the bot created the task). */
  clipSeconds?: number;
  /** The prompt, when known (the bot created the task, or the intake was told). */
  prompt?: string;
  /**
   * What the task was created with, when the bot created it: the card shows its parameters,
   * and its buttons offer a rerun.
   */
  request?: CreateRequest;
  phase: WatchPhase;
  /** When the next poll is due (ms). */
  nextPollAt: number;
  polls: number;
  /** Failed polls in a row, for back-off; reset by a good answer. */
  consecutiveFailures: number;
  /** Polls in a row that found the (once known) task gone. */
  notFoundInARow?: number;
  /** The downloaded clip, once on disk. */
  video?: { path: string; bytes: number };
  /** Why the clip could not be fetched (too large, link expired...): one sentence for people. */
  videoProblem?: string;
  /** Set when the link itself had expired: there is then no link worth showing either. */
  linkExpired?: boolean;
  /** Requests to the link that failed for a passing reason, counted against one budget. */
  downloadAttempts?: number;
  /** Why the watch ended without a video, once it has. */
  endReason?: string;
}

/**
 * Where watches live. `listActive` reads an explicit index (never a store-wide scan), and a
 * store outage is an error, never read as "no such watch".
 */
export interface WatchStore {
  get(taskId: string): Promise<Watch | undefined>;
  /** Creates or replaces the watch and keeps the active index in step with its phase. */
  put(watch: Watch): Promise<void>;
  delete(taskId: string): Promise<void>;
  /** Every watch not yet finished. */
  listActive(): Promise<Watch[]>;
  close(): Promise<void>;
}
