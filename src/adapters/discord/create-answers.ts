/**
 * `/sora-create` on Discord: the command opens the form (or, given a prompt, sends at once),
 * a submitted form makes the video, and "Edit and resend" opens the form again with what was
 * sent. A submission is sent under its interaction's id, so the same submission delivered
 * twice makes one video. Nothing is sent while the form has a problem; a problem, or a create
 * the service refused, is answered privately with the button, the values kept.
 */
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Reply } from '../../chat/commands.ts';
import { type CreateFormValues, checkCreateForm, formErrorsText } from '../../chat/create-form.ts';
import type { CreateRequest } from '../../models/index.ts';
import { createModal, draftOfForm, editAndResendRow } from './create-modal.ts';
import { type CreateReading, readCreateForm, readCreateOptions } from './create-submit.ts';
import { pendingReplyOf } from './deferred-answer.ts';
import { type InteractionDeps, noteUploadLimit } from './interaction-deps.ts';
import { memberRoleIds } from './member-roles.ts';
import { refusedForPermissions } from './permissions.ts';
import { encodeTarget, messageLink } from './targets.ts';

export const CREATE_COMMAND = 'sora-create';

export const EXPIRED_DRAFT_TEXT = 'This form has expired; run /sora-create again.';
const NOT_SENT = 'No video was started; press Edit and resend to fix it.';
const FAILED = 'That did not work; please try again in a moment.';

/** The command: the form without a prompt (showing any options given), else the quick path. */
export async function answerCreateCommand(
  interaction: ChatInputCommandInteraction,
  deps: InteractionDeps,
): Promise<void> {
  if (await refusedForPermissions(interaction, deps.logger)) return;
  const reading = readCreateOptions(interaction.options);
  if (interaction.options.getString('prompt') !== null) {
    await submit(interaction, reading, deps);
    return;
  }
  // An image given as an option cannot be shown in the form: a draft keeps it.
  const draftId =
    reading.values.image === undefined ? undefined : await deps.drafts.keep(reading.values);
  await showForm(interaction, createModal(reading.values, draftId), deps);
}

/** A submitted form. */
export async function answerCreateForm(
  interaction: ModalSubmitInteraction,
  deps: InteractionDeps,
): Promise<void> {
  const draftId = draftOfForm(interaction.customId);
  const kept = draftId === undefined ? undefined : await deps.drafts.get(draftId);
  await submit(interaction, readCreateForm(interaction.fields, kept?.image), deps);
}

/** "Edit and resend": the form again with the draft's values, while the draft is kept. */
export async function answerEditClick(
  interaction: ButtonInteraction,
  draftId: string,
  deps: InteractionDeps,
): Promise<void> {
  const values = await deps.drafts.get(draftId);
  if (values === undefined) {
    await answerAtOnce(interaction, EXPIRED_DRAFT_TEXT, undefined, deps);
    return;
  }
  await showForm(interaction, createModal(values, draftId), deps);
}

/** Checks the values and, when they pass, makes the video and answers with its card's link. */
async function submit(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  reading: CreateReading,
  deps: InteractionDeps,
): Promise<void> {
  const { values, problems } = reading;
  const checked = checkCreateForm(values);
  const errors = { ...(checked.ok ? {} : checked.errors), ...problems };
  if (!checked.ok || Object.keys(problems).length > 0) {
    // An image the form could not take is dropped, or the draft would keep sending it.
    const kept = errors.image === undefined ? values : withoutImage(values);
    const text = `${formErrorsText(errors)}\n${NOT_SENT}`;
    await answerAtOnce(interaction, text, await deps.drafts.keep(kept), deps);
    return;
  }
  const channelId = interaction.channelId;
  if (channelId === null) {
    await answerAtOnce(interaction, 'Run /sora-create in a channel.', undefined, deps);
    return;
  }
  try {
    // Discord gives 3 s for the first answer; making a video takes longer.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  } catch (error) {
    deps.logger.warn({ err: error, command: CREATE_COMMAND }, 'could not defer');
    return;
  }
  noteUploadLimit(interaction, deps);
  const reply = await create(interaction, channelId, checked.request, deps);
  const link =
    reply.statusMessage === undefined
      ? ''
      : `\n${messageLink(interaction.guildId, channelId, reply.statusMessage)}`;
  const components = reply.refused ? [editAndResendRow(await deps.drafts.keep(values))] : [];
  try {
    await interaction.editReply({
      content: `${reply.text}${link}`,
      components,
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    deps.logger.warn({ err: error, command: CREATE_COMMAND }, 'could not answer');
  }
}

async function create(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  channelId: string,
  request: CreateRequest,
  deps: InteractionDeps,
): Promise<Reply> {
  try {
    return await deps.onCommand({
      kind: 'create',
      request,
      origin: {
        target: encodeTarget(channelId),
        requester: interaction.user.id,
        // CREATE_ALLOWED may name the asker's roles.
        groups: memberRoleIds(interaction),
        // Kept with the watch, so a restart before the answer below can still give it.
        pendingReply: pendingReplyOf(interaction, deps.now()),
      },
      // The same submission delivered twice (a replay, a second instance) makes one video.
      key: `discord-interaction:${interaction.id}`,
    });
  } catch (error) {
    deps.logger.error({ err: error, command: CREATE_COMMAND }, 'command failed');
    return { text: FAILED, private: true };
  }
}

/** A private answer given at once, with the "Edit and resend" button of a draft if any. */
async function answerAtOnce(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction | ButtonInteraction,
  text: string,
  draftId: string | undefined,
  deps: InteractionDeps,
): Promise<void> {
  try {
    await interaction.reply({
      content: text,
      components: draftId === undefined ? [] : [editAndResendRow(draftId)],
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    deps.logger.warn({ err: error, command: CREATE_COMMAND }, 'could not answer');
  }
}

async function showForm(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  modal: ReturnType<typeof createModal>,
  deps: InteractionDeps,
): Promise<void> {
  try {
    await interaction.showModal(modal);
  } catch (error) {
    deps.logger.warn({ err: error, command: CREATE_COMMAND }, 'could not show the form');
  }
}

function withoutImage({ image: _image, ...values }: CreateFormValues): CreateFormValues {
  return values;
}
