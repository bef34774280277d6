/**
 * A small real ClipLibrary for tests of what reads the library: files in a temp folder, facts
 * in a map. `forget` plays the sweep. Not the bot's own implementation (that lives in media/).
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClipLibrary, KeptClip } from '../../src/watch/kept-clip.ts';

export const TINY_MP4 = path.join(import.meta.dirname, '../fixtures/tiny.mp4');

export class FolderClipLibrary implements ClipLibrary {
  readonly folder: string;
  readonly #clips = new Map<string, KeptClip>();
  #now: () => number;

  private constructor(folder: string, now: () => number) {
    this.folder = folder;
    this.#now = now;
  }

  static async create(now: () => number = Date.now): Promise<FolderClipLibrary> {
    return new FolderClipLibrary(await mkdtemp(path.join(tmpdir(), 'clip-library-')), now);
  }

  #fileOf(taskId: string): string {
    return path.join(this.folder, `${encodeURIComponent(taskId)}.mp4`);
  }

  /** Copies (the fixture is shared); the port says the caller is done with `file`. */
  async keep(file: string, clip: Omit<KeptClip, 'bytes' | 'keptAt'>): Promise<KeptClip> {
    const target = this.#fileOf(clip.taskId);
    await copyFile(file, target);
    const kept: KeptClip = { ...clip, bytes: (await stat(target)).size, keptAt: this.#now() };
    this.#clips.set(clip.taskId, kept);
    return kept;
  }

  async find(taskId: string): Promise<KeptClip | undefined> {
    return this.#clips.get(taskId);
  }

  async videoFile(taskId: string): Promise<{ path: string; bytes: number } | undefined> {
    const clip = this.#clips.get(taskId);
    return clip === undefined ? undefined : { path: this.#fileOf(taskId), bytes: clip.bytes };
  }

  async list(): Promise<KeptClip[]> {
    return [...this.#clips.values()].sort((a, b) => b.keptAt - a.keptAt);
  }

  /** What the retention sweep does: the clip and its facts are gone. */
  async forget(taskId: string): Promise<void> {
    this.#clips.delete(taskId);
    await rm(this.#fileOf(taskId), { force: true });
  }

  async close(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}
