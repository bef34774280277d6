/**
 * The body of `POST /v1/videos`: the service's own create fields (`model`, `prompt`,
 * `seconds`, `size` or `aspect_ratio`, `resolution`, `input_reference`, …), passed on to the
 * model's rules as they are, plus where to announce the video (`notify`) and who asked
 * (`requested_by`), read as `POST /v1/watches` reads them.
 */
import type { CreateRequest } from '../models/index.ts';
import {
  BadWatchRequest,
  parseJsonObject,
  parseRequestedBy,
  parseTargets,
  type WatchRequestRules,
} from './watch-request.ts';

export interface CreateBody {
  request: CreateRequest;
  targets: string[];
  requestedBy?: string;
}

export function parseCreateBody(body: Buffer, rules: WatchRequestRules): CreateBody {
  const { notify, requested_by, ...fields } = parseJsonObject(
    body,
    '{"model": "veo_3_1_fast", "prompt": "...", "notify": ["slack:C0123"]}',
    '"model" and "prompt"',
  );
  if (typeof fields.model !== 'string' || typeof fields.prompt !== 'string') {
    throw new BadWatchRequest('"model" and "prompt" are required, as strings.');
  }
  const parsed: CreateBody = {
    // The rest is checked against the model's rules, which name any field that is wrong.
    request: fields as unknown as CreateRequest,
    targets: parseTargets(notify, rules),
  };
  const requestedBy = parseRequestedBy(requested_by);
  if (requestedBy !== undefined) parsed.requestedBy = requestedBy;
  return parsed;
}
