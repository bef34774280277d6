/**
 * Every failure that can reach a person, as a typed error.
 *
 * Each error carries the facts; `userMessage()` below is the one place that turns them
 * into a sentence. Messages never contain the API key, tokens or a link's query string,
 * and never a stack trace: those go to the log only.
 */

export abstract class SoraError extends Error {
  abstract readonly code: string;
}

/** The id was refused before any request was sent. */
export class InvalidTaskId extends SoraError {
  readonly code = 'invalid_task_id';
  /** A printable, shortened copy of what was given (control characters escaped). */
  readonly preview: string;
  readonly reason: string;
  constructor(input: string, reason: string) {
    super(`invalid task id: ${reason}`);
    this.preview = printablePreview(input);
    this.reason = reason;
  }
}

/** One thing wrong with a create request; `field` names the request field, when known. */
export interface ParamProblem {
  field?: string;
  message: string;
}

/**
 * A create request refused: by our check of the model's rules before anything is sent, or
 * by the service (400/422) with its own explanation. `contentRefused` marks the service's
 * refusals on content grounds (moderation, policy, safety).
 */
export class InvalidCreateParams extends SoraError {
  readonly code = 'invalid_create_params';
  /** Each problem in words. */
  readonly problems: readonly string[];
  /** The same problems with the field each is about. */
  readonly details: readonly ParamProblem[];
  readonly contentRefused: boolean;
  constructor(
    problems: readonly (string | ParamProblem)[],
    options: { contentRefused?: boolean } = {},
  ) {
    const details = problems.map((p) => (typeof p === 'string' ? { message: p } : p));
    super(`invalid create parameters: ${details.map((p) => p.message).join('; ')}`);
    this.details = details;
    this.problems = details.map((p) => p.message);
    this.contentRefused = options.contentRefused ?? false;
  }

  /** The fields named by the problems, each once. */
  get fields(): string[] {
    return [...new Set(this.details.flatMap((p) => (p.field === undefined ? [] : [p.field])))];
  }
}

/** 402, or a refused create whose message speaks of the balance: the account must be topped up. */
export class InsufficientBalance extends SoraError {
  readonly code = 'insufficient_balance';
  /** The service's own words, when it gave any. */
  readonly detail: string | undefined;
  constructor(detail?: string) {
    super(`the service account's balance is too low${detail ? ` (${detail})` : ''}`);
    this.detail = detail;
  }
}

export class TaskNotFound extends SoraError {
  readonly code = 'task_not_found';
  readonly taskId: string;
  constructor(taskId: string) {
    super(`task ${taskId} not found`);
    this.taskId = taskId;
  }
}

/** 401/403: the key is wrong or lacks access. Never retried. */
export class AuthFailed extends SoraError {
  readonly code = 'auth_failed';
  readonly status: number;
  constructor(status: number) {
    super(`the Sora API refused the credentials (HTTP ${status})`);
    this.status = status;
  }
}

/** 429 answers kept coming after every retry. */
export class RateLimited extends SoraError {
  readonly code = 'rate_limited';
  readonly attempts: number;
  constructor(attempts: number) {
    super(`still rate-limited after ${attempts} attempts`);
    this.attempts = attempts;
  }
}

/** 5xx answers (or another unexpected status) after every retry. */
export class ApiUnavailable extends SoraError {
  readonly code = 'api_unavailable';
  readonly status: number;
  readonly attempts: number;
  constructor(status: number, attempts: number) {
    super(`the Sora API answered HTTP ${status} (${attempts} attempts)`);
    this.status = status;
    this.attempts = attempts;
  }
}

/** Resets, refused connections and timeouts after every retry. */
export class ApiUnreachable extends SoraError {
  readonly code = 'api_unreachable';
  readonly attempts: number;
  constructor(attempts: number, cause: unknown) {
    super(`could not reach the Sora API (${describeCause(cause)}; ${attempts} attempts)`, {
      cause,
    });
    this.attempts = attempts;
  }
}

/** The API answered, but not with the documented shape (HTML, truncated JSON, missing fields). */
export class BadResponse extends SoraError {
  readonly code = 'bad_response';
  readonly detail: string;
  constructor(detail: string) {
    super(`unexpected answer from the Sora API: ${detail}`);
    this.detail = detail;
  }
}

/** 403/404/410 from the video link: signed links last one day. */
export class LinkExpired extends SoraError {
  readonly code = 'link_expired';
  readonly status: number;
  constructor(status: number) {
    super(`the video link answered HTTP ${status}`);
    this.status = status;
  }
}

export class VideoTooLarge extends SoraError {
  readonly code = 'video_too_large';
  readonly limitBytes: number;
  /** The announced or observed size, when known. */
  readonly sizeBytes: number | undefined;
  constructor(limitBytes: number, sizeBytes?: number) {
    super(`video exceeds the ${limitBytes}-byte limit${sizeBytes ? ` (${sizeBytes} bytes)` : ''}`);
    this.limitBytes = limitBytes;
    this.sizeBytes = sizeBytes;
  }
}

/** The link served something that does not start like an MP4 (an HTML page, say). */
export class NotAVideo extends SoraError {
  readonly code = 'not_a_video';
  readonly contentType: string | undefined;
  constructor(contentType: string | undefined) {
    super(`the link did not serve an MP4 (content-type ${contentType ?? 'unknown'})`);
    this.contentType = contentType;
  }
}

/** The link is not HTTPS, or points at a loopback, private, link-local or metadata address. */
export class UnsafeVideoUrl extends SoraError {
  readonly code = 'unsafe_video_url';
  readonly reason: string;
  constructor(reason: string) {
    super(`refused video link: ${reason}`);
    this.reason = reason;
  }
}

/** Transient download failures (resets, 5xx, timeouts) after every retry. */
export class DownloadFailed extends SoraError {
  readonly code = 'download_failed';
  readonly attempts: number;
  constructor(attempts: number, cause: unknown) {
    super(`download failed (${describeCause(cause)}; ${attempts} attempts)`, { cause });
    this.attempts = attempts;
  }
}

/**
 * A create the service answered with a refusal (bad parameters, no balance, a refused key, a
 * 429): no video was started, so it may be fixed and sent again. Any other failure of a create
 * leaves it in doubt: the service may have started the video.
 */
export function surelyRefused(error: unknown): boolean {
  return (
    error instanceof InvalidCreateParams ||
    error instanceof InsufficientBalance ||
    error instanceof AuthFailed ||
    error instanceof RateLimited
  );
}

const MiB = 1024 * 1024;

/** The one sentence a person sees for an error. Unknown errors get a generic sentence. */
export function userMessage(error: unknown): string {
  if (error instanceof InvalidTaskId) {
    return `"${error.preview}" is not a valid task id: ${error.reason}. A task id is 1 to 128 letters, digits, "_" or "-", like vgen_abc123.`;
  }
  if (error instanceof InvalidCreateParams) {
    if (error.contentRefused) {
      return `The service refused this video on content grounds (${error.problems.join('; ')}); change the prompt or the image and try again.`;
    }
    return `The video request is not valid: ${error.problems.join('; ')}.`;
  }
  if (error instanceof InsufficientBalance) {
    return 'The video service account has run out of balance; no video was started. Top the account up and try again.';
  }
  if (error instanceof TaskNotFound) {
    return `No task with id ${error.taskId} was found: check the id, and that it was created with this API key.`;
  }
  if (error instanceof AuthFailed) {
    return `The Sora API refused the API key (HTTP ${error.status}): check SORA_API_KEY.`;
  }
  if (error instanceof RateLimited) {
    return 'The Sora API is rate-limiting requests right now; try again in a minute.';
  }
  if (error instanceof ApiUnavailable) {
    return `The Sora API is not answering properly (HTTP ${error.status}); try again later.`;
  }
  if (error instanceof ApiUnreachable) {
    return 'The Sora API could not be reached; try again later.';
  }
  if (error instanceof BadResponse) {
    return 'The Sora API sent an answer that could not be read; try again later.';
  }
  if (error instanceof LinkExpired) {
    return 'The download link has expired; links last 1 day.';
  }
  if (error instanceof VideoTooLarge) {
    const size = error.sizeBytes ? ` (${formatMiB(error.sizeBytes)})` : '';
    return `The video is larger than the ${formatMiB(error.limitBytes)} limit${size}; raise VIDEO_MAX_BYTES to allow it.`;
  }
  if (error instanceof NotAVideo) {
    return 'The download link did not serve an MP4 video.';
  }
  if (error instanceof UnsafeVideoUrl) {
    return `The download link was refused: ${error.reason}.`;
  }
  if (error instanceof DownloadFailed) {
    return 'The video could not be downloaded; try again later.';
  }
  return 'Something went wrong; the details are in the log.';
}

function formatMiB(bytes: number): string {
  const mib = bytes / MiB;
  return `${mib >= 10 ? Math.round(mib) : mib.toFixed(1)} MiB`;
}

/** A short, log-safe label for a low-level cause (error code, never a URL or header). */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.name;
  }
  return String(cause);
}

function printablePreview(input: string): string {
  const shortened = input.length > 40 ? `${input.slice(0, 40)}…` : input;
  // Escape control and non-printing characters so a hostile id cannot garble a terminal or chat.
  return shortened.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"]/gu,
    (char) => `\\u${char.codePointAt(0)?.toString(16).padStart(4, '0')}`,
  );
}
