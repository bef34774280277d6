/**
 * How long to wait before the next attempt of one HTTP request. Shared by the API client
 * and the video download; the tracker's poll schedule is a different thing.
 */
import type { Random } from '../clock.ts';

export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  baseMs: number;
  /** No wait is longer than this, whatever the attempt or the server asks. */
  capMs: number;
}

/**
 * "Full jitter": a uniform pick in [0, min(cap, base · 2^(attempt-1))]. Spreads retries of
 * many callers so they do not hit the server again in lockstep.
 */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: Random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Reads a `Retry-After` header (delay in seconds, or an HTTP date) as milliseconds from
 * `nowMs`. Undefined when absent or unreadable, so the caller falls back to back-off.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) {
    return Math.round(Number(value) * 1000);
  }
  // An HTTP date names its weekday and month; Date.parse alone would also take "-5" as a year.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
