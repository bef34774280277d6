import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import {
  ACTIVE_INDEX_SHARDS,
  activeIndexShard,
  KeyvWatchStore,
} from '../../src/store/keyv-watch-store.ts';
import { openKeyv, openWatchStore } from '../../src/store/open-store.ts';
import { StoreError } from '../../src/watch/store-error.ts';
import { describeWatchStoreContract, watchOf } from './watch-store-contract.ts';

let dir = '';
let files = 0;
function nextFile(): string {
  files += 1;
  return path.join(dir, `store-${files}.sqlite`);
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sora-store-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeWatchStoreContract(
  'Keyv on SQLite',
  async () => {
    const file = nextFile();
    return {
      open: () => openWatchStore(`sqlite://${file}`),
      dispose: () => rm(file, { force: true }),
    };
  },
  { persistent: true },
);

/** A store over a Keyv the test can watch and break. */
async function openInspectable(file: string, keepFinishedMs?: number) {
  const keyv = await openKeyv({ kind: 'sqlite', path: file });
  const store = new KeyvWatchStore(keyv, keepFinishedMs === undefined ? {} : { keepFinishedMs });
  return { keyv, store };
}

describe('KeyvWatchStore on SQLite', () => {
  it('writes the index before a watch becomes active, after it ends, and only on a change', async () => {
    const { keyv, store } = await openInspectable(nextFile());
    const writes: string[] = [];
    // Keyv hands the set hook the key before its namespace prefix, the delete hook after it.
    const record = (operation: string) => (data: { key: string }) =>
      writes.push(`${operation} ${data.key.replace(/^sora-status:/, '')}`);
    keyv.hooks.addHandler('preSet', record('set'));
    keyv.hooks.addHandler('preDelete', record('delete'));
    await store.put(watchOf('task-a', 'polling', 1));
    await store.put(watchOf('task-a', 'downloading', 2));
    await store.put(watchOf('task-a', 'finished', 3));
    await store.put(watchOf('task-a', 'finished', 4));
    await store.put(watchOf('task-a', 'polling', 5));
    await store.delete('task-a');
    await store.close();
    const shard = `active:${activeIndexShard('task-a')}`;
    const watch = 'watch:task-a';
    assert.deepEqual(writes, [
      `set ${shard}`,
      `set ${watch}`,
      `set ${watch}`,
      `set ${watch}`,
      `delete ${shard}`,
      `set ${watch}`,
      `set ${shard}`,
      `set ${watch}`,
      `delete ${watch}`,
      `delete ${shard}`,
    ]);
  });

  it('spreads ids over the index shards', () => {
    const used = new Set(Array.from({ length: 1000 }, (_, i) => activeIndexShard(`task-${i}`)));
    assert.equal(used.size, ACTIVE_INDEX_SHARDS);
  });

  it('skips and prunes index entries left without an active watch', async () => {
    const { keyv, store } = await openInspectable(nextFile());
    await store.put(watchOf('task-live'));
    const shard = `active:${activeIndexShard('task-ghost')}`;
    const ids = ((await keyv.get(shard)) as string[] | undefined) ?? [];
    // As a crash between writing the index and writing the watch would leave it.
    await keyv.set(shard, [...ids, 'task-ghost']);
    assert.deepEqual(
      (await store.listActive()).map((w) => w.taskId),
      ['task-live'],
    );
    assert.ok(!((await keyv.get(shard)) as string[] | undefined)?.includes('task-ghost'));
    await store.close();
  });

  it('lets a finished watch expire, and purges it from the file on the next opening', async () => {
    const file = nextFile();
    // Kept a second: long enough to read back on a busy machine, short enough to wait out.
    const { store } = await openInspectable(file, 1_000);
    await store.put(watchOf('task-done', 'finished'));
    await store.put(watchOf('task-other-done', 'finished'));
    await store.put(watchOf('task-active', 'polling'));
    assert.equal((await store.get('task-done'))?.phase, 'finished');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.equal(await store.get('task-done'), undefined);
    await store.close();

    const { store: reopened } = await openInspectable(file);
    const db = new DatabaseSync(file, { readOnly: true });
    const keys = db.prepare('SELECT key FROM keyv ORDER BY key').all();
    db.close();
    assert.deepEqual(
      keys.map((row) => row.key),
      [`sora-status:active:${activeIndexShard('task-active')}`, 'sora-status:watch:task-active'],
    );
    assert.equal((await reopened.get('task-active'))?.phase, 'polling');
    await reopened.close();
  });

  it('uses the table layout of @keyv/sqlite, so either adapter can open the file', async () => {
    const file = nextFile();
    const { store } = await openInspectable(file);
    await store.put(watchOf('task-a'));
    await store.close();
    const db = new DatabaseSync(file, { readOnly: true });
    const table = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'keyv'").get();
    const row = db.prepare("SELECT value FROM keyv WHERE key = 'sora-status:watch:task-a'").get();
    db.close();
    assert.match(String(table?.sql), /key VARCHAR\(255\) PRIMARY KEY, value TEXT/);
    assert.deepEqual(JSON.parse(String(row?.value)), { value: watchOf('task-a') });
  });

  it('rejects every operation once the database is closed under it', async () => {
    const { keyv, store } = await openInspectable(nextFile());
    await store.put(watchOf('task-a'));
    await store.putTimings({ queueWaitMs: [], processingMs: {} });
    await keyv.disconnect();
    for (const operation of [
      store.get('task-a'),
      store.put(watchOf('task-b')),
      store.delete('task-a'),
      store.listActive(),
      store.getTimings(),
    ]) {
      await assert.rejects(operation, StoreError);
    }
  });

  it('fails to open, naming STORE_URL, where the file cannot be created', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, '');
    await assert.rejects(openWatchStore(`sqlite://${blocker}/sub/store.sqlite`), (error: Error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, /STORE_URL/);
      return true;
    });
  });
});
