import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../../src/metrics/registry.ts';
import type { SoraClient } from '../../src/sora/client.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { sampleValue } from '../support/metric-sample.ts';
import { createTestSoraClient } from '../support/test-sora-client.ts';

const API_KEY = 'metrics-test-key';
let fake: FakeSoraApi;

before(async () => {
  fake = await startFakeSoraApi({ apiKey: API_KEY });
});
after(() => fake.close());

/** A client on a manual clock that reports to a fresh metrics registry. */
function makeClient(): { client: SoraClient; clock: ManualClock; metrics: () => Promise<string> } {
  const clock = new ManualClock();
  const { registry, observer } = createMetrics({ activeWatches: () => 0, processMetrics: false });
  const client = createTestSoraClient({ baseUrl: fake.baseUrl, apiKey: API_KEY }, clock, {
    requestTimeoutMs: 2000,
    observer,
  });
  return { client, clock, metrics: () => registry.metrics() };
}

describe('SoraClient metrics', () => {
  it('counts a 429 once and times both attempts with their status codes', async () => {
    const { client, clock, metrics } = makeClient();
    try {
      fake.addTask({ id: 'sora_metrics_429' });
      fake.misbehave('sora_metrics_429', { kind: 'status', status: 429, retryAfter: '2' });
      const task = await clock.stepWhile(client.getTask('sora_metrics_429'));
      assert.equal(task.status, 'completed');

      const text = await metrics();
      assert.equal(sampleValue(text, 'sora_bot_sora_rate_limited_total'), 1);
      const count = 'sora_bot_sora_request_duration_seconds_count';
      const sum = 'sora_bot_sora_request_duration_seconds_sum';
      const limited = { operation: 'get_task', status: '429' };
      const answered = { operation: 'get_task', status: '200' };
      assert.equal(sampleValue(text, count, limited), 1);
      assert.equal(sampleValue(text, count, answered), 1);
      // Each attempt is timed on the injected clock, which only moved during the wait.
      assert.equal(sampleValue(text, sum, limited), 0);
      assert.equal(sampleValue(text, sum, answered), 0);
      assert.deepEqual(clock.sleeps, [2000], 'the Retry-After wait is not part of an attempt');
    } finally {
      await client.close();
    }
  });

  it('labels an attempt that got no answer as a network error', async () => {
    const { client, clock, metrics } = makeClient();
    try {
      fake.addTask({ id: 'sora_metrics_reset' });
      fake.misbehave('sora_metrics_reset', { kind: 'reset' });
      await clock.stepWhile(client.getTask('sora_metrics_reset'));

      const text = await metrics();
      const count = 'sora_bot_sora_request_duration_seconds_count';
      assert.equal(sampleValue(text, count, { operation: 'get_task', status: 'network_error' }), 1);
      assert.equal(sampleValue(text, count, { operation: 'get_task', status: '200' }), 1);
      assert.equal(sampleValue(text, 'sora_bot_sora_rate_limited_total'), 0);
    } finally {
      await client.close();
    }
  });

  it('times a created task under its own operation', async () => {
    const { client, metrics } = makeClient();
    try {
      await client.createTask({
        model: 'openAiSora2Plus',
        prompt: 'a lighthouse at dusk',
        duration: 4,
      });
      const text = await metrics();
      const created = { operation: 'create_task', status: '200' };
      assert.equal(sampleValue(text, 'sora_bot_sora_request_duration_seconds_count', created), 1);
    } finally {
      await client.close();
    }
  });
});
