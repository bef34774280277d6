import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionOutlook, type OutlookInput } from '../../src/schedule/completion-outlook.ts';
import {
  fillQueueWaitBetween,
  QueuePieces,
  queueWaitBetween,
} from '../../src/schedule/duration-model.ts';
import { estimateCompletion } from '../../src/schedule/estimate.ts';
import {
  emptyTimings,
  type LearnedTimings,
  recordFinishedTask,
} from '../../src/schedule/learned-timings.ts';
import { soraDurations } from '../support/sora-durations.ts';

const created = Date.UTC(2026, 0, 1);
const at = (seconds: number) => created + seconds * 1000;

function learned(): LearnedTimings {
  let timings = emptyTimings();
  for (let i = 0; i < 100; i += 1) {
    timings = recordFinishedTask(timings, {
      queueWaitMs: i * 400,
      processingMs: 90_000 + i * 900,
      clipSeconds: [4, 8, 12][i % 3] ?? 8,
    });
  }
  return timings;
}

/** Queued for a long while, length unknown: a wide bracket, many queue pieces. */
const longQueued: OutlookInput = {
  createdAt: created,
  lastAnswerAt: at(40),
  status: 'queued',
  history: { lastQueuedAt: at(40) },
  durations: soraDurations(),
};

/** Processing since a narrow bracket, 8 s clip: few pieces. */
const processing: OutlookInput = {
  createdAt: created,
  lastAnswerAt: at(90),
  status: 'processing',
  history: { lastQueuedAt: at(12), firstProcessingAt: at(14), lastProcessingAt: at(90) },
  clipSeconds: 8,
  durations: soraDurations(learned()),
};

const moments = Float64Array.from([0, 30, 41, 60, 90, 91.5, 120, 200, 400, 5_000]);

function chances(outlook: CompletionOutlook): [number[], number[]] {
  const running = new Float64Array(moments.length);
  const queued = new Float64Array(moments.length);
  outlook.stillRunningAt(moments, moments.length, running);
  outlook.stillQueuedAt(moments, moments.length, queued);
  return [[...running], [...queued]];
}

describe('CompletionOutlook', () => {
  it('keeps nothing from what it read before', () => {
    for (const [first, second] of [
      [longQueued, processing],
      [processing, longQueued],
    ] as const) {
      const reused = new CompletionOutlook().read(first).read(second);
      const fresh = new CompletionOutlook().read(second);
      assert.equal(reused.runningAt, fresh.runningAt);
      assert.equal(reused.unexplained, fresh.unexplained);
      assert.deepEqual(chances(reused), chances(fresh));
    }
  });

  it('answers a batch of moments as it answers each alone', () => {
    for (const input of [longQueued, processing]) {
      const outlook = new CompletionOutlook().read(input);
      const [running, queued] = chances(outlook);
      const one = new Float64Array(1);
      const answer = new Float64Array(1);
      moments.forEach((seconds, k) => {
        one[0] = seconds;
        outlook.stillRunningAt(one, 1, answer);
        assert.equal(answer[0], running[k]);
        outlook.stillQueuedAt(one, 1, answer);
        assert.equal(answer[0], queued[k]);
      });
    }
  });

  it('reads chances that make sense', () => {
    const [running, queued] = chances(new CompletionOutlook().read(longQueued));
    assert.equal(running[0], 1, 'running up to the last answer');
    for (let k = 1; k < running.length; k += 1) {
      assert.ok((running[k] ?? 0) <= (running[k - 1] ?? 0), 'never rising');
      assert.ok((queued[k] ?? 0) <= (queued[k - 1] ?? 0), 'never rising');
    }
    assert.ok((running.at(-1) ?? 1) < 0.01);
    const [, processingQueued] = chances(new CompletionOutlook().read(processing));
    assert.equal(processingQueued.at(-1), 0);
  });
});

describe('fillQueueWaitBetween', () => {
  it('gives the pieces queueWaitBetween does, in place, however often refilled', () => {
    const into = new QueuePieces();
    for (const timings of [emptyTimings(), learned()]) {
      const model = soraDurations(timings);
      // Wide and narrow brackets, one past every wait the model knows, one inside a bin.
      for (const [after, by] of [
        [0, Number.POSITIVE_INFINITY],
        [12.5, 14.25],
        [100_000, Number.POSITIVE_INFINITY],
        [3.2, 3.7],
        [40, 400],
      ] as const) {
        const filled = fillQueueWaitBetween(model, after, by, into);
        assert.equal(filled, into);
        const pieces = Array.from({ length: filled.count }, (_, p) => ({
          from: filled.from[p],
          to: filled.to[p],
          mass: filled.mass[p],
        }));
        assert.deepEqual(pieces, queueWaitBetween(model, after, by));
      }
    }
  });
});

describe('estimateCompletion, called in turn for many tasks', () => {
  it('gives each task the figures it gets alone', () => {
    const contexts = [longQueued, processing].map((input) => ({
      now: input.lastAnswerAt,
      createdAt: input.createdAt,
      status: input.status,
      history: input.history,
      clipSeconds: input.clipSeconds,
      durations: input.durations,
    }));
    const alone = contexts.map((ctx) => estimateCompletion(ctx));
    const interleaved = [...contexts, ...contexts].map((ctx) => estimateCompletion(ctx));
    assert.deepEqual(interleaved, [...alone, ...alone]);
  });
});
