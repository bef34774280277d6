/**
 * The commands every chat platform shares, parsed and validated in one place so that
 * `/sora-status` means the same on Discord, Slack and the terminal, for a task of any family.
 */

import { randomUUID } from 'node:crypto';
import type { CreateRequest } from '../models/index.ts';
import { InvalidTaskId, userMessage } from '../sora/errors.ts';
import { parseTaskId } from '../sora/task.ts';
import type { PendingReply } from '../watch/watch.ts';
import type { CardAction } from './card-actions.ts';
import { type ClipsFilter, parseClipsFilter } from './clips-command.ts';
import type { ClipsPage } from './clips-page.ts';
import { CommandError } from './command-error.ts';
import { parseCreateRequest } from './create-command.ts';
import type { CreateFormValues } from './create-form.ts';

export const COMMAND_NAMES = [
  'sora-status',
  'sora-list',
  'sora-unwatch',
  'sora-usage',
  'sora-clips',
  'sora-show',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Who asked, and where: the adapter fills this from the platform event. */
export interface CommandOrigin {
  /** The subscription target this place maps to, e.g. "slack:C0123". */
  target: string;
  /** The asker in the platform's own id form, mentioned when the task ends. */
  requester?: string;
  /**
   * Who asked when it is no chat user (the intake API's `requested_by`, "ci-pipeline"):
   * shown as plain text, never as a mention.
   */
  requestedBy?: string;
  /**
   * The asker's Slack user groups or Discord roles, where the adapter knows them: what
   * `CREATE_ALLOWED` may name besides people.
   */
  groups?: readonly string[];
  /**
   * Set when a person shares a finished clip here from another place: who shared it, and a
   * link back to where it was first posted.
   */
  shared?: { by: string; from?: string };
  /** The asker's answer, when the platform lets it be finished later (a deferred reply). */
  pendingReply?: PendingReply;
}

export type Command =
  | { kind: 'status'; taskId: string; origin: CommandOrigin }
  | { kind: 'list'; origin: CommandOrigin }
  | { kind: 'unwatch'; taskId: string; origin: CommandOrigin }
  /** Post a clip the library keeps in the asker's place again, with its buttons. */
  | { kind: 'show'; taskId: string; origin: CommandOrigin }
  /** The asker's videos today against the limits (everyone's for an admin). */
  | { kind: 'usage'; origin: CommandOrigin }
  /** The kept clips the filter picks, a page of them. */
  | { kind: 'clips'; filter: ClipsFilter; origin: CommandOrigin }
  /** A button of a card or result was pressed (`origin`: who pressed it, in that card's place). */
  | { kind: 'action'; action: CardAction; taskId: string; origin: CommandOrigin }
  /** Post a finished clip in another place (`to`, a target of the same platform). */
  | { kind: 'share'; taskId: string; origin: CommandOrigin; to: string }
  /** Make a video (`key`: this submission's idempotency key) and watch it in the place. */
  | { kind: 'create'; request: CreateRequest; origin: CommandOrigin; key: string };

/** What the asker is told right away. `private` replies are shown to the asker only. */
export interface Reply {
  text: string;
  private: boolean;
  /** The status message of this task in this place, for adapters that can link to it. */
  statusMessage?: string;
  /**
   * A create that did not start (the service refused it, a limit was reached): an adapter
   * that showed a form offers it again with the values kept, so they can be fixed and resent.
   */
  refused?: true;
  /** Edit & rerun: the create form to open, pre-filled with these values. */
  form?: CreateFormValues;
  /** Share to…: offer the asker a pick of places to share this task's clip to. */
  sharePicker?: { taskId: string };
  /**
   * `/sora-clips` with share pages: the same page as `text`, in parts, for chats that show
   * each clip as a card with its poster. `text` stays the whole answer everywhere else.
   */
  clips?: ClipsPage;
}

export { CommandError };

/**
 * One line per command. The names keep their "sora-" prefix, which people already type; the
 * commands follow any video task of the service.
 */
export const COMMAND_HELP: Record<CommandName, string> = {
  'sora-status':
    '/sora-status <task id>: show any video task (Sora, VEO, Seedance, Grok, …) now and keep this channel posted until its video is ready',
  'sora-list': '/sora-list: the video tasks this channel is watching, with their model and status',
  'sora-unwatch': '/sora-unwatch <task id>: stop watching a task here',
  'sora-usage': '/sora-usage: the videos you and the bot made today, against the daily limits',
  'sora-clips':
    '/sora-clips [mine|all] [model] [search words] [page N]: the kept clips of this channel (yours, or all), newest first',
  'sora-show': '/sora-show <task id>: post a clip the bot keeps here again, with its buttons',
};

/**
 * Turns a command name (with or without its leading "/") and its argument text into a
 * `Command`, or throws `CommandError` with a sentence that says how to fix it.
 */
export function parseCommand(name: string, text: string, origin: CommandOrigin): Command {
  const commandName = name.replace(/^\//, '').toLowerCase();
  const args = text.trim().split(/\s+/).filter(Boolean);
  switch (commandName) {
    case 'sora-status':
      return { kind: 'status', taskId: taskIdArgument('sora-status', args), origin };
    case 'sora-unwatch':
      return { kind: 'unwatch', taskId: taskIdArgument('sora-unwatch', args), origin };
    case 'sora-show':
      return { kind: 'show', taskId: taskIdArgument('sora-show', args), origin };
    case 'sora-create':
      // Each line typed is a submission of its own.
      return { kind: 'create', request: parseCreateRequest(text), origin, key: randomUUID() };
    case 'sora-clips':
      return { kind: 'clips', filter: parseClipsFilter(text), origin };
    case 'sora-list':
    case 'sora-usage':
      if (args.length > 0) {
        throw new CommandError(`/${commandName} takes no arguments. ${COMMAND_HELP[commandName]}`);
      }
      return commandName === 'sora-list' ? { kind: 'list', origin } : { kind: 'usage', origin };
    default:
      throw new CommandError(
        `Unknown command /${commandName}. ${Object.values(COMMAND_HELP).join('; ')}`,
      );
  }
}

function taskIdArgument(command: CommandName, args: string[]): string {
  if (args.length === 0) {
    throw new CommandError(
      `Give a task id, like /${command} vgen_abc123. ${COMMAND_HELP[command]}`,
    );
  }
  if (args.length > 1) {
    throw new CommandError(`Give one task id at a time, like /${command} vgen_abc123.`);
  }
  try {
    return parseTaskId(args[0] as string);
  } catch (error) {
    if (error instanceof InvalidTaskId) throw new CommandError(userMessage(error));
    throw error;
  }
}
