/**
 * The create form every platform shows (`/sora-create`), as data: its fields, the choices
 * they offer from the catalogue, the request a submission makes, and each problem with the
 * field it belongs to, so a platform can show it beside that field and keep what was typed.
 */
import {
  type CreateProblem,
  type CreateRequest,
  checkCreateRequest,
  creatableModels,
  displayName,
  modelInfo,
  PROMPT_MAX_LENGTH,
} from '../models/index.ts';
import { cutText } from '../text-cut.ts';

export type CreateFormField =
  | 'model'
  | 'prompt'
  | 'orientation'
  | 'seconds'
  | 'resolution'
  | 'image';

/** What a form holds, as typed or picked; an empty or absent field is left to the model. */
export interface CreateFormValues {
  model: string;
  prompt: string;
  /** `16:9` or `9:16`. */
  orientation?: string;
  /** A clip length in seconds, as text (a select's value). */
  seconds?: string;
  resolution?: string;
  /** A reference image's URL. */
  image?: string;
}

export interface FormChoice {
  value: string;
  label: string;
  /** A short line under the label, where the platform shows one. */
  description?: string;
}

export type CreateFormCheck =
  | { ok: true; request: CreateRequest }
  | { ok: false; errors: Partial<Record<CreateFormField, string>> };

/** The prompt a form accepts: the service's own bound would be checked anyway. */
export const FORM_PROMPT_MAX_LENGTH = Math.min(PROMPT_MAX_LENGTH, 4000);

export const ORIENTATION_CHOICES: readonly FormChoice[] = [
  { value: '16:9', label: 'Landscape (16:9)' },
  { value: '9:16', label: 'Portrait (9:16)' },
];

/** The models a form offers: only those whose create rules the catalogue holds. */
export function modelChoices(): FormChoice[] {
  return creatableModels().map((model) => ({
    value: model.id,
    label: model.displayName,
    description: modelSummary(model.id),
  }));
}

/** Every clip length some creatable model makes; the chosen model's rules check the pick. */
export function secondsChoices(): FormChoice[] {
  const lengths = new Set(creatableModels().flatMap((model) => model.clipSeconds));
  return [...lengths]
    .sort((a, b) => a - b)
    .map((seconds) => ({ value: String(seconds), label: `${seconds} s` }));
}

/** Every resolution some creatable model offers, with the models that take it. */
export function resolutionChoices(): FormChoice[] {
  const byResolution = new Map<string, string[]>();
  for (const model of creatableModels()) {
    for (const resolution of model.resolutions) {
      byResolution.set(resolution, [...(byResolution.get(resolution) ?? []), model.displayName]);
    }
  }
  return [...byResolution].map(([resolution, models]) => ({
    value: resolution,
    label: resolution,
    description: cutText(models.join(', '), 100),
  }));
}

/**
 * The model and its resolution as one pick ("VEO 3.1 Fast, 1080p"), for a form with too few
 * fields for both (a Discord modal holds five). Read back with `readModelChoice`.
 */
export function modelAndResolutionChoices(): FormChoice[] {
  return creatableModels().flatMap((model): FormChoice[] => {
    if (model.resolutions.length === 0) {
      return [{ value: model.id, label: model.displayName, description: modelSummary(model.id) }];
    }
    return model.resolutions.map((resolution) => ({
      value: `${model.id}@${resolution}`,
      label: `${model.displayName}, ${resolution}`,
      description: modelSummary(model.id),
    }));
  });
}

/** Splits a `modelAndResolutionChoices` value into its model and resolution. */
export function readModelChoice(value: string): { model: string; resolution?: string } {
  const at = value.indexOf('@');
  if (at === -1) return { model: value };
  return { model: value.slice(0, at), resolution: value.slice(at + 1) };
}

/** The value of `modelAndResolutionChoices` that stands for these form values. */
export function modelChoiceOf(values: CreateFormValues): string {
  const model = creatableModels().find((m) => m.id === values.model);
  if (model === undefined || model.resolutions.length === 0) return values.model;
  return `${values.model}@${values.resolution ?? model.defaultResolution ?? ''}`;
}

/** The request a form's values make: empty fields are left out, so the model's default holds. */
export function requestFromForm(values: CreateFormValues): CreateRequest {
  const request: CreateRequest = { model: values.model.trim(), prompt: values.prompt.trim() };
  const orientation = filled(values.orientation);
  if (orientation !== undefined) request.aspect_ratio = orientation;
  const seconds = filled(values.seconds);
  if (seconds !== undefined) request.seconds = Number(seconds);
  const resolution = filled(values.resolution);
  if (resolution !== undefined) request.resolution = resolution;
  const image = filled(values.image);
  if (image !== undefined) request.input_reference = image;
  return request;
}

/** The form values that make `request` again: to pre-fill "Edit & rerun" and a refused form. */
export function formValuesOf(request: CreateRequest): CreateFormValues {
  const values: CreateFormValues = { model: request.model, prompt: request.prompt };
  const orientation = request.aspect_ratio ?? orientationOfSize(request.size);
  if (orientation !== undefined) values.orientation = orientation;
  const seconds = request.seconds ?? request.duration;
  if (seconds !== undefined) values.seconds = String(seconds);
  if (request.resolution !== undefined) values.resolution = request.resolution;
  const reference = request.input_reference;
  const image = typeof reference === 'string' ? reference : reference?.[0];
  if (image !== undefined) values.image = image;
  return values;
}

/** Checks a submission against its model's rules; each problem goes to the field it is about. */
export function checkCreateForm(values: CreateFormValues): CreateFormCheck {
  const request = requestFromForm(values);
  const errors: Partial<Record<CreateFormField, string>> = {};
  if (!Number.isFinite(request.seconds ?? 0)) errors.seconds = 'pick a clip length';
  if (request.prompt.length > FORM_PROMPT_MAX_LENGTH) {
    errors.prompt = `the prompt is longer than ${FORM_PROMPT_MAX_LENGTH} characters`;
  }
  const checked = checkCreateRequest(request);
  if (!checked.ok) {
    for (const problem of checked.problems) {
      const field = formFieldOf(problem);
      errors[field] = errors[field] === undefined ? sentence(problem.message) : errors[field];
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}

/**
 * The parameters of a request in one line, for cards and details:
 * "VEO 3.1 Fast · 16:9 · 8 s · 1080p · 1 reference image".
 */
export function describeRequest(request: CreateRequest): string {
  const info = modelInfo(request.model);
  const parts = [displayName(request.model)];
  const shape = request.aspect_ratio ?? request.size;
  if (shape !== undefined) parts.push(shape);
  const seconds = request.seconds ?? request.duration ?? info.clips.default;
  if (seconds !== undefined) parts.push(`${seconds} s`);
  const resolution = request.resolution ?? info.create?.resolutions?.[0];
  if (resolution !== undefined) parts.push(resolution);
  const reference = request.input_reference;
  const images = reference === undefined ? 0 : typeof reference === 'string' ? 1 : reference.length;
  if (images > 0) parts.push(`${images} reference image${images > 1 ? 's' : ''}`);
  if (request.first_frame !== undefined) parts.push('first/last frame');
  return parts.join(' · ');
}

/** A field name as people read it, for a platform that lists errors in one message. */
export const FIELD_LABELS: Record<CreateFormField, string> = {
  model: 'Model',
  prompt: 'Prompt',
  orientation: 'Orientation',
  seconds: 'Clip length',
  resolution: 'Resolution',
  image: 'Reference image',
};

/** "Clip length: seconds must be 8. Resolution: …": every error of a form in one text. */
export function formErrorsText(errors: Partial<Record<CreateFormField, string>>): string {
  return Object.entries(errors)
    .map(([field, message]) => `${FIELD_LABELS[field as CreateFormField]}: ${message}`)
    .join(' ');
}

function formFieldOf(problem: CreateProblem): CreateFormField {
  switch (problem.field) {
    case 'prompt':
      return 'prompt';
    case 'size':
    case 'aspect_ratio':
      return 'orientation';
    case 'seconds':
    case 'duration':
      return 'seconds';
    case 'resolution':
      return 'resolution';
    case 'input_reference':
    case 'first_frame':
    case 'last_frame':
      return 'image';
    default:
      return 'model';
  }
}

/** "8 s clips · 720p, 1080p or 4K · up to 3 reference images", for a model's choice line. */
function modelSummary(id: string): string {
  const model = creatableModels().find((m) => m.id === id);
  if (model === undefined) return '';
  const parts = [`${model.clipSeconds.join('/')} s clips`];
  if (model.resolutions.length > 0) parts.push(model.resolutions.join('/'));
  parts.push(
    model.maxReferenceImages === 0
      ? 'no reference image'
      : `up to ${model.maxReferenceImages} reference image${model.maxReferenceImages > 1 ? 's' : ''}`,
  );
  return cutText(parts.join(' · '), 100);
}

function orientationOfSize(size: string | undefined): string | undefined {
  if (size === undefined) return undefined;
  const [width, height] = size.split('x').map(Number);
  if (width === undefined || height === undefined) return undefined;
  return width >= height ? '16:9' : '9:16';
}

function filled(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
