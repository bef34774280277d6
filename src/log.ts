/**
 * The process logger: pino JSON lines. Secrets are redacted by key wherever they appear,
 * and links are logged through `safeUrl()`, which drops the signed query string.
 */
import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

const REDACTED_KEYS = ['apiKey', 'authorization', 'token', 'signingSecret', 'appToken', 'password'];

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
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
