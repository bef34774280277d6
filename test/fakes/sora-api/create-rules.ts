/**
 * The rules the service's create endpoints document for their bodies, so the fake refuses
 * what the real service would: Sora (`POST /v1/sora/videos`: model, prompt, size or aspect
 * ratio, duration or seconds, at most one image) and VEO (`POST /v1/veo/videos`: model,
 * prompt, resolution, aspect ratio, up to three reference images or first/last frames, always
 * 8 s). Every broken rule is reported, not just the first. Written from the docs, apart from
 * the bot's own catalogue, so the two can disagree and a test notices.
 */
import type { Duration } from './types.ts';

export type CreateFamily = 'sora' | 'veo';

export type CreateCheck =
  | { model: string; prompt: string; duration: Duration }
  | { problems: string[] };

const SORA_MODELS: ReadonlySet<unknown> = new Set(['openAiSora2Plus', 'openAiSora2Pro']);
const SIZES: ReadonlySet<unknown> = new Set(['720x1280', '1280x720']);
const ASPECT_RATIOS: ReadonlySet<unknown> = new Set(['9:16', '16:9']);
const DURATIONS: ReadonlySet<unknown> = new Set([4, 8, 12]);

const VEO_MODELS: ReadonlySet<unknown> = new Set([
  'veo_3_1_fast',
  'veo_3_1_pro',
  'veo_3_1_fast_stable',
  'veo_3_1_pro_stable',
]);
const VEO_RESOLUTIONS: ReadonlySet<unknown> = new Set(['720p', '1080p', '4K']);
const VEO_STABLE = /_stable$/;

type Fields = (name: string) => unknown;

/** The create endpoint's documented rules for this family. */
export function checkCreateBody(family: CreateFamily, body: string): CreateCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problems: ['the body is not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problems: ['the body must be a JSON object'] };
  }
  const record = parsed as Record<string, unknown>;
  const field: Fields = (name) => record[name] ?? undefined;
  const problems: string[] = [];
  const prompt = field('prompt');
  if (typeof prompt !== 'string' || prompt.trim() === '') problems.push('prompt is required');
  const checked = family === 'sora' ? checkSora(field, problems) : checkVeo(field, problems);
  if (problems.length > 0) return { problems };
  return { ...checked, prompt: prompt as string };
}

function checkSora(field: Fields, problems: string[]): { model: string; duration: Duration } {
  const model = field('model');
  if (model === undefined) problems.push('model is required');
  else if (!SORA_MODELS.has(model)) {
    problems.push('model must be openAiSora2Plus or openAiSora2Pro');
  }

  const size = field('size');
  const aspectRatio = field('aspect_ratio');
  if (size !== undefined && !SIZES.has(size)) problems.push('size must be 720x1280 or 1280x720');
  if (aspectRatio !== undefined && !ASPECT_RATIOS.has(aspectRatio)) {
    problems.push('aspect_ratio must be 9:16 or 16:9');
  }
  if (size !== undefined && aspectRatio !== undefined) {
    problems.push('give either size or aspect_ratio, not both');
  }

  const duration = field('duration');
  const seconds = field('seconds');
  if (duration !== undefined && !DURATIONS.has(duration)) {
    problems.push('duration must be 4, 8 or 12');
  }
  if (seconds !== undefined && !DURATIONS.has(seconds)) problems.push('seconds must be 4, 8 or 12');
  if (duration !== undefined && seconds !== undefined) {
    problems.push('give either duration or seconds, not both');
  }

  const images = imageList(field, problems);
  if (images.length > 1) problems.push('at most one image url is allowed');
  return { model: model as string, duration: (duration ?? seconds ?? 4) as Duration };
}

function checkVeo(field: Fields, problems: string[]): { model: string; duration: Duration } {
  const model = field('model');
  if (model === undefined) problems.push('model is required');
  else if (!VEO_MODELS.has(model))
    problems.push(`model must be one of ${[...VEO_MODELS].join(', ')}`);
  const stable = typeof model === 'string' && VEO_STABLE.test(model);

  const resolution = field('resolution');
  if (resolution !== undefined && !VEO_RESOLUTIONS.has(resolution)) {
    problems.push('resolution must be 720p, 1080p or 4K');
  } else if (resolution === '4K' && stable) {
    problems.push(`4K is not available on ${model as string}`);
  }
  const aspectRatio = field('aspect_ratio');
  if (aspectRatio !== undefined && !ASPECT_RATIOS.has(aspectRatio)) {
    problems.push('aspect_ratio must be 16:9 or 9:16');
  }
  if (field('size') !== undefined) problems.push('size is not supported; use aspect_ratio');
  for (const name of ['seconds', 'duration']) {
    const value = field(name);
    if (value !== undefined && value !== 8)
      problems.push(`VEO videos are always 8 seconds (${name})`);
  }

  const images = imageList(field, problems);
  if (images.length > 3) problems.push('at most 3 reference images are allowed');
  if (images.length > 0 && model === 'veo_3_1_fast_stable') {
    problems.push('reference images are not supported on veo_3_1_fast_stable');
  }
  const frames = ['first_frame', 'last_frame'].filter((name) => field(name) !== undefined);
  for (const name of frames) {
    if (typeof field(name) !== 'string') problems.push(`${name} must be an image url`);
  }
  if (images.length > 0 && frames.length > 0) {
    problems.push('reference images and first/last frame mode cannot be combined');
  }
  return { model: model as string, duration: 8 };
}

/** The images of `image_urls` and `input_reference` together; each must be a list of strings. */
function imageList(field: Fields, problems: string[]): string[] {
  const images: string[] = [];
  for (const name of ['image_urls', 'input_reference']) {
    const value = field(name);
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((url) => typeof url === 'string')) {
      problems.push(`${name} must be an array of strings`);
    } else {
      images.push(...value);
    }
  }
  return images;
}
