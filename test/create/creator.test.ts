/**
 * Making a video: checked before anything is sent, recorded under its idempotency key before
 * the request, never sent twice under one key (a repeat, a double click, a crash before the
 * answer), forgotten when the service surely refused it, and watched at once in every place
 * asked for, with the prompt and the clip length known.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateLimitReached } from '../../src/chat/create-refusal.ts';
import { type CreateOutcome, Creator } from '../../src/create/creator.ts';
import { SpendingLimits } from '../../src/create/spending-limits.ts';
import { InsufficientBalance, InvalidCreateParams } from '../../src/sora/errors.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { CreateInDoubt } from '../../src/watch/create-record.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { createTestTracker } from '../support/test-tracker.ts';

const API_KEY = 'creator-test-key';
const clock = new ManualClock();
let api: FakeSoraApi;
let workDir: string;
let rigs = 0;

before(async () => {
  api = await startFakeSoraApi({ apiKey: API_KEY, now: () => clock.now() });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-creator-'));
});
after(async () => {
  await api.close();
  await rm(workDir, { recursive: true, force: true });
});

async function makeCreator(extra: Partial<ConstructorParameters<typeof Creator>[0]> = {}) {
  const store = new MemoryWatchStore(() => clock.now());
  const adapter = new RecordingAdapter('test', () => clock.now());
  const rig = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    adapters: [adapter],
    options: { downloadsDir: path.join(workDir, `downloads-${++rigs}`) },
  });
  await rig.tracker.start();
  const creator = new Creator({
    sora: rig.client,
    tracker: rig.tracker,
    records: store,
    clock,
    ...extra,
  });
  return { creator, store, adapter, ...rig };
}

const VEO = {
  model: 'veo_3_1_fast',
  prompt: '  A fox running through snow  ',
  aspect_ratio: '16:9',
};
const creates = () => api.creates.length;

describe('Creator', () => {
  it('creates once per key and watches the task at once, with its prompt and clip length', async () => {
    const { creator, store, adapter, tracker, close } = await makeCreator();
    const before = creates();
    const origins = [
      { target: 'test:studio', requester: 'ann' },
      { target: 'test:review', requester: 'ann' },
    ];
    const first = await creator.create(VEO, origins, 'form-1');
    assert.equal(first.repeated, false);
    assert.match(first.taskId, /^vgen_/);
    assert.equal(creates() - before, 1);
    assert.equal(api.creates.at(-1)?.idempotencyKey, 'form-1', 'the key goes to the service too');
    assert.deepEqual(
      first.watches.map((w) => w.subscription.target),
      ['test:studio', 'test:review'],
    );
    const card = adapter.shownTo('test:studio')[0];
    assert.equal(card?.posted, true, 'a card at once');
    assert.equal(card?.view.taskId, first.taskId, 'naming the task');
    const watch = (await tracker.find(first.taskId))?.watch;
    assert.equal(watch?.prompt, 'A fox running through snow');
    assert.equal(watch?.clipSeconds, 8, 'VEO clips are 8 s: the schedule knows the length');
    assert.deepEqual(await store.getCreate('form-1'), {
      key: 'form-1',
      state: 'created',
      at: clock.now(),
      taskId: first.taskId,
    });

    // The same submission again, twice at once: the first task answers, nothing is sent.
    const [again, alsoAgain] = await Promise.all([
      creator.create(VEO, [origins[0] ?? { target: 'x' }], 'form-1'),
      creator.create(VEO, [origins[0] ?? { target: 'x' }], 'form-1'),
    ]);
    assert.equal(again.taskId, first.taskId);
    assert.equal(alsoAgain.taskId, first.taskId);
    assert.equal(again.repeated, true);
    assert.equal(creates() - before, 1, 'never a second video');
    assert.equal(adapter.shown.filter((s) => s.posted).length, 2, 'no second card either');
    await close();
  });

  it('sends a double click once: the second waits for the first and gets its task', async () => {
    const { creator, close } = await makeCreator();
    const before = creates();
    const origin = { target: 'test:double', requester: 'bob' };
    const [a, b] = await Promise.all([
      creator.create(VEO, [origin], 'click-1'),
      creator.create(VEO, [origin], 'click-1'),
    ]);
    assert.equal(a.taskId, b.taskId);
    assert.deepEqual([a.repeated, b.repeated].sort(), [false, true]);
    assert.equal(creates() - before, 1);
    await close();
  });

  it('does not send again a create whose answer was lost (a crash after it was sent)', async () => {
    const { creator, store, close } = await makeCreator();
    // What a crash between recording the request and hearing the answer leaves behind.
    await store.putCreate({ key: 'lost-1', state: 'sending', at: clock.now() }, 86_400_000);
    const before = api.requests.length;
    const error = await creator
      .create(VEO, [{ target: 'test:lost' }], 'lost-1')
      .catch((e: unknown) => e);
    assert.ok(error instanceof CreateInDoubt);
    assert.match(error.message, /may have started; it is not sent again/);
    assert.equal(api.requests.length, before, 'nothing sent');
    await close();
  });

  it('checks the request before recording or sending anything, naming the field', async () => {
    const { creator, store, close } = await makeCreator();
    const before = api.requests.length;
    const error = await creator
      .create(
        { ...VEO, resolution: '4K', model: 'veo_3_1_fast_stable' },
        [{ target: 't' }],
        'bad-1',
      )
      .catch((e: unknown) => e);
    assert.ok(error instanceof InvalidCreateParams);
    assert.deepEqual(error.fields, ['resolution']);
    assert.equal(api.requests.length, before);
    assert.equal(await store.getCreate('bad-1'), undefined, 'nothing recorded');
    await close();
  });

  it('forgets a create the service refused, so the same key can be sent again once fixed', async () => {
    const { creator, store, close } = await makeCreator();
    api.misbehaveAll({ kind: 'status', status: 402, body: '{}' });
    await assert.rejects(
      creator.create(VEO, [{ target: 'test:broke' }], 'refused-1'),
      InsufficientBalance,
    );
    assert.equal(await store.getCreate('refused-1'), undefined);
    const again = await creator.create(VEO, [{ target: 'test:broke' }], 'refused-1');
    assert.equal(again.repeated, false, 'sent this time');
    await close();
  });

  it('keeps a key whose request may have reached the service (a 500), and never resends it', async () => {
    const { creator, store, close } = await makeCreator();
    api.misbehaveAll({ kind: 'status', status: 500 });
    await assert.rejects(creator.create(VEO, [{ target: 'test:maybe' }], 'maybe-1'));
    assert.equal((await store.getCreate('maybe-1'))?.state, 'sending');
    await assert.rejects(creator.create(VEO, [{ target: 'test:maybe' }], 'maybe-1'), CreateInDoubt);
    await close();
  });

  it('counts a video against the asker before sending, gives back a refusal, and reports each outcome', async () => {
    const limitsStore = new MemoryWatchStore(() => clock.now());
    const limits = new SpendingLimits({
      rules: { allowed: 'everyone', admins: [], dailyVideos: 1 },
      store: limitsStore,
      clock,
    });
    const outcomes: [string, CreateOutcome, number | undefined][] = [];
    const observer = {
      createFinished: (...args: (typeof outcomes)[number]) => outcomes.push(args),
    };
    const { creator, close } = await makeCreator({ limits, observer });
    const anna = { target: 'test:limits', requester: 'anna' };

    api.misbehaveAll({ kind: 'status', status: 402, body: '{}' });
    await assert.rejects(creator.create(VEO, [anna], 'limit-1'), InsufficientBalance);
    const first = await creator.create(VEO, [anna], 'limit-2');
    assert.equal(first.repeated, false, 'the refused one was given back');
    const before = api.requests.length;
    await assert.rejects(creator.create(VEO, [anna], 'limit-3'), CreateLimitReached);
    assert.equal(api.requests.length, before, 'nothing sent past the limit');
    await creator.create(VEO, [anna], 'limit-2');
    await assert.rejects(creator.create({ ...VEO, seconds: 4 }, [anna], 'limit-4'));
    assert.deepEqual(outcomes, [
      ['veo_3_1_fast', 'refused', 8],
      ['veo_3_1_fast', 'created', 8],
      ['veo_3_1_fast', 'limited', 8],
      ['veo_3_1_fast', 'repeated', 8],
      ['veo_3_1_fast', 'invalid', undefined],
    ]);
    await close();
  });
});
