/**
 * What every `WatchStore` must do, as one suite run against each implementation: the
 * in-memory fake and the Keyv store on each backend. A fake that passes it can stand in
 * for the real store in tracker tests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LearnedTimings } from '../../src/schedule/learned-timings.ts';
import type { VideoTask } from '../../src/sora/task.ts';
import {
  openKeyv,
  openWatchStore,
  type OpenedStore as WatchStore,
} from '../../src/store/open-store.ts';
import type { ObservedHistory, Subscription, Watch, WatchPhase } from '../../src/watch/watch.ts';
import { uniqueNamespace } from '../support/redis.ts';

/** One place to keep stores: `open()` twice opens the same stored data twice. */
export interface StoreBackend {
  open(): Promise<WatchStore>;
  /** Removes whatever the test stored; every store it opened is closed by then. */
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** Whether data outlives a store instance (false for the in-memory fake). */
  persistent: boolean;
}

/** A watch with every field set, optional ones included (Required<> makes new fields count). */
export function fullWatch(taskId: string): Watch {
  const subscription: Required<Subscription> = {
    target: 'slack:C0123:1718000000.0001',
    requesters: ['U1', 'U2'],
    requestedBy: ['ci-pipeline'],
    statusMessage: 'C0123:1718000000.0002',
    deletedCards: { count: 1, last: 'C0123:1718000000.0001' },
    lastViewKey: 'processing|42%',
    lastShownAt: 1_767_225_600_500,
    delivery: 'started',
    deliveryAttempts: 2,
    upload: { fileId: 'F0123ABC', sharing: true },
    resultLink: 'https://example.slack.com/archives/C0123/p1718000000000300',
    pendingReply: { ref: 'interaction-token', until: 1_767_226_500_000 },
    shared: { by: 'U3', from: 'https://example.slack.com/archives/C0999/p1718000000000100' },
    since: 1_767_225_600_000,
  };
  const history: Required<ObservedHistory> = {
    lastQueuedAt: 1_767_225_610_000,
    firstProcessingAt: 1_767_225_620_000,
    lastProcessingAt: 1_767_225_700_000,
    finishedSeenAt: 1_767_225_710_000,
  };
  const task: Required<VideoTask> = {
    id: taskId,
    object: 'video.generation',
    created: 1_767_225_600,
    model: 'openAiSora2Plus',
    status: 'completed',
    videoUrl: 'https://cdn.example/v.mp4?sig=abc',
    actualDuration: 8,
    error: '',
  };
  const watch: Required<Watch> = {
    taskId,
    subscriptions: [
      subscription,
      // Strings that Keyv's serialiser escapes, and a minimal subscription.
      {
        target: ':base64:not-a-buffer',
        requesters: [],
        delivery: 'pending',
        deliveryAttempts: 0,
        since: 1,
      },
    ],
    startedAt: 1_767_225_600_000,
    task,
    history,
    clipSeconds: 8,
    prompt: 'a cat surfing at dawn — 🐈 "quoted" \\ back\\slash\nnew line',
    request: {
      model: 'veo_3_1_fast',
      prompt: 'a cat surfing at dawn',
      aspect_ratio: '9:16',
      input_reference: ['https://img.example/cat.png'],
    },
    phase: 'delivering',
    nextPollAt: 1_767_225_720_000,
    polls: 12,
    consecutiveFailures: 1,
    notFoundInARow: 0,
    video: { path: '/data/clips/task.mp4', bytes: 1_234_567 },
    videoProblem: 'too large for this channel',
    linkExpired: true,
    downloadAttempts: 1,
    endReason: 'still running',
  };
  return watch;
}

/** A small watch in `phase`, with `polls` to tell versions apart. */
export function watchOf(taskId: string, phase: WatchPhase = 'polling', polls = 0): Watch {
  return {
    taskId,
    subscriptions: [
      {
        target: 'shell:terminal',
        requesters: ['me'],
        delivery: 'pending',
        deliveryAttempts: 0,
        since: 0,
      },
    ],
    startedAt: 0,
    history: {},
    phase,
    nextPollAt: 0,
    polls,
    consecutiveFailures: 0,
  };
}

const timings: LearnedTimings = {
  queueWaitMs: [1000, 2500],
  processingMs: { '4': [60_000], '8': [90_000, 95_000], '12': [] },
  clipSeconds: [8, 4],
};

const activeIds = async (store: WatchStore): Promise<string[]> =>
  (await store.listActive()).map((watch) => watch.taskId).sort();

export function describeWatchStoreContract(
  name: string,
  newBackend: () => Promise<StoreBackend>,
  options: ContractOptions,
): void {
  /** Runs `body` with a fresh backend and store, and always cleans both up. */
  async function withStore(
    body: (store: WatchStore, backend: StoreBackend) => Promise<void>,
  ): Promise<void> {
    const backend = await newBackend();
    const store = await backend.open();
    try {
      await body(store, backend);
    } finally {
      await store.close();
      await backend.dispose();
    }
  }

  describe(`WatchStore contract: ${name}`, () => {
    it('answers undefined for an unknown task and for timings never stored', () =>
      withStore(async (store) => {
        assert.equal(await store.get('no-such-task'), undefined);
        assert.equal(await store.getTimings(), undefined);
        assert.deepEqual(await store.listActive(), []);
        await store.delete('no-such-task');
      }));

    it('round-trips every field of a watch, nested subscriptions included', () =>
      withStore(async (store) => {
        await store.put(fullWatch('task-full'));
        assert.deepEqual(await store.get('task-full'), fullWatch('task-full'));
        assert.deepEqual(await store.listActive(), [fullWatch('task-full')]);
      }));

    it('keeps its own copy: changing objects put or got changes nothing stored', () =>
      withStore(async (store) => {
        const original = fullWatch('task-copy');
        const put = store.put(original);
        original.polls = 99; // before the write may even have happened
        original.subscriptions[0]?.requesters.push('U3');
        await put;
        const got = await store.get('task-copy');
        assert.ok(got);
        got.phase = 'finished';
        got.subscriptions.length = 0;
        assert.deepEqual(await store.get('task-copy'), fullWatch('task-copy'));
      }));

    it('replaces a watch on put', () =>
      withStore(async (store) => {
        await store.put(watchOf('task-a', 'polling', 1));
        await store.put(watchOf('task-a', 'downloading', 2));
        assert.deepEqual(await store.get('task-a'), watchOf('task-a', 'downloading', 2));
        assert.deepEqual(await store.listActive(), [watchOf('task-a', 'downloading', 2)]);
      }));

    it('lists exactly the watches not finished, following phase changes', () =>
      withStore(async (store) => {
        await store.put(watchOf('task-polling', 'polling'));
        await store.put(watchOf('task-downloading', 'downloading'));
        await store.put(watchOf('task-delivering', 'delivering'));
        await store.put(watchOf('task-finished', 'finished'));
        assert.deepEqual(await activeIds(store), [
          'task-delivering',
          'task-downloading',
          'task-polling',
        ]);

        await store.put(watchOf('task-polling', 'finished'));
        assert.deepEqual(await activeIds(store), ['task-delivering', 'task-downloading']);
        // A finished watch is still there to read.
        assert.equal((await store.get('task-polling'))?.phase, 'finished');

        await store.put(watchOf('task-finished', 'polling'));
        assert.deepEqual(await activeIds(store), [
          'task-delivering',
          'task-downloading',
          'task-finished',
        ]);
      }));

    it('keeps a create record by its key, exactly, until it is deleted', () =>
      withStore(async (store) => {
        const key = 'intake:Ünïcode key/with:colons and a long tail '.repeat(5);
        await store.putCreate({ key, state: 'sending', at: 1 }, 86_400_000);
        assert.deepEqual(await store.getCreate(key), { key, state: 'sending', at: 1 });
        await store.putCreate({ key, state: 'created', at: 2, taskId: 'vgen_1' }, 86_400_000);
        assert.deepEqual(await store.getCreate(key), {
          key,
          state: 'created',
          at: 2,
          taskId: 'vgen_1',
        });
        assert.equal(await store.getCreate(`${key}x`), undefined, 'another key is another record');
        await store.deleteCreate(key);
        assert.equal(await store.getCreate(key), undefined);
      }));

    it('keeps a record by kind and id, exactly, until it is deleted', () =>
      withStore(async (store) => {
        const id = 'discord:Ünïcode id/with:colons '.repeat(4);
        await store.putKept('usage', id, { videos: 1, people: { a: 2 } }, 86_400_000);
        assert.deepEqual(await store.getKept('usage', id), { videos: 1, people: { a: 2 } });
        await store.putKept('usage', id, { videos: 2 }, 86_400_000);
        assert.deepEqual(await store.getKept('usage', id), { videos: 2 });
        assert.equal(await store.getKept('made', id), undefined, 'another kind is another record');
        assert.equal(await store.getKept('usage', `${id}x`), undefined);
        await store.deleteKept('usage', id);
        assert.equal(await store.getKept('usage', id), undefined);
      }));

    it('forgets a deleted watch, active or finished', () =>
      withStore(async (store) => {
        await store.put(watchOf('task-a', 'polling'));
        await store.put(watchOf('task-b', 'finished'));
        await store.put(watchOf('task-c', 'polling'));
        await store.delete('task-a');
        await store.delete('task-b');
        assert.equal(await store.get('task-a'), undefined);
        assert.equal(await store.get('task-b'), undefined);
        assert.deepEqual(await activeIds(store), ['task-c']);
      }));

    it('keeps all of 200 watches put at once in the active list', () =>
      withStore(async (store) => {
        const ids = Array.from({ length: 200 }, (_, i) => `task-${String(i).padStart(3, '0')}`);
        await Promise.all(ids.map((id, i) => store.put(watchOf(id, 'polling', i))));
        assert.deepEqual(await activeIds(store), ids);
        const got = await Promise.all(ids.map((id) => store.get(id)));
        assert.deepEqual(
          got,
          ids.map((id, i) => watchOf(id, 'polling', i)),
        );
        // Finishing half of them at once takes exactly that half off the list.
        await Promise.all(
          ids.filter((_, i) => i % 2 === 0).map((id) => store.put(watchOf(id, 'finished'))),
        );
        assert.deepEqual(
          await activeIds(store),
          ids.filter((_, i) => i % 2 === 1),
        );
      }));

    it('applies overlapping calls for one task in the order they were made', () =>
      withStore(async (store) => {
        await Promise.all([store.put(watchOf('task-a')), store.delete('task-a')]);
        assert.equal(await store.get('task-a'), undefined);
        assert.deepEqual(await store.listActive(), []);

        await Promise.all([store.delete('task-b'), store.put(watchOf('task-b'))]);
        assert.deepEqual(await store.get('task-b'), watchOf('task-b'));
        assert.deepEqual(await activeIds(store), ['task-b']);

        await Promise.all([
          store.put(watchOf('task-c', 'polling', 1)),
          store.put(watchOf('task-c', 'finished', 2)),
          store.put(watchOf('task-c', 'delivering', 3)),
        ]);
        assert.deepEqual(await store.get('task-c'), watchOf('task-c', 'delivering', 3));
        assert.deepEqual(await activeIds(store), ['task-b', 'task-c']);

        const versions = Array.from({ length: 20 }, (_, i) =>
          store.put(watchOf('task-d', 'polling', i)),
        );
        const read = store.get('task-d');
        await Promise.all(versions);
        assert.equal((await read)?.polls, 19, 'a read sees the writes asked for before it');
      }));

    it('round-trips and replaces the learned timings', () =>
      withStore(async (store) => {
        await store.putTimings({ queueWaitMs: [], processingMs: {} });
        await store.putTimings(timings);
        assert.deepEqual(await store.getTimings(), timings);
      }));

    it('refuses every operation once closed', () =>
      withStore(async (_store, backend) => {
        const store = await backend.open();
        await store.close();
        await assert.rejects(store.get('task-a'));
        await assert.rejects(store.put(watchOf('task-a')));
        await assert.rejects(store.delete('task-a'));
        await assert.rejects(store.listActive());
        await assert.rejects(store.getTimings());
        await assert.rejects(store.putTimings(timings));
        await store.close();
      }));

    it(
      'keeps everything for the next store opened on the same data',
      { skip: options.persistent ? false : 'data lives in one instance only' },
      () =>
        withStore(async (store, backend) => {
          await store.put(fullWatch('task-full'));
          await store.put(watchOf('task-active', 'polling'));
          await store.put(watchOf('task-done', 'finished'));
          await store.putTimings(timings);
          await store.close();

          const reopened = await backend.open();
          try {
            assert.deepEqual(await reopened.get('task-full'), fullWatch('task-full'));
            assert.deepEqual(await reopened.get('task-done'), watchOf('task-done', 'finished'));
            assert.deepEqual(await activeIds(reopened), ['task-active', 'task-full']);
            assert.deepEqual(await reopened.getTimings(), timings);
          } finally {
            await reopened.close();
          }
        }),
    );
  });
}

/**
 * The contract on a store server (Redis, Postgres) at `url`: each test in a namespace of its
 * own, cleared afterwards.
 */
export function describeServerStoreContract(kind: 'redis' | 'postgres', url: string): void {
  describeWatchStoreContract(
    `Keyv on ${kind === 'redis' ? 'Redis' : 'Postgres'}`,
    async () => {
      const namespace = uniqueNamespace();
      return {
        open: () => openWatchStore(url, { namespace }),
        dispose: async () => {
          const keyv = await openKeyv({ kind, url }, { namespace });
          await keyv.clear();
          await keyv.disconnect();
        },
      };
    },
    { persistent: true },
  );
}
