/**
 * A clip's poster: its first frame as a JPEG, cut by ffmpeg while the clip is still on this
 * machine (before it goes to the media store). Without ffmpeg, or for a clip it cannot read,
 * there is no poster and the share pages show a neutral placeholder.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { Logger } from '../log.ts';

/** Writes the first frame of `video` to `jpeg`; false when no poster could be made. */
export type FrameCutter = (video: string, jpeg: string) => Promise<boolean>;

export interface FfmpegOptions {
  logger: Logger;
  /** The ffmpeg program; "ffmpeg" (from PATH) unless told. */
  ffmpeg?: string;
  /** How long one cut may take. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function ffmpegFrameCutter(options: FfmpegOptions): FrameCutter {
  let missing = false;
  return async (video, jpeg) => {
    if (missing) return false;
    const args = ['-nostdin', '-v', 'error', '-y', '-ss', '0', '-i', video, '-frames:v', '1'];
    try {
      await run(
        options.ffmpeg ?? 'ffmpeg',
        [...args, jpeg],
        options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      return true;
    } catch (error) {
      await rm(jpeg, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        missing = true;
        options.logger.info('clip posters: ffmpeg is not installed; placeholders are shown');
      } else {
        options.logger.warn({ err: error }, 'clip posters: ffmpeg could not cut a poster');
      }
      return false;
    }
  };
}

function run(program: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}
