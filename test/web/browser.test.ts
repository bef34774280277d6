/**
 * The share page and the gallery as a visitor's browser sees them: the system's chromium,
 * driven by playwright-core (no browser of its own is ever downloaded), plays a real H.264
 * clip, seeks in it with a Range request, shows the posters, and filters the gallery through
 * its form. A screenshot of each page goes to the test's temp folder, and to SCREENSHOT_DIR
 * as well when it is set (`npm run screenshots` refreshes the README's pictures that way).
 *
 * Without chromium or ffmpeg (which makes the clips) the tests are skipped, except under
 * CI=true or with SCREENSHOT_DIR, where they fail: `.ci/run` installs both.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startHttpServer, stopHttpServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/log.ts';
import { ffmpegFrameCutter } from '../../src/media/first-frame.ts';
import { clipToken, galleryToken } from '../../src/web/clip-token.ts';
import { clipRoutes } from '../../src/web/routes.ts';
import { FolderClipLibrary } from '../support/folder-clip-library.ts';
import { isInstalled } from '../support/installed.ts';

const SECRET = 'browser-test-secret-0123456789abcdef';
const CHANNEL = 'slack:C0TEAMVIDEO';
const FRAME = { width: 640, height: 360 };

/**
 * The channel's clips, oldest first, each made by ffmpeg from one of its generated sources.
 * The first is the one the share page plays: 4 s with a key frame each second, so a seek to
 * the middle starts a new read there.
 */
const CLIPS = [
  {
    taskId: 'vgen_fractal_coast',
    model: 'veo_3_1_fast',
    prompt: 'A slow dive into a glowing fractal coastline, neon greens over a pink sky',
    source: 'mandelbrot',
    seconds: 4,
  },
  {
    taskId: 'sdnc_dusk_wall',
    model: 'seedance_2_0',
    prompt: 'Pink haze melting into a green meadow at sunrise, drone shot',
    source: 'gradients=seed=1:nb_colors=2:c0=0xff60c0:c1=0x20a040:speed=0.05',
    seconds: 1,
  },
  {
    taskId: 'sora_starfield',
    model: 'openAiSora2Pro',
    prompt: 'A slow pan across a dense starfield on a moonless night, long exposure',
    source: 'life=seed=7:ratio=0.04:mold=0:death_color=#06101e:life_color=#9fe8ff',
    seconds: 1,
  },
  {
    taskId: 'sdnc_mosaic_floor',
    model: 'seedance_2_0_fast',
    prompt: 'Black and white fractal mosaic floor, the camera gliding low over the tiles',
    source: 'sierpinski=seed=7',
    seconds: 1,
  },
  {
    taskId: 'vgen_crt_bars',
    model: 'veo_3_1_pro',
    prompt: 'An old CRT television showing colour bars in a dark living room, VHS grain',
    source: 'smptehdbars',
    seconds: 1,
  },
] as const;
type ClipTaskId = (typeof CLIPS)[number]['taskId'];

/**
 * The rig: the clips made in `dir`, kept in the bot's own library (plus one of another
 * channel, which the gallery must not show), served by the share routes on 127.0.0.1.
 */
async function startClipSite(dir: string) {
  const made = await Promise.all(
    CLIPS.map(async ({ taskId, source, seconds }) => {
      const file = path.join(dir, `${taskId}.mp4`);
      const input = `${source}${source.includes('=') ? ':' : '='}size=${FRAME.width}x${FRAME.height}:rate=25`;
      // H.264 in MP4, its index first (a player reads it before any frame), a key frame a second.
      await promisify(execFile)('ffmpeg', [
        ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', input, '-t', String(seconds)],
        ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25'],
        ...['-movflags', '+faststart', file],
      ]);
      return file;
    }),
  );
  let now = Date.UTC(2026, 2, 14, 9, 30);
  const library = await FolderClipLibrary.create(
    () => now,
    ffmpegFrameCutter({ logger: silentLogger }),
  );
  for (const [index, clip] of CLIPS.entries()) {
    now += 7 * 60_000;
    await library.keep(made[index] as string, {
      taskId: clip.taskId,
      model: clip.model,
      prompt: clip.prompt,
      clipSeconds: clip.seconds,
      places: [{ target: CHANNEL, requesters: ['U0ANNA', 'U0BEN'] }],
      createdAt: now - 3 * 60_000,
    });
  }
  await library.keep(made[0] as string, {
    taskId: 'vgen_other_channel',
    model: 'veo_3_1_fast',
    prompt: 'A fractal clip posted in another channel',
    places: [{ target: 'slack:C0ELSEWHERE', requesters: ['U0CARL'] }],
  });
  const server = await startHttpServer(
    0,
    clipRoutes({
      publicUrl: 'https://clips.example.com',
      secret: SECRET,
      library,
      logger: silentLogger,
    }),
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sharePage: (taskId: ClipTaskId) => `${base}/clips/${clipToken(taskId, SECRET)}`,
    gallery: `${base}/gallery/${galleryToken(CHANNEL, SECRET)}`,
    close: async () => {
      await stopHttpServer(server);
      await library.close();
    },
  };
}

/** Debian names the program `chromium`, Ubuntu's package `chromium-browser`. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .filter((file) => file !== undefined && file !== '')
  .find((file) => existsSync(file as string));
const hasFfmpeg = isInstalled('ffmpeg');
const missing =
  CHROMIUM === undefined
    ? 'no chromium (apt-get install chromium, or set CHROMIUM_PATH)'
    : !hasFfmpeg
      ? 'no ffmpeg to make the clips (apt-get install ffmpeg)'
      : undefined;
const mustRun = process.env.CI === 'true' || Boolean(process.env.SCREENSHOT_DIR);

/** What the tests read of a <video>; the test code has no DOM types. */
interface VideoState {
  readyState: number;
  seeking: boolean;
  currentTime: number;
  duration: number;
}
interface ImageState {
  complete: boolean;
  naturalWidth: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Every wait is generous: a busy CI machine may be slow, never a failure. */
const WAIT = { timeout: 15_000 };

describe('the share page and the gallery in a browser', {
  skip: !mustRun && missing,
}, () => {
  let dir: string;
  let site: Awaited<ReturnType<typeof startClipSite>>;
  let browser: Browser;

  before(async () => {
    if (missing !== undefined) throw new Error(`The browser tests cannot run: ${missing}.`);
    dir = await mkdtemp(path.join(tmpdir(), 'browser-test-'));
    // Side by side; each is kept as soon as it is up, so `after` closes it if the other failed.
    const ready = await Promise.allSettled([
      startClipSite(dir).then((started) => {
        site = started;
      }),
      // Root in a container: chromium's sandbox cannot start there.
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }).then((launched) => {
        browser = launched;
      }),
    ]);
    const failed = ready.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** A fresh page (its own context: no cache shared between tests), closed with the test. */
  async function newPage(t: TestContext): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    t.after(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    return page;
  }

  /** Saves a PNG of the page in the test's folder (and a JPEG in SCREENSHOT_DIR) and checks it. */
  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(dir, 'screenshots', `${name}.png`);
    await page.screenshot({ path: file });
    const png = await readFile(file);
    assert.ok(png.length > PNG_SIGNATURE.length, `${name}.png is empty`);
    assert.deepEqual(png.subarray(0, PNG_SIGNATURE.length), PNG_SIGNATURE, `${name}.png`);
    const copies = process.env.SCREENSHOT_DIR;
    if (copies) {
      // The README's copy as a JPEG: video frames make PNGs five times the size.
      await mkdir(copies, { recursive: true });
      await page.screenshot({ path: path.join(copies, `${name}.jpg`), type: 'jpeg', quality: 80 });
    }
  }

  /** The share pages the gallery's cards open, in order. */
  function cardLinks(page: Page): Promise<string[]> {
    return page
      .locator('main li a')
      .evaluateAll((anchors: { href: string }[]) => anchors.map((a) => a.href));
  }

  /** Waits until every poster of the gallery is loaded; gives their widths. */
  async function posterWidths(page: Page): Promise<number[]> {
    const posters = page.locator('main li img');
    await page.waitForFunction(
      (images: ImageState[]) => images.every((image) => image.complete && image.naturalWidth > 0),
      await posters.elementHandles(),
      WAIT,
    );
    return posters.evaluateAll((images: ImageState[]) => images.map((i) => i.naturalWidth));
  }

  it('plays the clip, seeks in it with a Range request answered 206, shows the poster', async (t) => {
    const page = await newPage(t);
    const videoReads: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.mp4')) videoReads.push(request.headers().range ?? 'whole');
    });
    const poster = page.waitForResponse((response) => response.url().endsWith('.jpg'));
    await page.goto(site.sharePage('vgen_fractal_coast'));

    assert.equal(await page.title(), 'VEO 3.1 Fast clip');
    await page.getByText(CLIPS[0].prompt).waitFor({ state: 'visible' });
    const posterResponse = await poster;
    assert.equal(posterResponse.status(), 200);
    assert.equal(posterResponse.headers()['content-type'], 'image/jpeg');
    assert.ok((await posterResponse.body()).length > 0);

    const video = await page.waitForSelector('video');
    await page.waitForFunction((v: VideoState) => v.readyState >= 2, video, WAIT);
    const duration = await video.evaluate((v: VideoState) => v.duration);
    assert.ok(Math.abs(duration - CLIPS[0].seconds) < 0.5, `a ${duration} s clip`);

    // Until the seek the player read from the start only; the seek makes it read from further on.
    assert.deepEqual(new Set(videoReads), new Set(['bytes=0-']));
    const rangeRead = page.waitForResponse(
      async (response) =>
        response.url().endsWith('.mp4') &&
        /^bytes=[1-9]\d*-/.test((await response.request().headerValue('range')) ?? ''),
      WAIT,
    );
    await video.evaluate((v: VideoState) => {
      v.currentTime = v.duration / 2;
    });
    const seek = await rangeRead;
    assert.equal(seek.status(), 206);
    const range = (await seek.request().headerValue('range')) ?? '';
    const start = Number(/^bytes=(\d+)-/.exec(range)?.[1]);
    assert.match(seek.headers()['content-range'] ?? '', new RegExp(`^bytes ${start}-\\d+/\\d+$`));
    await page.waitForFunction(
      (v: VideoState) => !v.seeking && v.readyState >= 2 && v.currentTime > 0,
      video,
      WAIT,
    );
    assert.equal(await video.evaluate((v: VideoState) => v.currentTime), CLIPS[0].seconds / 2);
    await screenshot(page, 'share-page');
  });

  it('lists the channel’s clips with their posters, each opening its page', async (t) => {
    const page = await newPage(t);
    await page.goto(site.gallery);
    const newestFirst = CLIPS.map((clip) => site.sharePage(clip.taskId)).reverse();
    assert.deepEqual(await cardLinks(page), newestFirst, 'not the other channel’s clip');
    assert.deepEqual(
      await posterWidths(page),
      CLIPS.map(() => FRAME.width),
      'each poster is its clip’s own first frame, not the placeholder',
    );
    await screenshot(page, 'gallery');

    await page.locator('main li a').filter({ hasText: 'Seedance 2.0 Fast' }).click();
    await page.waitForURL(site.sharePage('sdnc_mosaic_floor'));
    assert.equal(await page.title(), 'Seedance 2.0 Fast clip');
  });

  it('narrows the gallery by model and by a word through its form', async (t) => {
    const page = await newPage(t);
    await page.goto(site.gallery);

    await page.getByLabel('Model').selectOption({ label: 'Seedance (all)' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/[?&]model=seedance(&|$)/);
    assert.deepEqual(await cardLinks(page), [
      site.sharePage('sdnc_mosaic_floor'),
      site.sharePage('sdnc_dusk_wall'),
    ]);

    await page.getByLabel('Model').selectOption({ label: 'Every model' });
    await page.getByLabel('Search the prompts').fill('fractal');
    await page.getByLabel('Search the prompts').press('Enter');
    await page.waitForURL(/[?&]q=fractal(&|$)/);
    assert.deepEqual(await cardLinks(page), [
      site.sharePage('sdnc_mosaic_floor'),
      site.sharePage('vgen_fractal_coast'),
    ]);
    assert.equal(await page.getByLabel('Search the prompts').inputValue(), 'fractal');
    await posterWidths(page);
    await screenshot(page, 'gallery-filtered');
  });
});
