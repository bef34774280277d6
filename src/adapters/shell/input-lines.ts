/**
 * The terminal chat's input, split into lines. `node:readline` also ends a line at U+2028,
 * U+2029, U+0085 and a lone "\r", so one typed or piped line could become two commands; here
 * only "\n" ends a line, and one "\r" before it (a Windows line end) is dropped.
 */
import { on } from 'node:events';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Yields each line of `input` until it ends (a last line without "\n" included) or `signal`
 * aborts (a partial line is then dropped, and the input is paused, not destroyed: it may be
 * the process's stdin).
 */
export async function* inputLines(input: Readable, signal: AbortSignal): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const [chunk] of on(input, 'data', { signal, close: ['end', 'close'] })) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
      let end = pending.indexOf('\n');
      while (end !== -1) {
        yield withoutCarriageReturn(pending.slice(0, end));
        pending = pending.slice(end + 1);
        end = pending.indexOf('\n');
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  } finally {
    input.pause();
  }
  pending += decoder.end();
  if (pending !== '') yield withoutCarriageReturn(pending);
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
