/**
 * The options `sora-status <id>` and `sora-status create` share: how the task is printed,
 * whether it is followed, where the clip goes and how often to ask. One definition, so the
 * two read them alike.
 */
import path from 'node:path';
import { UsageError } from './exit.ts';

/** For `node:util` parseArgs. */
export const SHARED_OPTIONS = {
  json: { type: 'boolean', default: false },
  watch: { type: 'boolean', default: false },
  out: { type: 'string' },
  interval: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface WatchFlags {
  watch: boolean;
  /** Where --watch saves `<task-id>.mp4`: the current directory unless --out says. */
  outDir: string;
  /** A fixed time between polls (--interval); undefined for the adaptive schedule. */
  intervalMs: number | undefined;
}

/** Checks --watch, --out and --interval together; throws `UsageError` naming the option. */
export function watchFlags(values: {
  watch: boolean;
  out?: string | undefined;
  interval?: string | undefined;
}): WatchFlags {
  const interval = values.interval === undefined ? undefined : Number(values.interval);
  if (interval !== undefined && !(interval >= 0.1 && interval <= 3600)) {
    throw new UsageError('--interval takes a number of seconds from 0.1 to 3600');
  }
  if (values.out !== undefined && !values.watch) throw new UsageError('--out goes with --watch');
  return {
    watch: values.watch,
    outDir: path.resolve(values.out ?? '.'),
    intervalMs: interval === undefined ? undefined : Math.round(interval * 1000),
  };
}
