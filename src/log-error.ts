/**
 * What of an error may be written to the log. Library errors carry far more than a log line
 * should: discord.js puts the whole request (message content with signed links, the clip's
 * bytes, the interaction token in the URL) on `DiscordAPIError`/`HTTPError`, and Slack's
 * WebClient errors carry response headers and bodies. Only named, plain facts are kept:
 * name, message, code, HTTP status, method, a masked path, a short stack and the causes.
 * Request bodies, files, headers and query strings never are.
 */
import { maskPath, scrubText } from './log-scrub.ts';

export interface LoggedError {
  name?: string;
  message?: string;
  code?: string | number;
  status?: number;
  method?: string;
  /** The request's path with tokens masked, never its query string or origin's credentials. */
  path?: string;
  /** The top error's stack frames only (their header repeats the message). */
  stack?: string;
  cause?: LoggedError | string;
  /** An `AggregateError`'s first few errors, shallow. */
  errors?: (LoggedError | string)[];
}

const LIMITS = {
  /** Causes followed below the error itself; a cycle ends here too. */
  causeDepth: 3,
  topMessageChars: 500,
  nestedMessageChars: 200,
  stackFrames: 10,
  aggregatedErrors: 3,
  codeChars: 80,
} as const satisfies Record<string, number>;

const HTTP_METHOD = /^[A-Z]{3,7}$/;

/** The pino serializer for errors: a bounded, secret-free summary of any thrown value. */
export function serializeError(value: unknown): LoggedError | string {
  return summarise(value, 0, true);
}

function summarise(value: unknown, depth: number, withDetail: boolean): LoggedError | string {
  const messageChars = depth === 0 ? LIMITS.topMessageChars : LIMITS.nestedMessageChars;
  if (typeof value !== 'object' || value === null) {
    return clip(scrubText(String(value)), messageChars);
  }
  const error = value as Record<string, unknown>;
  const summary: LoggedError = {};
  const name = typeof error.name === 'string' ? error.name : value.constructor?.name;
  if (name) summary.name = clip(name, LIMITS.codeChars);
  if (typeof error.message === 'string') {
    summary.message = clip(scrubText(error.message), messageChars);
  }
  const code = error.code;
  if (typeof code === 'number') summary.code = code;
  if (typeof code === 'string') summary.code = clip(scrubText(code), LIMITS.codeChars);
  // discord.js says `status`, Slack's WebAPIHTTPError `statusCode`.
  const status = error.status ?? error.statusCode;
  if (typeof status === 'number') summary.status = status;
  if (typeof error.method === 'string' && HTTP_METHOD.test(error.method.toUpperCase())) {
    summary.method = error.method.toUpperCase();
  }
  const path = pathOf(error.url);
  if (path !== undefined) summary.path = path;
  if (!withDetail) return summary;
  if (depth === 0 && typeof error.stack === 'string') {
    const frames = stackFrames(error.stack);
    if (frames) summary.stack = frames;
  }
  if (error.cause !== undefined && depth < LIMITS.causeDepth) {
    summary.cause = summarise(error.cause, depth + 1, true);
  }
  if (Array.isArray(error.errors) && error.errors.length > 0) {
    summary.errors = error.errors
      .slice(0, LIMITS.aggregatedErrors)
      .map((inner) => summarise(inner, depth + 1, false));
  }
  return summary;
}

/** The path of a request URL (absolute or not), masked; never its origin's credentials or query. */
function pathOf(url: unknown): string | undefined {
  if (typeof url !== 'string' && !(url instanceof URL)) return undefined;
  const parsed = typeof url === 'string' ? URL.parse(url, 'http://relative.invalid') : url;
  return parsed === null ? undefined : maskPath(parsed.pathname);
}

/** The `at …` lines of a stack, scrubbed: its header is the message again, unscrubbed. */
function stackFrames(stack: string): string | undefined {
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, LIMITS.stackFrames)
    .map((line) => scrubText(line.trim()));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars)}…`;
}
