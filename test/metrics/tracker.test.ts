import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../../src/metrics/registry.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { sampleValue } from '../support/metric-sample.ts';
import { RecordingAdapter } from '../support/recording-adapter.ts';
import { createTestTracker } from '../support/test-tracker.ts';

const API_KEY = 'metrics-tracker-key';
const clock = new ManualClock();
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let workDir: string;

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({
    apiKey: API_KEY,
    videoBaseUrl: cdn.baseUrl,
    now: () => clock.now(),
  });
  workDir = await mkdtemp(path.join(tmpdir(), 'sora-metrics-'));
});
after(async () => {
  await Promise.all([api.close(), cdn.close(), rm(workDir, { recursive: true, force: true })]);
});

describe('tracker metrics', () => {
  it('counts the polls, the download and each delivery of a task watched to its end', async () => {
    const slack = new RecordingAdapter('slack', () => clock.now());
    const discord = new RecordingAdapter('discord', () => clock.now());
    let tracker: { activeCount: number } | undefined;
    const { registry, observer } = createMetrics({
      activeWatches: () => tracker?.activeCount ?? 0,
      processMetrics: false,
    });
    const rig = createTestTracker({
      api: { baseUrl: api.baseUrl, apiKey: API_KEY },
      clock,
      store: new MemoryWatchStore(),
      adapters: [slack, discord],
      options: { downloadsDir: path.join(workDir, 'downloads') },
      observer,
    });
    tracker = rig.tracker;
    try {
      api.addTask({ id: 'sora_metrics', queuedMs: 20_000, processingMs: 60_000 });
      await rig.tracker.start();
      for (const target of ['slack:C1', 'discord:D1']) {
        await rig.tracker.watch('sora_metrics', { target, requester: 'ann' });
      }
      discord.flaky.set('discord:D1', 1);
      assert.match(await registry.metrics(), /^sora_bot_active_watches 1$/m);

      await clock.stepUntil(
        () => slack.delivered.length + discord.delivered.length === 2,
        'two deliveries',
      );
      await clock.stepUntil(() => rig.tracker.activeCount === 0, 'the watch to finish');

      const text = await registry.metrics();
      const value = (name: string, labels: Record<string, string> = {}) =>
        sampleValue(text, name, labels) ?? 0;
      assert.match(text, /^sora_bot_active_watches 0$/m);

      // Every request the fake API saw was a poll, counted under the status it answered.
      const polls = api.requests.filter((r) => r.path.endsWith('/v1/result/sora_metrics'));
      const polled = (outcome: string) => value('sora_bot_polls_total', { outcome });
      assert.equal(polled('completed'), 1, 'polling stops at the first completed answer');
      assert.ok(polled('queued') >= 1, 'seen queued');
      assert.ok(polled('processing') >= 1, 'seen processing');
      assert.equal(polled('queued') + polled('processing') + polled('completed'), polls.length);
      assert.equal(polled('error') + polled('not_found') + polled('rate_limited'), 0);
      assert.equal(
        value('sora_bot_sora_request_duration_seconds_count', {
          operation: 'get_task',
          status: '200',
        }),
        polls.length,
        'one timed attempt per poll',
      );

      assert.equal(value('sora_bot_downloads_total', { outcome: 'ok' }), 1);
      assert.equal(value('sora_bot_downloaded_bytes_total'), FIXTURE.length);

      const deliveries = (platform: string, outcome: string) =>
        value('sora_bot_deliveries_total', { platform, kind: 'video', outcome });
      assert.equal(deliveries('slack', 'ok'), 1);
      assert.equal(deliveries('slack', 'retry'), 0);
      assert.equal(deliveries('discord', 'retry'), 1, 'the first attempt failed');
      assert.equal(deliveries('discord', 'ok'), 1);

      const delay = 'sora_bot_completion_to_delivery_seconds';
      assert.equal(value(`${delay}_count`, { platform: 'slack' }), 1);
      assert.equal(
        value(`${delay}_count`, { platform: 'discord' }),
        1,
        'only the success is timed',
      );
      // The retry came a full-jitter back-off later on the tracker's clock: half of 5 s.
      assert.ok(value(`${delay}_sum`, { platform: 'discord' }) >= 2.5);
    } finally {
      await rig.close();
    }
  });

  it('counts a poll that finds the task cancelled under "cancelled", and its failure delivery', async () => {
    const slack = new RecordingAdapter('slack', () => clock.now());
    const { registry, observer } = createMetrics({ activeWatches: () => 0, processMetrics: false });
    const rig = createTestTracker({
      api: { baseUrl: api.baseUrl, apiKey: API_KEY },
      clock,
      store: new MemoryWatchStore(),
      adapters: [slack],
      options: { downloadsDir: path.join(workDir, 'downloads-cancel') },
      observer,
    });
    try {
      api.addTask({
        id: 'video_metrics_cancel',
        model: 'seedance_2_0',
        processingMs: 60_000,
        outcome: 'canceled',
      });
      await rig.tracker.start();
      await rig.tracker.watch('video_metrics_cancel', { target: 'slack:C1', requester: 'ann' });
      await clock.stepUntil(() => slack.delivered.length === 1, 'the failure delivery');

      const text = await registry.metrics();
      const value = (name: string, labels: Record<string, string>) =>
        sampleValue(text, name, labels) ?? 0;
      assert.equal(value('sora_bot_polls_total', { outcome: 'cancelled' }), 1);
      assert.equal(value('sora_bot_polls_total', { outcome: 'other' }), 0);
      assert.equal(
        value('sora_bot_deliveries_total', { platform: 'slack', kind: 'failure', outcome: 'ok' }),
        1,
      );
      assert.equal(slack.delivered[0]?.failure?.reason, 'The task was cancelled at the service.');
    } finally {
      await rig.close();
    }
  });
});
