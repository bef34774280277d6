/**
 * Keeps the clip library within its limits: clips kept longer than the retention go, then the
 * oldest ones until the library fits its size cap. Runs at start and every hour, on the
 * injected clock, until stopped.
 */
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { KeptClip } from '../watch/kept-clip.ts';
import type { ClipLibraryObserver } from './clip-library.ts';

/** What a sweep needs of the library: every clip, newest first, and a way to remove one. */
export interface SweptLibrary {
  list(): Promise<KeptClip[]>;
  remove(taskId: string): Promise<void>;
}

export interface ClipSweeperOptions {
  library: SweptLibrary;
  /** A clip kept longer than this is removed (counted from `keptAt`). */
  retentionMs: number;
  /** The library's size cap in bytes; none when absent. */
  maxBytes?: number;
  clock: Clock;
  logger: Logger;
  observer?: ClipLibraryObserver;
}

export interface SweepOutcome {
  removedClips: number;
  removedBytes: number;
  keptClips: number;
  keptBytes: number;
}

export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export class ClipSweeper {
  readonly #options: ClipSweeperOptions;

  constructor(options: ClipSweeperOptions) {
    this.#options = options;
  }

  /** One sweep, now. A clip that cannot be removed stays, and is tried again next time. */
  async sweep(): Promise<SweepOutcome> {
    const { library, retentionMs, maxBytes, clock, logger, observer } = this.#options;
    const now = clock.now();
    const newestFirst = await library.list();
    const staying = newestFirst.filter((clip) => now - clip.keptAt < retentionMs);
    const leaving = newestFirst.filter((clip) => now - clip.keptAt >= retentionMs);
    let stayingBytes = sumBytes(staying);
    while (maxBytes !== undefined && stayingBytes > maxBytes && staying.length > 0) {
      const oldest = staying.pop() as KeptClip;
      stayingBytes -= oldest.bytes;
      leaving.push(oldest);
    }
    let removedClips = 0;
    let removedBytes = 0;
    for (const clip of leaving) {
      try {
        await library.remove(clip.taskId);
        removedClips += 1;
        removedBytes += clip.bytes;
      } catch (error) {
        logger.warn({ taskId: clip.taskId, err: error }, 'kept clip could not be removed');
        staying.push(clip);
        stayingBytes += clip.bytes;
      }
    }
    if (removedClips > 0) {
      logger.info({ clips: removedClips, bytes: removedBytes }, 'clip library swept');
      observer?.swept(removedClips, removedBytes);
    }
    observer?.holding(staying.length, stayingBytes);
    return { removedClips, removedBytes, keptClips: staying.length, keptBytes: stayingBytes };
  }

  /** Sweeps now and every hour until `signal` aborts; a failed sweep is logged, not fatal. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.sweep();
      } catch (error) {
        this.#options.logger.error({ err: error }, 'clip library sweep failed');
      }
      try {
        await this.#options.clock.sleep(SWEEP_INTERVAL_MS, signal);
      } catch {
        return; // stopped
      }
    }
  }
}

function sumBytes(clips: readonly KeptClip[]): number {
  return clips.reduce((sum, clip) => sum + clip.bytes, 0);
}
