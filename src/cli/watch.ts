/**
 * `sora-status <id> --watch`: follow one task to its end, printing a line per change, then
 * save the video. A plain fixed-interval loop: one task, one terminal, nothing to share.
 */
import path from 'node:path';
import type { Clock } from '../clock.ts';
import type { SoraClient } from '../sora/client.ts';
import { type DownloadedVideo, fetchVideo } from '../sora/download.ts';
import { BadResponse } from '../sora/errors.ts';
import { isTerminal, type VideoTask } from '../sora/task.ts';
import { changeLine } from './task-text.ts';

export interface WatchOptions {
  client: SoraClient;
  clock: Clock;
  intervalMs: number;
  /** Where `<id>.mp4` is saved. */
  outDir: string;
  video: { maxBytes: number; allowPrivate: boolean };
  print: (line: string) => void;
  signal?: AbortSignal;
}

export interface WatchResult {
  task: VideoTask;
  /** Set when the task completed and its video was saved. */
  saved?: DownloadedVideo;
}

export async function watchTask(taskId: string, options: WatchOptions): Promise<WatchResult> {
  const { client, clock, signal } = options;
  let task = await client.getTask(taskId, signal);
  options.print(changeLine(task, clock.now()));
  while (!isTerminal(task.status)) {
    await clock.sleep(options.intervalMs, signal);
    const previous = task;
    task = await client.getTask(taskId, signal);
    if (task.status !== previous.status) options.print(changeLine(task, clock.now()));
  }
  if (task.status !== 'completed') return { task };
  if (task.videoUrl === undefined) throw new BadResponse('the task completed without a video link');
  const saved = await fetchVideo(task.videoUrl, path.join(options.outDir, `${task.id}.mp4`), {
    maxBytes: options.video.maxBytes,
    allowPrivate: options.video.allowPrivate,
    clock,
    ...(signal ? { signal } : {}),
  });
  return { task, saved };
}
