import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelInfo } from '../../src/models/index.ts';
import type { FinishedTaskSample } from '../../src/schedule/learned-timings.ts';
import {
  emptyBook,
  learnedFor,
  readTimingsBook,
  recordInBook,
  type TimingsBook,
} from '../../src/schedule/timings-book.ts';

const VEO_FAST = modelInfo('veo_3_1_fast');
const VEO_PRO = modelInfo('veo_3_1_pro');
const SORA = modelInfo('openAiSora2Pro');
const UNKNOWN = modelInfo('studio-motion-x');

function teach(book: TimingsBook, model: string, count: number, sample: FinishedTaskSample) {
  let next = book;
  for (let i = 0; i < count; i += 1) next = recordInBook(next, modelInfo(model), sample);
  return next;
}

describe('TimingsBook', () => {
  it('keeps each finished task under its model, its family and all tasks', () => {
    const book = teach(emptyBook(), 'veo_3_1_fast', 1, {
      queueWaitMs: 5_000,
      processingMs: 150_000,
      clipSeconds: 8,
    });
    for (const level of [book.models.veo_3_1_fast, book.families.veo, book.all]) {
      assert.deepEqual(level, {
        queueWaitMs: [5_000],
        processingMs: { 8: [150_000] },
        clipSeconds: [8],
      });
    }
    assert.equal(book.models.veo_3_1_pro, undefined);
  });

  it("reads a model's own samples once it has enough, its family's until then", () => {
    const sample = (processingMs: number) => ({ queueWaitMs: 1_000, processingMs, clipSeconds: 8 });
    let book = teach(emptyBook(), 'veo_3_1_pro', 30, sample(240_000));
    book = teach(book, 'veo_3_1_fast', 3, sample(120_000));
    // Three of its own are too few: the family's 33 speak for VEO 3.1 Fast.
    assert.equal(learnedFor(book, VEO_FAST).processingMs['8']?.length, 33);
    book = teach(book, 'veo_3_1_fast', 7, sample(120_000));
    assert.deepEqual(learnedFor(book, VEO_FAST).processingMs['8'], Array(10).fill(120_000));
    assert.deepEqual(learnedFor(book, VEO_PRO).processingMs['8'], Array(30).fill(240_000));
  });

  it("never reads a known model's processing times from other families, but shares the queue", () => {
    const book = teach(emptyBook(), 'veo_3_1_fast', 40, {
      queueWaitMs: 9_000,
      processingMs: 150_000,
      clipSeconds: 8,
    });
    const sora = learnedFor(book, SORA);
    assert.deepEqual(sora.processingMs, {});
    assert.deepEqual(sora.clipSeconds, []);
    assert.equal(sora.queueWaitMs.length, 40);
    // A model nobody documented learns from every task until it has its own.
    const unknown = learnedFor(book, UNKNOWN);
    assert.equal(unknown.processingMs['8']?.length, 40);
  });

  it('remembers only so many models, the one learned from longest ago dropped first', () => {
    let book = emptyBook();
    for (let i = 0; i < 5; i += 1) book = teach(book, `model-${i}`, 1, { queueWaitMs: i });
    book = teach(book, 'model-0', 1, { queueWaitMs: 9 });
    book = recordInBook(book, modelInfo('model-5'), { queueWaitMs: 5 }, { maxModels: 3 });
    assert.deepEqual(Object.keys(book.models), ['model-4', 'model-0', 'model-5']);
  });

  it('reads timings stored before they were kept per model as those of all tasks', () => {
    const legacy = { queueWaitMs: [1_000, 2_000], processingMs: { 8: [180_000] } };
    const book = readTimingsBook(legacy);
    assert.deepEqual(book.all, { ...legacy, clipSeconds: [] });
    assert.deepEqual(book.models, {});
  });

  it('drops what it cannot read instead of trusting it', () => {
    assert.deepEqual(readTimingsBook(undefined), emptyBook());
    assert.deepEqual(readTimingsBook('junk'), emptyBook());
    const book = readTimingsBook({
      all: { queueWaitMs: [1, 'x', null, 2], processingMs: { 8: 'nope' } },
      families: { veo: 7 },
      models: [],
    });
    assert.deepEqual(book, {
      all: { queueWaitMs: [1, 2], processingMs: { 8: [] }, clipSeconds: [] },
      families: { veo: { queueWaitMs: [], processingMs: {}, clipSeconds: [] } },
      models: {},
    });
  });
});
