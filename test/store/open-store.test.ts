import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { openWatchStore } from '../../src/store/open-store.ts';
import { parseStoreUrl, redactStoreUrl } from '../../src/store/store-url.ts';
import { StoreError } from '../../src/watch/store-error.ts';
import { freePort } from '../support/redis.ts';
import { watchOf } from './watch-store-contract.ts';

const PASSWORD = 'hunter2-secret';
const QUICK = { connectTimeoutMs: 200, operationTimeoutMs: 250 } as const;

let dir = '';
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sora-open-store-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Asserts the error names STORE_URL and shows the password nowhere, causes included. */
function rejectsNamingStoreUrl(error: unknown): boolean {
  assert.ok(error instanceof Error);
  assert.match(error.message, /STORE_URL/);
  assert.doesNotMatch(inspect(error, { depth: 10 }), new RegExp(PASSWORD));
  return true;
}

describe('parseStoreUrl', () => {
  it('reads each kind of store', () => {
    assert.deepEqual(parseStoreUrl('memory://', '/srv'), { kind: 'memory' });
    assert.deepEqual(parseStoreUrl('sqlite://data/bot.sqlite', '/srv'), {
      kind: 'sqlite',
      path: '/srv/data/bot.sqlite',
    });
    assert.deepEqual(parseStoreUrl('sqlite:///var/lib/bot.sqlite', '/srv'), {
      kind: 'sqlite',
      path: '/var/lib/bot.sqlite',
    });
    assert.deepEqual(parseStoreUrl('sqlite://:memory:', '/srv'), {
      kind: 'sqlite',
      path: ':memory:',
    });
    for (const url of ['redis://h:6379/2', 'rediss://u:p@h:6380', 'REDIS://h']) {
      assert.deepEqual(parseStoreUrl(url, '/srv'), { kind: 'redis', url });
    }
    for (const url of ['postgres://u:p@h/db', 'postgresql://h:5433/db']) {
      assert.deepEqual(parseStoreUrl(url, '/srv'), { kind: 'postgres', url });
    }
  });

  it('refuses anything else, naming STORE_URL and never echoing a password', () => {
    for (const url of [
      `mysql://bot:${PASSWORD}@db/sora`,
      `data/${PASSWORD}.sqlite`,
      `:${PASSWORD}@localhost`,
      `redis://:${PASSWORD}@`,
      `postgres://bot:${PASSWORD}@/db`,
      'sqlite://',
      'sqlite://data/',
      'constructor://x',
      '',
    ]) {
      assert.throws(() => parseStoreUrl(url, '/srv'), rejectsNamingStoreUrl, url);
    }
  });

  it('says which scheme it did not expect', () => {
    assert.throws(() => parseStoreUrl('mongodb://h/db', '/srv'), /starts with mongodb:\/\//);
  });
});

describe('redactStoreUrl', () => {
  it('hides the password and keeps the rest', () => {
    assert.equal(
      redactStoreUrl(`redis://bot:${PASSWORD}@cache:6379/2`),
      'redis://bot:***@cache:6379/2',
    );
    assert.equal(redactStoreUrl('redis://cache:6379'), 'redis://cache:6379');
    assert.equal(redactStoreUrl('sqlite://data/bot.sqlite'), 'sqlite://data/bot.sqlite');
    assert.doesNotMatch(redactStoreUrl(`bot:${PASSWORD}@[nonsense`), new RegExp(PASSWORD));
  });
});

describe('openWatchStore', () => {
  it('gives the in-memory store for memory://', async () => {
    const store = await openWatchStore('memory://');
    assert.ok(store instanceof MemoryWatchStore);
    await store.close();
  });

  it('creates a relative SQLite file and its directories under the given directory', async () => {
    const store = await openWatchStore('sqlite://nested/dir/bot.sqlite', { cwd: dir });
    await store.put(watchOf('task-a'));
    await store.close();
    assert.ok(existsSync(path.join(dir, 'nested/dir/bot.sqlite')));
  });

  it('opens an in-memory SQLite database', async () => {
    const store = await openWatchStore('sqlite://:memory:');
    await store.put(watchOf('task-a'));
    assert.equal((await store.get('task-a'))?.taskId, 'task-a');
    await store.close();
  });

  it('refuses an unknown scheme before touching anything', async () => {
    await assert.rejects(openWatchStore(`ftp://u:${PASSWORD}@h/x`), rejectsNamingStoreUrl);
  });

  for (const scheme of ['redis', 'postgres']) {
    it(`opens ${scheme}:// without waiting, then fails each call without the password`, async () => {
      const url = `${scheme}://bot:${PASSWORD}@127.0.0.1:${await freePort()}/0`;
      const store = await openWatchStore(url, QUICK);
      await assert.rejects(store.get('task-a'), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.doesNotMatch(inspect(error, { depth: 10 }), new RegExp(PASSWORD));
        return true;
      });
      await assert.rejects(store.listActive(), StoreError);
      await store.close();
    });
  }
});
