/**
 * What pressing a card's button answers on Discord, and the channel pick of Share to…. The
 * command handler decides everything (who may, what happens); this file only says it.
 *
 * Edit & rerun answers with the create form, pre-filled: a form must be Discord's first
 * answer, within 3 s, so the command (a quick read of the store) runs before anything is
 * said. Every other button is deferred privately first, since a rerun or a share waits on
 * the video service; the answer then replaces the "thinking…" line.
 */
import {
  type ButtonInteraction,
  type ChannelSelectMenuInteraction,
  MessageFlags,
} from 'discord.js';
import type { CardAction } from '../../chat/card-actions.ts';
import { type Command, CommandError, type CommandOrigin, type Reply } from '../../chat/commands.ts';
import { sharePickerRow } from './card-buttons.ts';
import { createModal } from './create-modal.ts';
import { pendingReplyOf } from './deferred-answer.ts';
import { type InteractionDeps, noteUploadLimit } from './interaction-deps.ts';
import { memberRoleIds } from './member-roles.ts';
import { encodeTarget, messageLink } from './targets.ts';

const FAILED = 'That did not work; please try again in a moment.';

/** A press of one of a card's buttons (or of the same buttons on its result message). */
export async function answerCardButton(
  interaction: ButtonInteraction,
  pressed: { action: CardAction; taskId: string },
  deps: InteractionDeps,
): Promise<void> {
  if (pressed.action === 'edit') {
    await answerEditAndRerun(interaction, pressed.taskId, deps);
    return;
  }
  if (!(await deferred(interaction, deps))) return;
  noteUploadLimit(interaction, deps);
  const reply = await run(
    // Kept with a rerun's watch, so a restart before the answer below can still give it.
    {
      kind: 'action',
      ...pressed,
      origin: originOf(interaction, pendingReplyOf(interaction, deps.now())),
    },
    deps,
  );
  const picker = reply.sharePicker === undefined ? [] : [sharePickerRow(reply.sharePicker.taskId)];
  await answer(interaction, withCardLink(reply, interaction), picker, deps);
}

/** A channel picked in Share to…'s answer: the clip is posted there. */
export async function answerSharePick(
  interaction: ChannelSelectMenuInteraction,
  taskId: string,
  deps: InteractionDeps,
): Promise<void> {
  // The answer takes the picker's place, so the same clip is not shared twice by a second pick.
  try {
    await interaction.deferUpdate();
  } catch (error) {
    deps.logger.warn({ err: error, taskId }, 'could not defer the share');
    return;
  }
  const picked = interaction.values[0];
  const reply =
    picked === undefined
      ? { text: 'Pick a channel to share to.', private: true }
      : await run(
          { kind: 'share', taskId, origin: originOf(interaction), to: encodeTarget(picked) },
          deps,
        );
  await answer(interaction, reply.text, [], deps);
}

/** The create form with what the task was made with; a refusal is said privately instead. */
async function answerEditAndRerun(
  interaction: ButtonInteraction,
  taskId: string,
  deps: InteractionDeps,
): Promise<void> {
  const reply = await run(
    { kind: 'action', action: 'edit', taskId, origin: originOf(interaction) },
    deps,
  );
  try {
    if (reply.form === undefined) {
      await interaction.reply({
        content: reply.text,
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
      return;
    }
    // A reference image cannot be shown in the form: a draft keeps it unless another is sent.
    const draftId = reply.form.image === undefined ? undefined : await deps.drafts.keep(reply.form);
    await interaction.showModal(createModal(reply.form, draftId));
  } catch (error) {
    deps.logger.warn({ err: error, taskId }, 'could not answer Edit & rerun');
  }
}

/** The presser, in the place of the card: what the handler checks and subscribes. */
function originOf(
  interaction: ButtonInteraction | ChannelSelectMenuInteraction,
  pendingReply?: CommandOrigin['pendingReply'],
): CommandOrigin {
  return {
    target: encodeTarget(interaction.channelId),
    requester: interaction.user.id,
    groups: memberRoleIds(interaction),
    ...(pendingReply === undefined ? {} : { pendingReply }),
  };
}

async function run(command: Command, deps: InteractionDeps): Promise<Reply> {
  try {
    return await deps.onCommand(command);
  } catch (error) {
    if (error instanceof CommandError) return { text: error.message, private: true };
    deps.logger.error({ err: error, command: command.kind }, 'card button failed');
    return { text: FAILED, private: true };
  }
}

/** The answer's text, with a jump link to the card it speaks of (a rerun's new card). */
function withCardLink(reply: Reply, interaction: ButtonInteraction): string {
  if (reply.statusMessage === undefined) return reply.text;
  const link = messageLink(interaction.guildId, interaction.channelId, reply.statusMessage);
  return `${reply.text}\n${link}`;
}

async function deferred(interaction: ButtonInteraction, deps: InteractionDeps): Promise<boolean> {
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, button: interaction.customId }, 'could not defer');
    return false;
  }
}

async function answer(
  interaction: ButtonInteraction | ChannelSelectMenuInteraction,
  content: string,
  components: ReturnType<typeof sharePickerRow>[],
  deps: InteractionDeps,
): Promise<void> {
  try {
    await interaction.editReply({ content, components, allowedMentions: { parse: [] } });
  } catch (error) {
    deps.logger.warn({ err: error, component: interaction.customId }, 'could not answer');
  }
}
