/**
 * A channel's gallery page: its kept clips as posters linking to their share pages, filtered
 * by model and prompt words through the query, every text escaped; a token for another
 * purpose (a clip's) or a tampered one is a plain 404.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/log.ts';
import {
  clipToken,
  galleryLink,
  galleryToken,
  readGalleryToken,
} from '../../src/web/clip-token.ts';
import { clipRoutes } from '../../src/web/routes.ts';
import { FolderClipLibrary, TINY_MP4 } from '../support/folder-clip-library.ts';

const SECRET = 'gallery-test-secret-0123456789abcdef';
const CHANNEL = 'slack:C0GALLERY';

async function rig(t: TestContext) {
  let now = Date.UTC(2026, 11, 1, 9, 0);
  const library = await FolderClipLibrary.create(() => now);
  t.after(() => library.close());
  const keep = async (taskId: string, model: string, prompt: string, target = CHANNEL) => {
    now += 60_000;
    await library.keep(TINY_MP4, {
      taskId,
      model,
      prompt,
      places: [{ target, requesters: ['U1'] }],
    });
  };
  await keep('vgen_fox', 'veo_3_1_fast', 'A fox running through <b>snow</b>');
  await keep('vgen_kite', 'veo_3_1_pro', 'A kite over the sea');
  await keep('sora_cat', 'openAiSora2Pro', 'A cat on a kite');
  await keep('vgen_elsewhere', 'veo_3_1_fast', 'A kite in another channel', 'slack:C0OTHER');
  const server = await startHttpServer(
    0,
    clipRoutes({
      publicUrl: 'https://clips.example.com',
      secret: SECRET,
      library,
      logger: silentLogger,
    }),
  );
  t.after(() => stopHttpServer(server));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, gallery: `${base}/gallery/${galleryToken(CHANNEL, SECRET)}` };
}

/** The share pages the gallery links to, in order, as task ids. */
function linked(html: string): string[] {
  return [...html.matchAll(/<a href="\.\.\/clips\/([^"]+)">/g)].map((m) => {
    const token = m[1] ?? '';
    return Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8');
  });
}

describe('the gallery of a channel', () => {
  it('has its own signed tokens, apart from the clips’ ones', () => {
    assert.equal(readGalleryToken(galleryToken(CHANNEL, SECRET), SECRET), CHANNEL);
    assert.equal(readGalleryToken(clipToken(CHANNEL, SECRET), SECRET), undefined);
    assert.equal(readGalleryToken(galleryToken(CHANNEL, SECRET), `${SECRET}x`), undefined);
    assert.match(
      galleryLink('https://clips.example.com/', CHANNEL, SECRET),
      /^https:\/\/clips\.example\.com\/gallery\/[\w-]+\.[\w-]+$/,
    );
  });

  it('shows the channel’s clips newest first, each poster opening its page, escaped', async (t) => {
    const { gallery } = await rig(t);
    const response = await fetch(gallery);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(
      response.headers.get('content-security-policy') ?? '',
      /default-src 'none'; img-src 'self'; style-src 'sha256-/,
    );
    const html = await response.text();
    assert.deepEqual(linked(html), ['sora_cat', 'vgen_kite', 'vgen_fox']);
    assert.match(
      html,
      /<img src="\.\.\/clips\/[\w-]+\.[\w-]+\.jpg" alt="A fox running through &lt;b&gt;snow&lt;\/b&gt;" loading="lazy"/,
    );
    assert.doesNotMatch(html, /<b>snow/);
    assert.match(html, /<option value="veo">VEO \(all\)<\/option>/);
  });

  it('filters by model or family and by the words of the prompt', async (t) => {
    const { gallery } = await rig(t);
    const page = async (query: string) => linked(await (await fetch(`${gallery}?${query}`)).text());
    assert.deepEqual(await page('model=veo'), ['vgen_kite', 'vgen_fox']);
    assert.deepEqual(await page('model=veo_3_1_pro'), ['vgen_kite']);
    assert.deepEqual(await page('q=KITE'), ['sora_cat', 'vgen_kite']);
    assert.deepEqual(await page('model=sora&q=kite+cat'), ['sora_cat']);
    const none = await (await fetch(`${gallery}?q=${encodeURIComponent('<nothing>')}`)).text();
    assert.match(none, /No kept clip of this channel matches\./);
    assert.match(none, /value="&lt;nothing&gt;"/, 'the search is shown back, escaped');
  });

  it('is a plain 404 for a tampered token or a clip’s token', async (t) => {
    const { base, gallery } = await rig(t);
    assert.equal((await fetch(`${gallery}x`)).status, 404);
    assert.equal((await fetch(`${base}/gallery/${clipToken('vgen_fox', SECRET)}`)).status, 404);
  });
});
