/**
 * The media store in a folder on this machine (`DATA_DIR/library` unless told): one file a
 * key. A file is written under a `.partial` name and renamed into place, so a crash never
 * leaves half of one under its key; leftovers of a crash are removed by the library's first
 * look (they are keys it does not know).
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ByteRange, StoredBytes } from '../watch/kept-clip.ts';
import type { MediaStore } from './media-store.ts';

/** The keys a folder takes: one plain file name, nothing that climbs out of the folder. */
const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,250}$/;

export class FolderMediaStore implements MediaStore {
  readonly dir: string;
  readonly description: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    this.description = `folder ${this.dir}`;
  }

  async putFile(key: string, file: string): Promise<void> {
    const target = this.#pathOf(key);
    await mkdir(this.dir, { recursive: true });
    try {
      await rename(file, target);
    } catch (error) {
      // Another device: copied in under a name nobody reads, then renamed.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const partial = `${target}.partial`;
      await copyFile(file, partial);
      await rename(partial, target);
      await rm(file, { force: true });
    }
  }

  async putText(key: string, text: string): Promise<void> {
    const target = this.#pathOf(key);
    await mkdir(this.dir, { recursive: true });
    const partial = `${target}.partial`;
    await writeFile(partial, text);
    await rename(partial, target);
  }

  async read(key: string, range?: ByteRange): Promise<StoredBytes | undefined> {
    const file = this.#pathOf(key);
    let bytes: number;
    try {
      bytes = (await stat(file)).size;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    // Opened before returning: a file swept meanwhile is "not there", not a broken stream.
    const body = createReadStream(file, range ?? {});
    try {
      await new Promise<void>((resolve, reject) => {
        body.once('open', () => resolve());
        body.once('error', reject);
      });
    } catch (error) {
      body.destroy();
      if (isMissing(error)) return undefined;
      throw error;
    }
    return { body, bytes };
  }

  async readText(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.#pathOf(key), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true });
  }

  async keys(): Promise<string[]> {
    try {
      const entries = await readdir(this.dir, { withFileTypes: true });
      return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  #pathOf(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`"${key}" is not a media key.`);
    return path.join(this.dir, key);
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
