/**
 * A task of the video service as this project sees it, whatever its family (Sora, VEO,
 * Seedance, Grok, Vidu, "Videos"): parsed strictly from the one result endpoint's answer, with
 * field names normalised (`video_url` → `videoUrl`). Status values the docs do not list
 * are kept verbatim so they can be shown as they are.
 */
import { BadResponse, InvalidTaskId } from './errors.ts';

/**
 * Documented statuses; any other string the API sends is kept as is. Some families (Seedance
 * 1.5) end a task with `cancelled`, which the service also spells `canceled`.
 */
export type KnownTaskStatus =
  | 'queued'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'canceled';
export type TaskStatus = KnownTaskStatus | (string & {});

export interface VideoTask {
  id: string;
  /**
   * "video.generation" for Sora, "video" for the other families: information only, never a
   * reason to refuse an answer.
   */
  object: string;
  /** Unix time in seconds. */
  created: number;
  /** The service's model id (`veo_3_1_fast`); the family is read from it, never from the id. */
  model: string;
  status: TaskStatus;
  /** Present once completed: an MP4 link valid for one day. */
  videoUrl?: string;
  /** Clip length in seconds, once completed; may be a decimal (5.04). */
  actualDuration?: number;
  /** Why the task failed (or was cancelled), when the service says. */
  error?: string;
}

/** Statuses after which the task never changes: the documented ones and common words for an end. */
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

/** What people are told when the service cancelled a task without saying why. */
export const CANCELLED_AT_SERVICE = 'The task was cancelled at the service.';

/** Whether the service cancelled the task, in either of its spellings. */
export function isCancelled(status: TaskStatus): boolean {
  const word = status.toLowerCase();
  return word === 'cancelled' || word === 'canceled';
}

/**
 * Why the task has no video, as far as the task itself says: the service's error text, or,
 * for a cancelled task without one, that it was cancelled. Undefined when it says nothing.
 */
export function taskProblem(task: VideoTask): string | undefined {
  if (task.error !== undefined && task.error.trim() !== '') return task.error;
  return isCancelled(task.status) ? CANCELLED_AT_SERVICE : undefined;
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
  // Any kind the service names is accepted: it differs by family and decides nothing here.
  const object = requireString(record, 'object');
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
