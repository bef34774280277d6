import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Keyv } from 'keyv';
import { KeyvWatchStore } from '../../src/store/keyv-watch-store.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { describeWatchStoreContract } from './watch-store-contract.ts';

describeWatchStoreContract(
  'in memory',
  async () => ({ open: async () => new MemoryWatchStore(), dispose: async () => {} }),
  { persistent: false },
);

// Keyv's own Map has no getMany: this runs the store's one-by-one read path.
describeWatchStoreContract(
  'Keyv on its in-memory Map',
  async () => {
    const keyv = new Keyv({ throwOnErrors: true });
    return { open: async () => new KeyvWatchStore(keyv), dispose: async () => {} };
  },
  { persistent: true },
);

describe('KeyvWatchStore', () => {
  it('refuses a Keyv that would swallow backend errors', () => {
    assert.throws(() => new KeyvWatchStore(new Keyv()), /throwOnErrors: true/);
  });
});

describe('MemoryWatchStore', () => {
  it('forgets a kept record once its time is up, by its clock', async () => {
    let now = 1_000;
    const store = new MemoryWatchStore(() => now);
    await store.putKept('usage', '2026-12-01', { videos: 1 }, 60_000);
    now += 59_999;
    assert.deepEqual(await store.getKept('usage', '2026-12-01'), { videos: 1 });
    now += 1;
    assert.equal(await store.getKept('usage', '2026-12-01'), undefined);
  });
});
