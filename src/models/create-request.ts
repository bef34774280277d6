/**
 * A request to create a video, checked against the chosen model's create rules in the
 * catalogue before anything is sent: every problem is reported with the field it is about,
 * and a request that passes becomes the body the model's endpoint expects. Pure: no I/O.
 */
import { modelInfo } from './lookup.ts';
import type { CreateSpec, ModelInfo } from './types.ts';

/** What a create asks for, in the service's own field names. */
export interface CreateRequest {
  /** The service's model id: `openAiSora2Pro`, `veo_3_1_fast`, … */
  model: string;
  /** Trimmed before it is checked and sent. */
  prompt: string;
  /** Sora only: `720x1280` or `1280x720`. Either it or `aspect_ratio`, not both. */
  size?: string;
  /** `9:16` or `16:9`. */
  aspect_ratio?: string;
  /** The clip length in seconds. */
  seconds?: number;
  /** Sora's other name for `seconds`: give one, not both. */
  duration?: number;
  /** VEO only: `720p` (the default), `1080p`, `4K`. */
  resolution?: string;
  /** Reference image URLs (http or https); one URL is taken as a list of one. */
  input_reference?: string | readonly string[];
  /**
   * VEO's first/last-frame mode: the clip's first frame, as an image URL. The service's docs
   * name the mode but not its fields: `first_frame` and `last_frame` are our assumption, sent
   * under these names (Seedance's own are `first_image`/`last_image`).
   */
  first_frame?: string;
  /** The clip's last frame, as an image URL; only with a `first_frame`. */
  last_frame?: string;
}

export type CreateField = keyof CreateRequest;

/** One thing wrong with a request, and the field it is about (an unknown field by its name). */
export interface CreateProblem {
  field: CreateField | (string & {});
  message: string;
}

/** A request that passed: where to send it, what to send, and what the video will be. */
export interface CheckedCreate {
  model: ModelInfo;
  endpoint: string;
  body: Record<string, unknown>;
  /** The clip length the service will make, when known. */
  clipSeconds: number | undefined;
  /** The resolution the service will make, when the model has a choice. */
  resolution: string | undefined;
}

export type CreateCheck =
  | { ok: true; create: CheckedCreate }
  | { ok: false; problems: CreateProblem[] };

/** The longest prompt accepted; a guard against pasting a whole file, not a service rule. */
export const PROMPT_MAX_LENGTH = 10_000;

const FIELDS: ReadonlySet<string> = new Set<CreateField>([
  'model',
  'prompt',
  'size',
  'aspect_ratio',
  'seconds',
  'duration',
  'resolution',
  'input_reference',
  'first_frame',
  'last_frame',
]);

/** Checks `request` against its model's create rules; never throws. */
export function checkCreateRequest(request: CreateRequest): CreateCheck {
  if (typeof request !== 'object' || request === null) {
    return { ok: false, problems: [{ field: 'model', message: 'the request must be an object' }] };
  }
  const problems: CreateProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  for (const [key, value] of Object.entries(request)) {
    if (value !== undefined && !FIELDS.has(key)) problem(key, `${key} is not a create field`);
  }
  const prompt = typeof request.prompt === 'string' ? request.prompt.trim() : '';
  if (prompt.length === 0) problem('prompt', 'prompt is required');
  else if (prompt.length > PROMPT_MAX_LENGTH) {
    problem('prompt', `prompt is longer than ${PROMPT_MAX_LENGTH} characters`);
  }

  const model = typeof request.model === 'string' ? request.model.trim() : '';
  if (model.length === 0) {
    problem('model', 'model is required');
    return { ok: false, problems };
  }
  const info = modelInfo(model);
  if (info.create === undefined) {
    problem('model', `${info.displayName} can be watched but not created from here`);
    return { ok: false, problems };
  }
  const spec = info.create;
  const name = info.displayName;

  checkShape(request, spec, name, problem);
  const clipSeconds = checkLength(request, info, spec, problem);
  const resolution = checkResolution(request, spec, name, problem);
  const references = checkImages(request, spec, name, problem);
  if (problems.length > 0) return { ok: false, problems };

  const body: Record<string, unknown> = { model, prompt };
  if (request.size !== undefined) body.size = request.size;
  if (request.aspect_ratio !== undefined) body.aspect_ratio = request.aspect_ratio;
  if (spec.length === 'choice') {
    if (request.seconds !== undefined) body.seconds = request.seconds;
    if (request.duration !== undefined) body.duration = request.duration;
  }
  if (request.resolution !== undefined) body.resolution = request.resolution;
  if (references.length > 0) body[spec.referenceImagesField] = references;
  if (request.first_frame !== undefined) body.first_frame = request.first_frame;
  if (request.last_frame !== undefined) body.last_frame = request.last_frame;
  return {
    ok: true,
    create: { model: info, endpoint: spec.endpoint, body, clipSeconds, resolution },
  };
}

type Report = (field: string, message: string) => void;

/** `size` or `aspect_ratio`, from the model's choices, not both. */
function checkShape(request: CreateRequest, spec: CreateSpec, name: string, problem: Report) {
  const { size, aspect_ratio: aspectRatio } = request;
  if (size !== undefined) {
    if (spec.sizes === undefined) problem('size', `${name} takes aspect_ratio, not size`);
    else if (!includes(spec.sizes, size)) problem('size', `size must be ${oneOf(spec.sizes)}`);
  }
  if (aspectRatio !== undefined && !includes(spec.aspectRatios, aspectRatio)) {
    problem('aspect_ratio', `aspect_ratio must be ${oneOf(spec.aspectRatios)}`);
  }
  if (size !== undefined && aspectRatio !== undefined && spec.sizes !== undefined) {
    problem('aspect_ratio', 'give size or aspect_ratio, not both');
  }
}

/** `seconds` or `duration`, one of the model's lengths; returns the length the clip will have. */
function checkLength(
  request: CreateRequest,
  info: ModelInfo,
  spec: CreateSpec,
  problem: Report,
): number | undefined {
  const choices = info.clips.choices ?? [];
  let asked: number | undefined;
  for (const field of ['seconds', 'duration'] as const) {
    const value = request[field];
    if (value === undefined) continue;
    if (!includes(choices, value)) {
      problem(
        field,
        spec.length === 'fixed'
          ? `${field} must be ${oneOf(choices)}: ${info.displayName} clips are always ${oneOf(choices)} s`
          : `${field} must be ${oneOf(choices)}`,
      );
    } else {
      asked ??= value;
    }
  }
  if (request.seconds !== undefined && request.duration !== undefined) {
    problem('duration', 'give seconds or duration, not both');
  }
  return asked ?? info.clips.default;
}

/** `resolution`, from the model's choices; returns the resolution the clip will have. */
function checkResolution(
  request: CreateRequest,
  spec: CreateSpec,
  name: string,
  problem: Report,
): string | undefined {
  const { resolution } = request;
  if (resolution === undefined) return spec.resolutions?.[0];
  if (spec.resolutions === undefined) {
    problem('resolution', `${name} takes no resolution`);
  } else if (!includes(spec.resolutions, resolution)) {
    problem('resolution', `resolution must be ${oneOf(spec.resolutions)} for ${name}`);
  }
  return resolution;
}

/**
 * Reference images (`input_reference`) up to the model's number, or first/last frames where
 * the model has that mode, never both; every image an http(s) URL. Returns the references.
 */
function checkImages(
  request: CreateRequest,
  spec: CreateSpec,
  name: string,
  problem: Report,
): string[] {
  const given = request.input_reference;
  const references = given === undefined ? [] : typeof given === 'string' ? [given] : given;
  if (!Array.isArray(references) || !references.every((url) => typeof url === 'string')) {
    problem('input_reference', 'input_reference must be an image URL or a list of them');
    return [];
  }
  if (references.length > 0) {
    if (spec.maxReferenceImages === 0) {
      problem('input_reference', `${name} takes no reference images`);
    } else if (references.length > spec.maxReferenceImages) {
      const most = spec.maxReferenceImages;
      problem(
        'input_reference',
        `${name} takes at most ${most} reference image${most > 1 ? 's' : ''}`,
      );
    }
    references.forEach((url, i) => {
      if (!isHttpUrl(url)) {
        const which = references.length > 1 ? ` ${i + 1}` : '';
        problem('input_reference', `input_reference${which} is not an http(s) URL`);
      }
    });
  }

  const { first_frame: first, last_frame: last } = request;
  for (const [field, url] of [
    ['first_frame', first],
    ['last_frame', last],
  ] as const) {
    if (url === undefined) continue;
    if (!spec.frameMode) problem(field, `${name} has no first/last-frame mode`);
    else if (typeof url !== 'string' || !isHttpUrl(url)) {
      problem(field, `${field} is not an http(s) URL`);
    }
  }
  if (spec.frameMode) {
    if (last !== undefined && first === undefined) {
      problem('last_frame', 'last_frame needs a first_frame');
    }
    if (references.length > 0 && (first !== undefined || last !== undefined)) {
      problem(
        first !== undefined ? 'first_frame' : 'last_frame',
        'give reference images (input_reference) or first/last frames, not both',
      );
    }
  }
  return [...references];
}

function includes<T>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}

/** "4, 8 or 12"; "8". */
function oneOf(values: readonly unknown[]): string {
  const words = values.map(String);
  return words.length < 2
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function isHttpUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:');
}
