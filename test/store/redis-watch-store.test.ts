import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createClient } from '@keyv/redis';
import { activeIndexShard } from '../../src/store/keyv-watch-store.ts';
import type { OpenedStore as WatchStore } from '../../src/store/open-store.ts';
import { openWatchStore } from '../../src/store/open-store.ts';
import { StoreError } from '../../src/watch/store-error.ts';
import {
  freePort,
  redisForTests,
  redisServerInstalled,
  startPrivateRedis,
  uniqueNamespace,
} from '../support/redis.ts';
import { describeServerStoreContract, watchOf } from './watch-store-contract.ts';

const run = promisify(execFile);
const OPEN_STORE = new URL('../../src/store/open-store.ts', import.meta.url).href;

/** Short limits, so an outage shows within the test's patience. */
const QUICK = { connectTimeoutMs: 200, operationTimeoutMs: 250 } as const;

/** Each operation fails with a StoreError, none answers "nothing there", and none hangs. */
async function assertEveryOperationRejects(store: WatchStore): Promise<void> {
  const started = Date.now();
  await Promise.all(
    [
      store.get('task-a'),
      store.put(watchOf('task-b')),
      store.delete('task-a'),
      store.listActive(),
      store.getTimings(),
      store.putTimings({ queueWaitMs: [], processingMs: {} }),
    ].map((operation) => assert.rejects(operation, StoreError)),
  );
  // listActive waits for the writes before it, then reads: a few timeouts at most.
  assert.ok(Date.now() - started < 8 * QUICK.operationTimeoutMs, 'every operation ends soon');
}

const redis = await redisForTests();

if ('skip' in redis) {
  it('Redis watch store', { skip: redis.skip }, () => {});
} else {
  after(() => redis.stop());

  describeServerStoreContract('redis', redis.url);

  describe('KeyvWatchStore on Redis', () => {
    it('prefixes each key with the namespace once', async () => {
      const namespace = uniqueNamespace();
      const store = await openWatchStore(redis.url, { namespace });
      await store.put(watchOf('task-a'));
      await store.putTimings({ queueWaitMs: [], processingMs: {} });
      await store.close();
      const client = createClient({ url: redis.url });
      await client.connect();
      const keys = (await client.keys(`*${namespace}*`)).sort();
      await client.del(keys);
      await client.close();
      assert.deepEqual(keys, [
        `${namespace}::active:${activeIndexShard('task-a')}`,
        `${namespace}::timings`,
        `${namespace}::watch:task-a`,
      ]);
    });

    it('lets the process exit when closed before it connected', async () => {
      const script = [
        `import { openWatchStore } from ${JSON.stringify(OPEN_STORE)};`,
        `const store = await openWatchStore(${JSON.stringify(redis.url)}, { namespace: 'x' });`,
        'await store.close();',
      ].join('\n');
      const started = Date.now();
      await run(process.execPath, ['--input-type=module', '--eval', script], { timeout: 10_000 });
      assert.ok(Date.now() - started < 3_000, 'nothing kept the process alive');
    });

    it('rejects every operation when nothing listens at the address', async () => {
      const url = `redis://127.0.0.1:${await freePort()}`;
      const store = await openWatchStore(url, { namespace: uniqueNamespace(), ...QUICK });
      await assertEveryOperationRejects(store);
      await store.close();
    });

    it('rejects while the server is gone and works again once it is back', {
      skip: redisServerInstalled() ? false : 'needs redis-server to stop and start',
    }, async () => {
      const own = await startPrivateRedis();
      const port = Number(new URL(own.url).port);
      const store = await openWatchStore(own.url, { namespace: uniqueNamespace(), ...QUICK });
      let back: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
      try {
        await store.put(watchOf('task-a'));
        assert.equal((await store.get('task-a'))?.taskId, 'task-a');
        await own.stop();
        await assertEveryOperationRejects(store);

        back = await startPrivateRedis(port);
        // The client reconnects in the background; until then calls fail fast.
        const deadline = Date.now() + 5_000;
        for (;;) {
          try {
            await store.put(watchOf('task-c'));
            break;
          } catch (error) {
            if (Date.now() > deadline) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        // A server without persistence comes back empty.
        assert.equal(await store.get('task-a'), undefined);
        assert.deepEqual(
          (await store.listActive()).map((w) => w.taskId),
          ['task-c'],
        );
      } finally {
        await store.close();
        await own.stop();
        await back?.stop();
      }
    });
  });
}
