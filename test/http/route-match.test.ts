import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { pathMatcher } from '../../src/http/route-match.ts';
import type { HttpRoute } from '../../src/http/routes.ts';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';

describe('route paths with :params', () => {
  it('match as Bolt’s receiver matches its custom routes', () => {
    const watch = pathMatcher('/v1/watches/:taskId');
    assert.deepEqual(watch('/v1/watches/sora_abc'), { taskId: 'sora_abc' });
    assert.deepEqual(watch('/V1/Watches/sora_abc/'), { taskId: 'sora_abc' }, 'case, trailing /');
    assert.deepEqual(watch('/v1/watches/a%20b'), { taskId: 'a b' });
    assert.deepEqual(watch('/v1/watches/a%2Fb'), { taskId: 'a/b' }, 'one segment, decoded');
    for (const path of ['/v1/watches', '/v1/watches/', '/v1/watches/a/b', '/v1/watches/%E0']) {
      assert.equal(watch(path), undefined, path);
    }
    assert.deepEqual(pathMatcher('/healthz')('/healthz'), {});
    assert.equal(pathMatcher('/healthz')('/healthz/x'), undefined);
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
