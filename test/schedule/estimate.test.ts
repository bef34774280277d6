import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EstimateContext, estimateCompletion } from '../../src/schedule/estimate.ts';
import type { ObservedHistory } from '../../src/schedule/history.ts';
import {
  emptyTimings,
  type LearnedTimings,
  recordFinishedTask,
} from '../../src/schedule/learned-timings.ts';
import { soraDurations } from '../support/sora-durations.ts';

const created = Date.UTC(2026, 0, 1);
const at = (seconds: number) => created + seconds * 1000;

/** 100 finished 8 s clips: queued 0–40 s, processed `fromMs` on, 100 samples `stepMs` apart. */
function learned(fromMs: number, stepMs: number): LearnedTimings {
  let timings = emptyTimings();
  for (let i = 0; i < 100; i += 1) {
    timings = recordFinishedTask(timings, {
      queueWaitMs: i * 400,
      processingMs: fromMs + i * stepMs,
      clipSeconds: 8,
    });
  }
  return timings;
}

function processingSince20(seconds: number): ObservedHistory {
  return { lastQueuedAt: at(15), firstProcessingAt: at(20), lastProcessingAt: at(seconds) };
}

function running8(seconds: number, timings: LearnedTimings): EstimateContext {
  return {
    now: at(seconds),
    createdAt: created,
    status: 'processing',
    history: processingSince20(seconds),
    clipSeconds: 8,
    durations: soraDurations(timings),
  };
}

describe('estimateCompletion', () => {
  it('counts down as time passes, progress rising within [0, 1]', () => {
    const timings = learned(150_000, 600);
    const estimates = [30, 60, 120, 180].map((s) => estimateCompletion(running8(s, timings)));
    assert.deepEqual(
      estimates.map((e) => e.remainingMs),
      [167_351, 137_363, 77_396, 23_915],
    );
    assert.deepEqual(
      estimates.map((e) => e.progress?.toFixed(3)),
      ['0.152', '0.304', '0.608', '0.883'],
    );
    for (const e of estimates) {
      assert.equal(e.totalMs, (e.remainingMs ?? 0) + (e.progress ?? 0) * (e.totalMs ?? 0));
    }
  });

  it('follows what finished tasks took, not only the documented estimates', () => {
    assert.equal(estimateCompletion(running8(30, emptyTimings())).totalMs, 207_480);
    // Learned 8 s clips that process in 100–130 s.
    assert.equal(estimateCompletion(running8(30, learned(100_000, 300))).totalMs, 132_656);
  });

  it('before the first answer, takes the task as just created', () => {
    assert.deepEqual(estimateCompletion({ now: at(0), history: {}, durations: soraDurations() }), {
      remainingMs: 204_840,
      totalMs: 204_840,
      progress: 0,
    });
    const fourSeconds = estimateCompletion({
      now: at(0),
      history: {},
      clipSeconds: 4,
      durations: soraDurations(),
    });
    assert.equal(fourSeconds.remainingMs, 118_512);
  });

  it('gives sensible figures for a status the docs do not list', () => {
    const estimate = estimateCompletion({
      now: at(50),
      createdAt: created,
      status: 'in_progress',
      history: {},
      durations: soraDurations(),
    });
    assert.equal(estimate.remainingMs, 155_871);
    assert.ok(estimate.progress !== undefined && estimate.progress > 0 && estimate.progress < 1);
  });

  it('is done once the task is', () => {
    const estimate = estimateCompletion({
      now: at(300),
      createdAt: created,
      status: 'completed',
      history: { finishedSeenAt: at(250) },
      durations: soraDurations(),
    });
    assert.deepEqual(estimate, { remainingMs: 0, totalMs: 250_000, progress: 1 });
  });

  it('makes up no figure for a task that has outrun everything known', () => {
    const estimate = estimateCompletion({
      now: at(7_200),
      createdAt: created,
      status: 'processing',
      history: processingSince20(7_200),
      clipSeconds: 12,
      durations: soraDurations(),
    });
    assert.deepEqual(estimate, { remainingMs: undefined, totalMs: undefined, progress: undefined });
  });
});
