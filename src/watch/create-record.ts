/**
 * What the bot remembers of each create it sends, by its idempotency key, so the same
 * submission (a double click, a retried form, an `Idempotency-Key` sent again, a retry after
 * a crash) never starts a second video.
 */

export type CreateRecord =
  /**
   * Written before the request goes out. Found later without a task id, the request may or
   * may not have reached the service: it is never sent again under this key.
   */
  | { key: string; state: 'sending'; at: number }
  /** The service answered with this task. */
  | { key: string; state: 'created'; at: number; taskId: string };

/** The port the records are kept through; every backend of the watch store offers it. */
export interface CreateRecordStore {
  getCreate(key: string): Promise<CreateRecord | undefined>;
  /** Keeps the record for `keepMs`; a later put under the same key replaces it. */
  putCreate(record: CreateRecord, keepMs: number): Promise<void>;
  /** Forgets a create the service surely refused, so the same key may be sent again. */
  deleteCreate(key: string): Promise<void>;
}

/** A create under this key was sent before and its answer never came: it is not sent again. */
export class CreateInDoubt extends Error {
  constructor(at: number) {
    super(
      `A video request with this key was sent at ${new Date(at).toISOString()} and its answer was lost, so it may have started; it is not sent again. Check your tasks at the service, or send it with a new key.`,
    );
    this.name = 'CreateInDoubt';
  }
}
