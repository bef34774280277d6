/**
 * What a button does once pressed. The button said only its action and the task id: the
 * watch, the request the task was made with and who made it are read from the store now, so
 * a button works after a restart and weeks later. Rerun, Edit & rerun and Stop watching are
 * for the people who asked and for admins; Share and Details for anyone in the channel.
 * Everyone else gets a private, polite refusal.
 */
import { displayName } from '../models/index.ts';
import type { VideoTask } from '../sora/task.ts';
import { formatDuration, formatUtc } from '../time-format.ts';
import type { MadeTask } from '../watch/made-task.ts';
import type { Watch } from '../watch/watch.ts';
import { ACTION_LABELS } from './card-actions.ts';
import type { VideoMaker, WatchService } from './command-services.ts';
import type { Command, CommandOrigin, Reply } from './commands.ts';
import { describeRequest, formValuesOf } from './create-form.ts';
import { personOf, personText } from './person-text.ts';
import { platformOf } from './port.ts';

/** How long a rerun by one person of one task answers with the first: a double click. */
export const RERUN_KEY_KEPT_MS = 30_000;

/** What the buttons read and do, beyond watching. */
export interface CardActionDeps {
  service: WatchService;
  maker: VideoMaker | undefined;
}

type ActionCommand = Extract<Command, { kind: 'action' }>;
type ShareCommand = Extract<Command, { kind: 'share' }>;

export async function runCardAction(command: ActionCommand, deps: CardActionDeps): Promise<Reply> {
  const { taskId, origin, action } = command;
  const found = await deps.service.find(taskId);
  const watch = found?.watch;
  const made = await deps.maker?.made?.(taskId);
  if (watch === undefined && made === undefined) {
    return reply(
      `The bot has no record of ${taskId} any more, so "${ACTION_LABELS[action]}" cannot be done.`,
    );
  }
  switch (action) {
    case 'details':
      return reply(detailsText(taskId, watch, made, origin));
    case 'share':
      if (watch?.task?.status !== 'completed') {
        return reply(`${taskId} has no clip to share.`);
      }
      return {
        ...reply(`Where should ${taskId} be shared? Pick a channel.`),
        sharePicker: { taskId },
      };
    case 'stop':
    case 'rerun':
    case 'edit':
      if (!mayAct(origin, watch, made, deps.maker)) return reply(refusal(action, taskId));
      return action === 'stop'
        ? stop(taskId, origin, deps)
        : remake(action, taskId, origin, made, deps);
  }
}

export async function runShare(command: ShareCommand, deps: CardActionDeps): Promise<Reply> {
  const { taskId, origin, to } = command;
  if (platformOf(to) !== platformOf(origin.target)) {
    return reply('A clip can be shared to a channel of the same platform only.');
  }
  if (to === origin.target) return reply(`${taskId} is already posted here.`);
  const found = await deps.service.find(taskId);
  if (found?.watch.task?.status !== 'completed') return reply(`${taskId} has no clip to share.`);
  const from = found.watch.subscriptions.find((sub) => sub.target === origin.target)?.resultLink;
  const sharer = origin.requester;
  if (sharer === undefined) return reply('Only a person can share a clip.');
  await deps.service.watch(
    taskId,
    { target: to, shared: { by: sharer, ...(from !== undefined ? { from } : {}) } },
    { repost: true },
  );
  return reply(`Sharing ${taskId} there: the clip will be posted in a moment.`);
}

async function stop(taskId: string, origin: CommandOrigin, deps: CardActionDeps): Promise<Reply> {
  const removed = await deps.service.unwatch(taskId, origin.target);
  return reply(
    removed ? `Stopped watching ${taskId} here.` : `${taskId} is not being watched here.`,
  );
}

async function remake(
  action: 'rerun' | 'edit',
  taskId: string,
  origin: CommandOrigin,
  made: MadeTask | undefined,
  deps: CardActionDeps,
): Promise<Reply> {
  if (made === undefined || deps.maker === undefined) {
    return reply(`The bot does not know how ${taskId} was made, so it cannot make it again.`);
  }
  if (action === 'edit') {
    return {
      ...reply('Change what you like and send the form: it makes a new video.'),
      form: formValuesOf(made.request),
    };
  }
  const person = personOf(origin) ?? 'program';
  const created = await deps.maker.create(
    made.request,
    [origin],
    `rerun:${taskId}:${person}`,
    RERUN_KEY_KEPT_MS,
  );
  const name = displayName(made.request.model);
  const text = created.repeated
    ? `That rerun was already started: it is ${created.taskId} (${name}), watched here.`
    : `Started ${created.taskId} (${name}), a rerun of ${taskId}; watching it here.`;
  const answer = reply(text);
  const card = created.watches[0]?.subscription.statusMessage;
  if (card !== undefined) answer.statusMessage = card;
  return answer;
}

/** The asker of the task (in any place, or as its maker) or an admin. */
function mayAct(
  origin: CommandOrigin,
  watch: Watch | undefined,
  made: MadeTask | undefined,
  maker: VideoMaker | undefined,
): boolean {
  if (maker?.isAdmin?.(origin) === true) return true;
  const person = origin.requester;
  if (person === undefined) return false;
  if (made?.by !== undefined && made.by === personOf(origin)) return true;
  return (watch?.subscriptions ?? []).some(
    (sub) =>
      platformOf(sub.target) === platformOf(origin.target) && sub.requesters.includes(person),
  );
}

function refusal(action: 'stop' | 'rerun' | 'edit', taskId: string): string {
  const what =
    action === 'stop' ? 'stop watching' : action === 'rerun' ? 'rerun' : 'edit and rerun';
  return `Sorry, only the person who asked for ${taskId}, or an admin of the bot, can ${what} it.`;
}

/** Everything the bot knows of a task, one fact a line. */
export function detailsText(
  taskId: string,
  watch: Watch | undefined,
  made: MadeTask | undefined,
  reader: CommandOrigin,
): string {
  const task: VideoTask | undefined = watch?.task;
  const model = task?.model ?? made?.request.model;
  const lines = [`Task ${taskId}`];
  if (model !== undefined) lines.push(`Model: ${displayName(model)} (${model})`);
  if (task !== undefined) lines.push(`Status: ${task.status}`);
  const request = made?.request ?? watch?.request;
  if (request !== undefined) lines.push(`Parameters: ${describeRequest(request)}`);
  const prompt = request?.prompt ?? watch?.prompt;
  if (prompt !== undefined) lines.push(`Prompt: ${prompt}`);
  if (made !== undefined) {
    const by = made.by === undefined ? 'a program (the intake)' : personText(made.by, reader);
    lines.push(`Made by: ${by} on ${formatUtc(made.at)}`);
  }
  const here = watch?.subscriptions.find((sub) => sub.target === reader.target);
  if (here !== undefined && here.requesters.length > 0) {
    lines.push(`Asked here by: ${here.requesters.map((id) => `<@${id}>`).join(', ')}`);
  }
  if (task !== undefined) lines.push(`Created: ${formatUtc(task.created * 1000)}`);
  const finishedAt = watch?.history.finishedSeenAt;
  if (finishedAt !== undefined && task !== undefined) {
    lines.push(
      `Finished: ${formatUtc(finishedAt)} (took ${formatDuration(finishedAt - task.created * 1000)})`,
    );
  }
  if (task?.actualDuration !== undefined) lines.push(`Clip: ${task.actualDuration} s`);
  const error = task?.error ?? watch?.endReason;
  if (error !== undefined && error !== '' && task?.status !== 'completed')
    lines.push(`Why it ended: ${error}`);
  const places = watch?.subscriptions.length ?? 0;
  if (places > 0) lines.push(`Watched in ${places} place${places === 1 ? '' : 's'}`);
  return lines.join('\n');
}

function reply(text: string): Reply {
  return { text, private: true };
}
