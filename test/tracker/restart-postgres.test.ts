/**
 * Crash safety on Postgres, with real processes: the bot is killed with SIGKILL in the
 * middle of a poll, then started again on the same database; the watch resumes on its own
 * and the clip is delivered once. (restart.test.ts covers the other crash points on SQLite
 * and Redis; what they add is the tracker's, not the store's.)
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { BotProcess } from '../support/bot-process.ts';
import { postgresForTests, type TestPostgres } from '../support/postgres.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'restart-test-key';
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let postgres: TestPostgres | { skip: string };
const cleanups: (() => Promise<unknown>)[] = [];

before(async () => {
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: cdn.baseUrl });
  postgres = await postgresForTests();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all([api.close(), cdn.close()]);
  if ('stop' in postgres) await postgres.stop();
});

function startBot(env: Record<string, string>): BotProcess {
  const bot = new BotProcess(env);
  cleanups.push(() => bot.kill());
  return bot;
}

const readyLines = (output: string, taskId: string) =>
  output.split('\n').filter((line) => line.includes(`${taskId} is ready`)).length;

/** Created minutes ago, so the schedule polls every few seconds once it runs. */
const createdLongAgo = () => Math.floor(Date.now() / 1000) - 300;

it('resumes a watch on Postgres killed in the middle of a poll and delivers once', async (t) => {
  if ('skip' in postgres) return t.skip(postgres.skip);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sora-restart-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const env = {
    SORA_API_KEY: API_KEY,
    SORA_API_BASE_URL: api.baseUrl,
    VIDEO_URL_ALLOW_PRIVATE: 'true',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // The task id is this test's own, so a shared server needs no clearing.
    STORE_URL: postgres.url,
  };
  const id = `sora_kill_poll_postgres_${process.pid}`;
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
  assert.deepEqual(await readFile(path.join(dataDir, 'clips', `${id}.mp4`)), FIXTURE);
});
