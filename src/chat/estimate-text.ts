/**
 * An estimate as a person says it. The schedule's figure is a guess: "3 min 25 s" claims a
 * precision it does not have and changes on every edit, so it is rounded the way people
 * round, coarser the further away the end is.
 */

const MINUTE = 60_000;

/** Below this the end is due at the next poll or two. */
const ANY_MOMENT_MS = 15_000;
/** From here on, whole minutes turn into the nearest five. */
const FIVE_MINUTE_STEPS_FROM_MS = 10 * MINUTE;

/** "any moment now", "under a minute", "about 3 min", "about 15 min", "about 1 h 5 min". */
export function spokenEstimate(ms: number): string {
  if (ms < ANY_MOMENT_MS) return 'any moment now';
  if (ms < MINUTE) return 'under a minute';
  const minutes =
    ms < FIVE_MINUTE_STEPS_FROM_MS
      ? Math.max(1, Math.round(ms / MINUTE))
      : Math.round(ms / (5 * MINUTE)) * 5;
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

/**
 * The estimate as a phrase of its own: "about 3 min left", "under a minute left", "any
 * moment now". Where a label already says "left" (a "Time left" field), use
 * `spokenEstimate` instead, or the reader sees "left" twice.
 */
export function timeLeftPhrase(ms: number): string {
  const spoken = spokenEstimate(ms);
  return ms < ANY_MOMENT_MS ? spoken : `${spoken} left`;
}
