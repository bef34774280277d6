/**
 * The slash commands as Discord knows them (for registration), and the mapping from an
 * invocation to the shared `Command`, so parsing and its helpful errors stay in one place.
 */
import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import {
  COMMAND_NAMES,
  type Command,
  type CommandName,
  parseCommand,
} from '../../chat/commands.ts';
import {
  FORM_PROMPT_MAX_LENGTH,
  type FormChoice,
  modelAndResolutionChoices,
  ORIENTATION_CHOICES,
  secondsChoices,
} from '../../chat/create-form.ts';
import type { PendingReply } from '../../watch/watch.ts';
import { encodeTarget } from './targets.ts';

const TASK_ID_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'id',
  description: 'The video task id, like vgen_abc123 or sora_abc123',
  required: true,
  // Task ids are short; the cap stops pasted paragraphs before they reach the parser.
  max_length: 200,
  // Offers the ids this channel watches (see `autocompleteChoices`).
  autocomplete: true,
} as const;

/** Discord shows at most 25 choices, each at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** What `PUT /applications/{id}/commands` receives. */
export const DISCORD_COMMANDS = [
  {
    name: 'sora-status',
    description:
      'Show any video task (Sora, VEO, Seedance, Grok, …) and post its video here when ready',
    options: [TASK_ID_OPTION],
  },
  { name: 'sora-list', description: 'The video tasks this channel is watching' },
  {
    name: 'sora-unwatch',
    description: 'Stop watching a video task in this channel',
    options: [TASK_ID_OPTION],
  },
  {
    name: 'sora-show',
    description: 'Post a clip the bot keeps here again, with its buttons',
    options: [TASK_ID_OPTION],
  },
  {
    name: 'sora-usage',
    description: 'The videos you and the bot made today, against the daily limits',
  },
  {
    name: 'sora-clips',
    description: 'The kept clips of this channel (yours, or all), newest first',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'scope',
        description: 'Whose clips: this channel (the default), yours, or all',
        choices: [
          { name: 'this channel', value: 'channel' },
          { name: 'mine', value: 'mine' },
          { name: 'all', value: 'all' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'search',
        description: 'A model (veo, sora, veo_3_1_fast) and words the prompt must have',
        max_length: 200,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'page',
        description: 'Which page of ten',
        min_value: 1,
      },
    ],
  },
  {
    name: 'sora-create',
    description: 'Make a video and post it here when ready; without a prompt, opens a form',
    // All optional: without a prompt the form opens, showing whatever else was given.
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'prompt',
        description: 'What the video shows; leave out to fill in a form instead',
        max_length: FORM_PROMPT_MAX_LENGTH,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'model',
        description: 'The model and resolution (VEO 3.1 Fast by default)',
        choices: optionChoices(modelAndResolutionChoices()),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'orientation',
        description: "Landscape or portrait (the model's default if left out)",
        choices: optionChoices(ORIENTATION_CHOICES),
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'seconds',
        description: "The clip length (the model's default if left out)",
        choices: optionChoices(secondsChoices()).map(({ name, value }) => ({
          name,
          value: Number(value),
        })),
      },
      {
        type: ApplicationCommandOptionType.Attachment,
        name: 'image',
        description: 'A reference image for the video to follow',
        file_types: ['image'],
      },
    ],
  },
] satisfies RESTPostAPIChatInputApplicationCommandsJSONBody[];

/** A form's choices as a command option offers them: at most 25, names of 100 characters. */
function optionChoices(choices: readonly FormChoice[]): { name: string; value: string }[] {
  return choices
    .slice(0, MAX_CHOICES)
    .map((choice) => ({ name: choice.label.slice(0, MAX_CHOICE_LENGTH), value: choice.value }));
}

/** The parts of a chat input interaction the mapping needs. */
export interface SlashInvocation {
  commandName: string;
  /** The `id` option, when given. */
  id: string | null;
  /** `/sora-clips`'s options, when given. */
  clips?: ClipsOptions;
  channelId: string;
  userId: string;
  /** The deferred answer, to be finished after a restart if need be. */
  pendingReply?: PendingReply;
}

export function isOurCommand(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** Throws `CommandError` with the sentence to show the asker when the input is wrong. */
export function commandFromSlash(invocation: SlashInvocation): Command {
  const text = invocation.clips === undefined ? (invocation.id ?? '') : clipsText(invocation.clips);
  return parseCommand(invocation.commandName, text, {
    target: encodeTarget(invocation.channelId),
    requester: invocation.userId,
    ...(invocation.pendingReply ? { pendingReply: invocation.pendingReply } : {}),
  });
}

/** `/sora-clips`'s options: `scope` is 'channel', 'mine' or 'all'. */
export interface ClipsOptions {
  scope: string | null;
  search: string | null;
  page: number | null;
}

/** The options as the words the shared parser reads: "mine veo kite page 2". */
export function clipsText(options: ClipsOptions): string {
  const words: string[] = [];
  if (options.scope === 'mine' || options.scope === 'all') words.push(options.scope);
  if (options.search !== null) words.push(options.search.trim());
  if (options.page !== null) words.push('page', String(options.page));
  return words.join(' ');
}

/**
 * The watched task ids to offer for what has been typed so far: those containing it (any
 * case), the ones that start with it first, at most 25.
 */
export function autocompleteChoices(ids: readonly string[], typed: string): string[] {
  const needle = typed.trim().toLowerCase();
  const fitting = [...new Set(ids)].filter(
    (id) => id.length <= MAX_CHOICE_LENGTH && id.toLowerCase().includes(needle),
  );
  const starts = fitting.filter((id) => id.toLowerCase().startsWith(needle));
  const inside = fitting.filter((id) => !id.toLowerCase().startsWith(needle));
  return [...starts, ...inside].slice(0, MAX_CHOICES);
}
