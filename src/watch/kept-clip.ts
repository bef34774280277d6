/**
 * The team's clip library, as the rest of the bot sees it: every finished clip is kept past
 * the service's one-day link, with what is known of it, until its retention runs out. The
 * tracker hands each downloaded clip over before delivering it (so its share page works when
 * the message appears) and records its places once the deliveries are done; the share pages
 * read from it. Implemented in `media/`, on a local folder or S3-compatible object storage.
 */
import type { Readable } from 'node:stream';

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
  /** The size of its poster, the first frame; absent when none could be made. */
  posterBytes?: number;
}

/** What the one who hands a clip over knows of it; the library adds the rest. */
export type ClipFacts = Omit<KeptClip, 'bytes' | 'keptAt' | 'posterBytes'>;

/** Bytes `start` to `end` of a file, both included (as HTTP's Range counts them). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Kept bytes being read: the stream, and the whole file's size (a range is a part of it). */
export interface StoredBytes {
  body: Readable;
  bytes: number;
}

export interface ClipLibrary {
  /**
   * Takes the finished clip at `file` (moved, or copied then removed: the caller is done with
   * it) under its task id, with its facts; a clip already kept is replaced.
   */
  keep(file: string, clip: ClipFacts): Promise<KeptClip>;
  /**
   * Writes what is known of a kept clip now (its places, once its deliveries are done), its
   * bytes untouched; undefined when it is not kept.
   */
  update(clip: ClipFacts): Promise<KeptClip | undefined>;
  /** The facts of a kept clip, or undefined when none is kept (never kept, or swept). */
  find(taskId: string): Promise<KeptClip | undefined>;
  /** Reads the kept clip, whole or the bytes of `range`; undefined when it is not kept. */
  readVideo(taskId: string, range?: ByteRange): Promise<StoredBytes | undefined>;
  /** Reads the clip's poster (its first frame), whole or a range; undefined when it has none. */
  readPoster(taskId: string, range?: ByteRange): Promise<StoredBytes | undefined>;
  /** Every kept clip, newest first. */
  list(): Promise<KeptClip[]>;
}
