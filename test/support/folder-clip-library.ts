/**
 * The bot's own clip library (`StoredClipLibrary` on a `FolderMediaStore`) in a temporary
 * folder, for tests of what reads the library (the share pages, the gallery, the routes). The
 * real library takes the file it keeps, so a copy of the given file goes in: tests keep the
 * shared fixture. `forget` plays the sweep.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { StoredClipLibrary } from '../../src/media/clip-library.ts';
import type { FrameCutter } from '../../src/media/first-frame.ts';
import { FolderMediaStore } from '../../src/media/folder-media-store.ts';
import type { ClipFacts, KeptClip } from '../../src/watch/kept-clip.ts';

export const TINY_MP4 = path.join(import.meta.dirname, '../fixtures/tiny.mp4');

export class FolderClipLibrary extends StoredClipLibrary {
  readonly folder: string;

  private constructor(folder: string, now: () => number, cutPoster: FrameCutter | undefined) {
    super({
      store: new FolderMediaStore(path.join(folder, 'library')),
      clock: { ...systemClock, now },
      logger: silentLogger,
      ...(cutPoster !== undefined ? { cutPoster } : {}),
    });
    this.folder = folder;
  }

  /** `now` stamps each clip's `keptAt`; `cutPoster` makes the posters (none without it). */
  static async create(
    now: () => number = Date.now,
    cutPoster?: FrameCutter,
  ): Promise<FolderClipLibrary> {
    const folder = await mkdtemp(path.join(tmpdir(), 'clip-library-'));
    return new FolderClipLibrary(folder, now, cutPoster);
  }

  override async keep(file: string, clip: ClipFacts): Promise<KeptClip> {
    const copy = path.join(this.folder, `incoming-${clip.taskId}.mp4`);
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
