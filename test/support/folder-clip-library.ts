/**
 * The bot's own clip library (`LocalClipLibrary`) in a temporary folder, for tests of what
 * reads the library (the share pages, the gallery, the routes). The real library moves the
 * file it keeps, so a copy of the given file goes in: tests keep the shared fixture.
 * `forget` plays the sweep.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { LocalClipLibrary } from '../../src/media/local-clip-library.ts';
import type { KeptClip } from '../../src/watch/kept-clip.ts';

export const TINY_MP4 = path.join(import.meta.dirname, '../fixtures/tiny.mp4');

export class FolderClipLibrary extends LocalClipLibrary {
  readonly folder: string;

  private constructor(folder: string, now: () => number) {
    super({ dir: folder, clock: { ...systemClock, now }, logger: silentLogger });
    this.folder = folder;
  }

  /** `now` stamps each clip's `keptAt`. */
  static async create(now: () => number = Date.now): Promise<FolderClipLibrary> {
    return new FolderClipLibrary(await mkdtemp(path.join(tmpdir(), 'clip-library-')), now);
  }

  override async keep(file: string, clip: Omit<KeptClip, 'bytes' | 'keptAt'>): Promise<KeptClip> {
    const copy = path.join(this.folder, `incoming-${clip.taskId}.part`);
    await copyFile(file, copy);
    return super.keep(copy, clip);
  }

  /** What the retention sweep does: the clip and its facts are gone. */
  async forget(taskId: string): Promise<void> {
    await this.remove(taskId);
  }

  async close(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}
