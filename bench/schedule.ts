/**
 * `npm run bench:schedule`: the project's schedule against fixed-interval pollers, in both
 * modes, on two workloads: the standard one (POLLING-WORKLOAD.md, Sora tasks) and the mixed
 * one (bench/mixed-workload.ts: VEO, Seedance, Sora, Grok and unknown models), with a line per
 * family for the mixed one. `--json` adds every figure as one JSON object on the last line.
 */
import { generateMixedWorkload } from './mixed-workload.ts';
import {
  type Mode,
  runFixed,
  runSchedule,
  type Summary,
  summarise,
  type TaskResult,
} from './polling-simulation.ts';
import { generateWorkload, WORKLOAD, type WorkloadTask } from './polling-workload.ts';

const MODES: readonly Mode[] = ['unknown length', 'known length'];
const FIXED_INTERVALS_S = [5, 10, 30, 60];
const REFERENCE = 'fixed 30 s';

export interface ModeFigures {
  pollers: Record<string, Summary>;
  /** The schedule's product over the 30 s poller's. */
  productRatio: number;
  /** The schedule and the 30 s poller on each family's tasks alone (mixed workload only). */
  families?: Record<string, { schedule: Summary; reference: Summary; productRatio: number }>;
}

export type WorkloadName = 'standard' | 'mixed';
export type Figures = Record<WorkloadName, Record<Mode, ModeFigures>>;

export function benchmark(taskCount: number = WORKLOAD.taskCount): Figures {
  const warmUp = Math.min(WORKLOAD.warmUpTasks, Math.floor(taskCount / 5));
  const mixed = generateMixedWorkload(taskCount);
  return {
    standard: measure(generateWorkload(taskCount), warmUp),
    mixed: measure(
      mixed,
      warmUp,
      mixed.map((task) => task.family),
    ),
  };
}

function measure(
  tasks: readonly WorkloadTask[],
  warmUp: number,
  /** Each task's family, for a line per family. */
  families?: readonly string[],
): Record<Mode, ModeFigures> {
  const figures = {} as Record<Mode, ModeFigures>;
  for (const mode of MODES) {
    const runs: [string, TaskResult[]][] = [['schedule', runSchedule(tasks, mode)]];
    for (const seconds of FIXED_INTERVALS_S) {
      runs.push([`fixed ${seconds} s`, runFixed(tasks, seconds * 1000)]);
    }
    const pollers = Object.fromEntries(runs.map(([name, r]) => [name, summarise(r, warmUp)]));
    const ratio = (pollers.schedule?.product ?? Number.NaN) / (pollers[REFERENCE]?.product ?? 1);
    figures[mode] = { pollers, productRatio: ratio };
    if (families !== undefined) {
      const results = Object.fromEntries(runs);
      figures[mode].families = byFamily(
        families,
        results.schedule ?? [],
        results[REFERENCE] ?? [],
        warmUp,
      );
    }
  }
  return figures;
}

function byFamily(
  families: readonly string[],
  schedule: readonly TaskResult[],
  reference: readonly TaskResult[],
  warmUp: number,
): NonNullable<ModeFigures['families']> {
  const lines: NonNullable<ModeFigures['families']> = {};
  for (const family of new Set(families.slice(warmUp))) {
    // Only counted tasks: the warm-up ones are dropped before filtering, as in the totals.
    const pick = (results: readonly TaskResult[]) =>
      results.slice(warmUp).filter((_, i) => families[warmUp + i] === family);
    const ours = summarise(pick(schedule), 0);
    const theirs = summarise(pick(reference), 0);
    lines[family] = {
      schedule: ours,
      reference: theirs,
      productRatio: ours.product / theirs.product,
    };
  }
  return lines;
}

function table(figures: Record<Mode, ModeFigures>): string {
  const lines: string[] = [];
  const row = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(16) : c.padStart(12))).join('');
  lines.push(row(['mode', 'poller', 'mean polls', 'mean delay', 'p95 delay', 'polls×delay']));
  const summaryRow = (mode: string, name: string, s: Summary) =>
    row([
      mode,
      name,
      s.meanPolls.toFixed(2),
      `${s.meanDelay.toFixed(2)} s`,
      `${s.p95Delay.toFixed(2)} s`,
      s.product.toFixed(1),
    ]);
  for (const mode of MODES) {
    const { pollers, productRatio, families } = figures[mode];
    for (const [name, s] of Object.entries(pollers)) lines.push(summaryRow(mode, name, s));
    lines.push(
      `${' '.repeat(16)}schedule product / ${REFERENCE} product: ${productRatio.toFixed(3)}`,
    );
    for (const [family, line] of Object.entries(families ?? {})) {
      lines.push(
        `${summaryRow(mode, `  ${family}`, line.schedule)}   ×${line.productRatio.toFixed(3)} of ${REFERENCE} (${line.schedule.tasks} tasks)`,
      );
    }
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const figures = benchmark();
  const counted = WORKLOAD.taskCount - WORKLOAD.warmUpTasks;
  const about = `${WORKLOAD.taskCount} tasks (first ${WORKLOAD.warmUpTasks} warm-up, ${counted} counted), seed ${WORKLOAD.seed}`;
  console.log(`Standard polling workload (Sora): ${about}\n`);
  console.log(table(figures.standard));
  console.log(`\nMixed workload (VEO, Seedance, Sora, Grok, unknown models): ${about}\n`);
  console.log(table(figures.mixed));
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
}
