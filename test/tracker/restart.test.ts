/**
 * Crash safety with real processes: the bot is killed with SIGKILL in the middle of a poll,
 * a download and a delivery, then started again on the same store; every watch resumes on
 * its own, nothing is lost, and a clip is delivered once (a delivery cut off half-way is
 * made again, once). On SQLite and on Redis.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { BotProcess } from '../support/bot-process.ts';
import { postgresForTests, type TestPostgres } from '../support/postgres.ts';
import { redisForTests, type TestRedis } from '../support/redis.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'restart-test-key';
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let redis: TestRedis | { skip: string };
let postgres: TestPostgres | { skip: string };
const cleanups: (() => Promise<unknown>)[] = [];

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: cdn.baseUrl });
  redis = await redisForTests();
  postgres = await postgresForTests();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all([api.close(), cdn.close()]);
  if ('stop' in redis) await redis.stop();
  if ('stop' in postgres) await postgres.stop();
});

type Backend = 'sqlite' | 'redis' | 'postgres';

/** The server a backend's tests run on, or why they are skipped here. */
function server(store: Backend): { url: string } | { skip: string } | undefined {
  return store === 'redis' ? redis : store === 'postgres' ? postgres : undefined;
}

function skipReason(store: Backend): string | undefined {
  const shared = server(store);
  return shared !== undefined && 'skip' in shared ? shared.skip : undefined;
}

async function botEnv(store: Backend): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sora-restart-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    SORA_API_KEY: API_KEY,
    SORA_API_BASE_URL: api.baseUrl,
    VIDEO_URL_ALLOW_PRIVATE: 'true',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  const shared = server(store);
  if (shared !== undefined && 'url' in shared) {
    // Each test watches its own task ids, so a shared server needs no clearing.
    env.STORE_URL = shared.url;
  }
  return env;
}

function startBot(env: Record<string, string>): BotProcess {
  const bot = new BotProcess(env);
  cleanups.push(() => bot.kill());
  return bot;
}

const readyLines = (output: string, taskId: string) =>
  output.split('\n').filter((line) => line.includes(`${taskId} is ready`)).length;

/** Created minutes ago, so the schedule polls every few seconds once it runs. */
const createdLongAgo = () => Math.floor(Date.now() / 1000) - 300;

for (const store of ['sqlite', 'redis', 'postgres'] as const) {
  describe(`restart after SIGKILL (${store})`, () => {
    it('resumes a watch killed in the middle of a poll and delivers once', async (t) => {
      const skip = skipReason(store);
      if (skip !== undefined) return t.skip(skip);
      const env = await botEnv(store);
      const id = `sora_kill_poll_${store}`;
      api.addTask({ id, created: createdLongAgo(), processingMs: 60_000 });
      const first = startBot(env);
      first.send(`/sora-status ${id}`);
      await first.waitForOutput(new RegExp(`Watching ${id}`));
      // The next poll never gets its answer: the process dies while waiting for it.
      api.misbehave(id, { kind: 'hang' });
      const polls = () => api.requests.filter((r) => r.path.endsWith(`/${id}`)).length;
      await waitFor(() => polls() >= 2, 'the hanging poll', 20_000);
      await first.kill('SIGKILL');

      // Meanwhile the task finished: the resumed watch finds it done and delivers it.
      api.addTask({ id, created: createdLongAgo(), actualDuration: 4 });
      const second = startBot(env);
      second.child.stdin.end(); // no commands: it must carry on by itself, then stop when idle
      const { code } = await second.exited;
      assert.equal(code, 0, second.stderr);
      assert.match(second.stderr, /"resumed":1/);
      assert.equal(readyLines(first.stdout + second.stdout, id), 1);
      assert.deepEqual(
        await readFile(path.join(env.DATA_DIR as string, 'clips', `${id}.mp4`)),
        FIXTURE,
      );
    });

    it('retries a delivery killed half-way, after the restart, exactly once more', async (t) => {
      const skip = skipReason(store);
      if (skip !== undefined) return t.skip(skip);
      const env = await botEnv(store);
      const id = `sora_kill_delivery_${store}`;
      api.addTask({ id, created: createdLongAgo() });
      // The terminal chat delivers by copying the clip into clips/; a named pipe there makes
      // that copy wait for a reader that never comes: the delivery has begun and not ended.
      const clips = path.join(env.DATA_DIR as string, 'clips');
      await mkdir(clips, { recursive: true });
      execFileSync('mkfifo', [path.join(clips, `${id}.mp4`)]);
      const first = startBot(env);
      first.send(`/sora-status ${id}`);
      await first.waitForLog(/"msg":"video downloaded"/);
      // A moment to reach the copy; killed a little earlier, the delivery is just as pending.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.kill('SIGKILL');
      assert.equal(readyLines(first.stdout, id), 0);

      await rm(path.join(clips, `${id}.mp4`));
      const second = startBot(env);
      second.child.stdin.end();
      const { code } = await second.exited;
      assert.equal(code, 0, second.stderr);
      assert.equal(readyLines(second.stdout, id), 1);
      assert.deepEqual(await readFile(path.join(clips, `${id}.mp4`)), FIXTURE);
    });

    it('resumes a watch killed in the middle of a download and delivers once', async (t) => {
      const skip = skipReason(store);
      if (skip !== undefined) return t.skip(skip);
      const env = await botEnv(store);
      const id = `sora_kill_download_${store}`;
      api.addTask({
        id,
        created: createdLongAgo(),
        videoUrl: `${cdn.baseUrl}/videos/stall-once-${store}.mp4`,
      });
      const first = startBot(env);
      first.send(`/sora-status ${id}`);
      const downloads = () =>
        cdn.requests.filter((r) => r.path === `/videos/stall-once-${store}.mp4`).length;
      await waitFor(() => downloads() === 1, 'the stalled download', 20_000);
      await first.kill('SIGKILL');

      const second = startBot(env);
      second.child.stdin.end();
      const { code } = await second.exited;
      assert.equal(code, 0, second.stderr);
      assert.equal(downloads(), 2, 'downloaded again from the stored link');
      assert.equal(readyLines(first.stdout + second.stdout, id), 1);
      assert.deepEqual(
        await readFile(path.join(env.DATA_DIR as string, 'clips', `${id}.mp4`)),
        FIXTURE,
      );
    });
  });
}

describe('orderly stop', () => {
  it('stops on SIGTERM with exit code 0, closing the store, and resumes on the next start', async () => {
    const env = await botEnv('sqlite');
    const id = 'sora_sigterm';
    api.addTask({ id, created: createdLongAgo(), processingMs: 600_000 });
    const first = startBot(env);
    first.send(`/sora-status ${id}`);
    await first.waitForOutput(new RegExp(`Watching ${id}`));
    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    assert.equal(stopped.code, 0, first.stderr);
    assert.match(first.stderr, /"msg":"stopped"/);

    api.addTask({ id, created: createdLongAgo() });
    const second = startBot(env);
    second.child.stdin.end();
    const { code } = await second.exited;
    assert.equal(code, 0, second.stderr);
    assert.match(second.stderr, /"resumed":1/);
    assert.equal(readyLines(second.stdout, id), 1);
  });
});
