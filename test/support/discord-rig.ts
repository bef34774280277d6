/**
 * The Discord adapter wired as the bot wires it, for tests: a real discord.js client logged
 * in to the fake Discord, the real tracker on the fake Sora API and video CDN, on a manual
 * clock, and the command handler with the Creator behind `/sora-create`, as in main.ts.
 * `close()` stops them all and removes the downloads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiscordAdapter } from '../../src/adapters/discord/index.ts';
import { createCommandHandler } from '../../src/chat/command-handler.ts';
import { Creator } from '../../src/create/creator.ts';
import { silentLogger } from '../../src/log.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import type { Tracker } from '../../src/tracker/tracker.ts';
import { type FakeDiscord, type FakeGuild, startFakeDiscord } from '../fakes/discord.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { ManualClock } from './manual-clock.ts';
import { createTestTracker } from './test-tracker.ts';

const API_KEY = 'discord-test-key';
export const DISCORD_APPLICATION_ID = '100000000000000001';

export interface DiscordRigOptions {
  /** The servers the bot is in, with their channels. */
  guilds: FakeGuild[];
  /** The adapter's clock is the tracker's (for drafts and deferred answers); else real time. */
  adapterOnTestClock?: boolean;
}

export interface DiscordRig {
  clock: ManualClock;
  api: FakeSoraApi;
  cdn: FakeVideoCdn;
  discord: FakeDiscord;
  tracker: Tracker;
  adapter: DiscordAdapter;
  close(): Promise<void>;
}

export async function startDiscordRig(options: DiscordRigOptions): Promise<DiscordRig> {
  const clock = new ManualClock();
  const cdn = await startFakeVideoCdn();
  const api = await startFakeSoraApi({
    apiKey: API_KEY,
    videoBaseUrl: cdn.baseUrl,
    now: () => clock.now(),
  });
  const discord = await startFakeDiscord({ guilds: options.guilds });
  const workDir = await mkdtemp(path.join(tmpdir(), 'sora-discord-'));
  const store = new MemoryWatchStore(() => clock.now());
  const adapter = new DiscordAdapter({
    token: 'fake-bot-token',
    applicationId: DISCORD_APPLICATION_ID,
    apiUrl: discord.apiUrl,
    logger: silentLogger,
    suggest: (target) => wired.tracker.list(target).map((watch) => watch.taskId),
    ...(options.adapterOnTestClock ? { now: () => clock.now() } : {}),
  });
  const wired = createTestTracker({
    api: { baseUrl: api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    adapters: [adapter],
    options: { downloadsDir: path.join(workDir, 'downloads') },
  });
  const { tracker } = wired;
  const creator = new Creator({ sora: wired.client, tracker, records: store, clock });
  await tracker.start();
  await adapter.start(createCommandHandler(tracker, silentLogger, creator));
  return {
    clock,
    api,
    cdn,
    discord,
    tracker,
    adapter,
    async close() {
      await wired.close();
      await adapter.stop();
      await Promise.all([
        discord.close(),
        api.close(),
        cdn.close(),
        rm(workDir, { recursive: true, force: true }),
      ]);
    },
  };
}
