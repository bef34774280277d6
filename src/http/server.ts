/** A small HTTP server for the bot's own routes, when Slack's receiver does not host them. */
import { createServer, type Server } from 'node:http';
import type { HttpRoute } from './routes.ts';

export async function startHttpServer(port: number, routes: HttpRoute[]): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bot.invalid').pathname;
    const route = routes.find((r) => r.path === path);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } else if (!route.method.includes(req.method ?? 'GET')) {
      res.writeHead(405, { allow: route.method.join(', ') }).end();
    } else {
      route.handler(req, res);
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
