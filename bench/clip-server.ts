/**
 * A big clip for the delivery bench: written to disk once (a valid MP4 start, so the
 * download's check passes, then zeros), and served from there by a small CDN: any
 * `/videos/<name>.mp4` streams the file registered under <name>, never reading it whole.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FIXTURE } from '../test/fakes/video-cdn.ts';

const CHUNK = Buffer.alloc(4 * 1024 * 1024);

/** Writes a clip of `bytes`: the fixture's MP4 start, padded with zeros. */
export async function writeClip(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.write(FIXTURE);
    for (let written = FIXTURE.length; written < bytes; ) {
      const part = CHUNK.subarray(0, Math.min(CHUNK.length, bytes - written));
      await handle.write(part);
      written += part.length;
    }
  } finally {
    await handle.close();
  }
}

export interface ClipServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves each of `clips` (name → path on disk) at `/videos/<name>.mp4`. */
export async function startClipServer(clips: Record<string, string>): Promise<ClipServer> {
  const server = createServer((req, res) => {
    const name = /^\/videos\/([^/?]+)\.mp4/.exec(req.url ?? '')?.[1];
    const file = name === undefined ? undefined : clips[name];
    if (file === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    void stat(file).then(({ size }) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(size) });
      createReadStream(file).pipe(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
