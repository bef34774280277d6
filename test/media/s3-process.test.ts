/**
 * The bot process with its clip library in S3-compatible storage (`MEDIA_STORE_URL=s3://…`,
 * s3rver on loopback behind a proxy that can hold requests): a delivered clip goes up to the
 * bucket with its poster and facts before it is posted, its share page streams it from there,
 * and a SIGKILL while the clip is going up loses nothing and posts nothing twice.
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { S3MediaStore } from '../../src/media/s3-media-store.ts';
import { clipToken } from '../../src/web/clip-token.ts';
import { FIXTURE } from '../fakes/video-cdn.ts';
import { FakeWorld, SECRETS } from '../support/fake-world.ts';
import { type S3Server, startS3Server } from '../support/s3-server.ts';
import { waitFor } from '../support/wait-for.ts';

const INTAKE_TOKEN: string = SECRETS.intakeToken;
const CLIP_LINK_SECRET = 'clip-link-secret-for-the-s3-process-test-01';
const S3_SECRET = 'never-logged-s3-secret-key-0123456789';
const DISCORD_CHANNEL = '200000000000000091';
let world: FakeWorld;
let s3: S3Server;
let proxy: HoldingProxy;
let timeline = 0;

/**
 * A pass-through proxy to the S3 server that, while `holdClips` is on, takes an upload of a
 * clip (a PUT of a `.mp4` key) and never answers it: the upload is "in flight" for as long as
 * the test likes.
 */
interface HoldingProxy {
  url: string;
  holdClips: boolean;
  /** How many clip uploads it is holding. */
  held: number;
  close(): Promise<void>;
}

async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const state = { holdClips: false, held: 0 };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    if (state.holdClips && req.method === 'PUT' && path.endsWith('.mp4')) {
      state.held += 1;
      req.resume(); // read the body, answer nothing
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get holdClips() {
      return state.holdClips;
    },
    set holdClips(on: boolean) {
      state.holdClips = on;
    },
    get held() {
      return state.held;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

before(async () => {
  s3 = await startS3Server();
  proxy = await startHoldingProxy(s3.endpoint);
  world = await FakeWorld.start({ now: () => timeline });
});
after(async () => {
  await world.close();
  await proxy.close();
  await s3.stop();
});

function botEnv(prefix: string): Record<string, string> {
  return {
    INTAKE_TOKEN,
    PUBLIC_URL: 'https://clips.example.com',
    CLIP_LINK_SECRET,
    MEDIA_STORE_URL: `s3://${s3.bucket}/${prefix}`,
    AWS_ENDPOINT_URL_S3: proxy.url,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: S3_SECRET,
  };
}

async function handOver(url: string, taskId: string, prompt: string): Promise<void> {
  const answer = await fetch(`${url}/v1/watches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ task_id: taskId, notify: [`discord:${DISCORD_CHANNEL}`], prompt }),
  });
  assert.equal(answer.status, 202, await answer.text());
}

const clipsInChannel = () =>
  world.discord.messagesIn(DISCORD_CHANNEL).filter((m) => m.attachments.length > 0);

/** What the bucket holds under `prefix`, read with the bot's own store. */
async function keysUnder(prefix: string): Promise<string[]> {
  const store = new S3MediaStore({ bucket: s3.bucket, prefix }, s3.settings);
  try {
    return (await store.keys()).sort();
  } finally {
    store.close();
  }
}

describe('the bot process with its clip library in S3-compatible storage', () => {
  it('keeps a delivered clip in the bucket and serves its page, clip and poster from there', async () => {
    const taskId = 'vgen_s3_process';
    world.api.addTask({ id: taskId, model: 'veo_3_1_fast', queuedMs: 1000 });
    const { url } = await world.startBot({
      platforms: ['discord'],
      dataName: 's3-kept',
      env: botEnv('kept/'),
    });
    await handOver(url, taskId, 'a paper boat on a canal');
    timeline += 2000;
    await waitFor(() => clipsInChannel().length === 1, 'the clip in Discord', 20_000);
    await waitFor(
      () => world.logs().includes('"msg":"clip kept in the library"'),
      `the clip kept\n${world.logs()}`,
      20_000,
    );
    assert.deepEqual(await keysUnder('kept/'), [
      `${taskId}.jpg`,
      `${taskId}.json`,
      `${taskId}.mp4`,
    ]);

    const page = `${url}/clips/${clipToken(taskId, CLIP_LINK_SECRET)}`;
    const html = await fetch(page);
    assert.equal(html.status, 200);
    assert.match(await html.text(), /a paper boat on a canal/);
    const part = await fetch(`${page}.mp4`, { headers: { range: 'bytes=4-11' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 4-11/${FIXTURE.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), FIXTURE.subarray(4, 12));
    const poster = await fetch(`${page}.jpg`);
    assert.equal(poster.status, 200);
    assert.deepEqual([...Buffer.from(await poster.arrayBuffer()).subarray(0, 2)], [0xff, 0xd8]);
    assert.doesNotMatch(world.logs(), new RegExp(S3_SECRET), 'the storage key is never logged');
  });

  it('loses nothing and posts nothing twice when killed while the clip goes up', async () => {
    const taskId = 'vgen_s3_killed';
    world.api.addTask({ id: taskId, model: 'veo_3_1_fast', queuedMs: 1000 });
    const before = clipsInChannel().length;
    proxy.holdClips = true;
    const first = await world.startBot({
      platforms: ['discord'],
      dataName: 's3-killed',
      env: botEnv('killed/'),
    });
    await handOver(first.url, taskId, 'a kite over dunes');
    timeline += 2000;
    await waitFor(() => proxy.held === 1, 'the clip upload in flight', 20_000);
    assert.equal(clipsInChannel().length, before, 'posted once it is kept, not before');
    await first.process.kill('SIGKILL');
    assert.deepEqual(await keysUnder('killed/'), [], 'nothing half kept');

    proxy.holdClips = false;
    const second = await world.startBot({
      platforms: ['discord'],
      dataName: 's3-killed',
      port: first.port,
      env: botEnv('killed/'),
    });
    await waitFor(
      () => second.process.stdout.includes('"msg":"clip kept in the library"'),
      `the clip kept after the restart\n${second.process.stdout}`,
      20_000,
    );
    assert.deepEqual(await keysUnder('killed/'), [
      `${taskId}.jpg`,
      `${taskId}.json`,
      `${taskId}.mp4`,
    ]);
    const clip = await fetch(`${second.url}/clips/${clipToken(taskId, CLIP_LINK_SECRET)}.mp4`);
    assert.equal(clip.status, 200);
    assert.deepEqual(Buffer.from(await clip.arrayBuffer()), FIXTURE);
    await waitFor(() => clipsInChannel().length === before + 1, 'the clip posted', 20_000);
    assert.match(
      clipsInChannel().at(-1)?.content ?? '',
      new RegExp(
        `Watch and share: <https://clips\\.example\\.com/clips/${clipToken(taskId, CLIP_LINK_SECRET)}>`,
      ),
    );
    await waitFor(
      () => second.process.stdout.includes('"msg":"clip places recorded in the library"'),
      'the places recorded',
    );
    assert.equal(clipsInChannel().length, before + 1, 'posted once');
  });
});
