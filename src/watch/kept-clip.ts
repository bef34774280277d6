/**
 * The team's clip library, as the rest of the bot sees it: every finished clip is kept past
 * the service's one-day link, with what is known of it, until its retention runs out. The
 * tracker hands each downloaded clip over once its deliveries are done; the share pages read
 * from it. Implemented in `media/` (a local folder; object storage later).
 */

/** One place a clip was posted in. */
export interface ClipPlace {
  /** The subscription target ("slack:C0123", "discord:123…"). */
  target: string;
  /** A link to the message that carries it there, when the platform gave one. */
  link?: string;
  /** Who asked there, in the platform's own ids. */
  requesters: string[];
}

export interface KeptClip {
  taskId: string;
  /** The service's model id. */
  model?: string;
  prompt?: string;
  /** Clip length in seconds, as the service reports it. */
  clipSeconds?: number;
  /** The file's size. */
  bytes: number;
  places: ClipPlace[];
  /** Who asked from outside the chat ("ci-pipeline"). */
  requestedBy?: string[];
  /** When the service created the task (ms). */
  createdAt?: number;
  /** When the bot first saw it completed (ms). */
  completedAt?: number;
  /** When the library took it (ms): its retention counts from here. */
  keptAt: number;
}

export interface ClipLibrary {
  /**
   * Takes the finished clip at `file` (moved, or copied then removed: the caller is done with
   * it) under its task id, with its facts; a clip already kept is replaced.
   */
  keep(file: string, clip: Omit<KeptClip, 'bytes' | 'keptAt'>): Promise<KeptClip>;
  /** The facts of a kept clip, or undefined when none is kept (never kept, or swept). */
  find(taskId: string): Promise<KeptClip | undefined>;
  /** The clip's file on this machine, to stream; undefined when it is not kept. */
  videoFile(taskId: string): Promise<{ path: string; bytes: number } | undefined>;
  /** Every kept clip, newest first. */
  list(): Promise<KeptClip[]>;
}
