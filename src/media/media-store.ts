/**
 * Where the clip library puts its bytes: a folder on this machine (the default) or a bucket of
 * S3-compatible object storage. Flat keys (`<task id>.mp4`, `.jpg`, `.json`); the library
 * decides what they mean, a store only moves bytes.
 */
import type { ByteRange, StoredBytes } from '../watch/kept-clip.ts';

export interface MediaStore {
  /** Where the bytes go, for the log ("folder /data/library", "s3://bucket/prefix"). */
  readonly description: string;
  /** Stores the file at `file` under `key`; the file may be moved away (the caller is done with it). */
  putFile(key: string, file: string, contentType: string): Promise<void>;
  /** Stores a small text under `key`, replacing what was there as one step. */
  putText(key: string, text: string, contentType: string): Promise<void>;
  /** The bytes under `key` (all, or the inclusive `range`), or undefined when there are none. */
  read(key: string, range?: ByteRange): Promise<StoredBytes | undefined>;
  /** The text under `key`, or undefined when there is none. */
  readText(key: string): Promise<string | undefined>;
  /** Removes `key`; nothing happens when it is not there. */
  remove(key: string): Promise<void>;
  /** Every key the store holds. */
  keys(): Promise<string[]>;
}
