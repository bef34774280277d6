/**
 * The clip library on a media store (a folder, or S3-compatible object storage): each clip is
 * `<task id>.mp4`, its poster `<task id>.jpg` and its facts `<task id>.json`. The facts go last:
 * a clip counts as kept once they are there, so a crash mid-way leaves bytes nobody lists,
 * which the first look after the restart removes.
 *
 * The facts of every clip are read once, at the first look, and kept in memory: listing the
 * library (`/sora-clips`, a gallery) then costs no reads of the store. This process is the
 * library's only writer, so what it holds stays true.
 */
import { rm, stat } from 'node:fs/promises';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type {
  ByteRange,
  ClipFacts,
  ClipLibrary,
  KeptClip,
  StoredBytes,
} from '../watch/kept-clip.ts';
import type { FrameCutter } from './first-frame.ts';
import type { MediaStore } from './media-store.ts';

/** Told how much the library holds, for monitoring; calls must not throw. */
export interface ClipLibraryObserver {
  /** The library now holds `clips` clips of `bytes` in all. */
  holding(clips: number, bytes: number): void;
  /** A sweep removed `clips` clips of `bytes` in all. */
  swept(clips: number, bytes: number): void;
}

export interface ClipLibraryOptions {
  store: MediaStore;
  clock: Clock;
  logger: Logger;
  observer?: ClipLibraryObserver;
  /** Cuts each clip's poster before it is stored; without it, clips have no poster. */
  cutPoster?: FrameCutter;
}

/** The task ids `parseTaskId` lets through; anything else could not be a key. */
const TASK_ID = /^[A-Za-z0-9_-]{1,200}$/;
/** A key of the library's own: a clip, a poster or facts, or one of those half-written. */
const OWN_KEY = /^([A-Za-z0-9_-]{1,200})\.(mp4|jpg|json)(\.partial)?$/;
/** How many facts files are read at once at the first look (each a request to object storage). */
const READS_AT_ONCE = 8;

export class StoredClipLibrary implements ClipLibrary {
  readonly #options: ClipLibraryOptions;
  #facts: Promise<Map<string, KeptClip>> | undefined;

  constructor(options: ClipLibraryOptions) {
    this.#options = options;
  }

  get description(): string {
    return this.#options.store.description;
  }

  async keep(file: string, clip: ClipFacts): Promise<KeptClip> {
    if (!TASK_ID.test(clip.taskId)) throw new Error(`"${clip.taskId}" is not a task id.`);
    const { store, clock } = this.#options;
    const facts = await this.#loaded();
    const { size } = await stat(file);
    const kept: KeptClip = { ...clip, bytes: size, keptAt: clock.now() };
    const poster = `${file}.poster.jpg`;
    try {
      const posterBytes = await this.#cutPoster(file, poster);
      await store.putFile(`${clip.taskId}.mp4`, file, 'video/mp4');
      if (posterBytes !== undefined && (await this.#storePoster(clip.taskId, poster))) {
        kept.posterBytes = posterBytes;
      }
    } finally {
      await rm(poster, { force: true });
    }
    await this.#writeFacts(kept);
    facts.set(clip.taskId, kept);
    this.#reportHolding(facts);
    return kept;
  }

  async update(clip: ClipFacts): Promise<KeptClip | undefined> {
    const facts = await this.#loaded();
    const current = facts.get(clip.taskId);
    if (current === undefined) return undefined;
    const { bytes, keptAt, posterBytes } = current;
    const kept: KeptClip = {
      ...clip,
      bytes,
      keptAt,
      ...(posterBytes !== undefined ? { posterBytes } : {}),
    };
    await this.#writeFacts(kept);
    facts.set(clip.taskId, kept);
    return kept;
  }

  async find(taskId: string): Promise<KeptClip | undefined> {
    return (await this.#loaded()).get(taskId);
  }

  async list(): Promise<KeptClip[]> {
    return [...(await this.#loaded()).values()].sort((a, b) => b.keptAt - a.keptAt);
  }

  async readVideo(taskId: string, range?: ByteRange): Promise<StoredBytes | undefined> {
    if (!(await this.#loaded()).has(taskId)) return undefined;
    return this.#options.store.read(`${taskId}.mp4`, range);
  }

  async readPoster(taskId: string, range?: ByteRange): Promise<StoredBytes | undefined> {
    if ((await this.#loaded()).get(taskId)?.posterBytes === undefined) return undefined;
    return this.#options.store.read(`${taskId}.jpg`, range);
  }

  /**
   * Removes a kept clip. Its facts go last: a crash in between leaves a listed clip the next
   * sweep removes again, never bytes nobody lists.
   */
  async remove(taskId: string): Promise<void> {
    if (!TASK_ID.test(taskId)) return;
    const { store } = this.#options;
    const facts = await this.#loaded();
    await store.remove(`${taskId}.mp4`);
    await store.remove(`${taskId}.jpg`);
    await store.remove(`${taskId}.json`);
    facts.delete(taskId);
  }

  /** Every clip's facts, read at the first call (again after a failed first look). */
  #loaded(): Promise<Map<string, KeptClip>> {
    if (this.#facts === undefined) {
      this.#facts = this.#load();
      this.#facts.catch(() => {
        this.#facts = undefined;
      });
    }
    return this.#facts;
  }

  async #load(): Promise<Map<string, KeptClip>> {
    const { store, logger } = this.#options;
    const keys = await store.keys();
    const factsKeys = keys.filter((key) => OWN_KEY.exec(key)?.[2] === 'json' && !isPartial(key));
    const facts = new Map<string, KeptClip>();
    for (let at = 0; at < factsKeys.length; at += READS_AT_ONCE) {
      const batch = factsKeys.slice(at, at + READS_AT_ONCE);
      for (const clip of await Promise.all(batch.map((key) => this.#readFacts(key)))) {
        if (clip !== undefined) facts.set(clip.taskId, clip);
      }
    }
    // Bytes without facts: a keep or a removal a crash cut short. Unreadable facts keep theirs.
    const withFacts = new Set(factsKeys.map((key) => key.slice(0, -'.json'.length)));
    const leftovers = keys.filter((key) => {
      const own = OWN_KEY.exec(key);
      return own !== null && (isPartial(key) || !withFacts.has(own[1] as string));
    });
    for (const key of leftovers) await store.remove(key);
    if (leftovers.length > 0)
      logger.info({ keys: leftovers.length }, 'clip library: leftovers removed');
    logger.info({ clips: facts.size, store: store.description }, 'clip library opened');
    this.#reportHolding(facts);
    return facts;
  }

  async #readFacts(key: string): Promise<KeptClip | undefined> {
    const { store, logger } = this.#options;
    let text: string | undefined;
    try {
      text = await store.readText(key);
    } catch (error) {
      logger.warn({ key, err: error }, 'clip facts could not be read; skipped');
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      const facts: unknown = JSON.parse(text);
      if (isKeptClip(facts) && `${facts.taskId}.json` === key) return facts;
    } catch {
      // Reported below, like facts of the wrong shape.
    }
    logger.warn({ key }, 'clip facts are not readable; skipped');
    return undefined;
  }

  async #writeFacts(kept: KeptClip): Promise<void> {
    const text = `${JSON.stringify(kept, null, 2)}\n`;
    await this.#options.store.putText(`${kept.taskId}.json`, text, JSON_TYPE);
  }

  /** The poster's size once cut beside the clip; undefined when none could be made. */
  async #cutPoster(video: string, poster: string): Promise<number | undefined> {
    const cut = this.#options.cutPoster;
    if (cut === undefined || !(await cut(video, poster))) return undefined;
    return (await stat(poster)).size;
  }

  /** A poster that cannot be stored leaves the clip without one; the clip is kept all the same. */
  async #storePoster(taskId: string, poster: string): Promise<boolean> {
    try {
      await this.#options.store.putFile(`${taskId}.jpg`, poster, 'image/jpeg');
      return true;
    } catch (error) {
      this.#options.logger.warn({ taskId, err: error }, 'clip poster could not be stored');
      return false;
    }
  }

  #reportHolding(facts: Map<string, KeptClip>): void {
    let bytes = 0;
    for (const clip of facts.values()) bytes += clip.bytes;
    this.#options.observer?.holding(facts.size, bytes);
  }
}

const JSON_TYPE = 'application/json';

function isPartial(key: string): boolean {
  return key.endsWith('.partial');
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
