import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/log.ts';
import { LocalClipLibrary } from '../../src/media/local-clip-library.ts';
import { ManualClock } from '../support/manual-clock.ts';

let workDir: string;
let libraries = 0;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-library-'));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function makeLibrary(clock = new ManualClock()) {
  const dir = path.join(workDir, `library-${++libraries}`);
  const holding: [number, number][] = [];
  const library = new LocalClipLibrary({
    dir,
    clock,
    logger: silentLogger,
    observer: { holding: (clips, bytes) => holding.push([clips, bytes]), swept: () => {} },
  });
  return { library, dir, clock, holding };
}

/** A downloaded clip of `size` bytes, as the tracker leaves it in its downloads folder. */
async function downloaded(name: string, size: number): Promise<string> {
  const dir = path.join(workDir, 'downloads');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}-${libraries}.mp4`);
  await writeFile(file, Buffer.alloc(size, 7));
  return file;
}

const place = { target: 'test:1', link: 'https://chat.example/1', requesters: ['U1'] };

describe('LocalClipLibrary', () => {
  it('moves the clip in and keeps its facts beside it', async () => {
    const { library, dir, clock, holding } = makeLibrary();
    const file = await downloaded('vgen_one', 1000);
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
    assert.equal(existsSync(file), false, 'the download is moved, not copied');
    assert.deepEqual((await readdir(dir)).sort(), ['vgen_one.json', 'vgen_one.mp4']);
    const sidecar = JSON.parse(await readFile(path.join(dir, 'vgen_one.json'), 'utf8'));
    assert.deepEqual(sidecar, kept);
    assert.deepEqual(await library.find('vgen_one'), kept);
    assert.deepEqual(await library.videoFile('vgen_one'), {
      path: path.join(dir, 'vgen_one.mp4'),
      bytes: 1000,
    });
    assert.deepEqual(holding, [[1, 1000]]);
  });

  it('answers nothing for a clip never kept, before the folder even exists', async () => {
    const { library } = makeLibrary();
    assert.equal(await library.find('vgen_none'), undefined);
    assert.equal(await library.videoFile('vgen_none'), undefined);
    assert.deepEqual(await library.list(), []);
  });

  it('lists every clip newest first, and replaces a clip kept again', async () => {
    const { library, clock } = makeLibrary();
    for (const [taskId, size] of [
      ['vgen_a', 10],
      ['vgen_b', 20],
      ['vgen_c', 30],
    ] as const) {
      await library.keep(await downloaded(taskId, size), { taskId, places: [] });
      await clock.advance(1_000);
    }
    await library.keep(await downloaded('vgen_a-again', 15), { taskId: 'vgen_a', places: [place] });
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
    assert.equal((await library.videoFile('vgen_a'))?.bytes, 15);
  });

  it('skips a sidecar it cannot read, and one of the wrong shape', async () => {
    const { library, dir } = makeLibrary();
    await library.keep(await downloaded('vgen_good', 5), { taskId: 'vgen_good', places: [] });
    await writeFile(path.join(dir, 'vgen_torn.json'), '{"taskId": "vgen_torn", "by');
    await writeFile(path.join(dir, 'vgen_odd.json'), '{"taskId": "vgen_odd"}');
    await writeFile(path.join(dir, 'vgen_half.json.tmp'), '{');
    assert.deepEqual(
      (await library.list()).map((clip) => clip.taskId),
      ['vgen_good'],
    );
    assert.equal(await library.find('vgen_torn'), undefined);
  });

  it('keeps nothing outside its folder, whatever the task id says', async () => {
    const { library, dir } = makeLibrary();
    const file = await downloaded('escape', 5);
    await assert.rejects(library.keep(file, { taskId: '../escape', places: [] }), /not a task id/);
    assert.equal(existsSync(file), true, 'a refused clip stays where it was');
    assert.equal(existsSync(dir), false);
    for (const id of ['../escape', '..', 'a/b', '', 'x.mp4']) {
      assert.equal(await library.find(id), undefined, id);
      assert.equal(await library.videoFile(id), undefined, id);
    }
  });

  it('removes a clip and its facts', async () => {
    const { library, dir } = makeLibrary();
    await library.keep(await downloaded('vgen_gone', 5), { taskId: 'vgen_gone', places: [] });
    await library.remove('vgen_gone');
    assert.deepEqual(await readdir(dir), []);
    assert.equal(await library.find('vgen_gone'), undefined);
  });
});
