/**
 * The terminal's quick create: `create <prompt> [--model M] [--seconds N] [--size WxH |
 * --aspect 16:9] [--resolution 1080p] [--image URL]`. The words that are not options are
 * the prompt; the model's own rules check the rest when the video is made.
 */
import type { CreateRequest } from '../models/index.ts';
import { CommandError } from './command-error.ts';

/** The model used when none is named: the service's fast VEO, the most asked for. */
export const DEFAULT_CREATE_MODEL = 'veo_3_1_fast';

export const CREATE_HELP =
  'create <prompt> [--model veo_3_1_fast] [--seconds 8] [--size 1280x720 | --aspect 16:9] [--resolution 1080p] [--image URL]: make a video and watch it here';

const OPTION_FIELDS: Record<string, keyof CreateRequest> = {
  model: 'model',
  seconds: 'seconds',
  size: 'size',
  aspect: 'aspect_ratio',
  resolution: 'resolution',
  image: 'input_reference',
};

export function parseCreateRequest(text: string): CreateRequest {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const prompt: string[] = [];
  const fields: Record<string, string | number> = {};
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (!word.startsWith('--')) {
      prompt.push(word);
      continue;
    }
    const field = OPTION_FIELDS[word.slice(2).toLowerCase()];
    const value = words[i + 1];
    if (field === undefined || value === undefined || value.startsWith('--')) {
      throw new CommandError(
        `"${word.slice(0, 40)}" needs a known option and a value. ${CREATE_HELP}`,
      );
    }
    fields[field] = field === 'seconds' ? Number(value) : value;
    i += 1;
  }
  if (prompt.length === 0) throw new CommandError(`Describe the video first. ${CREATE_HELP}`);
  return { model: DEFAULT_CREATE_MODEL, ...fields, prompt: prompt.join(' ') } as CreateRequest;
}
