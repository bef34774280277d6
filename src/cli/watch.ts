/**
 * `sora-status <id> --watch`: the bot's own tracker, on an in-memory store, with the
 * command line as its only chat. Same schedule, retries and download rules as the bot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock, Random } from '../clock.ts';
import type { Logger } from '../log.ts';
import { AdaptiveSchedule, FixedIntervalSchedule, type PollSchedule } from '../schedule/index.ts';
import type { SoraClient } from '../sora/client.ts';
import { fetchVideo } from '../sora/download.ts';
import { MemoryWatchStore } from '../store/memory-watch-store.ts';
import { Tracker } from '../tracker/tracker.ts';
import { CliAdapter, type WatchEnding } from './cli-adapter.ts';

/** What the caller knows of the task before its first look, as a create does. */
export interface KnownOfTask {
  /**
   * The clip length asked for: the schedule's estimates and what it learns at the end go by
   * it, since a task reports its length only once it is done.
   */
  clipSeconds?: number;
}

export interface WatchOptions {
  client: SoraClient;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** A fixed time between polls; undefined for the adaptive schedule. */
  intervalMs: number | undefined;
  /** Where `<id>.mp4` is saved. */
  outDir: string;
  video: { maxBytes: number; allowPrivate: boolean };
  watchMaxAgeMs: number;
  print: (line: string) => void;
  signal: AbortSignal;
  known?: KnownOfTask;
}

/** Follows the task to its end; errors of the first look (unknown task, bad key) are thrown. */
export async function watchTask(taskId: string, options: WatchOptions): Promise<WatchEnding> {
  const downloadsDir = await mkdtemp(path.join(tmpdir(), 'sora-status-'));
  const adapter = new CliAdapter({ outDir: options.outDir, print: options.print });
  const store = new MemoryWatchStore();
  const { random, logger, intervalMs } = options;
  const adaptive = new AdaptiveSchedule({ store, random, logger });
  const schedule: PollSchedule =
    intervalMs === undefined
      ? adaptive
      : new FixedIntervalSchedule({ intervalMs, estimates: adaptive, random });
  const tracker = new Tracker(
    {
      store,
      schedule,
      sora: options.client,
      fetchVideo: (url, destination, signal, maxAttempts) =>
        fetchVideo(url, destination, {
          ...options.video,
          clock: options.clock,
          signal,
          maxAttempts,
        }),
      adapters: [adapter],
      clock: options.clock,
      random: options.random,
      logger: options.logger,
    },
    {
      downloadsDir,
      watchMaxAgeMs: options.watchMaxAgeMs,
      minEditIntervalMs: 0,
    },
  );
  await tracker.start();
  try {
    const interrupted = new Promise<never>((_, reject) => {
      options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
    });
    interrupted.catch(() => {});
    await Promise.race([
      tracker.watch(taskId, { target: 'cli:terminal', requester: 'you' }, options.known),
      interrupted,
    ]);
    return await Promise.race([adapter.ended, interrupted]);
  } finally {
    await tracker.stop();
    await rm(downloadsDir, { recursive: true, force: true });
  }
}
