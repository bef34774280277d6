/**
 * Discord's side of the commands, and the router of every interaction: slash commands are
 * answered privately (deferred, since the tracker may take longer than Discord's 3 s),
 * `/sora-clips` shows each clip as an embed with its poster when share pages are on,
 * autocomplete offers the channel's task ids at once, a channel where the bot could never
 * post is refused up front, `/sora-create` with its form and buttons goes to
 * create-answers.ts, and the buttons of cards and results (with Share to…'s channel pick) go
 * to card-answers.ts.
 */
import {
  type APIEmbed,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import { readActionId, readSharePickerId } from '../../chat/card-actions.ts';
import { CommandError } from '../../chat/commands.ts';
import { answerCardButton, answerSharePick } from './card-answers.ts';
import { clipEmbeds, clipsContent } from './clip-embeds.ts';
import { autocompleteChoices, commandFromSlash, isOurCommand } from './commands.ts';
import {
  answerCreateCommand,
  answerCreateForm,
  answerEditClick,
  CREATE_COMMAND,
} from './create-answers.ts';
import { draftOfEditButton, isCreateForm } from './create-modal.ts';
import { pendingReplyOf } from './deferred-answer.ts';
import { type InteractionDeps, noteUploadLimit } from './interaction-deps.ts';
import { refusedForPermissions } from './permissions.ts';
import { encodeTarget, messageLink } from './targets.ts';

/** Our commands, forms and buttons; anything else (other apps' commands) is ignored. */
export async function answerInteraction(
  interaction: Interaction,
  deps: InteractionDeps,
): Promise<void> {
  if (interaction.isAutocomplete()) {
    await suggestTaskIds(interaction, deps);
    return;
  }
  if (interaction.isModalSubmit()) {
    if (isCreateForm(interaction.customId)) await answerCreateForm(interaction, deps);
    return;
  }
  if (interaction.isButton()) {
    const draftId = draftOfEditButton(interaction.customId);
    const pressed = readActionId(interaction.customId);
    if (draftId !== undefined) await answerEditClick(interaction, draftId, deps);
    else if (pressed !== undefined) await answerCardButton(interaction, pressed, deps);
    return;
  }
  if (interaction.isChannelSelectMenu()) {
    const taskId = readSharePickerId(interaction.customId);
    if (taskId !== undefined) await answerSharePick(interaction, taskId, deps);
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  if (interaction.commandName === CREATE_COMMAND) {
    await answerCreateCommand(interaction, deps);
    return;
  }
  if (!isOurCommand(interaction.commandName)) return;
  if (
    interaction.commandName === 'sora-status' &&
    (await refusedForPermissions(interaction, deps.logger))
  )
    return;
  try {
    // Discord gives 3 s for the first answer; the tracker may need longer.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  } catch (error) {
    deps.logger.warn({ err: error, command: interaction.commandName }, 'could not defer');
    return;
  }
  noteUploadLimit(interaction, deps);
  const answer = await commandAnswer(interaction, deps);
  try {
    await interaction.editReply({ ...answer, allowedMentions: { parse: [] } });
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
 * The private answer: the command's reply, with a link to the status message; a page of
 * clips with share pages as embeds with their posters (clip-embeds.ts).
 */
async function commandAnswer(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<{ content: string; embeds?: APIEmbed[] }> {
  try {
    const command = commandFromSlash({
      commandName: interaction.commandName,
      id: interaction.options.getString('id'),
      ...(interaction.commandName === 'sora-clips'
        ? {
            clips: {
              scope: interaction.options.getString('scope'),
              search: interaction.options.getString('search'),
              page: interaction.options.getInteger('page'),
            },
          }
        : {}),
      channelId: interaction.channelId,
      userId: interaction.user.id,
      // Kept with the watch, so a restart before the answer below can still give it.
      pendingReply: pendingReplyOf(interaction, deps.now()),
    });
    const reply = await deps.onCommand(command);
    if (reply.clips !== undefined) {
      return { content: clipsContent(reply.clips), embeds: clipEmbeds(reply.clips) };
    }
    if (reply.statusMessage === undefined) return { content: reply.text };
    const link = messageLink(interaction.guildId, interaction.channelId, reply.statusMessage);
    return { content: `${reply.text}\n${link}` };
  } catch (error) {
    if (error instanceof CommandError) return { content: error.message };
    deps.logger.error({ err: error, command: interaction.commandName }, 'command failed');
    return { content: 'That did not work; please try again in a moment.' };
  }
}
