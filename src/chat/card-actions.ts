/**
 * The buttons on cards and results. A button carries only its action and the task id
 * (`sora:<action>:<task id>`); everything else is read from the store when it is pressed, so
 * a button works after a restart, weeks later, on any card the bot posted.
 */
import { TASK_ID_MAX_LENGTH } from '../sora/task.ts';

export const CARD_ACTIONS = ['stop', 'rerun', 'edit', 'share', 'details'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/** What each button says. */
export const ACTION_LABELS: Record<CardAction, string> = {
  stop: 'Stop watching',
  rerun: 'Rerun',
  edit: 'Edit & rerun',
  share: 'Share to…',
  details: 'Details',
};

const PREFIX = 'sora';

/**
 * "sora:rerun:vgen_abc123". The service's ids are far shorter than the 128 characters a task
 * id may have; a platform whose ids are shorter (Discord: 100) leaves out a button whose id
 * does not fit (`fitsIn`).
 */
export function actionId(action: CardAction, taskId: string): string {
  return `${PREFIX}:${action}:${taskId}`;
}

/** The action and task id of a button's id, or undefined for anything else. */
export function readActionId(id: string): { action: CardAction; taskId: string } | undefined {
  const [prefix, action, ...rest] = id.split(':');
  const taskId = rest.join(':');
  if (prefix !== PREFIX || !(CARD_ACTIONS as readonly string[]).includes(action ?? '')) {
    return undefined;
  }
  if (taskId === '' || taskId.length > TASK_ID_MAX_LENGTH) return undefined;
  return { action: action as CardAction, taskId };
}

/** Whether a button's id fits a platform's bound on custom ids. */
export function fitsIn(action: CardAction, taskId: string, maxLength: number): boolean {
  return actionId(action, taskId).length <= maxLength;
}

const SHARE_PICKER_PREFIX = 'sora-share:';

/** The id of the place picker Share to… shows: "sora-share:vgen_abc123". */
export function sharePickerId(taskId: string): string {
  return `${SHARE_PICKER_PREFIX}${taskId}`;
}

/** The task id of a place picker's id, or undefined for anything else. */
export function readSharePickerId(id: string): string | undefined {
  if (!id.startsWith(SHARE_PICKER_PREFIX)) return undefined;
  const taskId = id.slice(SHARE_PICKER_PREFIX.length);
  return taskId === '' || taskId.length > TASK_ID_MAX_LENGTH ? undefined : taskId;
}
