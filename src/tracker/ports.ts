/**
 * What the tracker needs from the outside world, as small interfaces: the composition root
 * passes the real Sora client and downloader, tests pass the same real ones pointed at fakes.
 * Keeping them here keeps undici out of the tracker.
 */
import type { VideoTask } from '../sora/task.ts';

export interface TaskSource {
  getTask(taskId: string, signal?: AbortSignal): Promise<VideoTask>;
}

/** Downloads `url` to `destination` (streamed, size-capped, checked), or throws a typed error. */
export type VideoFetcher = (
  url: string,
  destination: string,
  signal: AbortSignal,
) => Promise<{ path: string; bytes: number }>;
