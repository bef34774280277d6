import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/log.ts';
import { clipToken } from '../../src/web/clip-token.ts';
import { PLACEHOLDER_POSTER } from '../../src/web/placeholder-poster.ts';
import { PosterMaker } from '../../src/web/poster.ts';
import { clipRoutes } from '../../src/web/routes.ts';
import { FolderClipLibrary, TINY_MP4 } from '../support/folder-clip-library.ts';

const SECRET = 'a-share-link-secret-of-32-chars-or-more';
const PUBLIC_URL = 'https://bot.example.com';
const TASK = 'task_kept_1';
const fixture = await readFile(TINY_MP4);

const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function rig(t: TestContext, options: { ffmpeg?: string } = {}) {
  const library = await FolderClipLibrary.create(() => Date.UTC(2026, 10, 29, 4, 0));
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'clip-posters-'));
  t.after(() => rm(cacheDir, { recursive: true, force: true }));
  t.after(() => library.close());
  await library.keep(TINY_MP4, {
    taskId: TASK,
    model: 'openAiSora2Pro',
    prompt: 'A cat says <script>alert("hi")</script> & "leaves"',
    clipSeconds: 8,
    places: [
      { target: 'slack:C0123', requesters: ['U01', 'U02'] },
      { target: 'discord:100000000000000001', requesters: ['300000000000000001'] },
    ],
    requestedBy: ['ci-pipeline'],
    createdAt: Date.UTC(2026, 10, 29, 3, 40),
  });
  const server = await startHttpServer(
    0,
    clipRoutes({
      publicUrl: PUBLIC_URL,
      secret: SECRET,
      library,
      posters: new PosterMaker({ cacheDir, logger: silentLogger, ...options }),
      logger: silentLogger,
    }),
  );
  t.after(() => stopHttpServer(server));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = `${base}/clips/${clipToken(TASK, SECRET)}`;
  return { library, cacheDir, base, page };
}

function assertSafeHeaders(response: Response): void {
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
}

/** The `content` of a `<meta>` tag, unescaped as a browser reads it. */
function metaContent(html: string, key: string): string | undefined {
  const found = html.match(new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`));
  const entities: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };
  return found?.[1]?.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => entities[name] ?? '');
}

describe('clip share page', () => {
  it('shows the player and the facts, every text escaped, with tags for unfurls', async (t) => {
    const { page } = await rig(t);
    const response = await fetch(page);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assertSafeHeaders(response);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /media-src 'self'/);
    assert.match(csp, /img-src 'self'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await response.text();

    assert.ok(!html.includes('<script>'), 'the prompt is text, not markup');
    assert.ok(html.includes('A cat says &lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp;'));
    assert.match(
      html,
      /<video controls playsinline preload="metadata" poster="[^"]+\.jpg" src="[^"]+\.mp4"><\/video>/,
    );
    assert.match(html, /<a href="[^"]+\.mp4" download>/);
    assert.ok(html.includes('Sora 2 Pro'));
    assert.ok(html.includes('8 s'));
    assert.ok(html.includes('ci-pipeline'));
    assert.ok(html.includes('2 people on Slack') && html.includes('someone on Discord'));
    assert.ok(!html.includes('U01'), 'chat ids are not published');
    assert.ok(html.includes('2026-11-29 03:40 UTC'));

    const link = `${PUBLIC_URL}/clips/${clipToken(TASK, SECRET)}`;
    assert.equal(metaContent(html, 'og:type'), 'video.other');
    assert.equal(metaContent(html, 'og:title'), 'Sora 2 Pro clip');
    assert.match(metaContent(html, 'og:description') ?? '', /^A cat says <script>/);
    assert.equal(metaContent(html, 'og:url'), link);
    assert.equal(metaContent(html, 'og:video'), `${link}.mp4`);
    assert.equal(metaContent(html, 'og:video:type'), 'video/mp4');
    assert.equal(metaContent(html, 'og:image'), `${link}.jpg`);
    assert.equal(metaContent(html, 'twitter:card'), 'player');
    assert.equal(metaContent(html, 'twitter:player'), link);
    assert.equal(metaContent(html, 'twitter:player:stream'), `${link}.mp4`);
    assert.ok(metaContent(html, 'twitter:player:width'));

    const head = await fetch(page, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(Buffer.byteLength(html)));
    assert.equal(await head.text(), '');
  });

  it('streams the clip whole, in ranges, and to HEAD', async (t) => {
    const { page } = await rig(t);
    const whole = await fetch(`${page}.mp4`);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/mp4');
    assert.equal(whole.headers.get('content-length'), String(fixture.length));
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.ok(whole.headers.get('etag'));
    assertSafeHeaders(whole);
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), fixture);

    const part = await fetch(`${page}.mp4`, { headers: { range: 'bytes=0-99' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 0-99/${fixture.length}`);
    assert.equal(part.headers.get('content-length'), '100');
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), fixture.subarray(0, 100));

    const beyond = await fetch(`${page}.mp4`, {
      headers: { range: `bytes=${fixture.length + 10}-` },
    });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${fixture.length}`);
    assertSafeHeaders(beyond);
    await beyond.arrayBuffer();

    const head = await fetch(`${page}.mp4`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(fixture.length));
    assert.equal(await head.text(), '');
  });

  it('serves the first frame as the poster, cut once', {
    skip: !hasFfmpeg && 'no ffmpeg',
  }, async (t) => {
    const { page, cacheDir } = await rig(t);
    const poster = await fetch(`${page}.jpg`);
    assert.equal(poster.status, 200);
    assert.equal(poster.headers.get('content-type'), 'image/jpeg');
    assertSafeHeaders(poster);
    const bytes = Buffer.from(await poster.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8], 'a JPEG');
    assert.notDeepEqual(bytes, PLACEHOLDER_POSTER);
    const cached = await readdir(cacheDir);
    assert.equal(cached.length, 1);
    assert.deepEqual(await readFile(path.join(cacheDir, cached[0] as string)), bytes);
    const again = await fetch(`${page}.jpg`);
    assert.deepEqual(Buffer.from(await again.arrayBuffer()), bytes);
    assert.deepEqual(await readdir(cacheDir), cached);
  });

  it('forgets the poster of a clip no longer kept', {
    skip: !hasFfmpeg && 'no ffmpeg',
  }, async (t) => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'posters-'));
    t.after(() => rm(cacheDir, { recursive: true, force: true }));
    const posters = new PosterMaker({ cacheDir, logger: silentLogger });
    assert.ok('file' in (await posters.posterOf('vgen_gone', 1_000, TINY_MP4)));
    assert.equal((await readdir(cacheDir)).length, 1);
    await posters.forget('vgen_gone', 1_000);
    assert.deepEqual(await readdir(cacheDir), []);
  });

  it('serves a placeholder poster when ffmpeg is not there', async (t) => {
    const { page } = await rig(t, { ffmpeg: '/nonexistent/ffmpeg' });
    const poster = await fetch(`${page}.jpg`);
    assert.equal(poster.status, 200);
    assert.equal(poster.headers.get('content-type'), 'image/jpeg');
    assertSafeHeaders(poster);
    assert.deepEqual(Buffer.from(await poster.arrayBuffer()), PLACEHOLDER_POSTER);
    const head = await fetch(`${page}.jpg`, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(PLACEHOLDER_POSTER.length));
  });

  it('answers a tampered, unknown or swept clip with the same plain 404', async (t) => {
    const { base, page, library } = await rig(t);
    const token = clipToken(TASK, SECRET);
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const wrongSecret = clipToken(TASK, 'another-share-link-secret-32-chars-long');
    const unknown = clipToken('task_never_kept', SECRET);
    const paths = [tampered, wrongSecret, unknown, 'nothing', '..%2F..%2Fetc%2Fpasswd'];
    const bodies = new Set<string>();
    for (const name of paths) {
      for (const suffix of ['', '.mp4', '.jpg']) {
        const response = await fetch(`${base}/clips/${name}${suffix}`);
        assert.equal(response.status, 404, `${name}${suffix}`);
        assertSafeHeaders(response);
        assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
        bodies.add(await response.text());
      }
    }
    assert.equal(bodies.size, 1, 'nothing tells one kind of miss from another');
    assert.equal((await fetch(`${base}/clips/`)).status, 404, 'no listing');

    await library.forget(TASK);
    for (const suffix of ['', '.mp4', '.jpg']) {
      const response = await fetch(`${page}${suffix}`);
      assert.equal(response.status, 404);
      assert.ok(bodies.has(await response.text()));
    }
  });
});
