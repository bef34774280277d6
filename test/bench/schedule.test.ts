import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark } from '../../bench/schedule.ts';

describe('polling benchmark', () => {
  it('runs the workload end to end and gives finite figures', () => {
    const figures = benchmark(100);
    for (const mode of ['unknown length', 'known length'] as const) {
      const { pollers, productRatio } = figures[mode];
      assert.deepEqual(Object.keys(pollers), [
        'schedule',
        'fixed 5 s',
        'fixed 10 s',
        'fixed 30 s',
        'fixed 60 s',
      ]);
      for (const summary of Object.values(pollers)) {
        assert.equal(summary.tasks, 80);
        for (const figure of [summary.meanPolls, summary.meanDelay, summary.p95Delay]) {
          assert.ok(Number.isFinite(figure) && figure >= 0, `${mode}: ${figure}`);
        }
        assert.ok(summary.meanPolls >= 1);
      }
      assert.ok(Number.isFinite(productRatio) && productRatio > 0);
    }
  });
});
