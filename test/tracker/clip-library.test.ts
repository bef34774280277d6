/**
 * The hand-over of a finished clip to the clip library, after its last delivery: a real
 * tracker on the fake Sora API and video CDN, delivering to two places, and a real
 * StoredClipLibrary on a temp folder, or on S3-compatible storage (s3rver on loopback).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import type { FinishedVideo } from '../../src/chat/port.ts';
import { silentLogger } from '../../src/log.ts';
import { StoredClipLibrary } from '../../src/media/clip-library.ts';
import { FolderMediaStore } from '../../src/media/folder-media-store.ts';
import type { MediaStore } from '../../src/media/media-store.ts';
import { S3MediaStore } from '../../src/media/s3-media-store.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import type { ClipLibrary } from '../../src/watch/kept-clip.ts';
import type { Subscription } from '../../src/watch/watch.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { RecordingAdapter, resultLinkIn } from '../support/recording-adapter.ts';
import { type S3Server, startS3Server } from '../support/s3-server.ts';
import { createTestTracker } from '../support/test-tracker.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'clip-library-test-key';
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let apiClock = new ManualClock();
let workDir: string;
let s3: S3Server;
let rigs = 0;

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({
    apiKey: API_KEY,
    videoBaseUrl: cdn.baseUrl,
    now: () => apiClock.now(),
  });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-handover-'));
  s3 = await startS3Server();
});
after(async () => {
  await Promise.all([
    api.close(),
    cdn.close(),
    s3.stop(),
    rm(workDir, { recursive: true, force: true }),
  ]);
});

/** A place that looks into the clip library each time a clip is posted in it. */
class LibraryCheckingAdapter extends RecordingAdapter {
  library: ClipLibrary | undefined;
  readonly keptWhenPosted: boolean[] = [];

  override async deliverVideo(sub: Subscription, video: FinishedVideo): Promise<string> {
    // A library that cannot be read has not kept it either.
    const kept = await this.library?.find(video.task.id).catch(() => undefined);
    this.keptWhenPosted.push(kept !== undefined);
    return super.deliverVideo(sub, video);
  }
}

/** A tracker with a library on `media`, starting to watch `taskId` from two places. */
async function startWatchingFromTwoPlaces(taskId: string, media: MediaStore) {
  const clock = new ManualClock();
  apiClock = clock;
  const adapter = new LibraryCheckingAdapter('test', () => clock.now());
  const downloadsDir = path.join(workDir, `downloads-${++rigs}`);
  const library = new StoredClipLibrary({
    store: media,
    clock,
    logger: silentLogger,
  });
  adapter.library = library;
  const store = new MemoryWatchStore();
  const rig = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    adapters: [adapter],
    library,
    options: { downloadsDir },
  });
  api.addTask({
    id: taskId,
    model: 'veo_3_1_fast',
    queuedMs: 5_000,
    processingMs: 30_000,
    actualDuration: 8,
  });
  await rig.tracker.start();
  await rig.tracker.watch(taskId, { target: 'test:a', requester: 'U1' }, { prompt: 'a fox' });
  await rig.tracker.watch(taskId, { target: 'test:b', requester: 'U2', requestedBy: 'ci' });
  return { ...rig, adapter, library, store, downloadsDir, clock };
}

/** The same, until the watch has finished. */
async function watchFromTwoPlaces(taskId: string, media: MediaStore) {
  const rig = await startWatchingFromTwoPlaces(taskId, media);
  await rig.clock.stepUntil(() => rig.tracker.activeCount === 0, 'the watch to finish', 10_000);
  return rig;
}

describe('the tracker and the clip library', () => {
  it('hands the clip to the library before posting it, and its places after', async () => {
    const rig = await watchFromTwoPlaces(
      'vgen_kept',
      new FolderMediaStore(path.join(workDir, 'library')),
    );
    assert.deepEqual(rig.adapter.keptWhenPosted, [true, true], 'its share page plays at once');
    assert.deepEqual(
      rig.adapter.delivered.map((d) => [d.target, d.kind, d.bytes?.equals(FIXTURE)]),
      [
        ['test:a', 'video', true],
        ['test:b', 'video', true],
      ],
    );
    assert.deepEqual(await readdir(rig.downloadsDir), [], 'moved out of the downloads');

    const kept = await rig.library.find('vgen_kept');
    const task = (await rig.store.get('vgen_kept'))?.task;
    const watch = await rig.store.get('vgen_kept');
    assert.ok(kept && task && watch);
    assert.deepEqual(kept, {
      taskId: 'vgen_kept',
      model: 'veo_3_1_fast',
      createdAt: task.created * 1000,
      prompt: 'a fox',
      clipSeconds: 8,
      places: [
        { target: 'test:a', link: resultLinkIn('test:a', 1), requesters: ['U1'] },
        { target: 'test:b', link: resultLinkIn('test:b', 2), requesters: ['U2'] },
      ],
      requestedBy: ['ci'],
      completedAt: watch.history.finishedSeenAt,
      bytes: FIXTURE.length,
      keptAt: kept.keptAt,
    });
    const video = await rig.library.readVideo('vgen_kept');
    assert.ok(video);
    assert.deepEqual(await buffer(video.body), FIXTURE);
    assert.equal(watch.phase, 'finished');
    await rig.close();
  });

  it('posts the clip once storage that hangs has timed out, and ends the watch', async () => {
    // Storage that takes every request and answers none.
    const waiting = new Set<ServerResponse>();
    const hanging = createServer((_req, res) => void waiting.add(res));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const media = new S3MediaStore(
      { bucket: 'clips', prefix: '' },
      { ...s3.settings, endpoint: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` },
      { connectMs: 1_000, idleMs: 100 }, // not the default 15 s of silence: a test is short
    );
    const rig = await startWatchingFromTwoPlaces('vgen_hung', media);
    await rig.clock.stepUntil(() => waiting.size > 0, 'the keep to reach the storage', 10_000);
    // The storage's timeouts run on real time: the tracker's clock stands still meanwhile.
    await waitFor(() => rig.adapter.delivered.length === 2, 'both deliveries', 10_000);
    await rig.clock.stepUntil(() => rig.tracker.activeCount === 0, 'the watch to end', 10_000);
    assert.deepEqual(
      rig.adapter.delivered.map((d) => [d.target, d.kind, d.bytes?.equals(FIXTURE)]),
      [
        ['test:a', 'video', true],
        ['test:b', 'video', true],
      ],
    );
    assert.deepEqual(rig.adapter.keptWhenPosted, [false, false]);
    assert.ok(waiting.size >= 3, 'the storage was asked, and again');
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
    assert.equal((await rig.store.get('vgen_hung'))?.phase, 'finished');
    assert.deepEqual(await readdir(rig.downloadsDir), [], 'the download is removed');
    media.close();
    await rig.close();
  });

  it('removes the clip as before when the library refuses it, the deliveries unharmed', async () => {
    // The library's folder is a file: it can keep nothing.
    const libraryDir = path.join(workDir, 'not-a-folder');
    await writeFile(libraryDir, 'in the way');
    const rig = await watchFromTwoPlaces('vgen_refused', new FolderMediaStore(libraryDir));
    assert.deepEqual(
      rig.adapter.delivered.map((d) => [d.target, d.kind]),
      [
        ['test:a', 'video'],
        ['test:b', 'video'],
      ],
    );
    const watch = await rig.store.get('vgen_refused');
    assert.equal(watch?.phase, 'finished');
    assert.deepEqual(
      watch?.subscriptions.map((sub) => sub.delivery),
      ['done', 'done'],
    );
    assert.deepEqual(await readdir(rig.downloadsDir), [], 'the clip is removed');
    await assert.rejects(rig.library.find('vgen_refused'), { code: 'ENOTDIR' });
    await rig.close();
  });

  for (const kind of ['folder', 's3'] as const) {
    it(`posts a kept clip again from the library (${kind}) once the service’s link no longer works`, async (t) => {
      const taskId = `vgen_again_${kind}`;
      const media =
        kind === 'folder'
          ? new FolderMediaStore(path.join(workDir, 'library-again'))
          : new S3MediaStore({ bucket: s3.bucket, prefix: 'again/' }, s3.settings);
      t.after(() => (media instanceof S3MediaStore ? media.close() : undefined));
      const rig = await watchFromTwoPlaces(taskId, media);
      // A day on, the service's link is dead.
      api.addTask({ id: taskId, model: 'veo_3_1_fast', videoUrl: `${cdn.baseUrl}/gone.mp4` });
      await rig.tracker.watch(taskId, { target: 'test:c', requester: 'U3' }, { repost: true });
      await rig.clock.stepUntil(
        () => rig.adapter.delivered.some((d) => d.target === 'test:c'),
        'the clip in the third place',
      );
      const third = rig.adapter.delivered.find((d) => d.target === 'test:c');
      assert.equal(third?.kind, 'video');
      assert.deepEqual(third?.bytes, FIXTURE, 'the kept clip, not the dead link');
      assert.equal(
        rig.adapter.delivered.filter((d) => d.target !== 'test:c').length,
        2,
        'the first places get nothing again',
      );
      await rig.clock.stepUntil(() => rig.tracker.activeCount === 0, 'the watch to end again');
      assert.deepEqual(
        (await rig.library.find(taskId))?.places.map((place) => place.target),
        ['test:a', 'test:b', 'test:c'],
        'the library now knows all three places',
      );
      await rig.close();
    });
  }
});
