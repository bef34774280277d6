/**
 * When to ask about a task next: a pure function of the task, what polling saw of it, the
 * last outcome and the learned timings, with the time and the jitter handed in.
 *
 * Each poll is placed where the expected delay it would save is worth one request: the
 * expected delay of completions since the last answer, were the next poll at t, grows with t;
 * the poll goes where it reaches `pollCostMs`. Where an end is unlikely (just after creation,
 * between the typical ends of short and long clips) polls spread out; where it is likely
 * they come close together. While the task is queued the same rule, with its own price, asks
 * when processing starts: knowing that start narrows the end a lot.
 */
import type { Random } from '../clock.ts';
import { fullJitterDelay } from '../sora/backoff.ts';
import { isTerminal } from '../sora/task.ts';
import { CompletionOutlook } from './completion-outlook.ts';
import type { DurationModel } from './duration-model.ts';
import type { PollOutcome, TaskProgress } from './port.ts';

export interface PollContext extends TaskProgress {
  /** What the poll just made got back. */
  lastOutcome: PollOutcome;
  /** Failed polls in a row, the last one included. */
  consecutiveFailures: number;
  /** How long tasks of this model take: documented, sharpened by finished tasks. */
  durations: DurationModel;
  random: Random;
}

export interface ScheduleOptions {
  /** No poll follows another sooner than this. */
  minDelayMs?: number;
  /** No poll waits longer than this. */
  maxDelayMs?: number;
  /** How much expected delay to the end's discovery one request is worth. */
  pollCostMs?: number;
  /** The same for the discovery of the start of processing, while the task is queued. */
  queuePollCostMs?: number;
  /** The first back-off after a failed poll is up to this long; it doubles per failure. */
  backoffBaseMs?: number;
  /**
   * A task that has outrun everything the model knows is asked after at least this share of
   * its age: a stuck task is polled ever more rarely, not every few seconds for hours.
   */
  overdueAgeShare?: number;
}

export const SCHEDULE_DEFAULTS = {
  minDelayMs: 2_000,
  maxDelayMs: 300_000,
  pollCostMs: 175,
  queuePollCostMs: 4_000,
  backoffBaseMs: 5_000,
  overdueAgeShare: 0.1,
} as const satisfies Required<ScheduleOptions>;

const MS = 1000;
/** The grid the expected delay is summed on: fine enough for polls seconds apart... */
const STEP_SECONDS = 1;
/** ...unless the sum spans long (after an outage): then coarser, to stay cheap. */
const MAX_STEPS = 1_000;

/** Moments asked about per call: a few wasted past the answer, against a call per step. */
const BATCH = 8;

const NO_OPTIONS: ScheduleOptions = Object.freeze({});
// Refilled for every poll, which is done with them before the next one starts.
const scratchOutlook = new CompletionOutlook();
const moments = new Float64Array(BATCH);
const chances = new Float64Array(BATCH);

/** Milliseconds until the next poll, in [minDelayMs, maxDelayMs]. */
export function nextPollDelay(ctx: PollContext, options: ScheduleOptions = NO_OPTIONS): number {
  // Most callers pass no options: the defaults then serve as they are, with no merged copy.
  const o: Required<ScheduleOptions> =
    options === NO_OPTIONS ? SCHEDULE_DEFAULTS : { ...SCHEDULE_DEFAULTS, ...options };
  const planned = plannedDelay(ctx, o);
  if (ctx.lastOutcome === 'answer') return planned;
  // The client already waited out any Retry-After within its own retries: back off further.
  const backoff = fullJitterDelay(
    Math.max(1, ctx.consecutiveFailures),
    { baseMs: o.backoffBaseMs, capMs: o.maxDelayMs },
    ctx.random,
  );
  return Math.max(planned, clamp(backoff, o.minDelayMs, o.maxDelayMs));
}

/** The delay the task's progress calls for, failures aside. */
function plannedDelay(ctx: PollContext, o: Required<ScheduleOptions>): number {
  if (ctx.status !== undefined && isTerminal(ctx.status)) return o.maxDelayMs;
  if (ctx.createdAt === undefined) return o.minDelayMs;
  const createdAt = ctx.createdAt;
  const { history } = ctx;
  const lastAnswerAt =
    ctx.lastOutcome === 'answer'
      ? ctx.now
      : Math.max(
          createdAt,
          history.lastQueuedAt ?? createdAt,
          history.lastProcessingAt ?? createdAt,
        );
  const outlook = scratchOutlook.read({
    createdAt,
    lastAnswerAt,
    history,
    durations: ctx.durations,
    status: ctx.status,
    clipSeconds: ctx.clipSeconds,
  });
  const now = (ctx.now - createdAt) / MS;
  const latest = now + o.maxDelayMs / MS;
  let next = whereDelayIsWorthAPoll(outlook, notEnded, o.pollCostMs, latest);
  if (ctx.status === 'queued') {
    next = Math.min(next, whereDelayIsWorthAPoll(outlook, notStarted, o.queuePollCostMs, latest));
  }
  // Weighted by how likely the task is to be such a stray, so the slow-down sets in smoothly.
  const overdueFloor = o.overdueAgeShare * now * outlook.unexplained;
  const delay = Math.max(next - now, overdueFloor);
  return clamp(Math.round(delay * MS), o.minDelayMs, o.maxDelayMs);
}

/** The chances that the event a poll looks for has not happened by each of some moments. */
type NotYet = (
  outlook: CompletionOutlook,
  times: Float64Array,
  count: number,
  chances: Float64Array,
) => void;

const notEnded: NotYet = (outlook, times, count, chances) =>
  outlook.stillRunningAt(times, count, chances);
const notStarted: NotYet = (outlook, times, count, chances) =>
  outlook.stillQueuedAt(times, count, chances);

/**
 * The first moment (seconds after creation) at which a poll would find, on average, this
 * much delay since the event: the integral from the last answer of the chance the event has
 * happened. The grid does not depend on the chances, so a few moments are laid out ahead and
 * the outlook is asked for them in one call.
 */
function whereDelayIsWorthAPoll(
  outlook: CompletionOutlook,
  notYet: NotYet,
  costMs: number,
  until: number,
): number {
  const cost = costMs / MS;
  const from = outlook.runningAt;
  moments[0] = from;
  notYet(outlook, moments, 1, chances);
  let at = from;
  let happened = 1 - (chances[0] ?? 0);
  let expectedDelay = 0;
  const step = Math.max(STEP_SECONDS, (until - from) / MAX_STEPS);
  while (at < until) {
    let count = 0;
    for (let ahead = at; count < BATCH && ahead < until; count += 1) {
      moments[count] = ahead + step;
      ahead += step;
    }
    notYet(outlook, moments, count, chances);
    for (let k = 0; k < count; k += 1) {
      const nextHappened = 1 - (chances[k] ?? 0);
      const added = ((happened + nextHappened) / 2) * step;
      if (expectedDelay + added >= cost) return at + (step * (cost - expectedDelay)) / added;
      expectedDelay += added;
      happened = nextHappened;
      at += step;
    }
  }
  return until;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
