/**
 * Small records the bot keeps beside its watches for a while (each day's spending, what a
 * created task was asked with), by kind and id, on every backend of the watch store. What a
 * record holds is its owner's business: each reads it back through its own check, since a
 * record may have been written by an older version of the bot.
 */
export interface KeptRecordStore {
  /** The record of this kind and id, or undefined when there is none or it has expired. */
  getKept(kind: string, id: string): Promise<unknown>;
  /** Keeps `value` (plain JSON) for `keepMs`; a later put under the same kind and id replaces it. */
  putKept(kind: string, id: string, value: object, keepMs: number): Promise<void>;
  deleteKept(kind: string, id: string): Promise<void>;
}
