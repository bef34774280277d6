/**
 * The `/sora-create` modal: the shared create form (`chat/create-form.ts`) as Block Kit, and
 * the small views that follow a submission. Each input block is named after its form field
 * (block id and action id alike), so a problem found by `checkCreateForm` goes back to the
 * block it is about, and the values read back map one to one.
 *
 * Slack refuses a whole view over any of its limits, so every text from the catalogue or a
 * person is cut to fit here: option text and description 75 characters, a text input 3000,
 * a section 3000.
 */
import type { types, ViewOutput } from '@slack/bolt';
import {
  type CreateFormField,
  type CreateFormValues,
  FORM_PROMPT_MAX_LENGTH,
  type FormChoice,
  modelChoices,
  ORIENTATION_CHOICES,
  resolutionChoices,
  secondsChoices,
} from '../../chat/create-form.ts';
import { creatableModels, familyName } from '../../models/index.ts';
import { cutText } from '../../text-cut.ts';
import { escapeMrkdwn } from './render.ts';

/** The modal's callback id, which routes its submissions back to the bot. */
export const CREATE_CALLBACK_ID = 'sora-create';

/** Slack's bounds on what a view may hold. */
const SLACK_LIMITS = { optionText: 75, textInput: 3000, sectionText: 3000 } as const;

/** The longest prompt the modal takes: the form's bound, within what Slack lets an input hold. */
export const SLACK_PROMPT_MAX_LENGTH = Math.min(FORM_PROMPT_MAX_LENGTH, SLACK_LIMITS.textInput);

const TITLE = plain('Make a video');

/**
 * The first option of each optional select: Slack offers no way to clear a picked option, so
 * going back to the model's default must be a choice of its own. Read back as no value.
 */
export const MODEL_DEFAULT = 'model-default';
const MODEL_DEFAULT_CHOICE: FormChoice = { value: MODEL_DEFAULT, label: "The model's default" };

export interface CreateFormViewOptions {
  /** The channel the video is for; it comes back with the submission. */
  channelId: string;
  /** What to show in the fields: a prompt typed after the command, or a refused submission. */
  values?: Partial<CreateFormValues>;
  /** A sentence shown above the fields, e.g. why the service refused the last submission. */
  notice?: string;
}

export function createFormView(options: CreateFormViewOptions): types.ModalView {
  const values = options.values ?? {};
  const blocks: types.KnownBlock[] = [];
  if (options.notice !== undefined)
    blocks.push(section(`:warning: ${escapeMrkdwn(options.notice)}`));
  blocks.push(
    selectBlock('model', 'Model', modelChoices(), values.model, { optional: false }),
    promptBlock(values.prompt),
    selectBlock('orientation', 'Orientation', ORIENTATION_CHOICES, values.orientation, {
      hint: "The model's default when left empty.",
    }),
    selectBlock('seconds', 'Clip length', secondsChoices(), values.seconds, {
      hint: "The model's default when left empty.",
    }),
    selectBlock('resolution', 'Resolution', resolutionChoices(), values.resolution, {
      hint: resolutionHint(),
    }),
    imageBlock(values.image),
  );
  const notes = modelNotes();
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes });
  return {
    type: 'modal',
    callback_id: CREATE_CALLBACK_ID,
    private_metadata: options.channelId,
    title: TITLE,
    submit: plain('Make it'),
    close: plain('Cancel'),
    blocks,
  };
}

/** Shown the moment a valid form is sent, while the service is asked. */
export function startingView(): types.ModalView {
  return messageView(':hourglass_flowing_sand: Starting your video…');
}

/** How the submission ended, in mrkdwn (the caller escapes what came from outside). */
export function messageView(mrkdwn: string): types.ModalView {
  return { type: 'modal', title: TITLE, close: plain('Close'), blocks: [section(mrkdwn)] };
}

/** What the person typed or picked, by form field, from a submitted view's state. */
export function submittedValues(state: ViewOutput['state']['values']): CreateFormValues {
  const entry = (field: CreateFormField) => state[field]?.[field];
  const text = (field: CreateFormField) => entry(field)?.value ?? undefined;
  const picked = (field: CreateFormField) => {
    const value = entry(field)?.selected_option?.value ?? undefined;
    return value === MODEL_DEFAULT ? undefined : value;
  };
  const values: CreateFormValues = { model: picked('model') ?? '', prompt: text('prompt') ?? '' };
  const orientation = picked('orientation');
  if (orientation !== undefined) values.orientation = orientation;
  const seconds = picked('seconds');
  if (seconds !== undefined) values.seconds = seconds;
  const resolution = picked('resolution');
  if (resolution !== undefined) values.resolution = resolution;
  const image = text('image');
  if (image !== undefined) values.image = image;
  return values;
}

function promptBlock(initial: string | undefined): types.InputBlock {
  const element: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: 'prompt',
    multiline: true,
    max_length: SLACK_PROMPT_MAX_LENGTH,
    placeholder: plain('What happens in the video: the scene, the motion, the camera, the light'),
  };
  const prompt = initial?.trim().slice(0, SLACK_PROMPT_MAX_LENGTH);
  if (prompt) element.initial_value = prompt;
  return { type: 'input', block_id: 'prompt', label: plain('Prompt'), element };
}

function imageBlock(initial: string | undefined): types.InputBlock {
  const element: types.URLInput = { type: 'url_text_input', action_id: 'image' };
  if (initial) element.initial_value = initial;
  return {
    type: 'input',
    block_id: 'image',
    optional: true,
    label: plain('Reference image URL'),
    hint: plain('A public link to an image the video should follow.'),
    element,
  };
}

function selectBlock(
  field: CreateFormField,
  label: string,
  choices: readonly FormChoice[],
  initial: string | undefined,
  extra: { optional?: boolean; hint?: string },
): types.InputBlock {
  const optional = extra.optional ?? true;
  const options = (optional ? [MODEL_DEFAULT_CHOICE, ...choices] : choices).map(option);
  const element: types.StaticSelect = {
    type: 'static_select',
    action_id: field,
    placeholder: plain(optional ? "The model's default" : 'Pick one'),
    options,
  };
  // Slack wants the very option object among `options`, or it refuses the view.
  const selected = options.find((o) => o.value === initial);
  if (selected !== undefined) element.initial_option = selected;
  const block: types.InputBlock = {
    type: 'input',
    block_id: field,
    optional,
    label: plain(label),
    element,
  };
  if (extra.hint !== undefined) block.hint = plain(extra.hint);
  return block;
}

function option(choice: FormChoice): types.PlainTextOption {
  const built: types.PlainTextOption = {
    text: plain(cutText(choice.label, SLACK_LIMITS.optionText)),
    value: choice.value,
  };
  if (choice.description)
    built.description = plain(cutText(choice.description, SLACK_LIMITS.optionText));
  return built;
}

/** "VEO only; the model's default when left empty. 4K: VEO 3.1 Fast, VEO 3.1 Pro only.", from the catalogue. */
function resolutionHint(): string {
  const takers = creatableModels().filter((model) => model.resolutions.length > 0);
  const families = [...new Set(takers.map((model) => familyName(model.family)))].join(', ');
  const limited = [...new Set(takers.flatMap((model) => model.resolutions))].flatMap(
    (resolution) => {
      const models = takers.filter((model) => model.resolutions.includes(resolution));
      if (models.length === takers.length) return [];
      return [` ${resolution}: ${models.map((model) => model.displayName).join(', ')} only.`];
    },
  );
  return `${families} only; the model's default when left empty.${limited.join('')}`;
}

/** The catalogue's notes on what the service may refuse, one line per note, naming its models. */
function modelNotes(): types.MrkdwnElement[] {
  const byNote = new Map<string, string[]>();
  for (const model of creatableModels()) {
    if (model.notes === undefined) continue;
    byNote.set(model.notes, [...(byNote.get(model.notes) ?? []), model.displayName]);
  }
  // A context block holds ten elements at most.
  return [...byNote].slice(0, 10).map(([note, models]) => ({
    type: 'mrkdwn',
    text: cutText(
      `*${escapeMrkdwn(models.join(', '))}*: ${escapeMrkdwn(note)}`,
      SLACK_LIMITS.sectionText,
    ),
  }));
}

function section(mrkdwn: string): types.SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: cutText(mrkdwn, SLACK_LIMITS.sectionText) },
  };
}

function plain(text: string): types.PlainTextElement {
  return { type: 'plain_text', text };
}
