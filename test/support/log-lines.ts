/**
 * Checks on a bot's log as written (JSON lines): that it holds none of the given secrets,
 * no clip bytes and no over-long line, and a way to find the line a test waits for.
 */
import assert from 'node:assert/strict';

/** Longest log line allowed: a line that size already means a body or a dump got in. */
export const MAX_LOG_LINE_BYTES = 8 * 1024;

/** Parsed JSON log lines (other lines, such as a terminal's, are skipped). */
export function jsonLines(log: string): Record<string, unknown>[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The first JSON line with this `msg`, or a failure naming it. */
export function lineWithMessage(log: string, msg: string): Record<string, unknown> {
  const line = jsonLines(log).find((entry) => entry.msg === msg);
  assert.ok(line, `no "${msg}" line in\n${log}`);
  return line;
}

/**
 * No secret, no signature, no clip bytes (as the JSON array or the base64 a serializer
 * would write) and no line over `MAX_LOG_LINE_BYTES`.
 */
export function assertCleanLog(log: string, secrets: readonly string[], clip: Buffer): void {
  const head = clip.subarray(0, 12);
  const forbidden = [
    ...secrets,
    'sig=',
    'X-Amz-Signature',
    'requestBody',
    JSON.stringify([...head]).slice(1, -1),
    head.toString('base64'),
  ];
  for (const text of forbidden) {
    assert.ok(!log.includes(text), `"${text}" in the log:\n${log}`);
  }
  for (const line of log.split('\n')) {
    const bytes = Buffer.byteLength(line);
    assert.ok(bytes <= MAX_LOG_LINE_BYTES, `a log line of ${bytes} bytes: ${line.slice(0, 300)}…`);
  }
}
