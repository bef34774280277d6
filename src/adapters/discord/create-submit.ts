/**
 * What a user asked `/sora-create` for, as the platform-neutral form's values: read from a
 * submitted modal, or from the command's options (the quick path, with a prompt given).
 * Problems only Discord can have (a file that is not an image) are reported by field, like
 * the form's own.
 */
import type { Attachment, ChatInputCommandInteraction, ModalSubmitFields } from 'discord.js';
import { DEFAULT_CREATE_MODEL } from '../../chat/create-command.ts';
import {
  type CreateFormField,
  type CreateFormValues,
  readModelChoice,
} from '../../chat/create-form.ts';
import { FORM_FIELDS } from './create-modal.ts';

export interface CreateReading {
  values: CreateFormValues;
  /** What was wrong before the form's own check, by field. */
  problems: Partial<Record<CreateFormField, string>>;
}

const NOT_AN_IMAGE = 'That file is not an image; attach a picture (PNG, JPEG, WebP, …)';

/**
 * The values of a submitted form. `keptImage` is the reference image of the draft the form
 * was opened from: a file upload cannot be pre-filled, so an empty one keeps it.
 */
export function readCreateForm(fields: ModalSubmitFields, keptImage?: string): CreateReading {
  const choice = selected(fields, FORM_FIELDS.model);
  const values: CreateFormValues = {
    ...readModelChoice(choice ?? ''),
    prompt: has(fields, FORM_FIELDS.prompt) ? fields.getTextInputValue(FORM_FIELDS.prompt) : '',
  };
  const orientation = selected(fields, FORM_FIELDS.orientation);
  if (orientation !== undefined) values.orientation = orientation;
  const seconds = selected(fields, FORM_FIELDS.seconds);
  if (seconds !== undefined) values.seconds = seconds;
  const uploads = has(fields, FORM_FIELDS.image)
    ? fields.getUploadedFiles(FORM_FIELDS.image)
    : null;
  return withImage(values, uploads?.first(), keptImage);
}

/** The values of the command's options; the default model when none is picked. */
export function readCreateOptions(options: ChatInputCommandInteraction['options']): CreateReading {
  const model = options.getString('model');
  const values: CreateFormValues = {
    ...(model === null ? { model: DEFAULT_CREATE_MODEL } : readModelChoice(model)),
    prompt: options.getString('prompt') ?? '',
  };
  const orientation = options.getString('orientation');
  if (orientation !== null) values.orientation = orientation;
  const seconds = options.getInteger('seconds');
  if (seconds !== null) values.seconds = String(seconds);
  return withImage(values, options.getAttachment('image') ?? undefined);
}

/** Adds the uploaded image's link, the kept one when nothing was uploaded. */
function withImage(
  values: CreateFormValues,
  upload: Attachment | undefined,
  keptImage?: string,
): CreateReading {
  if (upload === undefined) {
    return {
      values: keptImage === undefined ? values : { ...values, image: keptImage },
      problems: {},
    };
  }
  // Discord filters by type in the picker, but a renamed file or an old client can slip by.
  const type = upload.contentType;
  if (type !== null && !type.startsWith('image/'))
    return { values, problems: { image: NOT_AN_IMAGE } };
  return { values: { ...values, image: upload.url }, problems: {} };
}

/** The first option picked in a select; undefined when none is (or the form lacks it). */
function selected(fields: ModalSubmitFields, customId: string): string | undefined {
  if (!has(fields, customId)) return undefined;
  return fields.getStringSelectValues(customId)[0];
}

/** Whether the form has the field: a form shown before an update may lack a newer one. */
function has(fields: ModalSubmitFields, customId: string): boolean {
  return fields.fields.has(customId);
}
