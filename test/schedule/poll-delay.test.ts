import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelInfo } from '../../src/models/index.ts';
import { buildDurationModel } from '../../src/schedule/duration-model.ts';
import type { ObservedHistory } from '../../src/schedule/history.ts';
import {
  emptyTimings,
  type LearnedTimings,
  recordFinishedTask,
} from '../../src/schedule/learned-timings.ts';
import {
  nextPollDelay,
  type PollContext,
  SCHEDULE_DEFAULTS,
  type ScheduleOptions,
} from '../../src/schedule/poll-delay.ts';

const created = Date.UTC(2026, 0, 1);
/** The moment `seconds` after the task's creation. */
const at = (seconds: number) => created + seconds * 1000;
const SORA = modelInfo('openAiSora2Plus');

type Overrides = Partial<Omit<PollContext, 'durations'>> & { timings?: LearnedTimings };

/** A Sora task's context; `timings` are what was learned of Sora tasks so far. */
function context(overrides: Overrides = {}): PollContext {
  const { timings = emptyTimings(), ...rest } = overrides;
  return {
    now: at(30),
    createdAt: created,
    status: 'processing',
    history: {},
    lastOutcome: 'answer',
    consecutiveFailures: 0,
    durations: buildDurationModel(SORA, timings),
    random: () => 0.5,
    ...rest,
  };
}

/** 100 finished 8 s clips: queued 0–40 s, processed 150–210 s. */
function learnedEightSecondClips(): LearnedTimings {
  let timings = emptyTimings();
  for (let i = 0; i < 100; i += 1) {
    timings = recordFinishedTask(timings, {
      queueWaitMs: i * 400,
      processingMs: 150_000 + i * 600,
      clipSeconds: 8,
    });
  }
  return timings;
}

/** Queued until 15 s, processing from 20 s, still processing at `seconds`. */
function processingSince20(seconds: number): ObservedHistory {
  return { lastQueuedAt: at(15), firstProcessingAt: at(20), lastProcessingAt: at(seconds) };
}

/** Polls a task that queues 20 s and processes 180 s, from 10 s on: [polls, delay in s]. */
function follow(timings: LearnedTimings, clipSeconds?: number): [number, number] {
  const end = 200;
  const history: ObservedHistory = {};
  let seconds = 10;
  let polls = 0;
  for (;;) {
    polls += 1;
    if (seconds >= end) return [polls, Number((seconds - end).toFixed(2))];
    const status = seconds < 20 ? 'queued' : 'processing';
    if (status === 'queued') history.lastQueuedAt = at(seconds);
    else {
      history.firstProcessingAt ??= at(seconds);
      history.lastProcessingAt = at(seconds);
    }
    const clip = clipSeconds === undefined ? {} : { clipSeconds };
    const delay = nextPollDelay(
      context({ now: at(seconds), status, history: { ...history }, ...clip, timings }),
    );
    seconds += delay / 1000;
  }
}

describe('nextPollDelay', () => {
  it('spends no poll before a known 12 s clip can plausibly be done', () => {
    const seenProcessing = context({
      history: { lastQueuedAt: at(20), firstProcessingAt: at(30), lastProcessingAt: at(30) },
      clipSeconds: 12,
    });
    assert.equal(nextPollDelay(seenProcessing), 109_373);
  });

  it('while queued, asks only as often as it takes to see processing start', () => {
    const queued = context({
      now: at(5),
      status: 'queued',
      history: { lastQueuedAt: at(5) },
      clipSeconds: 12,
    });
    assert.equal(nextPollDelay(queued), 14_136);
    // Without that interest, the first poll would wait for the end alone.
    assert.equal(nextPollDelay(queued, { queuePollCostMs: Number.POSITIVE_INFINITY }), 122_310);
  });

  it('polls densely where completion is likely, sparsely before', () => {
    const timings = learnedEightSecondClips();
    const delays = [20, 60, 120, 160, 180, 200, 230].map((seconds) =>
      nextPollDelay(
        context({ now: at(seconds), history: processingSince20(seconds), clipSeconds: 8, timings }),
      ),
    );
    assert.deepEqual(delays, [137_480, 102_826, 45_678, 8_829, 4_106, 3_102, 2_056]);
  });

  it('learned timings narrow the window: fewer polls, less delay', () => {
    assert.deepEqual(follow(emptyTimings(), 8), [15, 2.61]);
    assert.deepEqual(follow(learnedEightSecondClips(), 8), [12, 0.36]);
    // An unknown length is a mixture of every length seen; learning sharpens it too.
    assert.deepEqual(follow(emptyTimings()), [19, 2.95]);
    assert.deepEqual(follow(learnedEightSecondClips()), [13, 0.9]);
  });

  it('stays within its bounds, whatever the task and the outcome', () => {
    const options: ScheduleOptions = { minDelayMs: 3_000, maxDelayMs: 120_000 };
    const timings = [emptyTimings(), learnedEightSecondClips()];
    const outcomes: PollContext['lastOutcome'][] = ['answer', 'failure'];
    let checked = 0;
    for (const seconds of [0, 1, 10, 45, 90, 150, 200, 300, 600, 3_600, 86_400]) {
      for (const status of ['queued', 'processing', 'in_progress', undefined]) {
        for (const clipSeconds of [undefined, 4, 8, 12, 20]) {
          for (const outcome of outcomes) {
            for (const random of [() => 0, () => 0.999999]) {
              const delay = nextPollDelay(
                context({
                  now: at(seconds),
                  ...(status === undefined ? {} : { status }),
                  history: status === 'queued' ? { lastQueuedAt: at(seconds) } : {},
                  ...(clipSeconds === undefined ? {} : { clipSeconds }),
                  lastOutcome: outcome,
                  consecutiveFailures: outcome === 'answer' ? 0 : 9,
                  timings: timings[seconds % 2] ?? emptyTimings(),
                  random,
                }),
                options,
              );
              assert.ok(delay >= 3_000 && delay <= 120_000, `${delay} ms at ${seconds} s`);
              checked += 1;
            }
          }
        }
      }
    }
    assert.equal(checked, 11 * 4 * 5 * 2 * 2);
  });

  it('slows down for a task that has outrun everything known', () => {
    const delays = [600, 1_800, 7_200].map((seconds) =>
      nextPollDelay(context({ now: at(seconds), history: processingSince20(seconds) })),
    );
    assert.deepEqual(delays, [58_378, 180_000, SCHEDULE_DEFAULTS.maxDelayMs]);
  });

  it('backs off exponentially with full jitter after failures, within bounds', () => {
    const dense = context({
      now: at(180),
      history: processingSince20(180),
      clipSeconds: 8,
      timings: learnedEightSecondClips(),
    });
    // An error and a 429 alike: the client has already waited out any Retry-After.
    const failed = (consecutiveFailures: number, random: () => number) =>
      nextPollDelay({ ...dense, lastOutcome: 'failure', consecutiveFailures, random });
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => failed(n, () => 0.999999)),
      [4_999, 9_999, 19_999, 39_999, 79_999, 159_999, 299_999, 299_999],
    );
    // The lowest pick falls back on the task's own schedule, never sooner.
    assert.deepEqual(
      [1, 5].map((n) => failed(n, () => 0)),
      [4_106, 4_106],
    );
  });

  it('before the first answer, retries a failed first poll with back-off', () => {
    const unseen = { createdAt: undefined, status: undefined };
    assert.equal(nextPollDelay(context(unseen)), SCHEDULE_DEFAULTS.minDelayMs);
    assert.equal(
      nextPollDelay(
        context({
          ...unseen,
          lastOutcome: 'failure',
          consecutiveFailures: 1,
          random: () => 0.999999,
        }),
      ),
      4_999,
    );
  });

  it('has nothing to ask about a finished task', () => {
    assert.equal(nextPollDelay(context({ status: 'completed' })), SCHEDULE_DEFAULTS.maxDelayMs);
  });
});
