/**
 * The schedule the bot runs: polls placed where each model's tasks are likely to end, the
 * estimate read from the same distributions, both sharpened by every finished task. Learned
 * timings are kept per model, family and overall (`TimingsBook`) and saved after each task.
 */
import type { Random } from '../clock.ts';
import type { Logger } from '../log.ts';
import { modelInfo } from '../models/index.ts';
import { buildDurationModel, type DurationModel } from './duration-model.ts';
import { estimateCompletion } from './estimate.ts';
import { sampleFinishedTask } from './finished-task-sample.ts';
import { nextPollDelay, type ScheduleOptions } from './poll-delay.ts';
import type {
  Estimate,
  FinishedTask,
  PollOutcome,
  PollSchedule,
  TaskProgress,
  TimingsStore,
} from './port.ts';
import {
  emptyBook,
  learnedFor,
  readTimingsBook,
  recordInBook,
  type TimingsBook,
  type TimingsBookOptions,
} from './timings-book.ts';

export interface AdaptiveScheduleDeps {
  store: TimingsStore;
  random: Random;
  logger: Logger;
  options?: ScheduleOptions & TimingsBookOptions;
}

/** The model id asked about before the first answer names one: the catalogue's generic guess. */
const NO_MODEL = '';

export class AdaptiveSchedule implements PollSchedule {
  readonly #deps: AdaptiveScheduleDeps;
  readonly #options: ScheduleOptions & TimingsBookOptions;
  #book: TimingsBook = emptyBook();
  /** Built once per model after each change of the book: every poll of the model reads it. */
  readonly #durations = new Map<string, DurationModel>();

  constructor(deps: AdaptiveScheduleDeps) {
    this.#deps = deps;
    this.#options = deps.options ?? {};
  }

  async load(): Promise<void> {
    this.#replaceBook(readTimingsBook(await this.#deps.store.getTimings()));
  }

  nextPollDelay(task: TaskProgress, outcome: PollOutcome, consecutiveFailures: number): number {
    return nextPollDelay(
      {
        ...task,
        lastOutcome: outcome,
        consecutiveFailures,
        durations: this.durationsFor(task.model),
        random: this.#deps.random,
      },
      this.#options,
    );
  }

  estimate(task: TaskProgress): Estimate {
    return estimateCompletion({ ...task, durations: this.durationsFor(task.model) });
  }

  learn(task: FinishedTask): void {
    const info = modelInfo(task.model ?? NO_MODEL);
    const sample = sampleFinishedTask(task, this.durationsFor(task.model));
    this.#replaceBook(recordInBook(this.#book, info, sample, this.#options));
    this.#deps.store.putTimings(this.#book).catch((error: unknown) => {
      this.#deps.logger.warn({ err: error }, 'could not save learned timings');
    });
  }

  /** What the schedule believes of a model's task durations now. */
  durationsFor(model: string | undefined): DurationModel {
    const id = model ?? NO_MODEL;
    let durations = this.#durations.get(id);
    if (durations === undefined) {
      const info = modelInfo(id);
      durations = buildDurationModel(info, learnedFor(this.#book, info, this.#options));
      this.#durations.set(id, durations);
    }
    return durations;
  }

  /** The learned timings as they would be saved. */
  get book(): TimingsBook {
    return this.#book;
  }

  #replaceBook(book: TimingsBook): void {
    this.#book = book;
    this.#durations.clear();
  }
}
