/**
 * A local stand-in for the CDN that serves finished Sora videos. Any `/videos/<name>.mp4`
 * serves the tiny fixture (with ranges, like S3/OSS); a few names misbehave on purpose so
 * the download's refusals, retries and resumes can be tested against a real socket.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export const FIXTURE_PATH = new URL('../fixtures/tiny.mp4', import.meta.url);
export const FIXTURE = readFileSync(FIXTURE_PATH);
const FIXTURE_ETAG = `"${createHash('sha256').update(FIXTURE).digest('hex').slice(0, 16)}"`;
const FIVE_GIB = 5 * 1024 ** 3;
const ZEROS = Buffer.alloc(64 * 1024);

export interface FakeVideoCdn {
  baseUrl: string;
  /** Every request received, in order. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** TCP connections accepted: stays 0 when a link is refused before connecting. */
  connections(): number;
  close(): Promise<void>;
}

export async function startFakeVideoCdn(): Promise<FakeVideoCdn> {
  const requests: FakeVideoCdn['requests'] = [];
  const seen = new Map<string, number>();
  let connections = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cdn.invalid');
    requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers });
    const visits = (seen.get(url.pathname) ?? 0) + 1;
    seen.set(url.pathname, visits);
    route(url, visits, req, res);
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function route(url: URL, visits: number, req: IncomingMessage, res: ServerResponse): void {
  if (url.pathname === '/redirect') {
    res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    return;
  }
  const file = /^\/videos\/([^/]+)\.mp4$/.exec(url.pathname)?.[1];
  // "stall-once-<anything>" names share one behaviour, each with its own first visit.
  const name = file?.startsWith('stall-once') ? 'stall-once' : file;
  switch (name) {
    case undefined:
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    case 'expired':
      res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end(
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
        );
      return;
    case 'gone':
      res.writeHead(410, { 'content-type': 'text/plain' }).end('gone');
      return;
    case 'missing':
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    case 'page':
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><html><body><h1>Sign in to continue</h1></body></html>');
      return;
    case 'large':
      streamZerosForever(res, { 'content-length': String(FIVE_GIB) });
      return;
    case 'large-chunked':
      streamZerosForever(res, {});
      return;
    case 'flaky':
      if (visits === 1) sendHalfThenReset(res, true);
      else serveFixture(req, res, true);
      return;
    case 'flaky-no-range':
      if (visits === 1) sendHalfThenReset(res, false);
      else serveFixture(req, res, false);
      return;
    case 'reset':
      res.socket?.destroy();
      return;
    case 'error-then-ok':
      if (visits === 1) res.writeHead(503, { 'retry-after': '1' }).end('busy');
      else serveFixture(req, res, true);
      return;
    case 'stall-once':
      // The first transfer stops after a few bytes and never ends (a process killed while
      // downloading); any later request gets the whole file.
      if (visits === 1) {
        res.writeHead(200, {
          'content-type': 'video/mp4',
          'content-length': String(FIXTURE.length),
        });
        res.write(FIXTURE.subarray(0, 16));
      } else {
        serveFixture(req, res, true);
      }
      return;
    case 'slow':
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(FIXTURE.length) });
      res.flushHeaders();
      return;
    default:
      serveFixture(req, res, true);
  }
}

/** The fixture, whole or from a `Range: bytes=N-` / `bytes=N-M` offset. */
function serveFixture(req: IncomingMessage, res: ServerResponse, ranges: boolean): void {
  const headers: Record<string, string> = { 'content-type': 'video/mp4', etag: FIXTURE_ETAG };
  if (ranges) headers['accept-ranges'] = 'bytes';
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  const honourRange = ranges && range && (ifRange === undefined || ifRange === FIXTURE_ETAG);
  if (!honourRange || !range) {
    res.writeHead(200, { ...headers, 'content-length': String(FIXTURE.length) }).end(FIXTURE);
    return;
  }
  const start = Number(range[1]);
  const end = range[2] ? Math.min(Number(range[2]), FIXTURE.length - 1) : FIXTURE.length - 1;
  if (start > end) {
    res.writeHead(416, { 'content-range': `bytes */${FIXTURE.length}` }).end();
    return;
  }
  const part = FIXTURE.subarray(start, end + 1);
  res
    .writeHead(206, {
      ...headers,
      'content-length': String(part.length),
      'content-range': `bytes ${start}-${end}/${FIXTURE.length}`,
    })
    .end(part);
}

/** Announces the whole fixture, sends half of it, then drops the connection. */
function sendHalfThenReset(res: ServerResponse, ranges: boolean): void {
  const headers: Record<string, string> = {
    'content-type': 'video/mp4',
    'content-length': String(FIXTURE.length),
    etag: FIXTURE_ETAG,
  };
  if (ranges) headers['accept-ranges'] = 'bytes';
  res.writeHead(200, headers);
  res.write(FIXTURE.subarray(0, Math.floor(FIXTURE.length / 2)), () => res.socket?.destroy());
}

/** An MP4 header and then zeros, until the client hangs up (respecting back-pressure). */
function streamZerosForever(res: ServerResponse, extraHeaders: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'video/mp4', ...extraHeaders });
  res.write(FIXTURE.subarray(0, 8));
  const pump = (): void => {
    while (!res.destroyed && res.write(ZEROS)) {
      // keep writing until the socket buffer is full
    }
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}
