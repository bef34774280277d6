import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchmark } from '../../bench/schedule.ts';

describe('polling benchmark', () => {
  it('runs both workloads end to end and gives finite figures', () => {
    const figures = benchmark(100);
    for (const workload of ['standard', 'mixed'] as const) {
      for (const mode of ['unknown length', 'known length'] as const) {
        const { pollers, productRatio, families } = figures[workload][mode];
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
        if (workload === 'mixed') {
          const lines = Object.values(families ?? {});
          assert.deepEqual(Object.keys(families ?? {}).sort(), [
            'Grok',
            'Seedance',
            'Sora',
            'VEO',
            'unknown',
          ]);
          // Every counted task is on exactly one family's line.
          assert.equal(
            lines.reduce((sum, line) => sum + line.schedule.tasks, 0),
            80,
          );
        } else {
          assert.equal(families, undefined);
        }
      }
    }
  });
});
