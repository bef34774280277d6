/**
 * Bolt and its WebClient log through this bridge into the process logger, so their lines
 * share its format and its redaction instead of going to the console. Their lines are free
 * text that may hold links (upload links are signed) and whole error objects, so errors go
 * through the log's error serializer, the rest is scrubbed, and a line is kept short. The
 * WebClient's debug dumps of requests and answers carry message text: only their label stays.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import { type Logger, serializeError } from '../../log.ts';
import { scrubText } from '../../log-scrub.ts';

/** Longer library lines are cut: a dump of a request has no place in the log. */
const MAX_LINE_CHARS = 2_000;

/** The WebClient's debug lines that dump a request's body and headers, or an answer. */
const DUMP_LABELS = ['http request body:', 'http request headers:', 'http request result:'];

export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => child.debug(lineOf(parts)),
    info: (...parts: unknown[]) => child.info(lineOf(parts)),
    warn: (...parts: unknown[]) => child.warn(lineOf(parts)),
    error: (...parts: unknown[]) => child.error(lineOf(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function lineOf(parts: unknown[]): string {
  const first = parts[0];
  const dump =
    typeof first === 'string' ? DUMP_LABELS.find((label) => first.startsWith(label)) : undefined;
  if (dump !== undefined) return `${dump} [omitted]`;
  const text = parts.map(partText).join(' ');
  return text.length <= MAX_LINE_CHARS ? text : `${text.slice(0, MAX_LINE_CHARS)}…`;
}

function partText(part: unknown): string {
  if (typeof part === 'string') return scrubText(part);
  if (part instanceof Error) return JSON.stringify(serializeError(part));
  try {
    return scrubText(JSON.stringify(part) ?? String(part));
  } catch {
    // Circular or BigInt-holding objects: their type is all a log line needs.
    return Object.prototype.toString.call(part);
  }
}
