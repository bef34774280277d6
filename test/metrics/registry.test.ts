import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetrics } from '../../src/metrics/registry.ts';
import { sampleValue } from '../support/metric-sample.ts';

describe('metrics registry', () => {
  it('counts creates by model and outcome, and the seconds of clip started by model', async () => {
    const { registry, observer } = createMetrics({ activeWatches: () => 0, processMetrics: false });
    observer.createFinished('veo_3_1_fast', 'created', 8);
    observer.createFinished('veo_3_1_fast', 'created', 8);
    observer.createFinished('veo_3_1_fast', 'repeated', 8);
    observer.createFinished('openAiSora2Pro', 'limited', 12);
    observer.createFinished('made-up model {"x"}', 'invalid', undefined);
    const text = await registry.metrics();
    const value = (name: string, labels: Record<string, string>) => sampleValue(text, name, labels);
    assert.equal(value('sora_bot_creates_total', { model: 'veo_3_1_fast', outcome: 'created' }), 2);
    assert.equal(
      value('sora_bot_creates_total', { model: 'veo_3_1_fast', outcome: 'repeated' }),
      1,
    );
    assert.equal(
      value('sora_bot_creates_total', { model: 'openAiSora2Pro', outcome: 'limited' }),
      1,
    );
    assert.equal(value('sora_bot_creates_total', { model: 'other', outcome: 'invalid' }), 1);
    assert.equal(value('sora_bot_created_clip_seconds_total', { model: 'veo_3_1_fast' }), 16);
    assert.equal(
      value('sora_bot_created_clip_seconds_total', { model: 'openAiSora2Pro' }),
      undefined,
      'only videos started count their seconds',
    );
  });

  it('turns observer calls into samples with their labels and values', async () => {
    let active = 3;
    const { registry, observer } = createMetrics({
      activeWatches: () => active,
      processMetrics: false,
    });
    observer.polled('queued');
    observer.polled('queued');
    observer.polled('rate_limited');
    observer.delivered('slack', 'video', 'ok');
    observer.delivered('discord', 'link', 'retry');
    observer.delivered('discord', 'link', 'retry');
    observer.deliveredAfterCompletion('slack', 3);
    observer.deliveredAfterCompletion('slack', 40);
    observer.downloaded(4278, 'ok');
    observer.downloaded(1000, 'ok');
    observer.downloaded(0, 'retry');
    observer.requestFinished('get_task', '200', 0.3);
    observer.requestFinished('create_task', 'network_error', 12);
    observer.rateLimited();

    const text = await registry.metrics();
    const value = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(text, name, labels);
    assert.match(text, /^sora_bot_active_watches 3$/m);
    assert.match(text, /^# TYPE sora_bot_active_watches gauge$/m);
    assert.equal(value('sora_bot_polls_total', { outcome: 'queued' }), 2);
    assert.equal(value('sora_bot_polls_total', { outcome: 'rate_limited' }), 1);
    assert.equal(value('sora_bot_polls_total', { outcome: 'completed' }), undefined);
    assert.equal(
      value('sora_bot_deliveries_total', { platform: 'slack', kind: 'video', outcome: 'ok' }),
      1,
    );
    assert.equal(
      value('sora_bot_deliveries_total', { platform: 'discord', kind: 'link', outcome: 'retry' }),
      2,
    );
    const slack = { platform: 'slack' };
    assert.equal(value('sora_bot_completion_to_delivery_seconds_count', slack), 2);
    assert.equal(value('sora_bot_completion_to_delivery_seconds_sum', slack), 43);
    assert.equal(value('sora_bot_completion_to_delivery_seconds_bucket', { ...slack, le: '5' }), 1);
    assert.equal(
      value('sora_bot_completion_to_delivery_seconds_bucket', { ...slack, le: '60' }),
      2,
    );
    assert.equal(value('sora_bot_downloaded_bytes_total'), 5278);
    assert.equal(value('sora_bot_downloads_total', { outcome: 'ok' }), 2);
    assert.equal(value('sora_bot_downloads_total', { outcome: 'retry' }), 1);
    const got = { operation: 'get_task', status: '200' };
    assert.equal(value('sora_bot_sora_request_duration_seconds_count', got), 1);
    assert.equal(value('sora_bot_sora_request_duration_seconds_sum', got), 0.3);
    assert.equal(value('sora_bot_sora_request_duration_seconds_bucket', { ...got, le: '0.25' }), 0);
    assert.equal(value('sora_bot_sora_request_duration_seconds_bucket', { ...got, le: '0.5' }), 1);
    const lost = { operation: 'create_task', status: 'network_error' };
    assert.equal(value('sora_bot_sora_request_duration_seconds_count', lost), 1);
    assert.equal(value('sora_bot_sora_request_duration_seconds_bucket', { ...lost, le: '10' }), 0);
    assert.equal(value('sora_bot_sora_rate_limited_total'), 1);
    assert.doesNotMatch(text, /process_cpu_seconds_total/, 'no process metrics when turned off');

    active = 5;
    assert.match(await registry.metrics(), /^sora_bot_active_watches 5$/m, 'read at each scrape');
  });

  it('keeps each registry apart and adds the process metrics by default', async () => {
    const first = createMetrics({ activeWatches: () => 0 });
    const second = createMetrics({ activeWatches: () => 0 });
    first.observer.rateLimited();
    const text = await second.registry.metrics();
    assert.equal(sampleValue(text, 'sora_bot_sora_rate_limited_total'), 0);
    assert.match(text, /^process_cpu_seconds_total /m);
    assert.match(text, /^nodejs_heap_size_used_bytes /m);
    assert.equal(
      sampleValue(await first.registry.metrics(), 'sora_bot_sora_rate_limited_total'),
      1,
    );
  });
});
