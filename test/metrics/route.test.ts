import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { probeRoutes } from '../../src/http/routes.ts';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';
import { createMetrics } from '../../src/metrics/registry.ts';
import { metricsRoute } from '../../src/metrics/route.ts';

describe('GET /metrics', () => {
  it('serves the registry in the Prometheus text format beside the probes', async (t) => {
    const { registry, observer } = createMetrics({ activeWatches: () => 7 });
    observer.polled('processing');
    const server = await startHttpServer(0, [...probeRoutes({}), metricsRoute(registry)]);
    t.after(() => stopHttpServer(server));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), registry.contentType);
    assert.match(registry.contentType, /^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    assert.match(body, /^sora_bot_active_watches 7$/m);
    assert.match(body, /^sora_bot_polls_total\{outcome="processing"\} 1$/m);
    assert.match(body, /^process_resident_memory_bytes \d+/m);
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'the probes still answer');
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
  });
});
