/**
 * The Discord adapter as an operator runs it: `npm run discord:register`, and `npm start`
 * with DISCORD_TOKEN set, both as child processes against the fake Discord.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, FIXTURE, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { BotProcess } from '../support/bot-process.ts';
import { waitFor } from '../support/wait-for.ts';

const API_KEY = 'discord-process-key';
const APPLICATION_ID = '100000000000000001';
const CHANNEL = '200000000000000002';
const GUILD = '300000000000000003';
let discord: FakeDiscord;
let api: FakeSoraApi;
let cdn: FakeVideoCdn;
let dataDir: string;
const bots: BotProcess[] = [];

before(async () => {
  discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
  cdn = await startFakeVideoCdn();
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: cdn.baseUrl });
  dataDir = await mkdtemp(path.join(tmpdir(), 'sora-discord-'));
});
after(async () => {
  await Promise.all(bots.map((bot) => bot.kill()));
  await Promise.all([discord.close(), api.close(), cdn.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({
  SORA_API_KEY: API_KEY,
  SORA_API_BASE_URL: api.baseUrl,
  VIDEO_URL_ALLOW_PRIVATE: 'true',
  DATA_DIR: dataDir,
  DISCORD_TOKEN: 'discord-bot-token',
  DISCORD_APPLICATION_ID: APPLICATION_ID,
  DISCORD_API_URL: discord.apiUrl,
});

describe('Discord in a real process', () => {
  it('registers the slash commands in the development server', async () => {
    const script = path.join(import.meta.dirname, '../../scripts/discord-register.ts');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [script],
        {
          env: { PATH: process.env.PATH ?? '', ...env(), DISCORD_GUILD_ID: GUILD },
          timeout: 20_000,
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    assert.match(output, /Registered \/sora-status, \/sora-list and \/sora-unwatch in server/);
    const put = discord.calls.find((c) => c.method === 'PUT');
    assert.equal(put?.path, `/applications/${APPLICATION_ID}/guilds/${GUILD}/commands`);
  });

  it('serves /sora-status from npm start and posts the clip into the channel', async () => {
    api.addTask({ id: 'sora_discord_main', created: Math.floor(Date.now() / 1000) - 300 });
    const bot = new BotProcess(env());
    bots.push(bot);
    await waitFor(
      () => discord.identifies() >= 1,
      `the bot to log in\n${bot.stdout}${bot.stderr}`,
      15_000,
    );
    await bot.waitForStdout(/"msg":"bot started"/);
    discord.sendSlashCommand({
      name: 'sora-status',
      options: { id: 'sora_discord_main' },
      channelId: CHANNEL,
      userId: '400000000000000004',
      guildId: GUILD,
    });
    await waitFor(
      () => discord.messagesIn(CHANNEL).some((m) => m.attachments.length > 0),
      `the clip in the channel\n${bot.stdout}${bot.stderr}`,
      15_000,
    );
    const delivery = discord.messagesIn(CHANNEL).find((m) => m.attachments.length > 0);
    assert.deepEqual(delivery?.attachments[0]?.bytes, FIXTURE);
    assert.match(delivery?.content ?? '', /<@400000000000000004>/);
    assert.doesNotMatch(bot.stdout + bot.stderr, /discord-bot-token/, 'the token is never logged');
    bot.child.kill('SIGTERM');
    assert.equal((await bot.exited).code, 0);
  });
});
