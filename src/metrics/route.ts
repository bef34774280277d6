/**
 * `GET /metrics` in the Prometheus text format, as one more of the bot's HTTP routes: it is
 * served wherever the probes are (Slack's port in HTTP mode, or the bot's own server).
 */
import type { Registry } from 'prom-client';
import type { HttpRoute } from '../http/routes.ts';

export function metricsRoute(registry: Registry): HttpRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (_req, res) => {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
      );
    },
  };
}
