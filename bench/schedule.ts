/**
 * `npm run bench:schedule`: the standard polling workload (POLLING-WORKLOAD.md) against the
 * project's schedule and fixed-interval pollers, in both modes. `--json` adds every figure as
 * one JSON object on the last line.
 */
import {
  type Mode,
  runFixed,
  runSchedule,
  type Summary,
  summarise,
  type TaskResult,
} from './polling-simulation.ts';
import { generateWorkload, WORKLOAD } from './polling-workload.ts';

const MODES: readonly Mode[] = ['unknown length', 'known length'];
const FIXED_INTERVALS_S = [5, 10, 30, 60];
const REFERENCE = 'fixed 30 s';

export interface ModeFigures {
  pollers: Record<string, Summary>;
  /** The schedule's product over the 30 s poller's. */
  productRatio: number;
}

export function benchmark(taskCount: number = WORKLOAD.taskCount): Record<Mode, ModeFigures> {
  const tasks = generateWorkload(taskCount);
  const warmUp = Math.min(WORKLOAD.warmUpTasks, Math.floor(taskCount / 5));
  const figures = {} as Record<Mode, ModeFigures>;
  for (const mode of MODES) {
    const runs: [string, TaskResult[]][] = [['schedule', runSchedule(tasks, mode)]];
    for (const seconds of FIXED_INTERVALS_S) {
      runs.push([`fixed ${seconds} s`, runFixed(tasks, seconds * 1000)]);
    }
    const pollers = Object.fromEntries(runs.map(([name, r]) => [name, summarise(r, warmUp)]));
    const ratio = (pollers.schedule?.product ?? Number.NaN) / (pollers[REFERENCE]?.product ?? 1);
    figures[mode] = { pollers, productRatio: ratio };
  }
  return figures;
}

function table(figures: Record<Mode, ModeFigures>): string {
  const lines: string[] = [];
  const row = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(16) : c.padStart(12))).join('');
  lines.push(row(['mode', 'poller', 'mean polls', 'mean delay', 'p95 delay', 'polls×delay']));
  for (const mode of MODES) {
    const { pollers, productRatio } = figures[mode];
    for (const [name, s] of Object.entries(pollers)) {
      lines.push(
        row([
          mode,
          name,
          s.meanPolls.toFixed(2),
          `${s.meanDelay.toFixed(2)} s`,
          `${s.p95Delay.toFixed(2)} s`,
          s.product.toFixed(1),
        ]),
      );
    }
    lines.push(
      `${' '.repeat(16)}schedule product / ${REFERENCE} product: ${productRatio.toFixed(3)}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const figures = benchmark();
  const counted = WORKLOAD.taskCount - WORKLOAD.warmUpTasks;
  console.log(
    `Polling workload: ${WORKLOAD.taskCount} tasks (first ${WORKLOAD.warmUpTasks} warm-up, ${counted} counted), seed ${WORKLOAD.seed}\n`,
  );
  console.log(table(figures));
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
}
