/**
 * The heart of the bot: one poll stream per task however many places watch it, one due-time
 * queue and one timer for every watch, a cap on polls in flight, and the endings (download
 * once, deliver everywhere) handed to the Finisher. Knows no chat platform: it talks to them
 * through `ChatAdapter`, and to the API and the CDN through the ports.
 */
import { statusReply } from '../chat/command-handler.ts';
import type { CommandOrigin } from '../chat/commands.ts';
import { CannotPostHere, type ChatAdapter, type PlaceGone, platformOf } from '../chat/port.ts';
import type { Estimate } from '../chat/status-view.ts';
import type { Clock, Random } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { CreateRequest } from '../models/index.ts';
import { observeStatus, type PollOutcome, type PollSchedule } from '../schedule/index.ts';
import type { BackoffPolicy } from '../sora/backoff.ts';
import {
  ApiUnavailable,
  ApiUnreachable,
  AuthFailed,
  BadResponse,
  RateLimited,
  TaskNotFound,
} from '../sora/errors.ts';
import { parseTaskId, type VideoTask } from '../sora/task.ts';
import type { ClipLibrary } from '../watch/kept-clip.ts';
import type { Subscription, Watch, WatchStore } from '../watch/watch.ts';
import { releaseClip } from './clip-handover.ts';
import type { DueEntry } from './due-queue.ts';
import { DueTimer } from './due-timer.ts';
import { Finisher } from './finisher.ts';
import {
  addSubscription,
  endIfOverdue,
  finishedTaskOf,
  planAfterPoll,
  progressOf,
  type WatchAddition,
} from './next-step.ts';
import {
  noTrackerObserver,
  pollErrorOutcomeOf,
  pollOutcomeOf,
  type TaskSource,
  type TrackerObserver,
  type VideoFetcher,
} from './ports.ts';
import { StatusUpdates } from './status-updates.ts';
import { WatchBook } from './watch-book.ts';

export interface TrackerPorts {
  store: WatchStore;
  /** When to poll each task and what estimate to show. */
  schedule: PollSchedule;
  sora: TaskSource;
  fetchVideo: VideoFetcher;
  adapters: readonly ChatAdapter[];
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Told about polls, downloads and deliveries (the metrics); nobody by default. */
  observer?: TrackerObserver;
  /**
   * Keeps every finished clip once its deliveries are done (the bot's clip library); without
   * one, a clip is removed after its last delivery.
   */
  library?: ClipLibrary;
  /**
   * The share page of a clip the library keeps (PUBLIC_URL), shown with the clip; without it,
   * announcements carry no share link.
   */
  shareLink?: (taskId: string) => string;
}

export interface TrackerOptions {
  /** Where clips wait between download and the last delivery. */
  downloadsDir: string;
  maxPollsInFlight?: number;
  /** A watch older than this ends with a message. */
  watchMaxAgeMs?: number;
  /** The shortest time between two edits of one status message. */
  minEditIntervalMs?: number;
  /** Overdue watches found at start are spread over this long, not polled all at once. */
  resumeSpreadMs?: number;
  /**
   * Requests to a clip's link in all, before its link is delivered instead: the downloader's
   * quick retries (resuming a broken transfer) and the tracker's later ones share this budget.
   */
  maxDownloadAttempts?: number;
  maxDeliveryAttempts?: number;
  retryBackoff?: BackoffPolicy;
  /** Polls that find a known task gone, in a row, before the watch ends. */
  maxNotFoundInARow?: number;
  /**
   * How long a new watch waits for the API's first answer. Past it (or after the client's
   * retries fail), the watch is kept and the asker told the service is not answering yet.
   */
  firstAnswerWithinMs?: number;
}

export const TRACKER_DEFAULTS = {
  maxPollsInFlight: 16,
  watchMaxAgeMs: 6 * 60 * 60 * 1000,
  minEditIntervalMs: 5_000,
  resumeSpreadMs: 30_000,
  maxDownloadAttempts: 8,
  maxDeliveryAttempts: 6,
  retryBackoff: { baseMs: 5_000, capMs: 5 * 60_000 },
  maxNotFoundInARow: 3,
  firstAnswerWithinMs: 8_000,
} as const satisfies Required<Omit<TrackerOptions, 'downloadsDir'>>;

export type { WatchAddition } from './next-step.ts';

/** What a card says once its place stopped watching (`/sora-unwatch` or its Stop watching button). */
export const UNWATCHED_HERE = 'No longer watched here.';

export interface WatchResult {
  addition: WatchAddition;
  task: VideoTask | undefined;
  subscription: Subscription;
}

export class Tracker {
  readonly #ports: TrackerPorts;
  readonly #options: Required<TrackerOptions>;
  readonly #book: WatchBook;
  readonly #timer: DueTimer;
  readonly #updates: StatusUpdates;
  readonly #finisher: Finisher;
  readonly #observer: TrackerObserver;
  readonly #stop = new AbortController();
  readonly #polls = new Set<Promise<void>>();
  readonly #adapters: ReadonlyMap<string, ChatAdapter>;
  /** The `ref`s of answers the last stop cut off, found at start (see `PendingReply`). */
  readonly #cutOffReplies = new Set<string>();

  constructor(ports: TrackerPorts, options: TrackerOptions) {
    this.#ports = ports;
    this.#options = { ...TRACKER_DEFAULTS, ...options };
    this.#book = new WatchBook(ports.store);
    this.#timer = new DueTimer({
      clock: ports.clock,
      signal: this.#stop.signal,
      // Polls past the cap wait for one in flight to end (it wakes the timer).
      mayRun: (entry) => entry.job !== 'poll' || this.#polls.size < this.#options.maxPollsInFlight,
      run: (entry) => this.#dispatch(entry),
    });
    this.#observer = ports.observer ?? noTrackerObserver;
    const adapters = new Map(ports.adapters.map((adapter) => [adapter.platform, adapter]));
    this.#adapters = adapters;
    this.#updates = new StatusUpdates({
      adapters,
      clock: ports.clock,
      logger: ports.logger,
      minEditIntervalMs: this.#options.minEditIntervalMs,
      estimate: (watch) => this.#estimate(watch),
      refreshLater: (taskId, at) => this.#enqueue({ taskId, at, job: 'refresh' }),
    });
    this.#finisher = new Finisher({
      book: this.#book,
      adapters,
      fetchVideo: ports.fetchVideo,
      downloadsDir: this.#options.downloadsDir,
      ...(ports.library ? { library: ports.library } : {}),
      ...(ports.library && ports.shareLink ? { shareLink: ports.shareLink } : {}),
      clock: ports.clock,
      random: ports.random,
      logger: ports.logger,
      observer: this.#observer,
      maxDownloadAttempts: this.#options.maxDownloadAttempts,
      maxDeliveryAttempts: this.#options.maxDeliveryAttempts,
      retryBackoff: this.#options.retryBackoff,
      finishLater: (taskId, at) => this.#enqueue({ taskId, at, job: 'finish' }),
      signal: this.#stop.signal,
      refreshCards: (watch) => this.#updates.refresh(watch),
    });
  }

  /** Unfinished watches in memory. */
  get activeCount(): number {
    return this.#book.size;
  }

  /** Resumes every unfinished watch from the store, spread over time, and starts the timer. */
  async start(): Promise<void> {
    await this.#ports.schedule.load();
    const watches = await this.#ports.store.listActive();
    this.#book.load(watches);
    const now = this.#ports.clock.now();
    const spread = this.#options.resumeSpreadMs;
    for (const [index, watch] of watches.entries()) {
      // Overdue work is spread evenly over the window; work due later keeps its time.
      const slot = now + (watches.length > 1 ? (index / watches.length) * spread : 0);
      if (watch.phase === 'polling') {
        watch.nextPollAt = Math.max(watch.nextPollAt, slot);
        this.#enqueue({ taskId: watch.taskId, at: watch.nextPollAt, job: 'poll' });
        // A card whose first post was cut short by the stop is posted now, not at the next poll.
        const cardMissing = watch.subscriptions.some(
          (sub) => sub.statusMessage === undefined && sub.delivery !== 'abandoned',
        );
        const replyCutOff = this.#noteCutOffReplies(watch, now);
        if (cardMissing || replyCutOff) {
          this.#enqueue({ taskId: watch.taskId, at: slot, job: 'refresh' });
        }
      } else {
        this.#enqueue({ taskId: watch.taskId, at: slot, job: 'finish' });
      }
    }
    this.#ports.logger.info({ resumed: watches.length }, 'tracker started');
    this.#timer.start();
  }

  /**
   * Stops polling and downloading (both stay resumable), waits for deliveries in progress,
   * and returns; the caller then closes the store.
   */
  async stop(): Promise<void> {
    this.#stop.abort(new Error('tracker stopping'));
    await this.#timer.stopped();
    await Promise.allSettled([...this.#polls]);
    await this.#finisher.idle();
  }

  /**
   * Starts or joins the watch of a task for one place. A new task is asked about at once,
   * so a wrong id or an unknown task is reported to the asker (as a typed error) and nothing
   * is kept. The place's status message is shown before this returns.
   */
  async watch(
    taskId: string,
    origin: CommandOrigin,
    known: {
      clipSeconds?: number;
      prompt?: string;
      request?: CreateRequest;
      repost?: boolean;
    } = {},
  ): Promise<WatchResult> {
    const id = parseTaskId(taskId);
    return this.#book.exclusive(id, async () => {
      const now = this.#ports.clock.now();
      // Changed as a copy and saved before it replaces the watch in memory: a save the store
      // refuses leaves the watch as it was, not with a place nobody was told is watching.
      let watch = this.#book.draft(id);
      const isNew = watch === undefined;
      if (watch === undefined && known.repost !== true) {
        const delivered = await this.#deliveredBefore(id, origin.target);
        if (delivered !== undefined) return delivered;
      }
      if (watch === undefined) {
        const earlier = known.repost === true ? await this.#ports.store.get(id) : undefined;
        const task = await this.#firstLook(id);
        watch =
          earlier?.phase === 'finished'
            ? revive(earlier, task, origin.target, now)
            : {
                taskId: id,
                subscriptions: [],
                startedAt: now,
                ...(task !== undefined ? { task } : {}),
                history: task !== undefined ? observeStatus({}, task.status, now) : {},
                phase: 'polling',
                nextPollAt: now,
                polls: 1,
                consecutiveFailures: task !== undefined ? 0 : 1,
                ...(known.clipSeconds !== undefined ? { clipSeconds: known.clipSeconds } : {}),
                ...(known.prompt !== undefined ? { prompt: known.prompt } : {}),
              };
      }
      if (known.prompt !== undefined) watch.prompt ??= known.prompt;
      if (known.request !== undefined) watch.request ??= known.request;
      const { subscription, addition } = addSubscription(watch, origin, now, isNew);
      if (isNew) this.#planNext(watch, watch.task !== undefined ? 'answer' : 'failure');
      await this.#book.save(watch);
      // Scheduled once saved: the loop may run the job before this call returns.
      if (isNew || watch.phase !== 'polling') this.#scheduleNext(watch);
      let refused: PlaceGone | undefined;
      const changed = await this.#updates.refresh(watch, (sub, error) => {
        if (sub === subscription && error.advice !== undefined) refused = error;
      });
      if (refused !== undefined) {
        // The bot cannot post where it was asked: keep no watch for that place, and say why.
        await this.#dropPlace(watch, subscription);
        throw new CannotPostHere(`Not watching ${id} here. ${refused.advice}`, { cause: refused });
      }
      if (changed) await this.#book.save(watch);
      return { addition, task: watch.task, subscription: structuredClone(subscription) };
    });
  }

  /**
   * The answer from an earlier watch of the task that already posted its result in this
   * place (finished watches are kept for a week): asked again, the place gets no second
   * card or clip unless `repost` says so.
   */
  async #deliveredBefore(taskId: string, target: string): Promise<WatchResult | undefined> {
    const earlier = await this.#ports.store.get(taskId);
    if (earlier?.phase !== 'finished') return undefined;
    const sub = earlier.subscriptions.find((s) => s.target === target && s.delivery === 'done');
    if (sub === undefined) return undefined;
    return {
      addition: 'already-delivered',
      task: earlier.task,
      subscription: structuredClone(sub),
    };
  }

  /** Removes a place the bot cannot post in; a watch left with no place ends unseen. */
  async #dropPlace(watch: Watch, place: Subscription): Promise<void> {
    watch.subscriptions = watch.subscriptions.filter((sub) => sub !== place);
    if (watch.subscriptions.length === 0) {
      watch.phase = 'finished';
      watch.endReason = 'No place could be posted in.';
    }
    await this.#book.save(watch);
  }

  /** Stops watching a task for one place; true when it was watched there. */
  async unwatch(taskId: string, target: string): Promise<boolean> {
    const id = parseTaskId(taskId);
    return this.#book.exclusive(id, async () => {
      const watch = this.#book.draft(id);
      const index = watch?.subscriptions.findIndex((s) => s.target === target) ?? -1;
      if (watch === undefined || index === -1) return false;
      const [left] = watch.subscriptions.splice(index, 1);
      if (watch.subscriptions.length === 0) {
        watch.phase = 'finished';
        watch.endReason = 'No longer watched anywhere.';
      }
      await this.#book.save(watch);
      if (left !== undefined && left.delivery !== 'done' && left.delivery !== 'abandoned') {
        await this.#updates.showLeft(watch, left, UNWATCHED_HERE);
      }
      if (watch.phase === 'finished') {
        await releaseClip(watch, this.#ports.library, this.#ports.logger);
      }
      this.#ports.logger.info({ taskId: id, target }, 'unwatched');
      return true;
    });
  }

  /** The unfinished watches of one place, oldest first. */
  list(target: string): Watch[] {
    return this.#book
      .all()
      .filter((watch) => watch.subscriptions.some((s) => s.target === target))
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((watch) => structuredClone(watch));
  }

  /**
   * The watch of a task, unfinished or finished (from the store), with the estimate people
   * are shown; undefined when the task was never watched.
   */
  async find(taskId: string): Promise<{ watch: Watch; estimate: Estimate } | undefined> {
    const id = parseTaskId(taskId);
    const watch = this.#book.get(id) ?? (await this.#ports.store.get(id));
    if (watch === undefined) return undefined;
    return { watch: structuredClone(watch), estimate: this.#estimate(watch) };
  }

  /** The estimate shown to people for a watch. */
  #estimate(watch: Watch): Estimate {
    const task = watch.task;
    if (task === undefined) return { remainingMs: undefined, progress: undefined };
    const estimate = this.#ports.schedule.estimate(progressOf(watch, this.#ports.clock.now()));
    return { remainingMs: estimate.remainingMs, progress: estimate.progress };
  }

  #enqueue(entry: DueEntry): void {
    this.#timer.push(entry);
  }

  #dispatch(entry: DueEntry): void {
    const watch = this.#book.get(entry.taskId);
    if (watch === undefined) return;
    if (entry.job === 'poll') {
      // A rescheduled watch leaves its old entry behind: only the current one counts.
      if (watch.phase !== 'polling' || watch.nextPollAt !== entry.at) return;
      const poll = this.#poll(entry.taskId)
        .catch((error: unknown) => this.#pollNotSaved(entry.taskId, error))
        .finally(() => {
          this.#polls.delete(poll);
          this.#timer.wake(); // a poll slot is free
        });
      this.#polls.add(poll);
    } else if (entry.job === 'finish') {
      if (watch.phase !== 'polling') void this.#finisher.run(entry.taskId);
    } else {
      void this.#book
        .exclusive(entry.taskId, async () => {
          const current = this.#book.draft(entry.taskId);
          if (current) await this.#refreshAndSave(current);
        })
        .catch((error: unknown) => {
          this.#ports.logger.warn({ taskId: entry.taskId, err: error }, 'status refresh not saved');
        });
    }
  }

  async #poll(taskId: string): Promise<void> {
    const { clock, logger } = this.#ports;
    let task: VideoTask | undefined;
    let outcome: PollOutcome = 'answer';
    let notFound = false;
    try {
      task = await this.#ask(taskId);
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      notFound = error instanceof TaskNotFound;
      outcome = 'failure';
      const level = error instanceof AuthFailed ? 'error' : 'warn';
      logger[level]({ taskId, err: error }, 'poll failed');
    }
    await this.#book.exclusive(taskId, async () => {
      const watch = this.#book.draft(taskId);
      if (watch === undefined || watch.phase !== 'polling') return;
      const now = clock.now();
      watch.polls += 1;
      if (task !== undefined) {
        watch.task = task;
        watch.history = observeStatus(watch.history, task.status, now);
        watch.consecutiveFailures = 0;
        watch.notFoundInARow = 0;
      } else {
        watch.consecutiveFailures += 1;
        watch.notFoundInARow = notFound ? (watch.notFoundInARow ?? 0) + 1 : 0;
      }
      endIfOverdue(watch, now, this.#options);
      this.#planNext(watch, outcome);
      await this.#book.save(watch);
      this.#scheduleNext(watch);
      await this.#refreshAndSave(watch);
    });
  }

  /**
   * The first answer about a new task, within `firstAnswerWithinMs`: the task, or undefined
   * when the service is not answering (no answer in time, or only passing errors after the
   * client's retries). An answer that settles it (unknown task, refused key) is thrown.
   */
  async #firstLook(taskId: string): Promise<VideoTask | undefined> {
    const giveUp = new AbortController();
    const signal = AbortSignal.any([this.#stop.signal, giveUp.signal]);
    const deadline = this.#ports.clock.sleep(this.#options.firstAnswerWithinMs, signal).then(
      () => 'late' as const,
      () => 'late' as const,
    );
    try {
      const answer = await Promise.race([this.#ask(taskId, signal), deadline]);
      if (answer === 'late') {
        this.#ports.logger.warn({ taskId }, 'no first answer in time; watching anyway');
        return undefined;
      }
      return answer;
    } catch (error) {
      if (this.#stop.signal.aborted || !isPassing(error)) throw error;
      this.#ports.logger.warn({ taskId, err: error }, 'no first answer; watching anyway');
      return undefined;
    } finally {
      giveUp.abort();
    }
  }

  /**
   * Shows the watch where it changed and saves what that changed. A polling watch whose every
   * place turned out gone (channel deleted, bot removed) ends there: nobody would see its
   * card or its clip, so it is neither polled nor downloaded any more.
   */
  async #refreshAndSave(watch: Watch): Promise<void> {
    const shown = await this.#updates.refresh(watch);
    const replied = await this.#finishCutOffReplies(watch);
    if (!shown && !replied) return;
    const nobody = watch.subscriptions.every((sub) => sub.delivery === 'abandoned');
    if (watch.phase === 'polling' && nobody) {
      watch.phase = 'finished';
      watch.endReason = 'Every place that watched it is gone.';
      this.#ports.logger.info({ taskId: watch.taskId }, 'no place left; watch ended');
    }
    await this.#book.save(watch);
  }

  /**
   * Remembers the answers a stop cut off (askers still waiting, their time not up), to be
   * finished once their place's card is up; true if the watch has any.
   */
  #noteCutOffReplies(watch: Watch, now: number): boolean {
    let any = false;
    for (const sub of watch.subscriptions) {
      if (sub.pendingReply === undefined || sub.pendingReply.until <= now) continue;
      this.#cutOffReplies.add(sub.pendingReply.ref);
      any = true;
    }
    return any;
  }

  /**
   * Finishes the answers cut off by the last stop whose card is now up, and forgets answers
   * whose time is up; true if a subscription changed. The answers this process gives itself
   * are finished by the adapter that asked, not here.
   */
  async #finishCutOffReplies(watch: Watch): Promise<boolean> {
    const now = this.#ports.clock.now();
    let changed = false;
    for (const sub of watch.subscriptions) {
      const reply = sub.pendingReply;
      if (reply === undefined) continue;
      const cutOff = this.#cutOffReplies.has(reply.ref);
      const over = reply.until <= now || sub.delivery === 'abandoned';
      if (!over && (!cutOff || sub.statusMessage === undefined)) continue;
      if (!over) {
        const adapter = this.#adapters.get(platformOf(sub.target));
        const text = statusReply(watch.taskId, 'new-watch', watch.task);
        try {
          await adapter?.finishReply?.(sub, reply, text);
        } catch (error) {
          this.#ports.logger.warn(
            { taskId: watch.taskId, target: sub.target, err: error },
            'could not finish an answer cut off by the restart',
          );
        }
      }
      this.#cutOffReplies.delete(reply.ref);
      delete sub.pendingReply;
      changed = true;
    }
    return changed;
  }

  /** Asks the API about a task, and tells the observer what came back. */
  async #ask(taskId: string, signal: AbortSignal = this.#stop.signal): Promise<VideoTask> {
    try {
      const task = await this.#ports.sora.getTask(taskId, signal);
      this.#observer.polled(pollOutcomeOf(task.status));
      return task;
    } catch (error) {
      if (!signal.aborted) this.#observer.polled(pollErrorOutcomeOf(error));
      throw error;
    }
  }

  /**
   * The store refused a poll's outcome (an outage): the watch keeps its last saved state and
   * is asked about again later, when the store may be back. Nothing acts on unsaved state.
   */
  #pollNotSaved(taskId: string, error: unknown): void {
    this.#ports.logger.error({ taskId, err: error }, 'poll outcome not saved; retrying later');
    const watch = this.#book.get(taskId);
    if (watch === undefined || this.#stop.signal.aborted) return;
    watch.phase = 'polling';
    watch.nextPollAt = this.#ports.clock.now() + this.#options.retryBackoff.baseMs * 6;
    this.#enqueue({ taskId, at: watch.nextPollAt, job: 'poll' });
  }

  /** Plans the watch's next step; a task seen finished teaches the schedule its timings. */
  #planNext(watch: Watch, outcome: PollOutcome): void {
    const { schedule } = this.#ports;
    const step = planAfterPoll(watch, outcome, { now: this.#ports.clock.now(), schedule });
    if (step !== 'task-finished') return;
    const finished = finishedTaskOf(watch);
    if (finished !== undefined) schedule.learn(finished);
  }

  /** Queues the watch's next job, once its state is saved. */
  #scheduleNext(watch: Watch): void {
    if (watch.phase === 'polling') {
      this.#enqueue({ taskId: watch.taskId, at: watch.nextPollAt, job: 'poll' });
    } else if (watch.phase !== 'finished') {
      this.#enqueue({ taskId: watch.taskId, at: this.#ports.clock.now(), job: 'finish' });
    }
  }
}

/** Errors that say nothing about the task: the service may answer later. */
/**
 * A finished watch taken up again to post its task in one more place (a share, a repost):
 * its places, cards and request stay, so the places that have the result get nothing new;
 * the place asked for, if it had one, is posted in afresh; the clip is fetched again.
 */
function revive(earlier: Watch, task: VideoTask | undefined, target: string, now: number): Watch {
  const {
    video: _video,
    videoProblem: _problem,
    linkExpired: _expired,
    downloadAttempts: _attempts,
    endReason: _reason,
    notFoundInARow: _notFound,
    ...kept
  } = earlier;
  return {
    ...kept,
    subscriptions: earlier.subscriptions.filter((sub) => sub.target !== target),
    ...(task !== undefined ? { task } : {}),
    history:
      task !== undefined ? observeStatus(earlier.history, task.status, now) : earlier.history,
    phase: 'polling',
    nextPollAt: now,
    polls: earlier.polls + 1,
    consecutiveFailures: task !== undefined ? 0 : 1,
  };
}

function isPassing(error: unknown): boolean {
  return (
    error instanceof ApiUnavailable ||
    error instanceof ApiUnreachable ||
    error instanceof RateLimited ||
    error instanceof BadResponse
  );
}
