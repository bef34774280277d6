import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { matchRoutePath } from '../../src/http/route-match.ts';
import type { HttpRoute } from '../../src/http/routes.ts';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';

// The matcher Bolt's HTTPReceiver uses for custom routes, loaded from where Bolt loads it.
const boltRequire = createRequire(import.meta.resolve('@slack/bolt'));
const { match } = boltRequire('path-to-regexp') as {
  match: (
    path: string,
    options: { decode: (s: string) => string },
  ) => (p: string) => false | { params: Record<string, string> };
};

describe('route paths with :params', () => {
  it('match exactly as Bolt’s receiver matches its custom routes', () => {
    const patterns = ['/healthz', '/v1/watches', '/v1/watches/:taskId', '/a/:x/b/:y'];
    const paths = [
      '/healthz',
      '/healthz/',
      '/HealthZ',
      '/healthz/x',
      '/v1/watches',
      '/v1/watches/',
      '/v1/watches/sora_abc',
      '/V1/Watches/sora_abc/',
      '/v1/watches/a%20b',
      '/v1/watches/a%2Fb',
      '/v1/watches/a/b',
      '/v1/watches//',
      '/a/1/b/2',
      '/a//b/2',
      '/',
      '',
    ];
    for (const pattern of patterns) {
      const bolt = match(pattern, { decode: decodeURIComponent });
      for (const path of paths) {
        const theirs = bolt(path);
        assert.deepEqual(
          matchRoutePath(pattern, path),
          theirs === false ? undefined : { ...theirs.params },
          `${pattern} against ${JSON.stringify(path)}`,
        );
      }
    }
    assert.equal(matchRoutePath('/v1/watches/:taskId', '/v1/watches/%E0'), undefined);
  });

  it('are routed by our own server with req.params set, 405 for another method, 404 elsewhere', async (t) => {
    const seen: unknown[] = [];
    const routes: HttpRoute[] = [
      {
        path: '/items/:id',
        method: ['GET'],
        handler: (req, res) => {
          seen.push((req as { params?: unknown }).params);
          res.end('ok');
        },
      },
      { path: '/items', method: ['POST'], handler: (_req, res) => res.end('made') },
    ];
    const server = await startHttpServer(0, routes);
    t.after(() => stopHttpServer(server));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    assert.equal(await (await fetch(`${base}/items/a%20b?x=1`)).text(), 'ok');
    assert.deepEqual(seen, [{ id: 'a b' }]);
    assert.equal((await fetch(`${base}/items`, { method: 'POST' })).status, 200);
    const wrong = await fetch(`${base}/items/a`, { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.equal((await fetch(`${base}/items/a/b`)).status, 404);
    assert.equal((await fetch(`${base}/items/%E0`)).status, 404);
  });
});
