import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleFinishedTask as sampleWith } from '../../src/schedule/finished-task-sample.ts';
import {
  emptyTimings,
  type LearnedTimings,
  recordFinishedTask,
  TIMINGS_DEFAULTS,
} from '../../src/schedule/learned-timings.ts';
import type { FinishedTask } from '../../src/schedule/port.ts';
import { soraDurations } from '../support/sora-durations.ts';

/** A finished Sora task's sample, read with what was learned of Sora tasks so far. */
const sampleFinishedTask = (finished: FinishedTask, timings: LearnedTimings = emptyTimings()) =>
  sampleWith(finished, soraDurations(timings));

const created = Date.UTC(2026, 0, 1);
const at = (seconds: number) => created + seconds * 1000;

function learned(clipSeconds: number, processingMs: (i: number) => number): LearnedTimings {
  let timings = emptyTimings();
  for (let i = 0; i < 100; i += 1) {
    timings = recordFinishedTask(timings, {
      queueWaitMs: i * 400,
      processingMs: processingMs(i),
      clipSeconds,
    });
  }
  return timings;
}

describe('recordFinishedTask', () => {
  it('adds each series its sample and leaves its input untouched', () => {
    const before = emptyTimings();
    const frozen = structuredClone(before);
    const after = recordFinishedTask(before, {
      queueWaitMs: 12_000,
      processingMs: 170_000,
      clipSeconds: 8.04,
    });
    assert.deepEqual(before, frozen);
    assert.deepEqual(after, {
      queueWaitMs: [12_000],
      processingMs: { '8': [170_000] },
      clipSeconds: [8],
    });
  });

  it('keeps only the most recent samples of each series', () => {
    let timings = emptyTimings();
    for (let i = 1; i <= 5; i += 1) {
      timings = recordFinishedTask(
        timings,
        { queueWaitMs: i, processingMs: i * 10, clipSeconds: 4 },
        { maxSamplesPerSeries: 3 },
      );
    }
    assert.deepEqual(timings, {
      queueWaitMs: [3, 4, 5],
      processingMs: { '4': [30, 40, 50] },
      clipSeconds: [4, 4, 4],
    });
    assert.equal(TIMINGS_DEFAULTS.maxSamplesPerSeries, 200);
    let full = emptyTimings();
    for (let i = 0; i < 250; i += 1) full = recordFinishedTask(full, { queueWaitMs: i });
    assert.equal(full.queueWaitMs.length, 200);
    assert.equal(full.queueWaitMs[0], 50);
  });

  it('passes over what is not a duration, and processing of an unknown length', () => {
    const timings = recordFinishedTask(emptyTimings(), {
      queueWaitMs: -5,
      processingMs: 90_000,
    });
    assert.deepEqual(timings, emptyTimings());
    assert.deepEqual(
      recordFinishedTask(emptyTimings(), { queueWaitMs: Number.NaN, clipSeconds: 4 }),
      { queueWaitMs: [], processingMs: {}, clipSeconds: [4] },
    );
  });
});

describe('sampleFinishedTask', () => {
  const eightSeconds = learned(8, (i) => 150_000 + i * 600);
  const seen = {
    lastQueuedAt: at(10),
    firstProcessingAt: at(20),
    lastProcessingAt: at(190),
    finishedSeenAt: at(195),
  };

  it('reads the queue wait and the processing time from the brackets polling saw', () => {
    assert.deepEqual(
      sampleFinishedTask(
        { createdAt: created, history: seen, completed: true, clipSeconds: 8 },
        eightSeconds,
      ),
      { clipSeconds: 8, queueWaitMs: 14_991, processingMs: 177_510 },
    );
    // With nothing learned yet, the documented estimates judge the brackets.
    assert.deepEqual(
      sampleFinishedTask({ createdAt: created, history: seen, completed: true, clipSeconds: 8 }),
      { clipSeconds: 8, queueWaitMs: 14_540, processingMs: 177_972 },
    );
  });

  it('reads a wide bracket where ends are likely, not at its midpoint', () => {
    const fourSeconds = learned(4, (i) => 80_000 + i * 200);
    const sample = sampleFinishedTask(
      {
        createdAt: created,
        // Seen processing at 100 s, finished by 160 s: the midpoint would say 120 s of work.
        history: {
          lastQueuedAt: at(9),
          firstProcessingAt: at(11),
          lastProcessingAt: at(100),
          finishedSeenAt: at(160),
        },
        completed: true,
        clipSeconds: 4,
      },
      fourSeconds,
    );
    assert.deepEqual(sample, { clipSeconds: 4, queueWaitMs: 10_024, processingMs: 95_625 });
  });

  it('takes only the queue wait from a failed task or a loosely seen start', () => {
    assert.deepEqual(
      sampleFinishedTask(
        { createdAt: created, history: seen, completed: false, clipSeconds: 8 },
        eightSeconds,
      ),
      { clipSeconds: 8, queueWaitMs: 14_991 },
    );
    // First seen processing 25 s after creation: its start is known only to within 12.5 s.
    assert.deepEqual(
      sampleFinishedTask(
        {
          createdAt: created,
          history: {
            firstProcessingAt: at(25),
            lastProcessingAt: at(190),
            finishedSeenAt: at(195),
          },
          completed: true,
          clipSeconds: 8,
        },
        eightSeconds,
      ),
      { clipSeconds: 8, queueWaitMs: 12_371 },
    );
  });

  it('learns no duration from a task never seen processing', () => {
    assert.deepEqual(
      sampleFinishedTask(
        {
          createdAt: created,
          history: { lastQueuedAt: at(10), finishedSeenAt: at(195) },
          completed: true,
          clipSeconds: 8,
        },
        eightSeconds,
      ),
      { clipSeconds: 8 },
    );
  });
});
