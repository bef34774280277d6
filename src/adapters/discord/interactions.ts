/**
 * Discord's side of the commands: slash commands are answered privately (deferred, since
 * the tracker may take longer than Discord's 3 s), autocomplete offers the channel's task
 * ids at once, and a channel where the bot could never post is refused up front.
 */
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import { CommandError } from '../../chat/commands.ts';
import type { CommandHandler } from '../../chat/port.ts';
import type { Logger } from '../../log.ts';
import { autocompleteChoices, commandFromSlash, isOurCommand } from './commands.ts';
import { missingPermissions, missingPermissionsText } from './permissions.ts';
import { encodeTarget, messageLink } from './targets.ts';

export interface InteractionDeps {
  onCommand: CommandHandler;
  logger: Logger;
  /** The task ids a target watches, for autocomplete. */
  suggest?: (target: string) => readonly string[];
  /** Upload caps that interactions report, by channel id: filled here, read by deliveries. */
  uploadLimits: Map<string, number>;
  /** The time (ms), for how long a deferred answer can still be finished. */
  now: () => number;
}

/**
 * How long after deferring an answer it may still be finished: Discord keeps an interaction
 * token for 15 minutes; a minute is left for the clocks and the request itself.
 */
const DEFERRED_ANSWER_LIFETIME_MS = 14 * 60_000;

/** Slash commands and autocomplete; anything else (other apps' commands, buttons) is ignored. */
export async function answerInteraction(
  interaction: Interaction,
  deps: InteractionDeps,
): Promise<void> {
  if (interaction.isAutocomplete()) {
    await suggestTaskIds(interaction, deps);
    return;
  }
  if (!interaction.isChatInputCommand() || !isOurCommand(interaction.commandName)) return;
  if (interaction.commandName === 'sora-status' && (await refusedForPermissions(interaction, deps)))
    return;
  try {
    // Discord gives 3 s for the first answer; the tracker may need longer.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  } catch (error) {
    deps.logger.warn({ err: error, command: interaction.commandName }, 'could not defer');
    return;
  }
  if (typeof interaction.attachmentSizeLimit === 'number') {
    deps.uploadLimits.set(interaction.channelId, interaction.attachmentSizeLimit);
  }
  const text = await answerText(interaction, deps);
  try {
    await interaction.editReply({ content: text, allowedMentions: { parse: [] } });
  } catch (error) {
    deps.logger.warn({ err: error, command: interaction.commandName }, 'could not answer');
  }
}

/** Offers the task ids this channel watches; answered at once (autocomplete cannot defer). */
async function suggestTaskIds(
  interaction: AutocompleteInteraction,
  deps: InteractionDeps,
): Promise<void> {
  if (!isOurCommand(interaction.commandName)) return;
  let choices: { name: string; value: string }[] = [];
  try {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'id' && deps.suggest) {
      const ids = deps.suggest(encodeTarget(interaction.channelId));
      choices = autocompleteChoices(ids, String(focused.value)).map((id) => ({
        name: id,
        value: id,
      }));
    }
  } catch (error) {
    deps.logger.warn({ err: error, command: interaction.commandName }, 'no suggestions');
  }
  try {
    await interaction.respond(choices);
  } catch (error) {
    deps.logger.warn({ err: error, command: interaction.commandName }, 'could not suggest');
  }
}

/**
 * Answers privately and returns true when the bot lacks a permission it needs in this
 * channel, so no watch starts that could never post. The check needs no network call, so
 * it answers at once instead of deferring.
 */
async function refusedForPermissions(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<boolean> {
  const missing = missingPermissions(interaction.appPermissions);
  if (missing.length === 0) return false;
  deps.logger.info({ channel: interaction.channelId, missing }, 'missing discord permissions');
  try {
    await interaction.reply({
      content: missingPermissionsText(missing),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    deps.logger.warn({ err: error, command: interaction.commandName }, 'could not answer');
  }
  return true;
}

/** The text of the private answer: the command's reply, with a link to the status message. */
async function answerText(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<string> {
  try {
    const command = commandFromSlash({
      commandName: interaction.commandName,
      id: interaction.options.getString('id'),
      channelId: interaction.channelId,
      userId: interaction.user.id,
      // Kept with the watch, so a restart before the answer below can still give it.
      pendingReply: {
        ref: deferredAnswerRef(interaction.guildId, interaction.token),
        until: deps.now() + DEFERRED_ANSWER_LIFETIME_MS,
      },
    });
    const reply = await deps.onCommand(command);
    if (reply.statusMessage === undefined) return reply.text;
    const link = messageLink(interaction.guildId, interaction.channelId, reply.statusMessage);
    return `${reply.text}\n${link}`;
  } catch (error) {
    if (error instanceof CommandError) return error.message;
    deps.logger.error({ err: error, command: interaction.commandName }, 'command failed');
    return 'That did not work; please try again in a moment.';
  }
}

/**
 * What finishing a deferred answer later takes: the interaction's token, and its server for
 * the link to the card (the gateway's cache may not know the channel yet after a restart).
 */
export function deferredAnswerRef(guildId: string | null, token: string): string {
  return `${guildId ?? '@me'}:${token}`;
}

/** The server and token of `deferredAnswerRef`. */
export function readDeferredAnswerRef(ref: string): { guildId: string; token: string } {
  const colon = ref.indexOf(':');
  return { guildId: ref.slice(0, colon), token: ref.slice(colon + 1) };
}
