/**
 * One bot process serving Slack and Discord at once, on one tracker: a task watched from a
 * Slack channel and a Discord channel is polled as one stream, downloaded once, and
 * delivered to both.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord.ts';
import { type FakeSlackApi, sendSlashCommand, startFakeSlackApi } from './fakes/slack-api.ts';
import { type FakeSoraApi, startFakeSoraApi } from './fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from './fakes/video-cdn.ts';
import { BotProcess } from './support/bot-process.ts';
import { freePort } from './support/redis.ts';
import { waitFor } from './support/wait-for.ts';

const API_KEY = 'both-platforms-key';
const SLACK_TOKEN = 'xoxb-both-platforms';
const SLACK_SECRET = 'both-platforms-secret';
const DISCORD_CHANNEL = '200000000000000002';
let slack: FakeSlackApi;
let discord: FakeDiscord;
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let dataDir: string;
/** The fake API's clock: the task moves on only when the test says so. */
let timeline = 0;
let bot: BotProcess | undefined;

before(async () => {
  slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
  discord = await startFakeDiscord({ applicationId: '100000000000000001' });
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: cdn.baseUrl, now: () => timeline });
  dataDir = await mkdtemp(path.join(tmpdir(), 'sora-both-'));
});
after(async () => {
  await bot?.kill();
  await Promise.all([slack.close(), discord.close(), api.close(), cdn.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

describe('Slack and Discord in one process', () => {
  it('polls a task watched from both once, downloads it once and delivers it to both', async () => {
    const id = 'sora_both';
    api.addTask({ id, created: Math.floor(Date.now() / 1000) - 900, queuedMs: 1000 });
    const port = await freePort();
    bot = new BotProcess({
      SORA_API_KEY: API_KEY,
      SORA_API_BASE_URL: api.baseUrl,
      VIDEO_URL_ALLOW_PRIVATE: 'true',
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DISCORD_TOKEN: 'discord-both-token',
      DISCORD_APPLICATION_ID: '100000000000000001',
      DISCORD_API_URL: discord.apiUrl,
    });
    await bot.waitForStdout(/"platforms":\["slack","discord"\]/);
    const polls = () => api.requests.filter((r) => r.path.endsWith(`/v1/result/${id}`)).length;

    await sendSlashCommand({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SLACK_SECRET,
      command: '/sora-status',
      text: id,
      channelId: 'C0BOTH',
      userId: 'U0ANN',
      responseUrl: slack.responseUrl(),
    });
    await waitFor(() => slack.messages.some((m) => m.channel === 'C0BOTH'), 'the Slack card');
    const pollsBeforeDiscord = polls();
    discord.sendSlashCommand({
      name: 'sora-status',
      options: { id },
      channelId: DISCORD_CHANNEL,
      userId: '400000000000000004',
    });
    await waitFor(
      () => discord.messagesIn(DISCORD_CHANNEL).length > 0,
      'the Discord status message',
    );
    assert.equal(polls(), pollsBeforeDiscord, 'joining from Discord asks the API nothing');

    timeline = 2000; // the task completes
    await waitFor(
      () =>
        slack.files.some((f) => f.channel === 'C0BOTH') &&
        discord.messagesIn(DISCORD_CHANNEL).some((m) => m.attachments.length > 0),
      `both deliveries\n${bot.stdout}`,
      20_000,
    );
    assert.equal(
      cdn.requests.filter((r) => r.path === `/videos/${id}.mp4`).length,
      1,
      'one download',
    );
    assert.deepEqual(slack.files.find((f) => f.channel === 'C0BOTH')?.bytes, FIXTURE);
    const clip = discord.messagesIn(DISCORD_CHANNEL).find((m) => m.attachments.length > 0);
    assert.deepEqual(clip?.attachments[0]?.bytes, FIXTURE);
    // One stream: no two polls of the task ever came within the schedule's shortest gap.
    const times = api.requests.filter((r) => r.path.endsWith(`/v1/result/${id}`)).map((r) => r.at);
    for (let i = 1; i < times.length; i += 1) {
      assert.ok(
        (times[i] ?? 0) - (times[i - 1] ?? 0) >= 1_900,
        `polls ${i - 1} and ${i} too close`,
      );
    }
    assert.doesNotMatch(
      bot.stdout + bot.stderr,
      /xoxb-both-platforms|both-platforms-secret|discord-both-token|both-platforms-key/,
    );
    bot.child.kill('SIGTERM');
    assert.equal((await bot.exited).code, 0);
  });
});
