import assert from 'node:assert/strict';
import type { LookupOptions, lookup } from 'node:dns';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Clock } from '../../src/clock.ts';
import { DOWNLOAD_BACKOFF, type DownloadOptions, fetchVideo } from '../../src/sora/download.ts';
import {
  DownloadFailed,
  LinkExpired,
  NotAVideo,
  UnsafeVideoUrl,
  VideoTooLarge,
} from '../../src/sora/errors.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';

/** A clock whose sleeps return at once but are remembered, so waits can be asserted. */
function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) };
}

/** A dns.lookup stand-in that answers every name with one address and counts its calls. */
function lookupAnswering(address: string): typeof lookup & { calls: string[] } {
  const calls: string[] = [];
  const fake = (host: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    calls.push(host);
    const family = isIP(address);
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  return Object.assign(fake as unknown as typeof lookup, { calls });
}

let cdn: FakeVideoCdn;
let dir: string;
let clock: ReturnType<typeof recordingClock>;

beforeEach(async () => {
  cdn = await startFakeVideoCdn();
  dir = await mkdtemp(join(tmpdir(), 'sora-download-'));
  clock = recordingClock();
});

afterEach(async () => {
  await cdn.close();
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<DownloadOptions> = {}): DownloadOptions {
  return { maxBytes: 1024 * 1024, allowPrivate: true, clock, random: () => 0.5, ...overrides };
}

/** Asserts that neither the video nor its .part file was left behind. */
async function assertNothingOnDisk(destination: string): Promise<void> {
  assert.equal(existsSync(destination), false);
  assert.equal(existsSync(`${destination}.part`), false);
}

describe('fetchVideo: success', () => {
  it('streams the fixture byte-identical into a new directory', async () => {
    const destination = join(dir, 'nested', 'deeper', 'clip.mp4');
    const video = await fetchVideo(`${cdn.baseUrl}/videos/task_1.mp4`, destination, options());
    assert.deepEqual(video, { path: destination, bytes: FIXTURE.length, contentType: 'video/mp4' });
    assert.deepEqual(await readFile(destination), FIXTURE);
    assert.deepEqual(await readdir(join(dir, 'nested', 'deeper')), ['clip.mp4']);
    assert.equal(cdn.requests.length, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('resolves host names through the injected lookup', async () => {
    const lookup = lookupAnswering('127.0.0.1');
    const port = new URL(cdn.baseUrl).port;
    const destination = join(dir, 'clip.mp4');
    await fetchVideo(`http://cdn.test:${port}/videos/a.mp4`, destination, options({ lookup }));
    assert.deepEqual(lookup.calls, ['cdn.test']);
    assert.deepEqual(await readFile(destination), FIXTURE);
  });

  it('follows relative redirects up to the limit', async () => {
    let link = '/videos/a.mp4';
    for (let i = 0; i < 5; i += 1) link = `/redirect?to=${encodeURIComponent(link)}`;
    const destination = join(dir, 'clip.mp4');
    await fetchVideo(`${cdn.baseUrl}${link}`, destination, options());
    assert.deepEqual(await readFile(destination), FIXTURE);
    assert.equal(cdn.requests.length, 6);
  });
});

describe('fetchVideo: size and content', () => {
  it('refuses an announced Content-Length over the cap before reading', async () => {
    const destination = join(dir, 'clip.mp4');
    await assert.rejects(
      fetchVideo(`${cdn.baseUrl}/videos/large.mp4`, destination, options()),
      (error) => error instanceof VideoTooLarge && error.sizeBytes === 5 * 1024 ** 3,
    );
    await assertNothingOnDisk(destination);
    assert.equal(cdn.requests.length, 1);
  });

  it('aborts a chunked body once it passes the cap', async () => {
    const destination = join(dir, 'clip.mp4');
    await assert.rejects(
      fetchVideo(`${cdn.baseUrl}/videos/large-chunked.mp4`, destination, options()),
      (error) => error instanceof VideoTooLarge && error.sizeBytes === undefined,
    );
    await assertNothingOnDisk(destination);
    assert.equal(cdn.requests.length, 1);
  });

  it('refuses an HTML page and writes nothing', async () => {
    const destination = join(dir, 'clip.mp4');
    await assert.rejects(
      fetchVideo(`${cdn.baseUrl}/videos/page.mp4`, destination, options()),
      (error) => error instanceof NotAVideo && error.contentType === 'text/html; charset=utf-8',
    );
    await assertNothingOnDisk(destination);
  });

  for (const [name, status] of [
    ['expired', 403],
    ['missing', 404],
    ['gone', 410],
  ] as const) {
    it(`reports ${status} (${name}) as an expired link, without retrying`, async () => {
      const destination = join(dir, 'clip.mp4');
      await assert.rejects(
        fetchVideo(`${cdn.baseUrl}/videos/${name}.mp4`, destination, options()),
        (error) => error instanceof LinkExpired && error.status === status,
      );
      assert.equal(cdn.requests.length, 1);
      assert.deepEqual(clock.sleeps, []);
      await assertNothingOnDisk(destination);
    });
  }
});

describe('fetchVideo: unsafe links', () => {
  const port = () => new URL(cdn.baseUrl).port;
  const refusedWith = (reason: string) => (error: unknown) =>
    error instanceof UnsafeVideoUrl && error.reason === reason;

  it('refuses http: without allowPrivate, before any request', async () => {
    await assert.rejects(
      fetchVideo(
        `${cdn.baseUrl}/videos/a.mp4`,
        join(dir, 'clip.mp4'),
        options({ allowPrivate: false }),
      ),
      refusedWith('it is not an HTTPS link'),
    );
    assert.equal(cdn.connections(), 0);
    assert.equal(cdn.requests.length, 0);
  });

  it('refuses IP-literal hosts that are not public, without connecting', async () => {
    const lookup = lookupAnswering('93.184.216.34');
    const cases: [string, string][] = [
      [`https://127.0.0.1:${port()}/videos/a.mp4`, 'it points to a loopback address'],
      [`https://[::1]:${port()}/videos/a.mp4`, 'it points to a loopback address'],
      [`https://[::ffff:127.0.0.1]:${port()}/videos/a.mp4`, 'it points to a loopback address'],
      ['https://10.0.0.1/videos/a.mp4', 'it points to a private network address'],
      [
        'https://169.254.169.254/latest/meta-data/',
        'it points to a link-local or cloud metadata address',
      ],
    ];
    for (const [link, reason] of cases) {
      await assert.rejects(
        fetchVideo(
          link,
          join(dir, 'clip.mp4'),
          options({ allowPrivate: false, lookup, connectTimeoutMs: 200 }),
        ),
        refusedWith(reason),
        link,
      );
    }
    assert.deepEqual(lookup.calls, []);
    assert.equal(cdn.connections(), 0);
  });

  it('refuses a host name that resolves to loopback, at connect time', async () => {
    const lookup = lookupAnswering('127.0.0.1');
    await assert.rejects(
      fetchVideo(
        `https://cdn.test:${port()}/videos/a.mp4`,
        join(dir, 'clip.mp4'),
        options({ allowPrivate: false, lookup }),
      ),
      refusedWith('it points to a loopback address'),
    );
    assert.deepEqual(lookup.calls, ['cdn.test']);
    assert.equal(cdn.connections(), 0);
    assert.deepEqual(clock.sleeps, []);
  });

  it('re-checks every redirect hop, even with allowPrivate', async () => {
    const metadataByName = lookupAnswering('169.254.169.254');
    const targets: [string, string][] = [
      [
        'http://169.254.169.254/latest/meta-data/',
        'it points to a link-local or cloud metadata address',
      ],
      [
        'http://metadata.test/latest/meta-data/',
        'it points to a link-local or cloud metadata address',
      ],
      ['ftp://files.example.com/a.mp4', 'it is not an HTTP or HTTPS link'],
    ];
    for (const [target, reason] of targets) {
      const link = `${cdn.baseUrl}/redirect?to=${encodeURIComponent(target)}`;
      await assert.rejects(
        fetchVideo(link, join(dir, 'clip.mp4'), options({ lookup: metadataByName })),
        refusedWith(reason),
        target,
      );
    }
    assert.deepEqual(metadataByName.calls, ['metadata.test']);
    assert.equal(cdn.requests.length, 3);
  });

  it('refuses a redirect chain longer than the limit', async () => {
    let link = '/videos/a.mp4';
    for (let i = 0; i < 6; i += 1) link = `/redirect?to=${encodeURIComponent(link)}`;
    await assert.rejects(
      fetchVideo(`${cdn.baseUrl}${link}`, join(dir, 'clip.mp4'), options()),
      refusedWith('it redirects more than 5 times'),
    );
    assert.equal(cdn.requests.length, 6);
  });
});

describe('fetchVideo: retries', () => {
  it('resumes a broken transfer with a Range request', async () => {
    const destination = join(dir, 'clip.mp4');
    await fetchVideo(`${cdn.baseUrl}/videos/flaky.mp4`, destination, options());
    assert.deepEqual(await readFile(destination), FIXTURE);
    assert.equal(cdn.requests.length, 2);
    const half = Math.floor(FIXTURE.length / 2);
    assert.equal(cdn.requests[1]?.headers.range, `bytes=${half}-`);
    assert.match(String(cdn.requests[1]?.headers['if-range']), /^"[0-9a-f]+"$/);
    assert.equal(clock.sleeps.length, 1);
  });

  it('starts over when the server does not offer ranges', async () => {
    const destination = join(dir, 'clip.mp4');
    await fetchVideo(`${cdn.baseUrl}/videos/flaky-no-range.mp4`, destination, options());
    assert.deepEqual(await readFile(destination), FIXTURE);
    assert.equal(cdn.requests.length, 2);
    assert.equal(cdn.requests[1]?.headers.range, undefined);
  });

  it('waits as long as Retry-After asks, then succeeds', async () => {
    const destination = join(dir, 'clip.mp4');
    await fetchVideo(`${cdn.baseUrl}/videos/error-then-ok.mp4`, destination, options());
    assert.deepEqual(clock.sleeps, [1000]);
    assert.deepEqual(await readFile(destination), FIXTURE);
  });

  it('gives up after maxAttempts resets, backing off with full jitter', async () => {
    const destination = join(dir, 'clip.mp4');
    const draws = [0.999, 0.25, 0.5];
    const random = () => draws.shift() ?? 0;
    await assert.rejects(
      fetchVideo(`${cdn.baseUrl}/videos/reset.mp4`, destination, options({ random })),
      (error) => error instanceof DownloadFailed && error.attempts === 4,
    );
    assert.equal(cdn.requests.length, 4);
    assert.deepEqual(clock.sleeps, [999, 500, 2000]);
    clock.sleeps.forEach((ms, index) => {
      const ceiling = Math.min(DOWNLOAD_BACKOFF.capMs, DOWNLOAD_BACKOFF.baseMs * 2 ** index);
      assert.ok(ms >= 0 && ms < ceiling, `sleep ${index + 1} (${ms} ms) under ${ceiling} ms`);
    });
    await assertNothingOnDisk(destination);
  });

  it('retries a stalled body, then fails', async () => {
    const destination = join(dir, 'clip.mp4');
    await assert.rejects(
      fetchVideo(
        `${cdn.baseUrl}/videos/slow.mp4`,
        destination,
        options({ bodyTimeoutMs: 200, maxAttempts: 2 }),
      ),
      (error) =>
        error instanceof DownloadFailed &&
        error.attempts === 2 &&
        (error.cause as { code?: string }).code === 'UND_ERR_BODY_TIMEOUT',
    );
    assert.equal(cdn.requests.length, 2);
    await assertNothingOnDisk(destination);
  });

  it('stops at once when the caller aborts', async () => {
    const destination = join(dir, 'clip.mp4');
    await assert.rejects(
      fetchVideo(
        `${cdn.baseUrl}/videos/a.mp4`,
        destination,
        options({ signal: AbortSignal.abort() }),
      ),
      (error) => (error as Error).name === 'AbortError',
    );
    assert.deepEqual(clock.sleeps, []);
    await assertNothingOnDisk(destination);
  });
});

describe('fetchVideo: error messages', () => {
  it('never contain the query string', async () => {
    const signature = 'X-Amz-Signature=secret&X-Amz-Credential=secret';
    const metadata = encodeURIComponent(`http://169.254.169.254/?${signature}`);
    const failures: [string, Partial<DownloadOptions>][] = [
      [`/videos/expired.mp4?${signature}`, {}],
      [`/videos/page.mp4?${signature}`, {}],
      [`/videos/reset.mp4?${signature}`, { maxAttempts: 1 }],
      [`/videos/a.mp4?${signature}`, { allowPrivate: false }],
      [`/redirect?to=${metadata}`, {}],
    ];
    for (const [path, overrides] of failures) {
      const link = `${cdn.baseUrl}${path}`;
      const error = await fetchVideo(link, join(dir, 'clip.mp4'), options(overrides)).then(
        () => assert.fail('expected a failure'),
        (failure: unknown) => failure as Error,
      );
      assert.ok(!error.message.includes('secret'), error.message);
      assert.ok(!String((error.cause as Error | undefined)?.message).includes('secret'));
    }
  });
});
