import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SoraClient } from '../../src/sora/client.ts';
import { TaskNotFound } from '../../src/sora/errors.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import type { OpenedStore as WatchStore } from '../../src/store/open-store.ts';
import type { Tracker, TrackerOptions } from '../../src/tracker/tracker.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { ManualClock, settle } from '../support/manual-clock.ts';
import { RecordingAdapter, resultLinkIn } from '../support/recording-adapter.ts';
import { createTestTracker } from '../support/test-tracker.ts';

const API_KEY = 'tracker-test-key';
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
/** The clock of the rig in use drives the fake API's task timelines too. */
let apiClock = new ManualClock();
let workDir: string;

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({
    apiKey: API_KEY,
    videoBaseUrl: cdn.baseUrl,
    now: () => apiClock.now(),
  });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-tracker-'));
});
after(async () => {
  await Promise.all([api.close(), cdn.close(), rm(workDir, { recursive: true, force: true })]);
});

interface Rig {
  tracker: Tracker;
  adapter: RecordingAdapter;
  clock: ManualClock;
  store: WatchStore;
  downloadsDir: string;
  client: SoraClient;
  /** Steps until `condition` holds. */
  runUntil(condition: () => boolean, what: string): Promise<void>;
  close(): Promise<void>;
}

let rigs = 0;
async function makeRig(
  options: Partial<TrackerOptions> = {},
  shared: { store?: WatchStore; clock?: ManualClock } = {},
): Promise<Rig> {
  const clock = shared.clock ?? new ManualClock();
  const store = shared.store ?? new MemoryWatchStore();
  const adapter = new RecordingAdapter('test', () => clock.now());
  const downloadsDir = path.join(workDir, `downloads-${++rigs}`);
  const { tracker, client, close } = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    adapters: [adapter],
    options: { downloadsDir, ...options },
  });
  apiClock = clock;
  return {
    tracker,
    adapter,
    clock,
    store,
    downloadsDir,
    client,
    runUntil: (condition, what) => clock.stepUntil(condition, what, 10_000),
    close,
  };
}

function requestsFor(taskId: string): number {
  return api.requests.filter((r) => r.path.endsWith(`/v1/result/${taskId}`)).length;
}

describe('Tracker', () => {
  it('polls one stream, downloads once and delivers to all 50 places watching a task', async () => {
    const rig = await makeRig();
    api.addTask({ id: 'sora_fanout', queuedMs: 20_000, processingMs: 90_000, actualDuration: 4 });
    await rig.tracker.start();
    for (let i = 1; i <= 50; i += 1) {
      await rig.tracker.watch('sora_fanout', { target: `test:${i}`, requester: `user${i}` });
    }
    assert.equal(requestsFor('sora_fanout'), 1, 'joining an existing watch asks the API nothing');
    assert.equal(
      rig.adapter.shown.filter((s) => s.posted).length,
      50,
      'each place gets its status message',
    );

    await rig.runUntil(() => rig.adapter.delivered.length === 50, '50 deliveries');
    assert.deepEqual(
      rig.adapter.delivered.map((d) => d.target).sort(),
      Array.from({ length: 50 }, (_, i) => `test:${i + 1}`).sort(),
    );
    for (const delivery of rig.adapter.delivered) {
      assert.equal(delivery.kind, 'video');
      assert.deepEqual(delivery.bytes, FIXTURE);
    }
    const videoRequests = cdn.requests.filter((r) => r.path === '/videos/sora_fanout.mp4');
    assert.equal(videoRequests.length, 1, 'one download');
    // Polls came one at a time: never two requests for the task at one virtual moment.
    assert.ok(requestsFor('sora_fanout') < 40, `${requestsFor('sora_fanout')} polls`);
    await rig.runUntil(() => rig.tracker.activeCount === 0, 'the watch to finish');
    assert.deepEqual(
      await readdir(rig.downloadsDir),
      [],
      'the clip is removed after the last delivery',
    );
    assert.deepEqual(await rig.store.listActive(), []);
    await rig.close();
  });

  it('answers a task asked for again after its clip was posted from the record, not by posting it again', async () => {
    const rig = await makeRig();
    api.addTask({ id: 'sora_again', queuedMs: 5_000, processingMs: 60_000, actualDuration: 4 });
    await rig.tracker.start();
    await rig.tracker.watch('sora_again', { target: 'test:again', requester: 'ann' });
    await rig.runUntil(() => rig.tracker.activeCount === 0, 'the watch to finish');
    assert.equal(rig.adapter.delivered.length, 1);
    const shownBefore = rig.adapter.shown.length;
    const polls = requestsFor('sora_again');

    const again = await rig.tracker.watch('sora_again', { target: 'test:again', requester: 'bob' });
    assert.equal(again.addition, 'already-delivered');
    assert.equal(again.task?.status, 'completed');
    assert.equal(again.subscription.delivery, 'done');
    assert.equal(rig.adapter.shown.length, shownBefore, 'no second card');
    assert.equal(requestsFor('sora_again'), polls, 'nothing asked of the API');
    assert.equal(rig.tracker.activeCount, 0);

    // Asked for explicitly, it is posted again; and another place gets it as any new place.
    const reposted = await rig.tracker.watch(
      'sora_again',
      { target: 'test:again', requester: 'bob' },
      { repost: true },
    );
    assert.equal(reposted.addition, 'new-watch');
    await rig.runUntil(() => rig.adapter.delivered.length === 2, 'the second delivery');
    const cdnFetches = cdn.requests.filter((r) => r.path === '/videos/sora_again.mp4').length;
    assert.equal(cdnFetches, 2, 'a repost downloads the clip again: the first copy was removed');
    await rig.close();
  });

  it('answers within its deadline while the API hangs, keeps watching and delivers once it answers', async () => {
    const rig = await makeRig({ firstAnswerWithinMs: 8_000 });
    api.addTask({ id: 'sora_hung', queuedMs: 5_000, processingMs: 60_000, actualDuration: 4 });
    api.misbehave('sora_hung', { kind: 'hang' });
    await rig.tracker.start();
    const started = rig.clock.now();
    const result = await rig.clock.stepWhile(
      rig.tracker.watch('sora_hung', { target: 'test:hung', requester: 'ann' }),
    );
    assert.equal(rig.clock.now() - started, 8_000, 'answered at the deadline, not after retries');
    assert.equal(result.addition, 'new-watch');
    assert.equal(result.task, undefined);
    assert.equal(rig.adapter.shownTo('test:hung')[0]?.view.status, 'checking');
    await rig.runUntil(() => rig.adapter.delivered.length === 1, 'the clip');
    assert.equal(rig.adapter.delivered[0]?.kind, 'video');
    await rig.close();
  });

  it('ends a watch kept while the API was down with a sentence once the API says the task does not exist', async () => {
    const rig = await makeRig();
    api.misbehave('sora_never', { kind: 'status', status: 503 });
    await rig.tracker.start();
    const result = await rig.clock.stepWhile(
      rig.tracker.watch('sora_never', { target: 'test:never', requester: 'ann' }),
    );
    assert.equal(result.task, undefined);
    await rig.runUntil(() => rig.adapter.delivered.length === 1, 'the ending');
    assert.equal(rig.adapter.delivered[0]?.kind, 'failure');
    assert.equal(
      rig.adapter.delivered[0]?.failure?.reason,
      'The service does not know the task sora_never; check the id.',
    );
    assert.equal(rig.tracker.activeCount, 0);
    await rig.close();
  });

  it('edits each status message only when the view changes, and shows the final one', async () => {
    const rig = await makeRig({ minEditIntervalMs: 5_000 });
    api.addTask({ id: 'sora_edits', queuedMs: 30_000, processingMs: 120_000, actualDuration: 8 });
    await rig.tracker.start();
    await rig.tracker.watch('sora_edits', { target: 'test:edits', requester: 'ann' });
    await rig.runUntil(() => rig.adapter.delivered.length === 1, 'the delivery');
    const shown = rig.adapter.shownTo('test:edits');
    assert.equal(shown[0]?.posted, true);
    assert.ok(
      shown.slice(1).every((s) => !s.posted && s.message === shown[0]?.message),
      'one message, edited',
    );
    const statuses = shown.map((s) => s.view.status);
    assert.deepEqual([...new Set(statuses)], ['queued', 'processing', 'completed']);
    assert.equal(shown.at(-1)?.view.tone, 'done');
    assert.equal(shown.at(-1)?.view.clipSeconds, 8);
    // No two consecutive edits show the same thing.
    const keys = shown.map((s) =>
      JSON.stringify({ ...s.view, elapsedMs: Math.floor(s.view.elapsedMs / 60_000) }),
    );
    for (let i = 1; i < keys.length; i += 1) assert.notEqual(keys[i], keys[i - 1]);
    // Each answer can change the view once: never more messages than answers.
    assert.ok(shown.length <= requestsFor('sora_edits'), `${shown.length} shown`);
    // Once the clip is posted, the card's last edit points at it.
    await rig.runUntil(() => rig.tracker.activeCount === 0, 'the watch to end');
    const final = rig.adapter.shownTo('test:edits').at(-1);
    assert.equal(final?.message, shown[0]?.message, 'the same card');
    assert.equal(final?.view.tone, 'done');
    assert.equal(final?.view.resultLink, resultLinkIn('test:edits', 1));
    await rig.close();
  });

  it('edits the status messages of one place at most once per interval', async () => {
    const rig = await makeRig({ minEditIntervalMs: 5_000 });
    const ids = ['sora_busy_a', 'sora_busy_b', 'sora_busy_c'];
    for (const id of ids) api.addTask({ id, queuedMs: 30_000, processingMs: 60_000 });
    await rig.tracker.start();
    for (const id of ids) await rig.tracker.watch(id, { target: 'test:busy', requester: 'ann' });
    await rig.runUntil(() => rig.adapter.delivered.length === 3, 'three deliveries');
    const edits = rig.adapter
      .shownTo('test:busy')
      .filter((s) => !s.posted && s.view.tone !== 'done');
    assert.ok(edits.length >= 3, `${edits.length} edits`);
    for (let i = 1; i < edits.length; i += 1) {
      const gap = (edits[i]?.at ?? 0) - (edits[i - 1]?.at ?? 0);
      assert.ok(gap >= 5_000, `edits ${i - 1} and ${i} only ${gap} ms apart`);
    }
    await rig.close();
  });

  it('delivers a failure with the API’s error to every place', async () => {
    const rig = await makeRig();
    api.addTask({
      id: 'sora_fails',
      processingMs: 60_000,
      outcome: 'failed',
      error: 'Content policy violation',
    });
    await rig.tracker.start();
    await rig.tracker.watch('sora_fails', { target: 'test:a', requester: 'ann' });
    await rig.tracker.watch('sora_fails', { target: 'test:b', requester: 'bob' });
    await rig.tracker.watch('sora_fails', { target: 'test:b', requester: 'cy' });
    await rig.runUntil(() => rig.adapter.delivered.length === 2, 'two failure notices');
    const byTarget = Object.fromEntries(rig.adapter.delivered.map((d) => [d.target, d]));
    assert.equal(byTarget['test:a']?.kind, 'failure');
    assert.equal(byTarget['test:a']?.failure?.reason, 'Content policy violation');
    assert.deepEqual(byTarget['test:b']?.requesters, ['bob', 'cy']);
    assert.equal(rig.adapter.shownTo('test:a').at(-1)?.view.tone, 'failed');
    await rig.close();
  });

  it('refuses an unknown task at once and keeps nothing', async () => {
    const rig = await makeRig();
    await rig.tracker.start();
    await assert.rejects(
      rig.tracker.watch('sora_nope', { target: 'test:x', requester: 'ann' }),
      TaskNotFound,
    );
    assert.equal(rig.tracker.activeCount, 0);
    assert.deepEqual(await rig.store.listActive(), []);
    assert.equal(rig.adapter.shown.length, 0);
    await rig.close();
  });

  it('stops polling when the last place unwatches', async () => {
    const rig = await makeRig();
    api.addTask({ id: 'sora_unwatch', queuedMs: 600_000 });
    await rig.tracker.start();
    await rig.tracker.watch('sora_unwatch', { target: 'test:u', requester: 'ann' });
    assert.equal(await rig.tracker.unwatch('sora_unwatch', 'test:other'), false);
    assert.equal(await rig.tracker.unwatch('sora_unwatch', 'test:u'), true);
    // The card no longer looks alive: its last edit says the place stopped watching.
    const last = rig.adapter.shownTo('test:u').at(-1);
    assert.equal(last?.posted, false, 'the same card, edited');
    assert.equal(last?.view.tone, 'ended');
    assert.equal(last?.view.error, 'No longer watched here.');
    assert.equal(last?.view.remainingMs, undefined, 'no time left shown');
    const before = requestsFor('sora_unwatch');
    await rig.clock.advance(3_600_000);
    await settle();
    assert.equal(requestsFor('sora_unwatch'), before);
    assert.equal(rig.tracker.activeCount, 0);
    await rig.close();
  });

  it('says on the card when the service stops answering, and stops saying it once it answers', async () => {
    const rig = await makeRig();
    api.addTask({ id: 'sora_outage', queuedMs: 600_000 });
    await rig.tracker.start();
    await rig.tracker.watch('sora_outage', { target: 'test:outage', requester: 'ann' });
    const outage = Array.from({ length: 8 }, () => ({ kind: 'status' as const, status: 503 }));
    api.misbehave('sora_outage', ...outage);
    const silent = () =>
      rig.adapter
        .shownTo('test:outage')
        .map((s) => s.view.error ?? '')
        .filter((e) => /has not answered for/.test(e));
    await rig.runUntil(() => silent().some((e) => / [1-9]\d* min;/.test(e)), 'a minute of silence');
    assert.match(
      silent().at(-1) ?? '',
      /^The service has not answered for \d+ min; still trying\.$/,
    );
    const last = () => rig.adapter.shownTo('test:outage').at(-1)?.view;
    await rig.runUntil(() => last()?.error === undefined, 'the service back');
    assert.equal(last()?.status, 'queued');
    await rig.close();
  });

  it('ends a watch whose service stopped answering by saying so, not that the task was slow', async () => {
    const rig = await makeRig({ watchMaxAgeMs: 30 * 60_000 });
    api.addTask({ id: 'sora_gone_quiet', queuedMs: 10 * 3_600_000 });
    await rig.tracker.start();
    await rig.tracker.watch('sora_gone_quiet', { target: 'test:quiet', requester: 'ann' });
    api.misbehave(
      'sora_gone_quiet',
      ...Array.from({ length: 200 }, () => ({ kind: 'status' as const, status: 503 })),
    );
    await rig.runUntil(() => rig.adapter.delivered.length === 1, 'the end notice');
    assert.match(
      rig.adapter.delivered[0]?.failure?.reason ?? '',
      /^Stopped watching after 30 min: the service has not answered for \d+ min\.$/,
    );
    await rig.close();
  });

  it('ends a watch older than the maximum age with a message', async () => {
    const rig = await makeRig({ watchMaxAgeMs: 30 * 60_000 });
    api.addTask({ id: 'sora_forever', queuedMs: 10 * 3_600_000 });
    await rig.tracker.start();
    await rig.tracker.watch('sora_forever', { target: 'test:old', requester: 'ann' });
    await rig.runUntil(() => rig.adapter.delivered.length === 1, 'the end notice');
    const notice = rig.adapter.delivered[0];
    assert.equal(notice?.kind, 'failure');
    assert.match(
      notice?.failure?.reason ?? '',
      /Stopped watching: the task was still "queued" after 30 min/,
    );
    const card = rig.adapter.shownTo('test:old').at(-1)?.view;
    assert.equal(card?.tone, 'ended', 'the card shows the watch ended');
    assert.match(card?.error ?? '', /Stopped watching/);
    assert.equal(card?.remainingMs, undefined);
    await rig.close();
  });

  it('ends a watch, without polling or downloading on, once every place watching it is gone', async () => {
    const rig = await makeRig({ minEditIntervalMs: 0 });
    api.addTask({ id: 'sora_nobody', queuedMs: 20_000, processingMs: 60_000 });
    await rig.tracker.start();
    await rig.tracker.watch('sora_nobody', { target: 'test:a', requester: 'ann' });
    await rig.tracker.watch('sora_nobody', { target: 'test:b', requester: 'bob' });
    rig.adapter.gone.add('test:a');
    rig.adapter.gone.add('test:b');
    await rig.runUntil(() => rig.tracker.activeCount === 0, 'the watch to end');
    const polls = requestsFor('sora_nobody');
    await rig.clock.advance(600_000);
    await settle();
    assert.equal(requestsFor('sora_nobody'), polls, 'no more polls');
    assert.equal(cdn.requests.filter((r) => r.path === '/videos/sora_nobody.mp4').length, 0);
    assert.equal(rig.adapter.delivered.length, 0);
    const stored = await rig.store.get('sora_nobody');
    assert.equal(stored?.phase, 'finished');
    assert.equal(stored?.endReason, 'Every place that watched it is gone.');
    await rig.close();
  });

  it('gives a link that keeps failing one budget of requests in all, then delivers the link', async () => {
    const rig = await makeRig({ maxDownloadAttempts: 8 });
    api.addTask({
      id: 'sora_bad_link',
      queuedMs: 1_000,
      processingMs: 10_000,
      videoUrl: `${cdn.baseUrl}/videos/reset.mp4`,
    });
    await rig.tracker.start();
    await rig.tracker.watch('sora_bad_link', { target: 'test:link', requester: 'ann' });
    await rig.runUntil(() => rig.adapter.delivered.length === 1, 'the delivery');
    const fetched = cdn.requests.filter((r) => r.path === '/videos/reset.mp4').length;
    assert.equal(fetched, 8, 'the downloader and the tracker share one budget, not 4 × 5');
    const [delivered] = rig.adapter.delivered;
    assert.equal(delivered?.video?.file, undefined);
    assert.match(delivered?.video?.fileProblem ?? '', /./);
    await rig.close();
  });

  it('posts the link with the reason when the clip itself cannot be posted, never nothing', async () => {
    const rig = await makeRig({ maxDeliveryAttempts: 3 });
    api.addTask({ id: 'sora_no_upload', queuedMs: 1_000, processingMs: 10_000 });
    rig.adapter.flaky.set('test:refusing', 3);
    await rig.tracker.start();
    await rig.tracker.watch('sora_no_upload', { target: 'test:refusing', requester: 'ann' });
    await rig.runUntil(() => rig.adapter.delivered.length === 1, 'something in the place');
    const [delivered] = rig.adapter.delivered;
    assert.equal(delivered?.kind, 'video');
    assert.equal(delivered?.video?.file, undefined, 'the link, not the clip');
    assert.equal(delivered?.video?.fileProblem, 'The clip could not be posted here after 3 tries.');
    assert.deepEqual(delivered?.requesters, ['ann']);
    await rig.close();
  });

  it('retries a failed delivery later and drops a place that is gone', async () => {
    const rig = await makeRig();
    api.addTask({ id: 'sora_flaky', processingMs: 30_000 });
    await rig.tracker.start();
    for (const target of ['test:ok', 'test:flaky', 'test:gone']) {
      await rig.tracker.watch('sora_flaky', { target, requester: 'ann' });
    }
    rig.adapter.flaky.set('test:flaky', 2);
    rig.adapter.gone.add('test:gone');
    await rig.runUntil(() => rig.tracker.activeCount === 0, 'the watch to finish');
    assert.deepEqual(rig.adapter.delivered.map((d) => d.target).sort(), ['test:flaky', 'test:ok']);
    await rig.close();
  });

  it('finishes after a restart the answers a stop cut off, once their card is up, and lets expired ones go', async () => {
    const store = new MemoryWatchStore();
    const clock = new ManualClock();
    const first = await makeRig({}, { store, clock });
    api.addTask({ id: 'sora_cut_off', queuedMs: 600_000 });
    await first.tracker.start();
    const until = (ms: number) => ({ until: clock.now() + ms });
    await first.tracker.watch('sora_cut_off', {
      target: 'test:waiting',
      requester: 'ann',
      pendingReply: { ref: 'token-waiting', ...until(14 * 60_000) },
    });
    await first.tracker.watch('sora_cut_off', {
      target: 'test:late',
      requester: 'bob',
      pendingReply: { ref: 'token-late', ...until(60_000) },
    });
    await first.runUntil(() => first.adapter.shown.length >= 2, 'both cards');
    assert.deepEqual(first.adapter.finishedReplies, [], 'the asking adapter answers by itself');
    // Stopped before the first place's card was recorded (as a crash mid-post would leave it).
    await first.close();
    const stored = await store.get('sora_cut_off');
    assert.ok(stored);
    for (const sub of stored.subscriptions) {
      if (sub.target === 'test:waiting') delete sub.statusMessage;
    }
    await store.put(stored);

    await clock.advance(2 * 60_000);
    const second = await makeRig({}, { store, clock });
    await second.tracker.start();
    await second.runUntil(() => second.adapter.finishedReplies.length === 1, 'the answer');
    const [finished] = second.adapter.finishedReplies;
    assert.equal(finished?.target, 'test:waiting');
    assert.equal(finished?.ref, 'token-waiting');
    assert.match(finished?.text ?? '', /^Watching sora_cut_off \(Sora 2 Plus, queued\)/);
    const card = second.adapter.shownTo('test:waiting').find((s) => s.posted);
    assert.equal(finished?.card, card?.message, 'after its card was posted again');
    await settle();
    const kept = await store.get('sora_cut_off');
    assert.deepEqual(
      kept?.subscriptions.map((s) => [s.target, s.pendingReply]),
      [
        ['test:waiting', undefined],
        ['test:late', undefined],
      ],
      'both answers forgotten: one finished, one past its time',
    );
    assert.equal(second.adapter.finishedReplies.length, 1, 'the expired answer is not tried');
    await second.close();
  });

  it('resumes every stored watch after a restart, spread over time, delivering once', async () => {
    const store = new MemoryWatchStore();
    const clock = new ManualClock();
    const first = await makeRig({ resumeSpreadMs: 10_000 }, { store, clock });
    const ids = Array.from({ length: 10 }, (_, i) => `sora_resume_${i}`);
    for (const id of ids) api.addTask({ id, queuedMs: 5_000, processingMs: 100_000 });
    await first.tracker.start();
    for (const id of ids) await first.tracker.watch(id, { target: 'test:r', requester: 'ann' });
    await first.close();
    assert.equal((await store.listActive()).length, 10);

    // Much later: every watch is overdue when the new process starts.
    await clock.advance(600_000);
    const second = await makeRig({ resumeSpreadMs: 10_000 }, { store, clock });
    const restartAt = clock.now();
    const seen = api.requests.length;
    await second.tracker.start();
    await settle();
    assert.ok(api.requests.length - seen <= 1, 'nothing is polled at once but the first');
    await second.runUntil(() => second.adapter.delivered.length === 10, 'ten deliveries');
    assert.ok(clock.now() - restartAt >= 9_000, 'the resumed polls were spread out');
    assert.deepEqual(
      second.adapter.delivered.map((d) => d.kind),
      Array(10).fill('video'),
    );
    assert.equal(first.adapter.delivered.length, 0);
    await second.close();
  });

  it('leaves no clip behind and keeps nothing active once all is delivered', async () => {
    const rig = await makeRig();
    api.addTask({ id: 'sora_clean' });
    await rig.tracker.start();
    await rig.tracker.watch('sora_clean', { target: 'test:c', requester: 'ann' });
    await rig.runUntil(() => rig.tracker.activeCount === 0, 'the watch to finish');
    assert.equal(existsSync(path.join(rig.downloadsDir, 'sora_clean.mp4')), false);
    await rig.close();
  });
});
