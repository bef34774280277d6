/**
 * The rules the Sora API's create endpoint documents for its body (model, prompt, size or
 * aspect ratio, duration or seconds, at most one image), so the fake refuses what the real
 * API would. Every broken rule is reported, not just the first.
 */
import type { Duration } from './types.ts';

const MODELS: ReadonlySet<unknown> = new Set(['openAiSora2Plus', 'openAiSora2Pro']);
const SIZES: ReadonlySet<unknown> = new Set(['720x1280', '1280x720']);
const ASPECT_RATIOS: ReadonlySet<unknown> = new Set(['9:16', '16:9']);
const DURATIONS: ReadonlySet<unknown> = new Set([4, 8, 12]);

export type CreateCheck =
  | { model: string; prompt: string; duration: Duration }
  | { problems: string[] };

/** The create endpoint's documented rules; every broken rule is reported, not just the first. */
export function checkCreateBody(body: string): CreateCheck {
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
  const field = (name: string): unknown => record[name] ?? undefined;
  const problems: string[] = [];

  const model = field('model');
  if (model === undefined) problems.push('model is required');
  else if (!MODELS.has(model)) problems.push('model must be openAiSora2Plus or openAiSora2Pro');

  const prompt = field('prompt');
  if (typeof prompt !== 'string' || prompt.trim() === '') problems.push('prompt is required');

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

  const imageUrls = field('image_urls');
  if (imageUrls !== undefined) {
    if (!Array.isArray(imageUrls) || !imageUrls.every((url) => typeof url === 'string')) {
      problems.push('image_urls must be an array of strings');
    } else if (imageUrls.length > 1) {
      problems.push('at most one image url is allowed');
    }
  }

  if (problems.length > 0) return { problems };
  return {
    model: model as string,
    prompt: prompt as string,
    duration: (duration ?? seconds ?? 4) as Duration,
  };
}
