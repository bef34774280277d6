/**
 * The watch store on a real Postgres (a private server per file, see test/support/postgres.ts):
 * the contract every store keeps, then what is Postgres's own: the table layout of
 * @keyv/postgres, one connection pool per store, statements cancelled by the server, and
 * outages (down at opening, gone and back, a server that never answers).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import KeyvPostgres from '@keyv/postgres';
import { Keyv } from 'keyv';
import pg from 'pg';
import { activeIndexShard } from '../../src/store/keyv-watch-store.ts';
import { openWatchStore } from '../../src/store/open-store.ts';
import { StoreError } from '../../src/watch/store-error.ts';
import { type PrivatePostgres, postgresForTests } from '../support/postgres.ts';
import { uniqueNamespace } from '../support/redis.ts';
import { describeServerStoreContract, watchOf } from './watch-store-contract.ts';

const run = promisify(execFile);
const OPEN_STORE = new URL('../../src/store/open-store.ts', import.meta.url).href;

type Store = Awaited<ReturnType<typeof openWatchStore>>;

/** Short limits, so an outage shows within the test's patience. */
const QUICK = { connectTimeoutMs: 200, operationTimeoutMs: 250 } as const;

/** Each operation fails with a StoreError, none answers "nothing there", and none hangs. */
async function assertEveryOperationRejects(store: Store): Promise<void> {
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

/** Retries `operation` until it works: the pool connects again on its own, on the next call. */
async function eventually(operation: () => Promise<unknown>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await operation();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A new, empty database on the server at `url`; its URL. */
async function newDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const database = new URL(url);
  database.pathname = `/${name}`;
  return database.href;
}

async function storedKeys(url: string, namespace: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string }>(
      'SELECT key FROM keyv WHERE key LIKE $1 ORDER BY key',
      [`${namespace}:%`],
    );
    return rows.map((row) => row.key);
  } finally {
    await client.end();
  }
}

const postgres = await postgresForTests();

if ('skip' in postgres) {
  it('Postgres watch store', { skip: postgres.skip }, () => {});
} else {
  after(() => postgres.stop());

  describeServerStoreContract('postgres', postgres.url);

  describe('KeyvWatchStore on Postgres', () => {
    it('keeps the table layout of @keyv/postgres, so its own adapter reads what we wrote', async () => {
      const namespace = uniqueNamespace();
      const store = await openWatchStore(postgres.url, { namespace });
      await store.put(watchOf('task-a'));
      await store.close();
      assert.deepEqual(await storedKeys(postgres.url, namespace), [
        `${namespace}:active:${activeIndexShard('task-a')}`,
        `${namespace}:watch:task-a`,
      ]);
      const official = new Keyv(new KeyvPostgres({ uri: postgres.url }), { namespace });
      try {
        assert.deepEqual(await official.get('watch:task-a'), watchOf('task-a'));
      } finally {
        await official.clear();
        await official.disconnect();
      }
    });

    it('gives each store its own pool: closing one leaves another working', async () => {
      const namespace = uniqueNamespace();
      const first = await openWatchStore(postgres.url, { namespace });
      const second = await openWatchStore(postgres.url, { namespace });
      await first.put(watchOf('task-a'));
      await second.close();
      assert.equal((await first.get('task-a'))?.taskId, 'task-a');
      await first.delete('task-a');
      await first.close();
    });

    it('lets the process exit once closed, whether or not it ever connected', async () => {
      const script = (url: string) =>
        [
          `import { openWatchStore } from ${JSON.stringify(OPEN_STORE)};`,
          `const store = await openWatchStore(${JSON.stringify(url)}, { namespace: 'exit-test' });`,
          "if (process.argv[1] === 'use') await store.listActive();",
          'await store.close();',
        ].join('\n');
      for (const use of ['use', 'no-use']) {
        const started = Date.now();
        await run(process.execPath, ['--input-type=module', '--eval', script(postgres.url), use], {
          timeout: 10_000,
        });
        assert.ok(Date.now() - started < 3_000, `nothing kept the process alive (${use})`);
      }
    });

    it('never lets a write reported as failed commit afterwards', async () => {
      const namespace = uniqueNamespace();
      const store = await openWatchStore(postgres.url, { namespace, ...QUICK });
      const locker = new pg.Client({ connectionString: postgres.url });
      await locker.connect();
      try {
        await store.put(watchOf('task-a', 'polling', 1));
        // Another session holds the row: the next write of it waits for the lock.
        await locker.query('BEGIN');
        await locker.query('SELECT key FROM keyv WHERE key = $1 FOR UPDATE', [
          `${namespace}:watch:task-a`,
        ]);
        await assert.rejects(store.put(watchOf('task-a', 'polling', 2)), StoreError);
        await locker.query('COMMIT');
        // Had the server kept the write waiting, it would commit now that the lock is free.
        await new Promise((resolve) => setTimeout(resolve, 2 * QUICK.operationTimeoutMs));
        assert.equal((await store.get('task-a'))?.polls, 1);
      } finally {
        await locker.end();
        await store.close();
      }
    });

    it('rejects every operation when the server accepts connections but never answers', async () => {
      const sockets = new Set<net.Socket>();
      const silent = net.createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
      await once(silent, 'listening');
      const { port } = silent.address() as net.AddressInfo;
      const store = await openWatchStore(`postgres://bot@127.0.0.1:${port}/sora`, {
        namespace: uniqueNamespace(),
        ...QUICK,
      });
      try {
        await assertEveryOperationRejects(store);
      } finally {
        await store.close();
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });

    // Last, as they stop the server the other tests use.
    describe('with the server stopped and started again', {
      skip: 'halt' in postgres ? false : 'needs a server of its own (POSTGRES_URL is not stopped)',
    }, () => {
      const server = postgres as PrivatePostgres;

      it('works once a server that was down at opening comes up, creating the table then', async () => {
        const url = await newDatabase(server.url, 'down_at_opening');
        await server.halt();
        const store = await openWatchStore(url, { namespace: uniqueNamespace(), ...QUICK });
        try {
          await assertEveryOperationRejects(store);
          await server.resume();
          await eventually(() => store.put(watchOf('task-a')));
          assert.deepEqual(
            (await store.listActive()).map((watch) => watch.taskId),
            ['task-a'],
          );
        } finally {
          await store.close();
          await server.resume();
        }
      });

      it('rejects while the server is gone, then works again with the data kept', async () => {
        const store = await openWatchStore(server.url, { namespace: uniqueNamespace(), ...QUICK });
        try {
          await store.put(watchOf('task-a'));
          // Its idle connections are cut as it stops: an error the pool must hear, not throw.
          await server.halt();
          await assertEveryOperationRejects(store);
          await server.resume();
          await eventually(() => store.put(watchOf('task-c')));
          assert.equal((await store.get('task-a'))?.taskId, 'task-a');
          assert.deepEqual((await store.listActive()).map((watch) => watch.taskId).sort(), [
            'task-a',
            'task-c',
          ]);
        } finally {
          await store.close();
          await server.resume();
        }
      });
    });
  });
}
