/**
 * What becomes of a watch's downloaded clip: the clip library takes a copy before the first
 * delivery, so the share page a message links to plays from the moment the message appears;
 * once every delivery is done the library records where the clip went, and the download is
 * removed. Never throws for the library's sake: a library that refuses costs a share page,
 * never a delivery.
 */
import { copyFile, link, rm, stat } from 'node:fs/promises';
import type { Logger } from '../log.ts';
import type { ClipFacts, ClipLibrary, ClipPlace } from '../watch/kept-clip.ts';
import type { Watch } from '../watch/watch.ts';

/** Hands the library a copy of the downloaded clip at `file`, before it is delivered. */
export async function keepBeforeDelivery(
  watch: Watch,
  file: string,
  library: ClipLibrary,
  logger: Logger,
): Promise<void> {
  // The library takes the file it keeps; the deliveries still need theirs.
  const copy = `${file}.library`;
  try {
    await rm(copy, { force: true }); // left by a crash
    await link(file, copy).catch(() => copyFile(file, copy));
    const kept = await library.keep(copy, keptFactsOf(watch));
    logger.info({ taskId: watch.taskId, bytes: kept.bytes }, 'clip kept in the library');
  } catch (error) {
    logger.warn(
      { taskId: watch.taskId, err: error },
      'clip library refused the clip; offered again after the deliveries',
    );
  } finally {
    await rm(copy, { force: true }).catch(() => {});
  }
}

/**
 * After the last delivery: the library learns the clip's places (or, when it refused the clip
 * before, is offered it again), and the download is removed.
 */
export async function releaseClip(
  watch: Watch,
  library: ClipLibrary | undefined,
  logger: Logger,
): Promise<void> {
  const video = watch.video;
  if (video === undefined) return;
  if (library !== undefined && watch.task?.status === 'completed') {
    try {
      const facts = keptFactsOf(watch);
      if ((await library.update(facts)) !== undefined) {
        logger.info({ taskId: watch.taskId }, 'clip places recorded in the library');
      } else if (await exists(video.path)) {
        const kept = await library.keep(video.path, facts);
        logger.info({ taskId: watch.taskId, bytes: kept.bytes }, 'clip kept in the library');
      }
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
