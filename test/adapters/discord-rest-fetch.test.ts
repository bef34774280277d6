// How much of an upload the bot holds while it sends it: the clip's form goes through
// restFetch to a local server that stops reading halfway; memory is measured there, after
// a full collection, so only what something still holds counts.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { writeClip } from '../../bench/clip-server.ts';
import { clipForm } from '../../src/adapters/discord/clip-form.ts';
import { restFetch } from '../../src/adapters/discord/rest-fetch.ts';

const MiB = 1024 * 1024;
const CLIP_BYTES = 32 * MiB;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

let dir: string;
let clip: string;
let server: Server;
let url: string;
/** Resolves when the server has read half of an upload, with a function that reads on. */
let halfway: Promise<() => void>;
let reachHalfway: (readOn: () => void) => void;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sora-rest-fetch-'));
  clip = path.join(dir, 'clip.mp4');
  await writeClip(clip, CLIP_BYTES);
  server = createServer((req, res) => {
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received - chunk.length < CLIP_BYTES / 2 && received >= CLIP_BYTES / 2) {
        req.pause();
        reachHalfway(() => req.resume());
      }
    });
    req.on('end', () => res.end(JSON.stringify({ received })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** The array-buffer memory still held, over the start, when half the clip has been sent. */
async function heldHalfway(send: (body: FormData) => Promise<Response>): Promise<number> {
  halfway = new Promise((resolve) => {
    reachHalfway = resolve;
  });
  const body = await clipForm({ content: 'ready' }, 'clip.mp4', clip);
  const start = await collected();
  const sending = send(body);
  const readOn = await halfway;
  const held = (await collected()) - start;
  readOn();
  const { received } = (await (await sending).json()) as { received: number };
  assert.ok(received > CLIP_BYTES, 'the whole form arrived');
  return held;
}

/** Array-buffer memory after a full collection, once the freed buffers have been swept. */
async function collected(): Promise<number> {
  await sleep(50);
  collect();
  // V8 frees array buffers on a background thread after the collection.
  await sleep(50);
  return process.memoryUsage().arrayBuffers;
}

describe('restFetch', () => {
  it('holds a few chunks of an upload at a time, never the clip', async () => {
    const held = await heldHalfway((body) => restFetch(url, { method: 'POST', body }));
    assert.ok(held < 8 * MiB, `held ${(held / MiB).toFixed(1)} MiB of a 32 MiB clip`);
  });

  it('avoids the copy Node’s fetch keeps while it may follow a redirect', async () => {
    // Should this fail, fetch no longer keeps the copy, and restFetch has no reason to exist.
    const held = await heldHalfway((body) => fetch(url, { method: 'POST', body }));
    assert.ok(held > 8 * MiB, `held ${(held / MiB).toFixed(1)} MiB of a 32 MiB clip`);
  });

  it('refuses a redirect rather than following it', async () => {
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: url }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirecting.address() as AddressInfo;
      await assert.rejects(
        restFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' }),
        TypeError,
      );
    } finally {
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });
});
