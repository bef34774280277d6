/**
 * Everything outside the bot, for tests that run it as a process (`node src/main.ts`):
 * the fake Sora API, the video CDN, Slack and Discord, a data directory, and the
 * settings that point the bot at them. `close()` stops every bot started here, then the
 * fakes, and removes the data.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { BotProcess } from './bot-process.ts';
import { freePort } from './redis.ts';

/**
 * The credentials every bot of these tests gets. Each holds "never-logged", so a test can
 * check that no log line carries one.
 */
export const SECRETS = {
  soraApiKey: 'sk-world-never-logged',
  slackBotToken: 'xoxb-world-never-logged',
  slackSigningSecret: 'slack-signing-never-logged',
  discordToken: 'discord-token-never-logged',
  /** Not set by `env()`: the intake's tests pass it as INTAKE_TOKEN. */
  intakeToken: 'intake-token-never-logged',
} as const;
export const DISCORD_APPLICATION_ID = '100000000000000001';

export type Platform = 'slack' | 'discord';

export interface RunningBot {
  process: BotProcess;
  /** `PORT`: the probes, the intake and Slack's request URL (in HTTP mode). */
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
}

export interface BotStart {
  /** Chat platforms to serve (each with its fake); none means the terminal chat. */
  platforms: readonly Platform[];
  /** A folder of the world's data directory: the same name finds the same store again. */
  dataName?: string;
  /** A port to listen on (a restart on the same one); a free one otherwise. */
  port?: number;
  /** More settings, or ones that replace the world's. */
  env?: Record<string, string>;
}

export class FakeWorld {
  readonly api: FakeSoraApi;
  readonly cdn: FakeVideoCdn;
  readonly slack: FakeSlackApi;
  readonly discord: FakeDiscord;
  readonly dataDir: string;
  /** Every bot started, for log checks; all are stopped by `close()`. */
  readonly bots: BotProcess[] = [];

  private constructor(parts: {
    api: FakeSoraApi;
    cdn: FakeVideoCdn;
    slack: FakeSlackApi;
    discord: FakeDiscord;
    dataDir: string;
  }) {
    this.api = parts.api;
    this.cdn = parts.cdn;
    this.slack = parts.slack;
    this.discord = parts.discord;
    this.dataDir = parts.dataDir;
  }

  /**
   * `now` is the fake Sora API's clock: tasks move on only when a test says so.
   * `slackUnfurlDomains` are the Slack app's unfurl domains (the hosts a video block may play).
   */
  static async start(
    options: { now?: () => number; slackUnfurlDomains?: readonly string[] } = {},
  ): Promise<FakeWorld> {
    const cdn = await startFakeVideoCdn();
    const [api, slack, discord, dataDir] = await Promise.all([
      startFakeSoraApi({
        apiKey: SECRETS.soraApiKey,
        videoBaseUrl: cdn.baseUrl,
        ...(options.now ? { now: options.now } : {}),
      }),
      startFakeSlackApi({
        botToken: SECRETS.slackBotToken,
        ...(options.slackUnfurlDomains ? { unfurlDomains: options.slackUnfurlDomains } : {}),
      }),
      startFakeDiscord({ applicationId: DISCORD_APPLICATION_ID }),
      mkdtemp(path.join(tmpdir(), 'sora-world-')),
    ]);
    return new FakeWorld({ api, cdn, slack, discord, dataDir });
  }

  /** The settings that point a bot at the fakes. */
  env(platforms: readonly Platform[], dataDir: string, port: number): Record<string, string> {
    return {
      PORT: String(port),
      SORA_API_KEY: SECRETS.soraApiKey,
      SORA_API_BASE_URL: this.api.baseUrl,
      VIDEO_URL_ALLOW_PRIVATE: 'true',
      DATA_DIR: dataDir,
      ...(platforms.includes('slack')
        ? {
            SLACK_BOT_TOKEN: SECRETS.slackBotToken,
            SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
            SLACK_API_URL: this.slack.apiUrl,
          }
        : {}),
      ...(platforms.includes('discord')
        ? {
            DISCORD_TOKEN: SECRETS.discordToken,
            DISCORD_APPLICATION_ID,
            DISCORD_API_URL: this.discord.apiUrl,
          }
        : {}),
    };
  }

  /** Starts `npm start` and resolves once it has said it started (and takes commands). */
  async startBot(start: BotStart): Promise<RunningBot> {
    const dir = path.join(this.dataDir, start.dataName ?? 'default');
    await mkdir(dir, { recursive: true });
    const port = start.port ?? (await freePort());
    const bot = new BotProcess({ ...this.env(start.platforms, dir, port), ...start.env });
    this.bots.push(bot);
    await bot.waitForStdout(/"msg":"bot started"/);
    return { process: bot, port, url: `http://127.0.0.1:${port}` };
  }

  /** Every log line of every bot started so far. */
  logs(): string {
    return this.bots.map((bot) => bot.stdout + bot.stderr).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.bots.map((bot) => bot.kill()));
    await Promise.all([
      this.api.close(),
      this.cdn.close(),
      this.slack.close(),
      this.discord.close(),
    ]);
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
