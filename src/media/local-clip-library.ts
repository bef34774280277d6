/**
 * The clip library in a local folder: each clip is `<dir>/<task id>.mp4` beside
 * `<task id>.json`, the facts the share pages read. The facts are written to a temporary name
 * and renamed, so a crash never leaves half a sidecar; the clip is moved in with a rename
 * (copied, then the original removed, when the two folders are on different devices).
 */
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { ClipLibrary, KeptClip } from '../watch/kept-clip.ts';

/** Told how much the library holds, for monitoring; calls must not throw. */
export interface ClipLibraryObserver {
  /** The library now holds `clips` clips of `bytes` in all. */
  holding(clips: number, bytes: number): void;
  /** A sweep removed `clips` clips of `bytes` in all. */
  swept(clips: number, bytes: number): void;
}

export interface LocalClipLibraryOptions {
  /** The folder the clips live in; made when the first clip comes. */
  dir: string;
  clock: Clock;
  logger: Logger;
  observer?: ClipLibraryObserver;
}

/** The task ids `parseTaskId` lets through; anything else could climb out of the folder. */
const TASK_ID = /^[A-Za-z0-9_-]{1,200}$/;

export class LocalClipLibrary implements ClipLibrary {
  readonly dir: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #observer: ClipLibraryObserver | undefined;

  constructor(options: LocalClipLibraryOptions) {
    this.dir = path.resolve(options.dir);
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#observer = options.observer;
  }

  async keep(file: string, clip: Omit<KeptClip, 'bytes' | 'keptAt'>): Promise<KeptClip> {
    const paths = this.#pathsOf(clip.taskId);
    if (paths === undefined) throw new Error(`"${clip.taskId}" is not a task id.`);
    await mkdir(this.dir, { recursive: true });
    const { size } = await stat(file);
    const kept: KeptClip = { ...clip, bytes: size, keptAt: this.#clock.now() };
    // The clip first: a sidecar never points at a clip that is not there yet.
    await moveFile(file, paths.video);
    const temporary = `${paths.facts}.tmp`;
    await writeFile(temporary, `${JSON.stringify(kept, null, 2)}\n`);
    await rename(temporary, paths.facts);
    await this.#reportHolding();
    return kept;
  }

  async find(taskId: string): Promise<KeptClip | undefined> {
    const paths = this.#pathsOf(taskId);
    return paths === undefined ? undefined : this.#readFacts(paths.facts);
  }

  async videoFile(taskId: string): Promise<{ path: string; bytes: number } | undefined> {
    const paths = this.#pathsOf(taskId);
    if (paths === undefined) return undefined;
    try {
      const { size } = await stat(paths.video);
      return { path: paths.video, bytes: size };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async list(): Promise<KeptClip[]> {
    const names = await this.#names();
    const clips: KeptClip[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const clip = await this.#readFacts(path.join(this.dir, name));
      if (clip !== undefined) clips.push(clip);
    }
    return clips.sort((a, b) => b.keptAt - a.keptAt);
  }

  /**
   * Removes a kept clip. The video goes first: a crash in between leaves a sidecar the next
   * sweep finds and removes again, never a video nobody lists.
   */
  async remove(taskId: string): Promise<void> {
    const paths = this.#pathsOf(taskId);
    if (paths === undefined) return;
    await rm(paths.video, { force: true });
    await rm(paths.facts, { force: true });
  }

  /** Where a task's clip and facts live, or undefined for an id that is not a task id. */
  #pathsOf(taskId: string): { video: string; facts: string } | undefined {
    if (!TASK_ID.test(taskId)) return undefined;
    const video = path.join(this.dir, `${taskId}.mp4`);
    const facts = path.join(this.dir, `${taskId}.json`);
    // Belt and braces: both must sit directly in the library's folder.
    if (path.dirname(video) !== this.dir || path.dirname(facts) !== this.dir) return undefined;
    return { video, facts };
  }

  /** The facts in one sidecar, or undefined when it is gone or cannot be read. */
  async #readFacts(file: string): Promise<KeptClip | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      this.#logger.warn({ file, err: error }, 'clip facts could not be read; skipped');
      return undefined;
    }
    try {
      const facts: unknown = JSON.parse(text);
      if (isKeptClip(facts)) return facts;
    } catch {
      // Reported below, like a sidecar of the wrong shape.
    }
    this.#logger.warn({ file }, 'clip facts are not readable; skipped');
    return undefined;
  }

  async #names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Tells the observer the library's size, from the videos on disk (no sidecar is parsed). */
  async #reportHolding(): Promise<void> {
    if (this.#observer === undefined) return;
    let clips = 0;
    let bytes = 0;
    for (const name of (await this.#names()).filter((n) => n.endsWith('.mp4'))) {
      try {
        bytes += (await stat(path.join(this.dir, name))).size;
        clips += 1;
      } catch {
        // Removed meanwhile (a sweep): not held any more.
      }
    }
    this.#observer.holding(clips, bytes);
  }
}

/** Moves a file by renaming it; across devices, copies it in under a temporary name. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const temporary = `${to}.part`;
    await copyFile(from, temporary);
    await rename(temporary, to);
    await rm(from, { force: true });
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Enough of a `KeptClip` for the library and the share pages to rely on. */
function isKeptClip(value: unknown): value is KeptClip {
  if (typeof value !== 'object' || value === null) return false;
  const clip = value as Partial<KeptClip>;
  return (
    typeof clip.taskId === 'string' &&
    TASK_ID.test(clip.taskId) &&
    typeof clip.bytes === 'number' &&
    typeof clip.keptAt === 'number' &&
    Array.isArray(clip.places)
  );
}
