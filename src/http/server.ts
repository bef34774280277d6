/** A small HTTP server for the bot's own routes, when Slack's receiver does not host them. */
import { createServer, type Server } from 'node:http';
import { pathMatcher } from './route-match.ts';
import type { HttpRoute } from './routes.ts';

export async function startHttpServer(port: number, routes: HttpRoute[]): Promise<Server> {
  const matchers = routes.map((route) => ({ route, params: pathMatcher(route.path) }));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bot.invalid').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    // As Bolt's receiver: the first route whose path and method match, with `req.params`.
    const matches = matchers.flatMap(({ route, params }) => {
      const found = params(path);
      return found === undefined ? [] : [{ route, params: found }];
    });
    const match = matches.find(({ route }) => route.method.some((m) => m.toUpperCase() === method));
    if (match !== undefined) {
      match.route.handler(Object.assign(req, { params: match.params }), res);
    } else if (matches.length > 0) {
      const allow = matches.flatMap(({ route }) => route.method);
      res.writeHead(405, { allow: allow.join(', ') }).end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}

export async function stopHttpServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
