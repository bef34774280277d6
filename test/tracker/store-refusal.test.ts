/**
 * A change the store refuses never reaches the tracker's memory: with Redis away, a second
 * place asking for a task is told the command failed, and the watch stays as it was, in
 * memory and, once Redis is back, in the store.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCommandHandler, STORE_DOWN } from '../../src/chat/command-handler.ts';
import { silentLogger } from '../../src/log.ts';
import { openWatchStore } from '../../src/store/open-store.ts';
import { StoreError } from '../../src/watch/store-error.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { RecordingAdapter, resultLinkIn } from '../support/recording-adapter.ts';
import { redisServerInstalled, startPrivateRedis, uniqueNamespace } from '../support/redis.ts';
import { createTestTracker } from '../support/test-tracker.ts';

const API_KEY = 'store-refusal-key';
const clock = new ManualClock();
let api: FakeSoraApi;
let workDir: string;

before(async () => {
  api = await startFakeSoraApi({ apiKey: API_KEY, now: () => clock.now() });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-refusal-'));
});
after(async () => {
  await api.close();
  await rm(workDir, { recursive: true, force: true });
});

async function untilAccepted(work: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await work();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A tracker on a private Redis with short timeouts, so an outage shows within a second. */
async function trackerOnRedis(downloads: string) {
  const redis = await startPrivateRedis();
  const port = Number(new URL(redis.url).port);
  const store = await openWatchStore(redis.url, {
    namespace: uniqueNamespace(),
    connectTimeoutMs: 200,
    operationTimeoutMs: 300,
  });
  const adapter = new RecordingAdapter('test', () => clock.now());
  const rig = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    adapters: [adapter],
    options: { downloadsDir: path.join(workDir, downloads) },
  });
  return { redis, port, store, adapter, rig };
}

describe('a change the store refuses', () => {
  it('is not kept in memory, nor saved later', {
    skip: redisServerInstalled() || process.env.CI === 'true' ? false : 'needs redis-server',
  }, async () => {
    const { redis, port, store, rig } = await trackerOnRedis('downloads');
    let back: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
    try {
      api.addTask({ id: 'sora_refused', queuedMs: 600_000 });
      await rig.tracker.start();
      await rig.tracker.watch('sora_refused', { target: 'test:first', requester: 'ann' });

      await redis.stop();
      await assert.rejects(
        rig.tracker.watch('sora_refused', { target: 'test:second', requester: 'bob' }),
        StoreError,
      );
      assert.deepEqual(rig.tracker.list('test:second'), [], 'not watched there in memory');
      // Asked in chat, the same refusal is one plain sentence.
      const answer = await createCommandHandler(
        rig.tracker,
        silentLogger,
      )({
        kind: 'status',
        taskId: 'sora_refused',
        origin: { target: 'test:third', requester: 'cid' },
      });
      assert.deepEqual(answer, { text: STORE_DOWN, private: true });
      await assert.rejects(rig.tracker.unwatch('sora_refused', 'test:first'), StoreError);
      assert.equal(rig.tracker.list('test:first').length, 1, 'still watched where it was');

      back = await startPrivateRedis(port);
      // The next change that the store takes carries only what was agreed.
      await untilAccepted(() =>
        rig.tracker.watch('sora_refused', { target: 'test:first', requester: 'cid' }),
      );
      const stored = await store.get('sora_refused');
      assert.deepEqual(
        stored?.subscriptions.map((s) => [s.target, s.requesters]),
        [['test:first', ['ann', 'cid']]],
      );
    } finally {
      await rig.close();
      await store.close();
      await redis.stop();
      await back?.stop();
    }
  });

  it('lets waiting work go on within seconds once the store is back, not minutes later', {
    skip: redisServerInstalled() || process.env.CI === 'true' ? false : 'needs redis-server',
  }, async () => {
    const { redis, port, store, adapter, rig } = await trackerOnRedis('downloads-2');
    let back: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
    let release: () => void = () => {};
    adapter.held.set('test:held', new Promise<void>((resolve) => (release = resolve)));
    try {
      api.addTask({ id: 'sora_outage_clip', queuedMs: 1_000, processingMs: 10_000 });
      await rig.tracker.start();
      await rig.tracker.watch('sora_outage_clip', { target: 'test:held', requester: 'ann' });
      // Step until the clip is being delivered (the adapter holds it), then take the store away.
      for (let i = 0; i < 500; i += 1) {
        if ((await rig.tracker.find('sora_outage_clip'))?.watch.phase === 'delivering') break;
        await clock.step();
      }
      assert.equal((await rig.tracker.find('sora_outage_clip'))?.watch.phase, 'delivering');
      await redis.stop();
      release();
      // The delivery is made; recording it fails while the store is away, and memory keeps
      // what the store holds: the delivery as started, not done.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const meanwhile = (await rig.tracker.find('sora_outage_clip'))?.watch;
      assert.deepEqual(
        meanwhile?.subscriptions.map((s) => s.delivery),
        ['started'],
        'the refused save left memory as it was',
      );
      back = await startPrivateRedis(port);
      const storeBackAt = clock.now();
      await untilAccepted(() => store.listActive());
      await clock.stepUntil(() => rig.tracker.activeCount === 0, 'the watch to finish', 15_000);
      const waited = clock.now() - storeBackAt;
      assert.ok(waited <= 20_000, `finished ${waited} ms (virtual) after the store came back`);
      assert.equal(adapter.delivered.length, 1, 'delivered once');
      // Recorded late, the delivery still points the card at the clip's message.
      assert.equal(
        adapter.shownTo('test:held').at(-1)?.view.resultLink,
        resultLinkIn('test:held', 1),
      );
    } finally {
      release();
      await rig.close();
      await store.close();
      await redis.stop();
      await back?.stop();
    }
  });
});
