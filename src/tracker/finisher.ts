/**
 * The end of a watch: download the clip once, deliver it (or the failure) to every
 * subscription from that one file, then hand the file to the clip library (or remove it).
 *
 * Each delivery is marked `started` in the store before the adapter is called and `done`
 * after, so a crash between the two is retried on the next start rather than lost; the
 * adapters make that retry harmless: Discord with its message nonce, Slack with the file it
 * reports through `DeliveryProgress`, saved here before its bytes go out and looked at first
 * on the retry.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type ChatAdapter, PlaceGone, platformOf } from '../chat/port.ts';
import type { Clock, Random } from '../clock.ts';
import { type Logger, safeUrl } from '../log.ts';
import { type BackoffPolicy, fullJitterDelay } from '../sora/backoff.ts';
import { DownloadFailed, LinkExpired, userMessage } from '../sora/errors.ts';
import { taskProblem, VIDEO_LINK_LIFETIME_MS } from '../sora/task.ts';
import type { ClipLibrary } from '../watch/kept-clip.ts';
import type { DeliveryProgress, DeliveryUpload, Subscription, Watch } from '../watch/watch.ts';
import { keepBeforeDelivery, releaseClip } from './clip-handover.ts';
import type { DeliveryKind, DeliveryOutcome, TrackerObserver, VideoFetcher } from './ports.ts';
import type { WatchBook } from './watch-book.ts';

export interface FinisherDeps {
  book: WatchBook;
  adapters: ReadonlyMap<string, ChatAdapter>;
  fetchVideo: VideoFetcher;
  /** Where clips wait between download and the last delivery. */
  downloadsDir: string;
  /** Keeps each clip once its last delivery is done; without one the clip is removed. */
  library?: ClipLibrary;
  /** The share page the library's copy of a clip will have. */
  shareLink?: (taskId: string) => string;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Told how each download and delivery went. */
  observer: TrackerObserver;
  maxDownloadAttempts: number;
  maxDeliveryAttempts: number;
  retryBackoff: BackoffPolicy;
  /** Asks for another run for this task at `at` (ms). */
  finishLater: (taskId: string, at: number) => void;
  /** Aborted when the tracker stops: a download then stops and stays resumable. */
  signal: AbortSignal;
  /**
   * Brings the watch's cards up to date (a card then links to its place's result); changes
   * the watch's subscriptions, which the caller saves.
   */
  refreshCards: (watch: Watch) => Promise<unknown>;
}

/** How one delivery ended, and the link to what it posted, when the platform gave one. */
interface Settled {
  outcome: 'done' | 'abandoned';
  link?: string;
}

/** Requests one download run may make at once (quick retries, resuming where it broke). */
const QUICK_TRIES_PER_RUN = 4;

/** The longest wait before a failed run is tried again: an outage's end is noticed this soon. */
const RERUN_CAP_MS = 20_000;

export class Finisher {
  readonly #deps: FinisherDeps;
  readonly #running = new Map<string, Promise<void>>();
  /** Runs in a row that failed (the store refusing), per task, for the wait before the next. */
  readonly #failedRuns = new Map<string, number>();
  /**
   * Deliveries made by this process whose outcome the store has not taken yet (it was away),
   * per task and place: the next run saves them instead of posting again. After a crash they
   * are lost, and the adapters' own checks (nonce, files.info) keep the repeat harmless.
   */
  readonly #settled = new Map<string, Map<string, Settled>>();

  constructor(deps: FinisherDeps) {
    this.#deps = deps;
  }

  /** Carries the task's ending as far as it can go now; one run per task at a time. */
  run(taskId: string): Promise<void> {
    const running = this.#running.get(taskId);
    if (running) return running;
    const run = this.#finish(taskId)
      .then(() => {
        this.#failedRuns.delete(taskId);
      })
      .catch((error: unknown) => {
        // Mostly a store outage: try again soon, and a little later each time, so the work
        // goes on within seconds of the store's return without hammering it meanwhile.
        const failures = (this.#failedRuns.get(taskId) ?? 0) + 1;
        this.#failedRuns.set(taskId, failures);
        const policy = { baseMs: this.#deps.retryBackoff.baseMs, capMs: RERUN_CAP_MS };
        const delay = Math.max(1_000, fullJitterDelay(failures, policy, this.#deps.random));
        this.#deps.logger.error({ taskId, err: error, delay }, 'finishing failed; retrying later');
        this.#deps.finishLater(taskId, this.#deps.clock.now() + delay);
      })
      .finally(() => this.#running.delete(taskId));
    this.#running.set(taskId, run);
    return run;
  }

  /** Resolves when every run in progress has ended. */
  async idle(): Promise<void> {
    await Promise.all(this.#running.values());
  }

  async #finish(taskId: string): Promise<void> {
    const watch = this.#deps.book.get(taskId);
    if (watch?.phase === 'downloading' && !(await this.#download(watch))) return;
    if (this.#deps.book.get(taskId)?.phase === 'delivering') await this.#deliverAll(taskId);
  }

  /** True when the watch moved on to delivering (with the clip, or with a reason why not). */
  async #download(watch: Watch): Promise<boolean> {
    const { book, clock, logger, signal } = this.#deps;
    const taskId = watch.taskId;
    const url = watch.task?.videoUrl;
    let video: Watch['video'] = await this.#fromLibrary(taskId);
    let problem: string | undefined;
    let linkExpired = false;
    /** Downloaded now, not taken from the library: the library has yet to keep it. */
    let fetched = false;
    if (video !== undefined) {
      logger.info({ taskId, bytes: video.bytes }, 'video taken from the clip library');
    } else if (url === undefined) {
      problem = 'The task completed without a video link.';
    } else {
      try {
        // What is left of the budget; the downloader makes its quick retries within it.
        const left = this.#deps.maxDownloadAttempts - (watch.downloadAttempts ?? 0);
        const file = await this.#deps.fetchVideo(
          url,
          path.join(this.#deps.downloadsDir, `${taskId}.mp4`),
          signal,
          Math.max(1, Math.min(QUICK_TRIES_PER_RUN, left)),
        );
        video = { path: file.path, bytes: file.bytes };
        this.#deps.observer.downloaded(file.bytes, 'ok');
        logger.info({ taskId, bytes: file.bytes, from: safeUrl(url) }, 'video downloaded');
        fetched = true;
      } catch (error) {
        if (signal.aborted) return false;
        // Every request counts against the one budget, however many this run made.
        const made = error instanceof DownloadFailed ? error.attempts : 1;
        const attempts = (watch.downloadAttempts ?? 0) + made;
        if (error instanceof DownloadFailed && attempts < this.#deps.maxDownloadAttempts) {
          this.#deps.observer.downloaded(0, 'retry');
          await book.exclusive(taskId, async () => {
            const current = book.draft(taskId);
            if (current === undefined) return;
            current.downloadAttempts = attempts;
            await book.save(current);
          });
          const delay = fullJitterDelay(attempts, this.#deps.retryBackoff, this.#deps.random);
          this.#deps.finishLater(taskId, clock.now() + delay);
          logger.warn({ taskId, attempts, err: error }, 'download failed; retrying later');
          return false;
        }
        this.#deps.observer.downloaded(0, 'failed');
        problem = userMessage(error);
        linkExpired = error instanceof LinkExpired;
        logger.warn({ taskId, err: error }, 'video not downloaded; delivering the link');
      }
    }
    // Kept before it is posted, so the share page a message links to plays at once. The
    // deliveries wait for it: a folder takes it at once, object storage gives up within its
    // timeouts, and a refusal costs the page, never the delivery.
    if (fetched && video !== undefined && this.#deps.library !== undefined) {
      await keepBeforeDelivery(watch, video.path, this.#deps.library, logger);
    }
    return book.exclusive(taskId, async () => {
      const current = book.draft(taskId);
      if (current === undefined) {
        if (video) await rm(video.path, { force: true });
        return false;
      }
      if (video) current.video = video;
      if (problem !== undefined) current.videoProblem = problem;
      if (linkExpired) current.linkExpired = true;
      current.phase = 'delivering';
      await book.save(current);
      return true;
    });
  }

  async #deliverAll(taskId: string): Promise<void> {
    const { book, clock, logger } = this.#deps;
    const postponed = new Set<string>();
    let retryAttempts = 0;
    for (;;) {
      const picked = await book.exclusive(taskId, async () => {
        const watch = book.draft(taskId);
        if (watch === undefined) {
          this.#settled.delete(taskId);
          return undefined;
        }
        const settledHere = await this.#applySettled(watch);
        const sub = watch.subscriptions.find(
          (s) => (s.delivery === 'pending' || s.delivery === 'started') && !postponed.has(s.target),
        );
        if (sub === undefined) {
          if (postponed.size === 0) await this.#complete(watch);
          else if (settledHere) await book.save(watch);
          this.#settled.delete(taskId);
          return undefined;
        }
        sub.delivery = 'started';
        sub.deliveryAttempts += 1;
        await book.save(watch);
        this.#settled.delete(taskId);
        // The adapter gets its own copy: memory changes only through the book.
        return { watch: structuredClone(watch), sub: structuredClone(sub) };
      });
      if (picked === undefined) break;
      const settled = await this.#deliverOne(picked.watch, picked.sub);
      if (settled === 'retry') {
        postponed.add(picked.sub.target);
        retryAttempts = Math.max(retryAttempts, picked.sub.deliveryAttempts);
        continue;
      }
      this.#rememberSettled(taskId, picked.sub.target, settled);
      await book.exclusive(taskId, async () => {
        const watch = book.draft(taskId);
        if (watch === undefined || !(await this.#applySettled(watch))) return;
        await book.save(watch);
        this.#settled.delete(taskId);
      });
      const { outcome } = settled;
      logger.info({ taskId, target: picked.sub.target, outcome }, 'delivery finished');
    }
    if (postponed.size > 0) {
      const delay = fullJitterDelay(retryAttempts, this.#deps.retryBackoff, this.#deps.random);
      this.#deps.finishLater(taskId, clock.now() + Math.max(delay, 1000));
    }
  }

  #rememberSettled(taskId: string, target: string, settled: Settled): void {
    const outcomes = this.#settled.get(taskId) ?? new Map<string, Settled>();
    outcomes.set(target, settled);
    this.#settled.set(taskId, outcomes);
  }

  /**
   * Marks on `watch` the deliveries this process settled but has not saved, and points their
   * cards at the results, before the watch may end; true if any. The caller saves.
   */
  async #applySettled(watch: Watch): Promise<boolean> {
    const outcomes = this.#settled.get(watch.taskId);
    if (outcomes === undefined) return false;
    let applied = false;
    let linked = false;
    for (const sub of watch.subscriptions) {
      const settled = outcomes.get(sub.target);
      if (settled === undefined || sub.delivery === settled.outcome) continue;
      sub.delivery = settled.outcome;
      if (settled.link !== undefined) {
        sub.resultLink = settled.link;
        linked = true;
      }
      applied = true;
    }
    if (linked) await this.#deps.refreshCards(watch);
    return applied;
  }

  async #deliverOne(watch: Watch, sub: Subscription): Promise<Settled | 'retry'> {
    const { clock, logger, observer } = this.#deps;
    const platform = platformOf(sub.target);
    const adapter = this.#deps.adapters.get(platform);
    const task = watch.task;
    const withVideo = task?.status === 'completed' && watch.endReason === undefined;
    const kind: DeliveryKind = withVideo ? (watch.video ? 'video' : 'link') : 'failure';
    const told = (outcome: DeliveryOutcome) => observer.delivered(platform, kind, outcome);
    try {
      if (adapter === undefined) throw new Error(`no adapter for ${platform}`);
      let link: string | undefined;
      if (withVideo) {
        link = await adapter.deliverVideo(
          sub,
          {
            task,
            ...(watch.video ? { file: watch.video } : {}),
            ...(watch.videoProblem ? { fileProblem: watch.videoProblem } : {}),
            ...(watch.linkExpired ? { linkExpired: true } : {}),
            linkExpiresAt: task.created * 1000 + VIDEO_LINK_LIFETIME_MS,
            ...(watch.prompt ? { prompt: watch.prompt } : {}),
            ...(watch.request ? { remakeable: true } : {}),
            // The library takes the clip once every place has it: the page follows the post.
            ...(watch.video && this.#deps.shareLink
              ? { shareLink: this.#deps.shareLink(watch.taskId) }
              : {}),
          },
          this.#progressOf(watch.taskId, sub),
        );
      } else {
        link = await adapter.deliverFailure(sub, {
          taskId: watch.taskId,
          ...(task ? { task } : {}),
          reason: failureReason(watch),
          ...(watch.request ? { remakeable: true } : {}),
        });
      }
      told('ok');
      const completedAt = watch.history.finishedSeenAt;
      if (withVideo && completedAt !== undefined) {
        observer.deliveredAfterCompletion(platform, (clock.now() - completedAt) / 1000);
      }
      return link === undefined ? { outcome: 'done' } : { outcome: 'done', link };
    } catch (error) {
      if (error instanceof PlaceGone) {
        logger.warn(
          { taskId: watch.taskId, target: sub.target },
          'place is gone; delivery dropped',
        );
        told('gone');
        return { outcome: 'abandoned' };
      }
      const giveUp = sub.deliveryAttempts >= this.#deps.maxDeliveryAttempts;
      logger.warn(
        { taskId: watch.taskId, target: sub.target, attempts: sub.deliveryAttempts, err: error },
        giveUp ? 'delivery failed; giving up' : 'delivery failed; retrying later',
      );
      told(giveUp ? 'gave_up' : 'retry');
      if (!giveUp) return 'retry';
      // The clip would not go: the place still hears that the video is ready, by its link.
      if (adapter !== undefined && kind === 'video' && task !== undefined) {
        return this.#deliverLinkInstead(adapter, watch, sub);
      }
      return { outcome: 'abandoned' };
    }
  }

  /** The last word for a place the clip could not reach: its link, with the reason. */
  async #deliverLinkInstead(
    adapter: ChatAdapter,
    watch: Watch,
    sub: Subscription,
  ): Promise<Settled> {
    const task = watch.task;
    if (task === undefined) return { outcome: 'abandoned' };
    const platform = platformOf(sub.target);
    try {
      const link = await adapter.deliverVideo(sub, {
        task,
        fileProblem: `The clip could not be posted here after ${sub.deliveryAttempts} tries.`,
        linkExpiresAt: task.created * 1000 + VIDEO_LINK_LIFETIME_MS,
        ...(watch.prompt ? { prompt: watch.prompt } : {}),
        ...(watch.request ? { remakeable: true } : {}),
      });
      this.#deps.observer.delivered(platform, 'link', 'ok');
      return link === undefined ? { outcome: 'done' } : { outcome: 'done', link };
    } catch (error) {
      this.#deps.observer.delivered(platform, 'link', 'gave_up');
      this.#deps.logger.warn(
        { taskId: watch.taskId, target: sub.target, err: error },
        'not even the link could be posted; delivery abandoned',
      );
      return { outcome: 'abandoned' };
    }
  }

  /** Saves each upload step of `sub`'s delivery in the record before the adapter goes on. */
  #progressOf(taskId: string, sub: Subscription): DeliveryProgress {
    const { book } = this.#deps;
    return {
      recordUpload: (upload: DeliveryUpload) =>
        book.exclusive(taskId, async () => {
          const watch = book.draft(taskId);
          const current = watch?.subscriptions.find((s) => s.target === sub.target);
          if (watch === undefined || current === undefined) return;
          current.upload = { ...upload };
          sub.upload = { ...upload };
          await book.save(watch);
        }),
    };
  }

  /**
   * A copy of the clip the library kept from an earlier watch of this task (a share or a
   * repost days later): the service's link lasts a day, the library's copy its retention.
   * Copied, since the watch's file is handed back to the library, or removed, at the end.
   */
  async #fromLibrary(taskId: string): Promise<Watch['video']> {
    const kept = await this.#deps.library?.readVideo(taskId).catch(() => undefined);
    if (kept === undefined) return undefined;
    const destination = path.join(this.#deps.downloadsDir, `${taskId}.mp4`);
    try {
      await mkdir(this.#deps.downloadsDir, { recursive: true });
      await pipeline(kept.body, createWriteStream(destination));
      return { path: destination, bytes: kept.bytes };
    } catch (error) {
      kept.body.destroy();
      await rm(destination, { force: true });
      this.#deps.logger.warn({ taskId, err: error }, 'kept clip could not be copied; downloading');
      return undefined;
    }
  }

  /** Every subscription is settled: the watch ends and its clip goes to the library. */
  async #complete(watch: Watch): Promise<void> {
    // The file goes first (every delivery is recorded, none reads it again): a crash before
    // the save finds every delivery done, the file gone, and just ends.
    await releaseClip(watch, this.#deps.library, this.#deps.logger);
    // The finished record is kept a while: it keeps no interaction token.
    for (const sub of watch.subscriptions) delete sub.pendingReply;
    watch.phase = 'finished';
    await this.#deps.book.save(watch);
    this.#deps.logger.info({ taskId: watch.taskId }, 'watch finished');
  }
}

/** One sentence for why there is no video: why the watch ended, or what the task says. */
export function failureReason(watch: Watch): string {
  if (watch.endReason !== undefined) return watch.endReason;
  const task = watch.task;
  const problem = task === undefined ? undefined : taskProblem(task);
  return problem ?? `The task ended with status "${task?.status ?? 'unknown'}".`;
}
