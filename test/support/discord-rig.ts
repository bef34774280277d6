/**
 * The Discord adapter wired as the bot wires it, for tests: a real discord.js client logged
 * in to the fake Discord, the real tracker on the fake Sora API and video CDN, on a manual
 * clock, and the command handler with the Creator, the spending limits and the records of
 * made tasks behind `/sora-create` and the card buttons, as in main.ts. `restart()` stops the
 * bot and starts a new one on the same store (a SQLite file, when asked for, is closed and
 * opened again), the fakes staying up. `close()` stops them all and removes the files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiscordAdapter } from '../../src/adapters/discord/index.ts';
import { type ClipShelf, createCommandHandler } from '../../src/chat/command-handler.ts';
import { Creator } from '../../src/create/creator.ts';
import { SpendingLimits, type SpendingRules } from '../../src/create/spending-limits.ts';
import { videoMaker } from '../../src/create/video-maker.ts';
import { silentLogger } from '../../src/log.ts';
import { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import { type OpenedStore, openWatchStore } from '../../src/store/open-store.ts';
import type { Tracker } from '../../src/tracker/tracker.ts';
import { type FakeDiscord, type FakeGuild, startFakeDiscord } from '../fakes/discord.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import { ManualClock } from './manual-clock.ts';
import { createTestTracker, type TestTracker } from './test-tracker.ts';

const API_KEY = 'discord-test-key';
export const DISCORD_APPLICATION_ID = '100000000000000001';

export interface DiscordRigOptions {
  /** The servers the bot is in, with their channels. */
  guilds: FakeGuild[];
  /** The adapter's clock is the tracker's (for drafts and deferred answers); else real time. */
  adapterOnTestClock?: boolean;
  /** Where the bot keeps its watches: in memory (the default) or a SQLite file in a temp dir. */
  store?: 'memory' | 'sqlite';
  /** Who may create and how much (CREATE_ALLOWED, ADMIN_USERS, …); by default anyone, plenty. */
  create?: Partial<SpendingRules>;
  /** The clip library `/sora-clips` reads; none unless given. */
  clips?: ClipShelf;
}

export interface DiscordRig {
  clock: ManualClock;
  api: FakeSoraApi;
  cdn: FakeVideoCdn;
  discord: FakeDiscord;
  /** The running bot's tracker and adapter: new ones after `restart()`. */
  tracker: Tracker;
  adapter: DiscordAdapter;
  /** Stops the bot and starts it again on the same store, as a deploy would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** One run of the bot: what `restart()` stops and starts again. */
interface Bot {
  tracker: Tracker;
  adapter: DiscordAdapter;
  stop(): Promise<void>;
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
  const memory = new MemoryWatchStore(() => clock.now());
  const openStore = async (): Promise<OpenedStore> =>
    options.store === 'sqlite'
      ? openWatchStore(`sqlite://${path.join(workDir, 'bot.sqlite')}`)
      : memory;
  const start = async (): Promise<Bot> => {
    const store = await openStore();
    return startBot({ options, clock, api, discord, store, workDir });
  };
  let bot = await start();
  return {
    clock,
    api,
    cdn,
    discord,
    get tracker() {
      return bot.tracker;
    },
    get adapter() {
      return bot.adapter;
    },
    async restart() {
      await bot.stop();
      bot = await start();
    },
    async close() {
      await bot.stop();
      await Promise.all([
        discord.close(),
        api.close(),
        cdn.close(),
        rm(workDir, { recursive: true, force: true }),
      ]);
    },
  };
}

async function startBot(setup: {
  options: DiscordRigOptions;
  clock: ManualClock;
  api: FakeSoraApi;
  discord: FakeDiscord;
  store: OpenedStore;
  workDir: string;
}): Promise<Bot> {
  const { options, clock, store } = setup;
  const adapter = new DiscordAdapter({
    token: 'fake-bot-token',
    applicationId: DISCORD_APPLICATION_ID,
    apiUrl: setup.discord.apiUrl,
    logger: silentLogger,
    suggest: (target) => wired.tracker.list(target).map((watch) => watch.taskId),
    ...(options.adapterOnTestClock ? { now: () => clock.now() } : {}),
  });
  const wired: TestTracker = createTestTracker({
    api: { baseUrl: setup.api.baseUrl, apiKey: API_KEY },
    clock,
    store,
    adapters: [adapter],
    options: { downloadsDir: path.join(setup.workDir, 'downloads') },
  });
  const { tracker } = wired;
  const rules: SpendingRules = {
    allowed: 'everyone',
    admins: [],
    dailyVideos: 1000,
    ...options.create,
  };
  const limits = new SpendingLimits({ rules, store, clock });
  const creator = new Creator({ sora: wired.client, tracker, records: store, clock, limits });
  const maker = videoMaker({ creator, limits, records: store });
  await tracker.start();
  await adapter.start(
    createCommandHandler(tracker, silentLogger, maker, () => clock.now(), options.clips),
  );
  return {
    tracker,
    adapter,
    async stop() {
      await wired.close();
      await adapter.stop();
      // The memory store outlives a restart, as a file would; only a real store is closed.
      if (!(store instanceof MemoryWatchStore)) await store.close();
    },
  };
}
