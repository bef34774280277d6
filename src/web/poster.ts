/**
 * A kept clip's poster: its first frame, cut by ffmpeg once and cached under DATA_DIR, or a
 * neutral placeholder when ffmpeg is not installed or cannot read the clip. The page never
 * waits long for it: ffmpeg gets a time limit, and a clip it failed on is not tried again
 * until the process restarts.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { PLACEHOLDER_POSTER } from './placeholder-poster.ts';

export type Poster = { file: string } | { placeholder: Buffer };

export interface PosterOptions {
  /** Where cut posters are kept (a cache under DATA_DIR: safe to empty). */
  cacheDir: string;
  logger: Logger;
  /** The ffmpeg program; "ffmpeg" (from PATH) unless told. */
  ffmpeg?: string;
  /** How long one cut may take. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export class PosterMaker {
  readonly #options: PosterOptions;
  /** One cut at a time per poster file, however many visitors ask at once. */
  readonly #cutting = new Map<string, Promise<boolean>>();
  readonly #failed = new Set<string>();
  #ffmpegMissing = false;

  constructor(options: PosterOptions) {
    this.#options = options;
  }

  /** The poster of the clip at `video`, kept at `keptAt` (a replaced clip gets a new one). */
  async posterOf(taskId: string, keptAt: number, video: string): Promise<Poster> {
    const file = this.#fileOf(taskId, keptAt);
    if (await isFile(file)) return { file };
    if (this.#ffmpegMissing || this.#failed.has(file)) return { placeholder: PLACEHOLDER_POSTER };
    let cut = this.#cutting.get(file);
    if (cut === undefined) {
      cut = this.#cut(video, file).finally(() => this.#cutting.delete(file));
      this.#cutting.set(file, cut);
    }
    return (await cut) ? { file } : { placeholder: PLACEHOLDER_POSTER };
  }

  /** Drops the cached poster of a clip that is no longer kept. */
  async forget(taskId: string, keptAt: number): Promise<void> {
    await rm(this.#fileOf(taskId, keptAt), { force: true });
  }

  #fileOf(taskId: string, keptAt: number): string {
    // Hashed: a task id becomes a safe file name whatever characters it holds.
    const name = createHash('sha256').update(`${taskId}\n${keptAt}`).digest('hex');
    return path.join(this.#options.cacheDir, `${name}.jpg`);
  }

  async #cut(video: string, file: string): Promise<boolean> {
    await mkdir(this.#options.cacheDir, { recursive: true });
    // Written aside and renamed: a visitor never gets half a JPEG.
    const partial = `${file}.${process.pid}.partial.jpg`;
    const args = ['-nostdin', '-v', 'error', '-y', '-ss', '0', '-i', video, '-frames:v', '1'];
    try {
      await runFfmpeg(this.#options.ffmpeg ?? 'ffmpeg', [...args, partial], {
        timeoutMs: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
      await rename(partial, file);
      return true;
    } catch (error) {
      await rm(partial, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#ffmpegMissing = true;
        this.#options.logger.info('clip posters: ffmpeg is not installed; placeholders are shown');
      } else {
        this.#failed.add(file);
        this.#options.logger.warn({ err: error }, 'clip posters: ffmpeg could not cut a poster');
      }
      return false;
    }
  }
}

function runFfmpeg(program: string, args: string[], options: { timeoutMs: number }) {
  return new Promise<void>((resolve, reject) => {
    execFile(
      program,
      args,
      { timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
