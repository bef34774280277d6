/**
 * A watch store operation that did not happen: the backend is unreachable or failed, the
 * stored data is unreadable, or the store is closed. The tracker treats every one alike (the
 * state it meant to read or write is unknown, so it must not act on a guess); the original
 * error is kept as `cause` for the log. Messages name keys, never connection details.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}
