/**
 * How the command line ends: its exit codes, the errors of its own that pick one, and the one
 * sentence each error is told in. Errors of the API come with their sentence (`userMessage`).
 */
import { ConfigError } from '../config.ts';
import { AuthFailed, InvalidTaskId, userMessage } from '../sora/errors.ts';
import { IntakeFailed, IntakeTokenRefused } from './notify.ts';
import { HELP_HINT } from './usage.ts';

export const EXIT = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  apiError: 3,
  authFailed: 4,
  interrupted: 130,
} as const;

/** The command line is wrong; `message` says what, without the help hint. */
export class UsageError extends Error {}
/** Ctrl-C while waiting: a partial download is removed and nothing is reported as failed. */
export class Interrupted extends Error {}

/**
 * A create that failed without a refusal from the service (no answer, a lost answer, Ctrl-C):
 * the video may have been started, so the key to send again is part of the message.
 */
export class CreateUnanswered extends Error {
  readonly key: string;
  constructor(key: string, cause: unknown) {
    super('the create may have reached the service', { cause });
    this.key = key;
  }
}

/** What `node:util` parseArgs throws for an unknown option or a missing or extra value. */
const PARSE_ARGS_CODES: ReadonlySet<unknown> = new Set([
  'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
  'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
]);

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && PARSE_ARGS_CODES.has((error as { code?: unknown }).code);
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CreateUnanswered) return exitCodeFor(error.cause);
  if (error instanceof UsageError || error instanceof InvalidTaskId) return EXIT.usage;
  if (error instanceof ConfigError || isParseArgsError(error)) return EXIT.usage;
  if (error instanceof AuthFailed || error instanceof IntakeTokenRefused) return EXIT.authFailed;
  if (error instanceof Interrupted) return EXIT.interrupted;
  return EXIT.apiError;
}

export function sentenceFor(error: unknown): string {
  if (error instanceof CreateUnanswered) {
    return `${sentenceFor(error.cause)}\nsora-status: The video may have been started; to ask again without making it twice, run the same command with --key ${error.key}`;
  }
  if (error instanceof UsageError) return `${error.message}. ${HELP_HINT}`;
  if (error instanceof ConfigError) return error.problems.join('\n');
  // parseArgs says it in sentences of its own; the first one is the problem.
  if (isParseArgsError(error)) return `${error.message.split('.')[0]}. ${HELP_HINT}`;
  if (error instanceof Interrupted) return 'stopped.';
  if (error instanceof IntakeTokenRefused || error instanceof IntakeFailed) return error.message;
  return userMessage(error);
}
