import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { NotReady, probeRoutes } from '../../src/http/routes.ts';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';

describe('probes', () => {
  it('says healthy always, ready only while every check passes, naming the one that fails', async (t) => {
    let storeUp = true;
    const server = await startHttpServer(
      0,
      probeRoutes({
        store: async () => {
          if (!storeUp) throw new Error('connection refused to redis://:secret@host');
        },
      }),
    );
    t.after(() => stopHttpServer(server));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, checks: { store: 'ok' } });

    storeUp = false;
    const unready = await fetch(`${base}/readyz`);
    assert.equal(unready.status, 503);
    const body = await unready.text();
    assert.deepEqual(JSON.parse(body), { ready: false, checks: { store: 'Error' } });
    assert.doesNotMatch(body, /secret/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'the process itself is still up');
    assert.equal((await fetch(`${base}/nothing`)).status, 404);
    assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 405);
  });

  it('names what is not ready when a check says so in words that are safe to show', async (t) => {
    let connected = false;
    const server = await startHttpServer(
      0,
      probeRoutes({
        store: async () => {},
        adapters: async () => {
          if (!connected) throw new NotReady('not connected: discord');
        },
      }),
    );
    t.after(() => stopHttpServer(server));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const unready = await fetch(`${base}/readyz`);
    assert.equal(unready.status, 503);
    assert.deepEqual(await unready.json(), {
      ready: false,
      checks: { store: 'ok', adapters: 'not connected: discord' },
    });
    connected = true;
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });
});
