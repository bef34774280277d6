/**
 * The clip library on both media stores: a folder, and S3-compatible object storage (a real
 * s3rver on loopback, which the AWS SDK talks HTTP to). Every behaviour is checked on each.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/log.ts';
import { StoredClipLibrary } from '../../src/media/clip-library.ts';
import type { FrameCutter } from '../../src/media/first-frame.ts';
import { FolderMediaStore } from '../../src/media/folder-media-store.ts';
import type { MediaStore } from '../../src/media/media-store.ts';
import { S3MediaStore } from '../../src/media/s3-media-store.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { type S3Server, startS3Server } from '../support/s3-server.ts';

let workDir: string;
let s3: S3Server;
let rigs = 0;
const opened: S3MediaStore[] = [];

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-library-'));
  s3 = await startS3Server();
});
after(async () => {
  for (const store of opened) store.close();
  await s3.stop();
  await rm(workDir, { recursive: true, force: true });
});

type StoreKind = 'folder' | 's3';

/** A fresh, empty store of the kind: its own folder, or its own prefix in the bucket. */
function newStore(kind: StoreKind): MediaStore {
  const name = `library-${++rigs}`;
  if (kind === 'folder') return new FolderMediaStore(path.join(workDir, name));
  const store = new S3MediaStore({ bucket: s3.bucket, prefix: `${name}/` }, s3.settings);
  opened.push(store);
  return store;
}

function makeLibrary(
  store: MediaStore,
  options: { clock?: ManualClock; cutPoster?: FrameCutter } = {},
) {
  const clock = options.clock ?? new ManualClock();
  const holding: [number, number][] = [];
  const library = new StoredClipLibrary({
    store,
    clock,
    logger: silentLogger,
    observer: { holding: (clips, bytes) => holding.push([clips, bytes]), swept: () => {} },
    ...(options.cutPoster ? { cutPoster: options.cutPoster } : {}),
  });
  return { library, clock, holding };
}

/** A downloaded clip of `size` bytes (a pattern, so ranges can be checked), as the tracker leaves it. */
async function downloaded(name: string, size: number): Promise<{ file: string; bytes: Buffer }> {
  const dir = path.join(workDir, 'downloads');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}-${++rigs}.mp4`);
  const bytes = Buffer.alloc(size);
  for (let at = 0; at < size; at++) bytes[at] = (at * 31 + 7) % 251;
  await writeFile(file, bytes);
  return { file, bytes };
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A poster cutter writing a small fixed "JPEG", as ffmpeg would write the first frame. */
const POSTER = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const cutsPoster: FrameCutter = async (_video, jpeg) => {
  await writeFile(jpeg, POSTER);
  return true;
};

const place = { target: 'test:1', link: 'https://chat.example/1', requesters: ['U1'] };

for (const kind of ['folder', 's3'] as const) {
  describe(`clip library on ${kind === 'folder' ? 'a folder' : 'S3-compatible storage'}`, () => {
    it('keeps the clip, its poster and its facts; the download is gone', async () => {
      const store = newStore(kind);
      const { library, clock, holding } = makeLibrary(store, { cutPoster: cutsPoster });
      const { file, bytes } = await downloaded('vgen_one', 1000);
      const kept = await library.keep(file, {
        taskId: 'vgen_one',
        model: 'veo_3_1_fast',
        prompt: 'a fox',
        clipSeconds: 8,
        places: [place],
        createdAt: clock.now() - 60_000,
        completedAt: clock.now() - 1_000,
      });
      assert.equal(kept.bytes, 1000);
      assert.equal(kept.keptAt, clock.now());
      assert.equal(kept.posterBytes, POSTER.length);
      assert.equal(existsSync(file), false, 'the download is taken');
      assert.equal(existsSync(`${file}.poster.jpg`), false, 'the cut poster is taken too');
      assert.deepEqual((await store.keys()).sort(), [
        'vgen_one.jpg',
        'vgen_one.json',
        'vgen_one.mp4',
      ]);
      assert.deepEqual(JSON.parse((await store.readText('vgen_one.json')) ?? ''), kept);
      assert.deepEqual(await library.find('vgen_one'), kept);

      const whole = await library.readVideo('vgen_one');
      assert.equal(whole?.bytes, 1000);
      assert.deepEqual(await readAll(whole?.body as Readable), bytes);
      const part = await library.readVideo('vgen_one', { start: 100, end: 199 });
      assert.equal(part?.bytes, 1000, 'the whole size, for Content-Range');
      assert.deepEqual(await readAll(part?.body as Readable), bytes.subarray(100, 200));
      const poster = await library.readPoster('vgen_one');
      assert.deepEqual(await readAll(poster?.body as Readable), POSTER);
      assert.deepEqual(holding, [
        [0, 0],
        [1, 1000],
      ]);
    });

    it('keeps a clip without a poster when none could be cut', async () => {
      const { library } = makeLibrary(newStore(kind), { cutPoster: async () => false });
      const kept = await library.keep((await downloaded('vgen_plain', 50)).file, {
        taskId: 'vgen_plain',
        places: [],
      });
      assert.equal(kept.posterBytes, undefined);
      assert.equal(await library.readPoster('vgen_plain'), undefined);
      assert.equal((await library.readVideo('vgen_plain'))?.bytes, 50);
    });

    it('answers nothing for a clip never kept, before anything is stored', async () => {
      const { library } = makeLibrary(newStore(kind));
      assert.equal(await library.find('vgen_none'), undefined);
      assert.equal(await library.readVideo('vgen_none'), undefined);
      assert.equal(await library.readPoster('vgen_none'), undefined);
      assert.deepEqual(await library.list(), []);
    });

    it('lists every clip newest first, and replaces a clip kept again', async () => {
      const { library, clock } = makeLibrary(newStore(kind));
      for (const [taskId, size] of [
        ['vgen_a', 10],
        ['vgen_b', 20],
        ['vgen_c', 30],
      ] as const) {
        await library.keep((await downloaded(taskId, size)).file, { taskId, places: [] });
        await clock.advance(1_000);
      }
      const again = await downloaded('vgen_a-again', 15);
      await library.keep(again.file, { taskId: 'vgen_a', places: [place] });
      const listed = await library.list();
      assert.deepEqual(
        listed.map((clip) => [clip.taskId, clip.bytes]),
        [
          ['vgen_a', 15],
          ['vgen_c', 30],
          ['vgen_b', 20],
        ],
      );
      assert.deepEqual(listed[0]?.places, [place]);
      assert.deepEqual(
        await readAll((await library.readVideo('vgen_a'))?.body as Readable),
        again.bytes,
      );
    });

    it('records what is learnt of a kept clip later, its bytes and retention untouched', async () => {
      const store = newStore(kind);
      const { library, clock } = makeLibrary(store, { cutPoster: cutsPoster });
      const kept = await library.keep((await downloaded('vgen_later', 30)).file, {
        taskId: 'vgen_later',
        prompt: 'a heron',
        places: [],
      });
      await clock.advance(60_000);
      const updated = await library.update({
        taskId: 'vgen_later',
        prompt: 'a heron',
        places: [place],
      });
      assert.deepEqual(updated, { ...kept, places: [place] });
      assert.deepEqual(await makeLibrary(store).library.find('vgen_later'), updated, 'written');
      assert.equal(await library.update({ taskId: 'vgen_never', places: [] }), undefined);
      assert.deepEqual((await store.keys()).sort(), [
        'vgen_later.jpg',
        'vgen_later.json',
        'vgen_later.mp4',
      ]);
    });

    it('finds every clip again after a restart, reading the store once', async () => {
      const store = newStore(kind);
      const first = makeLibrary(store, { cutPoster: cutsPoster });
      await first.library.keep((await downloaded('vgen_x', 40)).file, {
        taskId: 'vgen_x',
        places: [place],
      });
      await first.clock.advance(5_000);
      await first.library.keep((await downloaded('vgen_y', 60)).file, {
        taskId: 'vgen_y',
        places: [],
      });

      const restarted = makeLibrary(store);
      assert.deepEqual(
        (await restarted.library.list()).map((clip) => clip.taskId),
        ['vgen_y', 'vgen_x'],
      );
      assert.deepEqual(await restarted.library.find('vgen_x'), await first.library.find('vgen_x'));
      assert.equal((await restarted.library.readPoster('vgen_x'))?.bytes, POSTER.length);
      assert.deepEqual(restarted.holding, [[2, 100]], 'the gauges are right from the start');
    });

    it('skips facts it cannot read; removes bytes a crash left without facts, and nothing else', async () => {
      const store = newStore(kind);
      const { library: before } = makeLibrary(store);
      await before.keep((await downloaded('vgen_good', 5)).file, {
        taskId: 'vgen_good',
        places: [],
      });
      await store.putText('vgen_torn.json', '{"taskId": "vgen_torn", "by', 'application/json');
      await store.putFile('vgen_torn.mp4', (await downloaded('torn', 5)).file, 'video/mp4');
      await store.putText('vgen_odd.json', '{"taskId": "vgen_odd"}', 'application/json');
      // A keep cut off before its facts, and a folder copy cut off half-way.
      await store.putFile('vgen_cut.mp4', (await downloaded('cut', 5)).file, 'video/mp4');
      await store.putText('vgen_cut.jpg', 'jpeg', 'image/jpeg');
      await store.putText('vgen_half.mp4.partial', 'half', 'video/mp4');
      await store.putText('README.txt', 'not ours', 'text/plain');

      const { library } = makeLibrary(store);
      assert.deepEqual(
        (await library.list()).map((clip) => clip.taskId),
        ['vgen_good'],
      );
      assert.equal(await library.find('vgen_torn'), undefined);
      assert.deepEqual((await store.keys()).sort(), [
        'README.txt',
        'vgen_good.json',
        'vgen_good.mp4',
        'vgen_odd.json',
        'vgen_torn.json',
        'vgen_torn.mp4',
      ]);
    });

    it('keeps nothing under a name that is not a task id', async () => {
      const store = newStore(kind);
      const { library } = makeLibrary(store);
      const { file } = await downloaded('escape', 5);
      await assert.rejects(
        library.keep(file, { taskId: '../escape', places: [] }),
        /not a task id/,
      );
      assert.equal(existsSync(file), true, 'a refused clip stays where it was');
      assert.deepEqual(await store.keys(), []);
      for (const id of ['../escape', '..', 'a/b', '', 'x.mp4']) {
        assert.equal(await library.find(id), undefined, id);
        assert.equal(await library.readVideo(id), undefined, id);
      }
    });

    it('removes a clip, its poster and its facts', async () => {
      const store = newStore(kind);
      const { library } = makeLibrary(store, { cutPoster: cutsPoster });
      await library.keep((await downloaded('vgen_gone', 5)).file, {
        taskId: 'vgen_gone',
        places: [],
      });
      await library.remove('vgen_gone');
      assert.deepEqual(await store.keys(), []);
      assert.equal(await library.find('vgen_gone'), undefined);
      assert.equal(await library.readVideo('vgen_gone'), undefined);
      assert.deepEqual(await makeLibrary(store).library.list(), [], 'gone after a restart too');
    });
  });
}

describe('clip library on S3-compatible storage', () => {
  it('uploads a clip larger than one part in parts, and reads any range of it back', async () => {
    const store = newStore('s3');
    const { library } = makeLibrary(store);
    const size = 9 * 1024 * 1024 + 123; // two parts: 5 MiB and the rest
    const { file, bytes } = await downloaded('vgen_big', size);
    await library.keep(file, { taskId: 'vgen_big', places: [] });
    const whole = await library.readVideo('vgen_big');
    assert.equal(
      createHash('sha256')
        .update(await readAll(whole?.body as Readable))
        .digest('hex'),
      createHash('sha256').update(bytes).digest('hex'),
    );
    const tail = await library.readVideo('vgen_big', { start: size - 10, end: size - 1 });
    assert.deepEqual(await readAll(tail?.body as Readable), bytes.subarray(size - 10));
  });

  it('lists only its own prefix, not the level below it or another prefix', async () => {
    const settings = s3.settings;
    const mine = new S3MediaStore({ bucket: s3.bucket, prefix: 'team/' }, settings);
    const below = new S3MediaStore({ bucket: s3.bucket, prefix: 'team/archive/' }, settings);
    const other = new S3MediaStore({ bucket: s3.bucket, prefix: 'teamwork/' }, settings);
    opened.push(mine, below, other);
    await mine.putText('vgen_1.json', '{}', 'application/json');
    await below.putText('vgen_2.json', '{}', 'application/json');
    await other.putText('vgen_3.json', '{}', 'application/json');
    assert.deepEqual(await mine.keys(), ['vgen_1.json']);
  });

  it('fails a keep when the bucket is not there, and leaves the download for the caller', async () => {
    const missing = new S3MediaStore({ bucket: 'no-such-bucket', prefix: '' }, s3.settings);
    opened.push(missing);
    const { library } = makeLibrary(missing);
    const { file } = await downloaded('vgen_lost', 5);
    await assert.rejects(library.keep(file, { taskId: 'vgen_lost', places: [] }));
    assert.equal(existsSync(file), true);
  });
});
