import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/log.ts';
import {
  AdaptiveSchedule,
  FixedIntervalSchedule,
  type TaskProgress,
  type TimingsStore,
} from '../../src/schedule/index.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';

const created = Date.UTC(2026, 0, 1);
const at = (seconds: number) => created + seconds * 1000;

function schedule(store: TimingsStore = new MemoryWatchStore()) {
  return new AdaptiveSchedule({ store, random: () => 0.5, logger: silentLogger });
}

/** A task of `model` processing since 20 s, asked about at `seconds`. */
function processing(model: string, seconds: number, clipSeconds?: number): TaskProgress {
  return {
    now: at(seconds),
    createdAt: created,
    status: 'processing',
    model,
    history: { lastQueuedAt: at(15), firstProcessingAt: at(20), lastProcessingAt: at(seconds) },
    ...(clipSeconds === undefined ? {} : { clipSeconds }),
  };
}

describe('AdaptiveSchedule', () => {
  it("knows a VEO task's clip length from its model: unknown or known, the same plan", () => {
    const s = schedule();
    for (const seconds of [30, 120, 200]) {
      assert.equal(
        s.nextPollDelay(processing('veo_3_1_fast', seconds), 'answer', 0),
        s.nextPollDelay(processing('veo_3_1_fast', seconds, 8), 'answer', 0),
      );
    }
    // A Sora task of unknown length is a mixture of 4, 8 and 12 s clips: another plan.
    assert.notEqual(
      s.nextPollDelay(processing('openAiSora2Pro', 30), 'answer', 0),
      s.nextPollDelay(processing('openAiSora2Pro', 30, 8), 'answer', 0),
    );
  });

  it('estimates each model from its own documented times', () => {
    const s = schedule();
    const remaining = (model: string) => s.estimate(processing(model, 30)).remainingMs ?? 0;
    // VEO 2–5 min; Seedance 2–5 min at 720p, 3–8 min at 1080p (resolution unknown: both).
    assert.ok(remaining('veo_3_1_fast') < remaining('seedance_2_0'));
    // Grok's clips of 20–30 s take 4–8 min, its short ones 2–4 min.
    assert.ok(
      (s.estimate(processing('grok-video', 30, 30)).remainingMs ?? 0) >
        (s.estimate(processing('grok-video', 30, 10)).remainingMs ?? 0) + 60_000,
    );
    // A model nobody documented still gets a figure, from the generic guess.
    assert.ok(remaining('studio-motion-x') > 60_000);
  });

  it('learns per model: one model finishing fast sharpens its own plan, not another family', () => {
    const s = schedule();
    const before = {
      veo: s.estimate(processing('veo_3_1_fast', 100)).remainingMs,
      sora: s.estimate(processing('openAiSora2Pro', 100, 8)).remainingMs,
    };
    for (let i = 0; i < 30; i += 1) {
      s.learn({
        model: 'veo_3_1_fast',
        createdAt: created,
        history: {
          lastQueuedAt: at(15),
          firstProcessingAt: at(20),
          lastProcessingAt: at(118 + (i % 3)),
          finishedSeenAt: at(121 + (i % 3)),
        },
        completed: true,
        clipSeconds: 8,
      });
    }
    const veo = s.estimate(processing('veo_3_1_fast', 100)).remainingMs ?? 0;
    assert.ok(veo < (before.veo ?? 0) / 2, `${veo} ms left, ${before.veo} before`);
    // Sora's processing times are untouched; only the queue wait, which every task shares, moved.
    const sora = s.estimate(processing('openAiSora2Pro', 100, 8)).remainingMs ?? 0;
    assert.ok(
      Math.abs(sora - (before.sora ?? 0)) < 1_000,
      `${sora} ms left, ${before.sora} before`,
    );
    assert.equal(s.book.models.veo_3_1_fast?.processingMs['8']?.length, 30);
  });

  it('keeps what it learned in its store and reads it back on load', async () => {
    const store = new MemoryWatchStore();
    const first = schedule(store);
    first.learn({
      model: 'seedance_2_0',
      createdAt: created,
      history: {
        lastQueuedAt: at(5),
        firstProcessingAt: at(8),
        lastProcessingAt: at(200),
        finishedSeenAt: at(204),
      },
      completed: true,
      clipSeconds: 5.04,
    });
    await new Promise((resolve) => setImmediate(resolve));
    const second = schedule(store);
    await second.load();
    assert.deepEqual(second.book, first.book);
    assert.deepEqual(second.book.families.seedance?.clipSeconds, [5]);
  });

  it('logs, and goes on, when the store refuses to keep what it learned', async () => {
    const lines: string[] = [];
    const refusing: TimingsStore = {
      getTimings: async () => undefined,
      putTimings: async () => {
        throw new Error('store down');
      },
    };
    const logger = { ...silentLogger, warn: (_: unknown, msg: string) => lines.push(msg) };
    const s = new AdaptiveSchedule({ store: refusing, random: () => 0.5, logger: logger as never });
    s.learn({ model: 'veo_3_1_pro', createdAt: created, history: {}, completed: false });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(lines, ['could not save learned timings']);
  });
});

describe('FixedIntervalSchedule', () => {
  it('polls at its interval, backs off after failures, and shows the adaptive estimate', () => {
    const adaptive = schedule();
    const fixed = new FixedIntervalSchedule({
      intervalMs: 7_000,
      estimates: adaptive,
      random: () => 0.999999,
    });
    const task = processing('veo_3_1_fast', 60);
    assert.equal(fixed.nextPollDelay(task, 'answer', 0), 7_000);
    assert.equal(fixed.nextPollDelay(task, 'failure', 1), 7_000);
    assert.equal(fixed.nextPollDelay(task, 'failure', 3), 19_999);
    assert.deepEqual(fixed.estimate(task), adaptive.estimate(task));
    assert.throws(
      () => new FixedIntervalSchedule({ intervalMs: 0, estimates: adaptive, random: Math.random }),
      RangeError,
    );
  });
});
