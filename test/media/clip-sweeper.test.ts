import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLogger, silentLogger } from '../../src/log.ts';
import { StoredClipLibrary } from '../../src/media/clip-library.ts';
import {
  ClipSweeper,
  type ClipSweeperOptions,
  SWEEP_INTERVAL_MS,
} from '../../src/media/clip-sweeper.ts';
import { FolderMediaStore } from '../../src/media/folder-media-store.ts';
import { createMetrics } from '../../src/metrics/registry.ts';
import { jsonLines } from '../support/log-lines.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { sampleValue } from '../support/metric-sample.ts';
import { waitFor } from '../support/wait-for.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
let workDir: string;
let rigs = 0;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-sweep-'));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** A library on a temp folder, a sweeper over it, its log lines and its metrics. */
function makeRig(limits: Pick<ClipSweeperOptions, 'retentionMs' | 'maxBytes'>) {
  const clock = new ManualClock();
  const dir = path.join(workDir, `rig-${++rigs}`);
  let log = '';
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        done();
      },
    }),
  );
  const metrics = createMetrics({ activeWatches: () => 0, processMetrics: false });
  const library = new StoredClipLibrary({
    store: new FolderMediaStore(dir),
    clock,
    logger: silentLogger,
    observer: metrics.observer,
  });
  const sweeper = new ClipSweeper({
    library,
    ...limits,
    clock,
    logger,
    observer: metrics.observer,
  });
  return {
    clock,
    library,
    sweeper,
    sweptLines: () => jsonLines(log).filter((line) => line.msg === 'clip library swept'),
    sample: async (name: string) => sampleValue(await metrics.registry.metrics(), name),
    /** Keeps a clip of `size` bytes now. */
    async keep(taskId: string, size: number) {
      const downloads = path.join(workDir, `downloads-${rigs}`);
      await mkdir(downloads, { recursive: true });
      const file = path.join(downloads, `${taskId}.mp4`);
      await writeFile(file, Buffer.alloc(size));
      await library.keep(file, { taskId, places: [] });
    },
    async kept() {
      return (await library.list()).map((clip) => clip.taskId);
    },
  };
}

describe('ClipSweeper', () => {
  it('removes clips kept past their retention, and nothing younger', async () => {
    const rig = makeRig({ retentionMs: 30 * DAY_MS });
    await rig.keep('vgen_old', 100);
    await rig.clock.advance(10 * DAY_MS);
    await rig.keep('vgen_young', 200);
    await rig.clock.advance(20 * DAY_MS);

    const outcome = await rig.sweeper.sweep();
    assert.deepEqual(outcome, { removedClips: 1, removedBytes: 100, keptClips: 1, keptBytes: 200 });
    assert.deepEqual(await rig.kept(), ['vgen_young']);
    assert.equal(await rig.library.readVideo('vgen_old'), undefined);
    assert.deepEqual(
      rig.sweptLines().map(({ clips, bytes }) => ({ clips, bytes })),
      [{ clips: 1, bytes: 100 }],
    );
    assert.equal(await rig.sample('sora_bot_clips_swept_total'), 1);
    assert.equal(await rig.sample('sora_bot_clips_kept'), 1);
    assert.equal(await rig.sample('sora_bot_clip_bytes_kept'), 200);

    await rig.sweeper.sweep();
    assert.equal(rig.sweptLines().length, 1, 'a sweep that removes nothing says nothing');
  });

  it('removes the oldest clips until the library fits its size cap', async () => {
    const rig = makeRig({ retentionMs: 30 * DAY_MS, maxBytes: 500 });
    for (const taskId of ['vgen_1', 'vgen_2', 'vgen_3', 'vgen_4']) {
      await rig.keep(taskId, 200);
      await rig.clock.advance(60_000);
    }
    assert.equal(await rig.sample('sora_bot_clip_bytes_kept'), 800);

    const outcome = await rig.sweeper.sweep();
    assert.deepEqual(outcome, { removedClips: 2, removedBytes: 400, keptClips: 2, keptBytes: 400 });
    assert.deepEqual(await rig.kept(), ['vgen_4', 'vgen_3']);
    assert.equal(await rig.sample('sora_bot_clips_swept_total'), 2);
    assert.equal(await rig.sample('sora_bot_clip_bytes_kept'), 400);
  });

  it('sweeps at start and every hour until stopped', async () => {
    const rig = makeRig({ retentionMs: 90 * 60_000 });
    await rig.keep('vgen_a', 10);
    const stop = new AbortController();
    const running = rig.sweeper.run(stop.signal);
    // Each sweep ends by asking for the hour's sleep: its work is then done.
    const sweptTimes = (n: number) => waitFor(() => rig.clock.sleeps.length === n, `sweep ${n}`);
    await sweptTimes(1);
    assert.deepEqual(await rig.kept(), ['vgen_a'], 'young at the first sweep');
    assert.deepEqual(rig.clock.sleeps, [SWEEP_INTERVAL_MS]);

    await rig.clock.advance(SWEEP_INTERVAL_MS);
    await sweptTimes(2);
    assert.deepEqual(await rig.kept(), ['vgen_a'], 'an hour old: still kept');
    await rig.clock.advance(SWEEP_INTERVAL_MS);
    await sweptTimes(3);
    assert.deepEqual(await rig.kept(), [], 'two hours old: swept');
    assert.equal(rig.sweptLines().length, 1);

    stop.abort();
    await running;
    assert.equal(rig.clock.pending, 0, 'no sleep left behind');
  });
});
