/**
 * The schedule as the tracker sees it: when to poll a task next, what estimate to show, and
 * what to learn from a finished task. Two implementations: the adaptive schedule, which
 * knows each model and learns from finished tasks, and a fixed interval (`--interval`).
 */
import type { ObservedHistory } from './history.ts';

/** What is known of one running task at one moment. */
export interface TaskProgress {
  /** The moment asked about (ms). */
  now: number;
  /** Task creation (ms): the API's `created` × 1000; undefined before the first answer. */
  createdAt?: number;
  /** The last status seen, verbatim. */
  status?: string;
  /** The service's model id, once known: the catalogue and the learned timings follow it. */
  model?: string;
  history: ObservedHistory;
  /** The clip length (s) when known before the end (the bot created the task). */
  clipSeconds?: number;
}

/** How the poll just made went: an answer about the task, or a failure (error, 429, outage). */
export type PollOutcome = 'answer' | 'failure';

/** What people are shown of a running task. */
export interface Estimate {
  /** Time left (ms): even odds of the end coming sooner or later. */
  remainingMs: number | undefined;
  /** From creation to the expected end (ms). */
  totalMs: number | undefined;
  /** How far along, from 0 to 1. */
  progress: number | undefined;
}

/** A task that reached a final status, as polling saw it. */
export interface FinishedTask {
  model?: string;
  createdAt: number;
  history: ObservedHistory;
  /** False for a failed or cancelled task: those can end at any point of processing. */
  completed: boolean;
  /** The finished clip's length (`actualDuration`), or the requested one when known. */
  clipSeconds?: number;
}

export interface PollSchedule {
  /** Reads what earlier runs learned; called once before the first poll. */
  load(): Promise<void>;
  /** Milliseconds until the task is asked about again. */
  nextPollDelay(task: TaskProgress, outcome: PollOutcome, consecutiveFailures: number): number;
  estimate(task: TaskProgress): Estimate;
  /** Learns from a finished task; keeps what it learned without making the caller wait. */
  learn(task: FinishedTask): void;
}

/**
 * Where learned timings are kept between runs: one JSON document, read at start and replaced
 * after each finished task. The schedule checks what it reads: storage may hold an older shape.
 */
export interface TimingsStore {
  getTimings(): Promise<unknown>;
  putTimings(timings: object): Promise<void>;
}
