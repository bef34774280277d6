/**
 * One Slack bot process for tests, wired as `main.ts` wires it: the real tracker and Sora
 * client on the fake Sora API, the Slack adapter in HTTP mode on the fake Slack, and (when
 * asked) the creator that makes videos, all on one store and an injected clock.
 */
import { SlackAdapter } from '../../src/adapters/slack/index.ts';
import { createCommandHandler } from '../../src/chat/command-handler.ts';
import { Creator } from '../../src/create/creator.ts';
import { silentLogger } from '../../src/log.ts';
import type { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import type { Tracker } from '../../src/tracker/tracker.ts';
import type { ManualClock } from './manual-clock.ts';
import { createTestTracker } from './test-tracker.ts';

export const SLACK_BOT_TOKEN = 'xoxb-test-token';
export const SLACK_SIGNING_SECRET = 'test-signing-secret';

export interface SlackBotSetup {
  /** The fake Slack's `apiUrl`. */
  slackApiUrl: string;
  soraApi: { baseUrl: string; apiKey: string };
  clock: ManualClock;
  store: MemoryWatchStore;
  downloadsDir: string;
  /** Whether `create` commands make videos (through the `Creator`); off, they are refused. */
  makesVideos?: boolean;
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
  });
  const { tracker, client, close } = createTestTracker({
    api: setup.soraApi,
    clock: setup.clock,
    store: setup.store,
    adapters: [adapter],
    options: { downloadsDir: setup.downloadsDir },
  });
  const creator = setup.makesVideos
    ? new Creator({ sora: client, tracker, records: setup.store, clock: setup.clock })
    : undefined;
  await tracker.start();
  await adapter.start(createCommandHandler(tracker, silentLogger, creator));
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
