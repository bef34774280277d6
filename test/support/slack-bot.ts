/**
 * One Slack bot process for tests, wired as `main.ts` wires it: the real tracker and Sora
 * client on the fake Sora API, the Slack adapter in HTTP mode on the fake Slack, and (when
 * asked) the creator that makes videos, with its limits when given, all on one store and an
 * injected clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SlackAdapter } from '../../src/adapters/slack/index.ts';
import { userGroupsNamedIn } from '../../src/adapters/slack/user-groups.ts';
import { type ClipShelf, createCommandHandler } from '../../src/chat/command-handler.ts';
import { Creator } from '../../src/create/creator.ts';
import { SpendingLimits, type SpendingRules } from '../../src/create/spending-limits.ts';
import { videoMaker } from '../../src/create/video-maker.ts';
import { silentLogger } from '../../src/log.ts';
import type { OpenedStore } from '../../src/store/open-store.ts';
import type { Tracker } from '../../src/tracker/tracker.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api.ts';
import { type FakeSoraApi, startFakeSoraApi } from '../fakes/sora-api.ts';
import { type FakeVideoCdn, startFakeVideoCdn } from '../fakes/video-cdn.ts';
import type { ManualClock } from './manual-clock.ts';
import { createTestTracker } from './test-tracker.ts';

export const SLACK_BOT_TOKEN = 'xoxb-test-token';
export const SLACK_SIGNING_SECRET = 'test-signing-secret';

export interface SlackBotSetup {
  /** The fake Slack's `apiUrl`. */
  slackApiUrl: string;
  soraApi: { baseUrl: string; apiKey: string };
  clock: ManualClock;
  /** A `MemoryWatchStore`, or a real one (`openWatchStore`) to restart on. */
  store: OpenedStore;
  downloadsDir: string;
  /** Whether `create` commands make videos (through the `Creator`); off, they are refused. */
  makesVideos?: boolean;
  /** Who may make videos and how many (`CREATE_ALLOWED` …); absent: anyone, unlimited. */
  limits?: SpendingRules;
  /** The clip library `/sora-clips` reads; none unless given. */
  clips?: ClipShelf;
}

export interface SlackBot {
  tracker: Tracker;
  adapter: SlackAdapter;
  /** Where Slack sends commands and interactions: http://127.0.0.1:PORT/slack/events. */
  eventsUrl: string;
  stop(): Promise<void>;
}

export async function startSlackBot(setup: SlackBotSetup): Promise<SlackBot> {
  const adapter = new SlackAdapter({
    botToken: SLACK_BOT_TOKEN,
    signingSecret: SLACK_SIGNING_SECRET,
    apiUrl: setup.slackApiUrl,
    port: 0,
    logger: silentLogger,
    userGroups: userGroupsNamedIn(setup.limits?.allowed ?? 'everyone'),
    clock: setup.clock,
  });
  const { tracker, client, close } = createTestTracker({
    api: setup.soraApi,
    clock: setup.clock,
    store: setup.store,
    adapters: [adapter],
    options: { downloadsDir: setup.downloadsDir },
  });
  // Without limits of its own, the bot lets everyone make any number of videos.
  const rules = setup.limits ?? { allowed: 'everyone', admins: [], dailyVideos: 100_000 };
  const limits = new SpendingLimits({ rules, store: setup.store, clock: setup.clock });
  const creator = new Creator({
    sora: client,
    tracker,
    records: setup.store,
    clock: setup.clock,
    limits,
  });
  const maker = setup.makesVideos
    ? videoMaker({ creator, limits, records: setup.store })
    : undefined;
  await tracker.start();
  await adapter.start(
    createCommandHandler(tracker, silentLogger, maker, () => setup.clock.now(), setup.clips),
  );
  return {
    tracker,
    adapter,
    eventsUrl: `http://127.0.0.1:${adapter.port}/slack/events`,
    async stop() {
      await adapter.stop();
      await close();
    },
  };
}

/** The outside world of a Slack bot test: Slack, the Sora API on `clock`, the video CDN, a folder. */
export interface SlackFakes {
  slack: FakeSlackApi;
  api: FakeSoraApi;
  cdn: FakeVideoCdn;
  /** A temporary folder for downloads and stores, removed by `close()`. */
  workDir: string;
  close(): Promise<void>;
}

export async function startSlackFakes(setup: {
  apiKey: string;
  clock: ManualClock;
  /** The temporary folder's name starts with it. */
  name: string;
  /** The hosts Slack can fetch images from; absent, every host. */
  imageHosts?: readonly string[];
}): Promise<SlackFakes> {
  const [cdn, slack] = await Promise.all([
    startFakeVideoCdn(),
    startFakeSlackApi({
      botToken: SLACK_BOT_TOKEN,
      ...(setup.imageHosts ? { imageHosts: setup.imageHosts } : {}),
    }),
  ]);
  const api = await startFakeSoraApi({
    apiKey: setup.apiKey,
    videoBaseUrl: cdn.baseUrl,
    now: () => setup.clock.now(),
  });
  const workDir = await mkdtemp(path.join(tmpdir(), `${setup.name}-`));
  return {
    slack,
    api,
    cdn,
    workDir,
    async close() {
      await Promise.all([api.close(), cdn.close(), slack.close()]);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
