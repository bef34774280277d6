/** The duration model of a Sora task, as the schedule builds it, for the schedule's unit tests. */
import { modelInfo } from '../../src/models/index.ts';
import { buildDurationModel, type DurationModel } from '../../src/schedule/duration-model.ts';
import { emptyTimings, type LearnedTimings } from '../../src/schedule/learned-timings.ts';

export function soraDurations(timings: LearnedTimings = emptyTimings()): DurationModel {
  return buildDurationModel(modelInfo('openAiSora2Plus'), timings);
}
