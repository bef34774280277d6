/** `npm start` with SLACK_* set, as a child process, against the fake Slack Web API. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
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

before(async () => {
  slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: cdn.baseUrl });
  dataDir = await mkdtemp(path.join(tmpdir(), 'sora-slack-'));
});
after(async () => {
  await Promise.all(bots.map((bot) => bot.kill()));
  await Promise.all([slack.close(), api.close(), cdn.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

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
});
