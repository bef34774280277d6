/**
 * What the bot remembers of each video it made: the request and who asked, by task id, for
 * three months. A button on a card carries only an action and a task id; Rerun and Edit &
 * rerun read the request from here, weeks later and after any restart, and the buttons'
 * permissions read who asked.
 */
import type { CreateRequest } from '../models/index.ts';
import type { KeptRecordStore } from './kept-records.ts';

export interface MadeTask {
  taskId: string;
  request: CreateRequest;
  /** The asker, platform-prefixed ("slack:U0123"); absent when a program asked (the intake). */
  by?: string;
  /** When it was made (ms). */
  at: number;
}

const KIND = 'made';
/** Long enough to rerun last quarter's clip; short enough that the store does not grow forever. */
export const MADE_TASK_KEPT_MS = 90 * 24 * 60 * 60 * 1000;

export async function rememberMadeTask(store: KeptRecordStore, made: MadeTask): Promise<void> {
  await store.putKept(KIND, made.taskId, made, MADE_TASK_KEPT_MS);
}

/** The record of a task the bot made, or undefined (a task made elsewhere, or long ago). */
export async function madeTask(
  store: KeptRecordStore,
  taskId: string,
): Promise<MadeTask | undefined> {
  const value = await store.getKept(KIND, taskId);
  return isMadeTask(value) && value.taskId === taskId ? value : undefined;
}

function isMadeTask(value: unknown): value is MadeTask {
  if (typeof value !== 'object' || value === null) return false;
  const made = value as Partial<MadeTask>;
  const request = made.request as Partial<CreateRequest> | undefined;
  return (
    typeof made.taskId === 'string' &&
    typeof made.at === 'number' &&
    (made.by === undefined || typeof made.by === 'string') &&
    typeof request === 'object' &&
    request !== null &&
    typeof request.model === 'string' &&
    typeof request.prompt === 'string'
  );
}
