import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/log.ts';
import { ffmpegFrameCutter } from '../../src/media/first-frame.ts';
import { clipToken } from '../../src/web/clip-token.ts';
import { PLACEHOLDER_POSTER } from '../../src/web/placeholder-poster.ts';
import { clipRoutes } from '../../src/web/routes.ts';
import { FolderClipLibrary, TINY_MP4 } from '../support/folder-clip-library.ts';
import { isInstalled } from '../support/installed.ts';

const SECRET = 'a-share-link-secret-of-32-chars-or-more';
const PUBLIC_URL = 'https://bot.example.com';
const TASK = 'task_kept_1';
const fixture = await readFile(TINY_MP4);

const hasFfmpeg = isInstalled('ffmpeg');

/** A library holding one clip, its poster cut by `ffmpeg` when kept, and the routes over it. */
async function rig(t: TestContext, options: { ffmpeg?: string } = {}) {
  const library = await FolderClipLibrary.create(
    () => Date.UTC(2026, 10, 29, 4, 0),
    ffmpegFrameCutter({ logger: silentLogger, ...options }),
  );
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
      logger: silentLogger,
    }),
  );
  t.after(() => stopHttpServer(server));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = `${base}/clips/${clipToken(TASK, SECRET)}`;
  return { library, base, page };
}

/**
 * What a browser sends when it checks its copy. Without it fetch adds `Cache-Control: no-cache`
 * to a conditional request, which asks the server for the whole file again.
 */
const REVALIDATE = { 'cache-control': 'max-age=0' };

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

  it('serves the first frame as the poster, cut when the clip was kept', {
    skip: !hasFfmpeg && 'no ffmpeg',
  }, async (t) => {
    const { page, library } = await rig(t);
    const poster = await fetch(`${page}.jpg`);
    assert.equal(poster.status, 200);
    assert.equal(poster.headers.get('content-type'), 'image/jpeg');
    assertSafeHeaders(poster);
    const bytes = Buffer.from(await poster.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8], 'a JPEG');
    assert.notDeepEqual(bytes, PLACEHOLDER_POSTER);
    assert.equal(bytes.length, (await library.find(TASK))?.posterBytes);
    const again = await fetch(`${page}.jpg`, {
      headers: { 'if-none-match': poster.headers.get('etag') ?? '', ...REVALIDATE },
    });
    assert.equal(again.status, 304, 'a browser that has it keeps it');
  });

  it('answers conditional and several-range requests for the clip as HTTP says', async (t) => {
    const { page } = await rig(t);
    const first = await fetch(`${page}.mp4`, { method: 'HEAD' });
    const etag = first.headers.get('etag') ?? '';
    assert.match(etag, /^"[^"]+"$/);
    assert.ok(first.headers.get('last-modified'));

    const cached = await fetch(`${page}.mp4`, {
      headers: { 'if-none-match': etag, ...REVALIDATE },
    });
    assert.equal(cached.status, 304);
    const sameVersion = await fetch(`${page}.mp4`, {
      headers: { range: 'bytes=10-19', 'if-range': etag },
    });
    assert.equal(sameVersion.status, 206);
    assert.deepEqual(Buffer.from(await sameVersion.arrayBuffer()), fixture.subarray(10, 20));
    const otherVersion = await fetch(`${page}.mp4`, {
      headers: { range: 'bytes=10-19', 'if-range': '"another"' },
    });
    assert.equal(otherVersion.status, 200, 'a range of another version is the whole file');
    assert.equal(otherVersion.headers.get('content-length'), String(fixture.length));
    await otherVersion.arrayBuffer();
    const several = await fetch(`${page}.mp4`, { headers: { range: 'bytes=0-9,50-59' } });
    assert.equal(several.status, 200, 'several ranges: the whole file');
    assert.deepEqual(Buffer.from(await several.arrayBuffer()), fixture);
    const suffix = await fetch(`${page}.mp4`, { headers: { range: 'bytes=-16' } });
    assert.equal(suffix.status, 206);
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), fixture.subarray(-16));
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
