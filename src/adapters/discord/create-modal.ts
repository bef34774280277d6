/**
 * The `/sora-create` form as a Discord modal, and the "Edit and resend" button that opens it
 * again. A modal holds at most five fields, so the model and its resolution are one select.
 * Each field sits in a Label, as Discord's current modals want; a field given a value shows
 * it (text typed, option pre-selected), so a form opened again holds what was sent.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  FileUploadBuilder,
  LabelBuilder,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import {
  type CreateFormValues,
  FORM_PROMPT_MAX_LENGTH,
  type FormChoice,
  modelAndResolutionChoices,
  modelChoiceOf,
  ORIENTATION_CHOICES,
  secondsChoices,
} from '../../chat/create-form.ts';

/** The modal's custom id; a form opened from a draft adds `:<draft id>`. */
export const CREATE_FORM_ID = 'sora-create-form';
const EDIT_BUTTON_ID = 'sora-create-edit';

/** The custom ids of the modal's fields. */
export const FORM_FIELDS = {
  model: 'model',
  prompt: 'prompt',
  orientation: 'orientation',
  seconds: 'seconds',
  image: 'image',
} as const;

const MODEL_DEFAULT = "the model's default";

/**
 * The form, showing `values`. `draftId` names the draft the form was opened from: its
 * reference image (which Discord cannot show in a file upload) is kept unless replaced.
 */
export function createModal(values: CreateFormValues, draftId?: string): ModalBuilder {
  const keepsImage = draftId !== undefined && values.image !== undefined;
  return new ModalBuilder()
    .setCustomId(draftId === undefined ? CREATE_FORM_ID : `${CREATE_FORM_ID}:${draftId}`)
    .setTitle('Make a video')
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('Model and resolution')
        .setStringSelectMenuComponent(
          select(FORM_FIELDS.model, modelAndResolutionChoices(), modelChoiceOf(values)).setRequired(
            true,
          ),
        ),
      new LabelBuilder()
        .setLabel('Prompt')
        .setDescription('What the video shows')
        .setTextInputComponent(promptInput(values.prompt)),
      new LabelBuilder()
        .setLabel('Orientation')
        .setStringSelectMenuComponent(
          select(FORM_FIELDS.orientation, ORIENTATION_CHOICES, values.orientation)
            .setRequired(false)
            .setPlaceholder(MODEL_DEFAULT),
        ),
      new LabelBuilder()
        .setLabel('Clip length')
        .setStringSelectMenuComponent(
          select(FORM_FIELDS.seconds, secondsChoices(), values.seconds)
            .setRequired(false)
            .setPlaceholder(MODEL_DEFAULT),
        ),
      new LabelBuilder()
        .setLabel('Reference image')
        .setDescription(
          keepsImage
            ? 'Leave empty to keep the image you sent; upload another to replace it'
            : 'Optional: an image for the video to follow',
        )
        .setFileUploadComponent(
          new FileUploadBuilder()
            .setCustomId(FORM_FIELDS.image)
            .addFileTypes('image')
            .setRequired(false)
            .setMaxValues(1),
        ),
    );
}

/** The draft a form's custom id names; undefined for a fresh form. */
export function draftOfForm(customId: string): string | undefined {
  return customId.startsWith(`${CREATE_FORM_ID}:`)
    ? customId.slice(CREATE_FORM_ID.length + 1)
    : undefined;
}

export function isCreateForm(customId: string): boolean {
  return customId === CREATE_FORM_ID || customId.startsWith(`${CREATE_FORM_ID}:`);
}

/** The row with the button that opens the draft's form again. */
export function editAndResendRow(draftId: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${EDIT_BUTTON_ID}:${draftId}`)
      .setLabel('Edit and resend')
      .setStyle(ButtonStyle.Primary),
  );
}

/** The draft an "Edit and resend" button names; undefined for any other button. */
export function draftOfEditButton(customId: string): string | undefined {
  return customId.startsWith(`${EDIT_BUTTON_ID}:`)
    ? customId.slice(EDIT_BUTTON_ID.length + 1)
    : undefined;
}

function select(
  customId: string,
  choices: readonly FormChoice[],
  picked: string | undefined,
): StringSelectMenuBuilder {
  return new StringSelectMenuBuilder().setCustomId(customId).addOptions(
    choices.map((choice) => ({
      label: choice.label,
      value: choice.value,
      ...(choice.description ? { description: choice.description } : {}),
      ...(choice.value === picked ? { default: true } : {}),
    })),
  );
}

function promptInput(prompt: string): TextInputBuilder {
  const input = new TextInputBuilder()
    .setCustomId(FORM_FIELDS.prompt)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(FORM_PROMPT_MAX_LENGTH);
  // Discord refuses an empty pre-filled value; a longer one could never be sent back.
  const shown = prompt.slice(0, FORM_PROMPT_MAX_LENGTH);
  return shown === '' ? input : input.setValue(shown);
}
