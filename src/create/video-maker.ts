/**
 * The commands' one door to making videos: the creator, the spending limits and the record
 * of made tasks, joined as the chat layer's `VideoMaker` port.
 */
import type { VideoMaker } from '../chat/command-services.ts';
import type { KeptRecordStore } from '../watch/kept-records.ts';
import { madeTask } from '../watch/made-task.ts';
import type { Creator } from './creator.ts';
import type { SpendingLimits } from './spending-limits.ts';

export function videoMaker(parts: {
  creator: Creator;
  limits: SpendingLimits;
  records: KeptRecordStore;
}): Required<VideoMaker> {
  const { creator, limits, records } = parts;
  return {
    create: (request, origins, key, keyKeptMs) => creator.create(request, origins, key, keyKeptMs),
    usage: (origin) => limits.report(origin),
    made: (taskId) => madeTask(records, taskId),
    isAdmin: (origin) => limits.isAdmin(origin),
  };
}
