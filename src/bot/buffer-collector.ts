/**
 * Frees the buffers a clip passes through soon after they die, not 64 MiB of them later.
 *
 * Each chunk a socket or a file read hands over is a new ArrayBuffer, dead once passed on.
 * V8 counts them as external memory and starts a collection only once 64 MiB more of it
 * exists than after the last one (its `kExternalAllocationSoftLimit`), so moving any clip
 * larger than that grew the bot by about 64 MiB on every path (the download to disk, the
 * Slack and Discord uploads), though only a few chunks were ever in use at once. A
 * young-generation collection finds those chunks dead and costs well under a millisecond:
 * one is asked for whenever external memory has grown by `stepBytes` since the last.
 *
 * V8 offers that call only under --expose-gc, which is set here at start; should the call
 * stay unavailable, the collector does nothing and V8 collects as it would anyway.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface BufferCollectorOptions {
  /** Growth of external memory (array buffers included) since the last collection that asks for the next. */
  stepBytes?: number;
  /** How often that growth is looked at; one look costs well under a microsecond. */
  intervalMs?: number;
}

export const BUFFER_COLLECTOR_DEFAULTS = {
  stepBytes: 8 * 1024 * 1024,
  intervalMs: 10,
} as const satisfies Required<BufferCollectorOptions>;

type Collect = (options: { type: 'minor' }) => void;

/** Starts looking; the function returned stops. Its timer never keeps the process alive. */
export function startBufferCollector(options: BufferCollectorOptions = {}): () => void {
  const collect = youngCollection();
  if (collect === undefined) return () => undefined;
  const stepBytes = options.stepBytes ?? BUFFER_COLLECTOR_DEFAULTS.stepBytes;
  let after = externalBytes();
  const timer = setInterval(() => {
    const now = externalBytes();
    if (now - after < stepBytes) {
      // V8's own collections lower the mark too.
      after = Math.min(after, now);
      return;
    }
    collect({ type: 'minor' });
    after = externalBytes();
  }, options.intervalMs ?? BUFFER_COLLECTOR_DEFAULTS.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The memory V8 counts as external, array buffers included: what decides its collections.
 * Read from the heap statistics (about 0.5 µs), not `process.memoryUsage()` (about 10 µs,
 * since it also reads the resident set from the kernel), as it is read 100 times a second.
 */
function externalBytes(): number {
  return getHeapStatistics().external_memory;
}

/** V8's `gc`: the global one under --expose-gc, else from a context made after setting it. */
function youngCollection(): Collect | undefined {
  const exposed: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as Collect;
  setFlagsFromString('--expose-gc');
  const made: unknown = runInNewContext('gc');
  return typeof made === 'function' ? (made as Collect) : undefined;
}
