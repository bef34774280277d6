/**
 * The process logger: pino JSON lines for machines, or pino-pretty's coloured lines when a
 * person watches the terminal. Secrets are redacted by key wherever they appear, errors go
 * through `serializeError()` (no request bodies, headers or tokens), and links are logged
 * through `safeUrl()`, which drops the signed query string.
 */
import { type Logger, pino } from 'pino';
import pinoPretty from 'pino-pretty';
import { serializeError } from './log-error.ts';

export type { Logger };

/** What LOG_LEVEL may say; defined here so the base layer needs nothing from the settings. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export { serializeError };

/**
 * Every key an error is logged under. pino's own error serializer would copy every field
 * of a library error, request bodies included, so none of them may reach it.
 */
const ERROR_SERIALIZERS = { err: serializeError, error: serializeError };

const REDACTED_KEYS = [
  'apiKey',
  'authorization',
  'token',
  'botToken',
  'appToken',
  'intakeToken',
  'pendingReply',
  'signingSecret',
  'password',
];

/**
 * Logs to `destination` (stdout by default): pretty when it is a terminal, JSON lines
 * otherwise (a file, a pipe, a container's log collector).
 */
export function createLogger(
  level: LogLevel,
  destination: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Logger {
  const options = {
    level,
    base: undefined,
    serializers: ERROR_SERIALIZERS,
    redact: {
      paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
      censor: '[redacted]',
    },
  };
  if (destination.isTTY !== true) return pino(options, destination);
  // Synchronous, so the last lines before an exit are not lost.
  return pino(options, pinoPretty({ destination, sync: true, translateTime: 'SYS:HH:MM:ss' }));
}

/** A logger that drops everything: the default for library code given no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * A link without its query string and fragment: video links are signed, and the signature
 * is as good as a password for a day.
 */
export function safeUrl(url: string | URL): string {
  const parsed = typeof url === 'string' ? URL.parse(url) : url;
  if (parsed === null) return '[unparseable url]';
  return `${parsed.origin}${parsed.pathname}`;
}
