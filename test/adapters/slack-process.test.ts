/** `npm start` with SLACK_* set, as a child process, against the fake Slack Web API. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FakeSlackApi, sendSlashCommand, startFakeSlackApi } from '../fakes/slack-api.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { BotProcess } from '../support/bot-process.ts';
import { freePort } from '../support/redis.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'slack-process-key';
const BOT_TOKEN = 'xoxb-slack-process-token';
const SIGNING_SECRET = 'slack-process-signing-secret';
let slack: FakeSlackApi;
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let dataDir: string;
const bots: BotProcess[] = [];
/** The fake Sora API's clock: statuses move only when a test moves it, however slow a start. */
let timeline = Date.now();

before(async () => {
  slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: cdn.baseUrl, now: () => timeline });
  dataDir = await mkdtemp(path.join(tmpdir(), 'sora-slack-'));
});
after(async () => {
  await Promise.all(bots.map((bot) => bot.kill()));
  await Promise.all([slack.close(), api.close(), cdn.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

const env = (dir: string, port: number) => ({
  SORA_API_KEY: API_KEY,
  SORA_API_BASE_URL: api.baseUrl,
  VIDEO_URL_ALLOW_PRIVATE: 'true',
  DATA_DIR: dir,
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slack.apiUrl,
  PORT: String(port),
});

/** Starts `npm start` and waits until it takes commands. */
async function startBot(dir: string, port: number): Promise<BotProcess> {
  const bot = new BotProcess(env(dir, port));
  bots.push(bot);
  await bot.waitForStdout(/"msg":"bot started"/);
  return bot;
}

describe('Slack in a real process', () => {
  it('answers a signed /sora-status on PORT and uploads the clip into the channel', async () => {
    api.addTask({ id: 'sora_slack_main', created: Math.floor(Date.now() / 1000) - 300 });
    const port = await freePort();
    const bot = new BotProcess({
      SORA_API_KEY: API_KEY,
      SORA_API_BASE_URL: api.baseUrl,
      VIDEO_URL_ALLOW_PRIVATE: 'true',
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
    });
    bots.push(bot);
    await bot.waitForStdout(/"msg":"bot started"/);
    // The probes share Slack's port.
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    const answer = await sendSlashCommand({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      command: '/sora-status',
      text: 'sora_slack_main',
      channelId: 'C0123',
      userId: 'U0456',
      responseUrl: slack.responseUrl(),
    });
    assert.equal(answer.status, 200);
    const shared = () => slack.files.find((file) => file.channel === 'C0123');
    await waitFor(
      () => shared() !== undefined,
      `the shared upload\n${bot.stdout}${bot.stderr}`,
      15_000,
    );
    assert.deepEqual(shared()?.bytes, FIXTURE);
    assert.match(shared()?.initialComment ?? '', /<@U0456>/);
    const forged = await sendSlashCommand({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: 'not-the-secret',
      command: '/sora-status',
      text: 'sora_slack_main',
      channelId: 'C0123',
      userId: 'U0456',
      responseUrl: slack.responseUrl(),
    });
    assert.equal(forged.status, 401);
    assert.doesNotMatch(bot.stdout + bot.stderr, new RegExp(`${BOT_TOKEN}|${SIGNING_SECRET}`));
    bot.child.kill('SIGTERM');
    assert.equal((await bot.exited).code, 0);
  });

  it('carries on editing the same card after being killed and started again', async () => {
    const dir = path.join(dataDir, 'restart');
    await mkdir(dir);
    const port = await freePort();
    const id = 'sora_slack_crash';
    const channel = 'C0CRASH';
    // Created a while ago and still queued: the bot asks again within seconds.
    api.addTask({
      id,
      created: Math.floor(Date.now() / 1000) - 900,
      queuedMs: 1_000,
      processingMs: 1_000,
    });
    const first = await startBot(dir, port);
    const answer = await sendSlashCommand({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      command: '/sora-status',
      text: id,
      channelId: channel,
      userId: 'U0789',
      responseUrl: slack.responseUrl(),
    });
    assert.equal(answer.status, 200);
    // The answer comes once the card is posted and its ts saved.
    await waitFor(
      () => slack.responses.some((r) => String(r.body.text).includes(id)),
      `the answer\n${first.stdout}${first.stderr}`,
      10_000,
    );
    const cards = () => slack.messages.filter((m) => m.channel === channel);
    assert.equal(cards().length, 1);
    const [card] = cards();
    assert.ok(card);
    assert.match(JSON.stringify(card.blocks), /:hourglass_flowing_sand:/);
    await first.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const second = await startBot(dir, port);
    timeline += 2_000;
    const shared = () => slack.files.filter((file) => file.channel === channel);
    await waitFor(
      () => shared().length > 0,
      `the upload after the restart\n${second.stdout}${second.stderr}`,
      12_000,
    );
    assert.equal(cards().length, 1, 'the same card, no second one');
    assert.equal(card.edits.at(-1)?.text, `${id}: completed`);
    const updates = slack.callsOf('chat.update').filter((c) => c.params.channel === channel);
    assert.ok(updates.length > 0);
    assert.ok(updates.every((c) => c.params.ts === card.ts));
    assert.deepEqual(shared()[0]?.bytes, FIXTURE);
    assert.match(shared()[0]?.initialComment ?? '', /<@U0789>/);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
    assert.equal(shared().length, 1, 'uploaded once');
    const completions = slack
      .callsOf('files.completeUploadExternal')
      .filter((c) => c.params.channel_id === channel);
    assert.equal(completions.length, 1);
  });
});
