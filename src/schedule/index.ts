/**
 * The schedule: when to poll a task next and what estimate to show, learned per model. The
 * tracker uses the `PollSchedule` port; the composition roots pick an implementation.
 */
export { AdaptiveSchedule, type AdaptiveScheduleDeps } from './adaptive-schedule.ts';
export { type FixedIntervalOptions, FixedIntervalSchedule } from './fixed-interval-schedule.ts';
export { lastAnsweredAt, type ObservedHistory, observeStatus } from './history.ts';
export type {
  Estimate,
  FinishedTask,
  PollOutcome,
  PollSchedule,
  TaskProgress,
  TimingsStore,
} from './port.ts';
