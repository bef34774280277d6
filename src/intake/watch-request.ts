/**
 * The body of `POST /v1/watches`, checked field by field. Every refusal is one sentence for
 * the sender, saying what to change; input echoed back is cut short.
 */
import { InvalidTaskId, userMessage } from '../sora/errors.ts';
import { parseTaskId } from '../sora/task.ts';
import { BadNotifyTarget, notifyPlatformOf, parseNotifyTarget } from './notify-target.ts';

export interface WatchRequest {
  taskId: string;
  /** Subscription targets ("slack:C0123"), without duplicates. */
  targets: string[];
  requestedBy?: string;
  prompt?: string;
  /** Post the result again where it was already posted by an earlier watch. */
  repost?: boolean;
}

export interface WatchRequestRules {
  /** Targets used when the request names none (DEFAULT_NOTIFY). */
  defaultNotify: readonly string[];
  /** The platforms this bot serves ("slack", "discord"). */
  platforms: readonly string[];
}

export const WATCH_REQUEST_LIMITS = {
  /** Channels one request may name. */
  maxNotify: 10,
  maxRequestedByChars: 80,
  maxPromptChars: 4000,
} as const;

/** Input the intake refuses (400); `message` is the sentence for the sender. */
export class BadWatchRequest extends Error {}

/** The body as a JSON object, or a refusal that shows `example` and says what it must hold. */
export function parseJsonObject(
  body: Buffer,
  example: string,
  mustHold: string,
): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadWatchRequest(`The body is not JSON: send ${example}.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BadWatchRequest(`The body must be a JSON object with ${mustHold}.`);
  }
  return json as Record<string, unknown>;
}

export function parseWatchRequest(body: Buffer, rules: WatchRequestRules): WatchRequest {
  const fields = parseJsonObject(
    body,
    '{"task_id": "...", "notify": ["slack:C0123"]}',
    'a "task_id"',
  );
  const request: WatchRequest = {
    taskId: taskIdOf(fields.task_id),
    targets: parseTargets(fields.notify, rules),
  };
  const requestedBy = parseRequestedBy(fields.requested_by);
  if (requestedBy !== undefined) request.requestedBy = requestedBy;
  const prompt = promptOf(fields.prompt);
  if (prompt !== undefined) request.prompt = prompt;
  if (fields.repost !== undefined) {
    if (typeof fields.repost !== 'boolean') {
      throw new BadWatchRequest('"repost" must be true or false.');
    }
    if (fields.repost) request.repost = true;
  }
  return request;
}

function taskIdOf(value: unknown): string {
  if (typeof value !== 'string') {
    throw new BadWatchRequest(
      '"task_id" is required: the id of the video task (any family), as a string.',
    );
  }
  try {
    return parseTaskId(value);
  } catch (error) {
    if (error instanceof InvalidTaskId) throw new BadWatchRequest(userMessage(error));
    throw error;
  }
}

/** `notify`: the channels to announce in, or DEFAULT_NOTIFY when left out. */
export function parseTargets(value: unknown, rules: WatchRequestRules): string[] {
  if (value === undefined || value === null) {
    if (rules.defaultNotify.length === 0) {
      throw new BadWatchRequest(
        'Name the channels to notify, like "notify": ["slack:C0123"]; this bot has no DEFAULT_NOTIFY.',
      );
    }
    return [...rules.defaultNotify];
  }
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw new BadWatchRequest(
      '"notify" must be a list of channels as strings, like ["slack:C0123", "discord:123456789"].',
    );
  }
  if (value.length === 0 || value.length > WATCH_REQUEST_LIMITS.maxNotify) {
    throw new BadWatchRequest(
      `"notify" must name 1 to ${WATCH_REQUEST_LIMITS.maxNotify} channels (or be left out to use DEFAULT_NOTIFY).`,
    );
  }
  const targets: string[] = [];
  for (const entry of value as string[]) {
    let target: string;
    try {
      target = parseNotifyTarget(entry);
    } catch (error) {
      if (error instanceof BadNotifyTarget) throw new BadWatchRequest(`${error.message}.`);
      throw error;
    }
    const platform = notifyPlatformOf(target);
    if (!rules.platforms.includes(platform)) {
      const served = rules.platforms.length > 0 ? rules.platforms.join(' and ') : 'no platform';
      throw new BadWatchRequest(
        `"${target}" is on ${platform}, which this bot does not serve (it serves ${served}).`,
      );
    }
    if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}

/** `requested_by`: a plain-text name shown with the result. */
export function parseRequestedBy(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const max = WATCH_REQUEST_LIMITS.maxRequestedByChars;
  const text = typeof value === 'string' ? value.trim() : undefined;
  // Shown in chat as plain text: no control characters, nothing that reads as markup.
  if (text === undefined || text === '' || text.length > max || /[\p{Cc}<>]/u.test(text)) {
    throw new BadWatchRequest(
      `"requested_by" must be a name of 1 to ${max} characters without "<", ">" or control characters, like "ci-pipeline".`,
    );
  }
  return text;
}

function promptOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const max = WATCH_REQUEST_LIMITS.maxPromptChars;
  if (typeof value !== 'string' || value.length > max) {
    throw new BadWatchRequest(`"prompt" must be a string of at most ${max} characters.`);
  }
  return value.trim() === '' ? undefined : value;
}
