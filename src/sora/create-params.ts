/**
 * Parameters of `POST /v1/sora/videos`, checked as the API documents them before anything
 * is sent: a refused request costs a round trip, an accepted wrong one costs a video.
 */
import { InvalidCreateParams } from './errors.ts';

export const SORA_MODELS = ['openAiSora2Plus', 'openAiSora2Pro'] as const;
export const VIDEO_SIZES = ['720x1280', '1280x720'] as const;
export const ASPECT_RATIOS = ['9:16', '16:9'] as const;
export const CLIP_SECONDS = [4, 8, 12] as const;

export type SoraModel = (typeof SORA_MODELS)[number];
export type VideoSize = (typeof VIDEO_SIZES)[number];
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export type ClipSeconds = (typeof CLIP_SECONDS)[number];

export interface CreateTaskParams {
  model: SoraModel;
  prompt: string;
  /** Either `size` or `aspectRatio`, not both. */
  size?: VideoSize;
  aspectRatio?: AspectRatio;
  duration?: ClipSeconds;
  /** At most one reference image, whose orientation should match the video's. */
  imageUrl?: string;
}

/** The longest prompt accepted; a guard against pasting a whole file, not an API rule. */
export const PROMPT_MAX_LENGTH = 10_000;

/** Validates and turns the parameters into the JSON body the API expects. */
export function toCreateRequestBody(params: CreateTaskParams): Record<string, unknown> {
  const problems: string[] = [];
  if (!includes(SORA_MODELS, params.model)) {
    problems.push(`model must be one of ${SORA_MODELS.join(', ')}`);
  }
  const prompt = typeof params.prompt === 'string' ? params.prompt.trim() : '';
  if (prompt.length === 0) {
    problems.push('a prompt is required');
  } else if (prompt.length > PROMPT_MAX_LENGTH) {
    problems.push(`the prompt is longer than ${PROMPT_MAX_LENGTH} characters`);
  }
  if (params.size !== undefined && params.aspectRatio !== undefined) {
    problems.push('give either size or aspect ratio, not both');
  }
  if (params.size !== undefined && !includes(VIDEO_SIZES, params.size)) {
    problems.push(`size must be one of ${VIDEO_SIZES.join(', ')}`);
  }
  if (params.aspectRatio !== undefined && !includes(ASPECT_RATIOS, params.aspectRatio)) {
    problems.push(`aspect ratio must be one of ${ASPECT_RATIOS.join(', ')}`);
  }
  if (params.duration !== undefined && !includes(CLIP_SECONDS, params.duration)) {
    problems.push(`duration must be one of ${CLIP_SECONDS.join(', ')} seconds`);
  }
  if (params.imageUrl !== undefined && !isHttpUrl(params.imageUrl)) {
    problems.push('the reference image must be an http(s) URL');
  }
  if (problems.length > 0) {
    throw new InvalidCreateParams(problems);
  }

  const body: Record<string, unknown> = { model: params.model, prompt };
  if (params.size !== undefined) body.size = params.size;
  if (params.aspectRatio !== undefined) body.aspect_ratio = params.aspectRatio;
  if (params.duration !== undefined) body.duration = params.duration;
  if (params.imageUrl !== undefined) body.image_urls = [params.imageUrl];
  return body;
}

function includes<T>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}

function isHttpUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:');
}
