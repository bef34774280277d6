/** How a task reads in a terminal: a block for one look, a line for each change while watching. */
import { displayName } from '../models/index.ts';
import { isTerminal, taskProblem, VIDEO_LINK_LIFETIME_MS, type VideoTask } from '../sora/task.ts';
import { formatDuration, formatStopwatch, formatUtc } from '../time-format.ts';

/** What the last row of an unfinished task suggests, after a look at it. */
const FOLLOW_HINT = 'add --watch to follow it and save the video';

/** The whole task in aligned "label  value" rows; `next` is the hint for an unfinished one. */
export function taskBlock(task: VideoTask, nowMs: number, next = FOLLOW_HINT): string {
  const createdMs = task.created * 1000;
  const rows: [string, string][] = [
    ['Task', task.id],
    ['Status', task.status],
    ['Model', modelText(task.model)],
    ['Created', `${formatUtc(createdMs)} (${formatDuration(nowMs - createdMs)} ago)`],
  ];
  if (task.actualDuration !== undefined) rows.push(['Duration', `${task.actualDuration} s`]);
  if (task.videoUrl !== undefined) {
    rows.push(['Video', task.videoUrl]);
    rows.push(['Link valid', linkValidity(createdMs, nowMs)]);
  }
  const problem = taskProblem(task);
  if (problem !== undefined) rows.push(['Error', problem]);
  if (!isTerminal(task.status)) rows.push(['Next', next]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}`).join('\n');
}

/** "VEO 3.1 Fast (veo_3_1_fast)": the name for people, the id for whoever reports a problem. */
export function modelText(modelId: string): string {
  const name = displayName(modelId);
  return name === modelId ? modelId : `${name} (${modelId})`;
}

/** "[03:12] processing (VEO 3.1 Fast)": time since the task was created, then what changed. */
export function changeLine(change: {
  status: string;
  elapsedMs: number;
  /** The model's display name, given on the first line that knows it. */
  modelName?: string;
  clipSeconds?: number;
  error?: string;
}): string {
  const details: string[] = [];
  if (change.clipSeconds !== undefined) details.push(`${change.clipSeconds} s clip`);
  if (change.error !== undefined) details.push(change.error);
  // A semicolon after the name: an error that follows is a sentence of its own.
  const parts = [change.modelName, details.join(', ')].filter((part) => part);
  const suffix = parts.length > 0 ? ` (${parts.join('; ')})` : '';
  return `[${formatStopwatch(change.elapsedMs)}] ${change.status}${suffix}`;
}

/**
 * Links last a day from completion, which the API does not report; creation time is the
 * earliest it can have been, so the expiry shown is the earliest possible one.
 */
function linkValidity(createdMs: number, nowMs: number): string {
  const expiresMs = createdMs + VIDEO_LINK_LIFETIME_MS;
  if (expiresMs <= nowMs) return 'may have expired (links last 1 day)';
  return `at least until ${formatUtc(expiresMs)} (in ${formatDuration(expiresMs - nowMs)})`;
}
