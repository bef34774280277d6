/**
 * What the command line's tests run against: the fake Sora API and video CDN, a folder for
 * saved clips, and the settings that point `sora-status` at them. One per test file; the
 * requests the API saw are forgotten before each test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, startFakeVideoCdn } from '../fakes/video-cdn.ts';

export interface CliWorld {
  readonly api: FakeSoraApi;
  readonly cdn: FakeVideoCdn;
  /** Where a test's `--out` may save clips. */
  readonly outDir: string;
  /** The settings a `sora-status` run needs here, with `overrides`. */
  env(overrides?: Record<string, string>): Record<string, string>;
}

/** Registers the file's hooks; the world's parts exist once its `before` has run. */
export function useCliWorld(apiKey: string, dirPrefix: string): CliWorld {
  let parts: { api: FakeSoraApi; cdn: FakeVideoCdn; outDir: string } | undefined;
  const ready = () => {
    if (parts === undefined) throw new Error('the CLI world is used before its before hook');
    return parts;
  };
  before(async () => {
    const cdn = await startFakeVideoCdn();
    const api = await startFakeSoraApi({ apiKey, videoBaseUrl: cdn.baseUrl });
    parts = { api, cdn, outDir: await mkdtemp(path.join(tmpdir(), dirPrefix)) };
  });
  after(async () => {
    const { api, cdn, outDir } = ready();
    await Promise.all([api.close(), cdn.close(), rm(outDir, { recursive: true, force: true })]);
  });
  beforeEach(() => {
    ready().api.requests.length = 0;
    ready().api.creates.length = 0;
  });
  return {
    get api() {
      return ready().api;
    },
    get cdn() {
      return ready().cdn;
    },
    get outDir() {
      return ready().outDir;
    },
    env: (overrides = {}) => ({
      SORA_API_KEY: apiKey,
      SORA_API_BASE_URL: ready().api.baseUrl,
      VIDEO_URL_ALLOW_PRIVATE: 'true',
      SORA_MAX_ATTEMPTS: '2',
      ...overrides,
    }),
  };
}
