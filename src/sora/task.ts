/**
 * The Sora task as this project sees it: parsed strictly from the API's answer, with
 * field names normalised (`video_url` → `videoUrl`). Status values the docs do not list
 * are kept verbatim so they can be shown as they are.
 */
import { BadResponse, InvalidTaskId } from './errors.ts';

/** Documented statuses; any other string the API sends is kept as is. */
export type KnownTaskStatus = 'queued' | 'processing' | 'completed' | 'failed';
export type TaskStatus = KnownTaskStatus | (string & {});

export interface VideoTask {
  id: string;
  /** Always "video.generation" for this endpoint. */
  object: string;
  /** Unix time in seconds. */
  created: number;
  model: string;
  status: TaskStatus;
  /** Present once completed: an MP4 link valid for one day. */
  videoUrl?: string;
  /** Clip length in seconds, once completed. */
  actualDuration?: number;
  /** Why the task failed. */
  error?: string;
}

/** Statuses after which the task never changes. Beyond the documented two, common words for an end. */
const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'cancelled',
  'canceled',
  'expired',
  'rejected',
  'error',
]);

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.has(status.toLowerCase());
}

/** How long a finished task's video link stays valid, per the API docs. */
export const VIDEO_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const TASK_ID_MAX_LENGTH = 128;
const TASK_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a task id before any request is made. Only letters, digits, "_" and "-": the ids
 * the API hands out, and nothing that could change the meaning of a URL path.
 * Surrounding whitespace (from a chat message or a paste) is trimmed.
 */
export function parseTaskId(input: string): string {
  const id = input.trim();
  if (id.length === 0) {
    throw new InvalidTaskId(input, 'it is empty');
  }
  if (id.length > TASK_ID_MAX_LENGTH) {
    throw new InvalidTaskId(input, `it is longer than ${TASK_ID_MAX_LENGTH} characters`);
  }
  if (!TASK_ID_PATTERN.test(id)) {
    throw new InvalidTaskId(
      input,
      'it contains characters other than letters, digits, "_" and "-"',
    );
  }
  return id;
}

/** Turns the API's JSON into a `VideoTask`, or throws `BadResponse` naming what is wrong. */
export function parseTask(body: unknown): VideoTask {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadResponse('the answer is not a JSON object');
  }
  const record = body as Record<string, unknown>;
  const id = requireString(record, 'id');
  const object = requireString(record, 'object');
  if (object !== 'video.generation') {
    throw new BadResponse(`"object" is "${object.slice(0, 40)}", not "video.generation"`);
  }
  const created = record.created;
  if (typeof created !== 'number' || !Number.isFinite(created) || created < 0) {
    throw new BadResponse('"created" is not a unix time');
  }
  const task: VideoTask = {
    id,
    object,
    created,
    model: requireString(record, 'model'),
    status: requireString(record, 'status'),
  };
  const videoUrl = optional(record, 'video_url');
  if (videoUrl !== undefined) {
    if (typeof videoUrl !== 'string' || !URL.canParse(videoUrl)) {
      throw new BadResponse('"video_url" is not a URL');
    }
    task.videoUrl = videoUrl;
  }
  const actualDuration = optional(record, 'actualDuration');
  if (actualDuration !== undefined) {
    if (typeof actualDuration !== 'number' || !Number.isFinite(actualDuration)) {
      throw new BadResponse('"actualDuration" is not a number');
    }
    task.actualDuration = actualDuration;
  }
  const error = optional(record, 'error');
  if (error !== undefined) {
    task.error = errorText(error);
  }
  return task;
}

function requireString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new BadResponse(`"${field}" is missing or not a string`);
  }
  return value;
}

/** JSON null and absence both mean "not there". */
function optional(record: Record<string, unknown>, field: string): unknown {
  const value = record[field];
  return value === null ? undefined : value;
}

/** The docs say a string; an OpenAI-style `{ message }` object is accepted too. */
function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  throw new BadResponse('"error" is neither a string nor an object with a message');
}
