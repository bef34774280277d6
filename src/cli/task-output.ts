/**
 * What a looked-at or followed task prints on stdout (and its problem on stderr), and the
 * exit code it ends the command with. `extra` adds fields to the JSON, such as a create's
 * idempotency key.
 */
import { isTerminal, taskProblem, type VideoTask } from '../sora/task.ts';
import { formatBytes } from '../time-format.ts';
import type { WatchEnding } from './cli-adapter.ts';
import { EXIT } from './exit.ts';
import { taskBlock } from './task-text.ts';

type JsonExtra = Record<string, unknown>;

export interface PrintTaskOptions {
  json: boolean;
  /** Fields added to the JSON. */
  extra?: JsonExtra;
  /** The block's hint for an unfinished task, when not "add --watch". */
  next?: string;
}

/** The task as a block or as JSON; 1 for a task that has ended without a video, else 0. */
export function printTask(task: VideoTask, options: PrintTaskOptions): number {
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ ...task, ...options.extra }, null, 2)}\n`
      : `${taskBlock(task, Date.now(), options.next)}\n`,
  );
  // A script asking "did it work?" reads the exit code: an ending without a video is 1.
  return isTerminal(task.status) && task.status !== 'completed' ? EXIT.taskFailed : EXIT.ok;
}

/** How a followed task ended: 0 saved, 3 not saved, 1 ended without a video. */
export function reportEnding(ending: WatchEnding, json: boolean, extra: JsonExtra = {}): number {
  if (json) process.stdout.write(`${JSON.stringify({ ...ending, ...extra }, null, 2)}\n`);
  switch (ending.kind) {
    case 'saved':
      process.stdout.write(`Saved ${ending.path} (${formatBytes(ending.bytes)})\n`);
      return EXIT.ok;
    case 'not-saved':
      process.stderr.write(`sora-status: ${ending.problem}\n`);
      return EXIT.apiError;
    case 'ended':
      // What the task itself says (its error, a cancellation) is on its status line already.
      if (ending.task === undefined || taskProblem(ending.task) !== ending.reason) {
        process.stderr.write(`sora-status: ${ending.reason}\n`);
      }
      return EXIT.taskFailed;
  }
}
