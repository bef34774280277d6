/**
 * What becomes of a watch's downloaded clip once nobody needs the file any more: the clip
 * library keeps it when there is one, otherwise (or when the library refuses) it is removed.
 * Never throws for the library's sake: every delivery is already done and recorded.
 */
import { rm, stat } from 'node:fs/promises';
import type { Logger } from '../log.ts';
import type { ClipFacts, ClipLibrary, ClipPlace } from '../watch/kept-clip.ts';
import type { Watch } from '../watch/watch.ts';

export async function releaseClip(
  watch: Watch,
  library: ClipLibrary | undefined,
  logger: Logger,
): Promise<void> {
  const video = watch.video;
  if (video === undefined) return;
  if (library !== undefined && watch.task?.status === 'completed' && (await exists(video.path))) {
    try {
      const kept = await library.keep(video.path, keptFactsOf(watch));
      logger.info({ taskId: watch.taskId, bytes: kept.bytes }, 'clip kept in the library');
    } catch (error) {
      logger.warn({ taskId: watch.taskId, err: error }, 'clip library refused the clip; removed');
    }
  }
  await rm(video.path, { force: true });
}

/** What the library keeps of a finished watch, beside its clip. */
export function keptFactsOf(watch: Watch): ClipFacts {
  const task = watch.task;
  // The places the clip was posted in, each with its link and askers.
  const places: ClipPlace[] = watch.subscriptions
    .filter((sub) => sub.delivery === 'done')
    .map((sub) => ({
      target: sub.target,
      ...(sub.resultLink !== undefined ? { link: sub.resultLink } : {}),
      requesters: [...sub.requesters],
    }));
  const requestedBy = [...new Set(watch.subscriptions.flatMap((sub) => sub.requestedBy ?? []))];
  const clipSeconds = task?.actualDuration ?? watch.clipSeconds;
  const completedAt = watch.history.finishedSeenAt;
  return {
    taskId: watch.taskId,
    ...(task !== undefined ? { model: task.model, createdAt: task.created * 1000 } : {}),
    ...(watch.prompt !== undefined ? { prompt: watch.prompt } : {}),
    ...(clipSeconds !== undefined ? { clipSeconds } : {}),
    places,
    ...(requestedBy.length > 0 ? { requestedBy } : {}),
    ...(completedAt !== undefined ? { completedAt } : {}),
  };
}

/** False when the file is gone: a restart after an earlier hand-over finds nothing to keep. */
async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
