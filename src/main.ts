/**
 * `npm start`: the composition root. config → store → Sora client → tracker → adapters,
 * and an orderly stop on SIGINT/SIGTERM (a second signal exits at once).
 *
 * With no chat platform configured the terminal chat runs: commands on stdin, status lines
 * on stdout, logs on stderr, clips saved under DATA_DIR/clips.
 */
import path from 'node:path';
import { createDiscordAdapter } from './adapters/discord/index.ts';
import { createShellAdapter } from './adapters/shell/index.ts';
import { createSlackAdapter } from './adapters/slack/index.ts';
import { createCommandHandler } from './chat/command-handler.ts';
import type { ChatAdapter } from './chat/port.ts';
import { systemClock, systemRandom } from './clock.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { soraClientFromConfig } from './sora/client.ts';
import { fetchVideo } from './sora/download.ts';
import { openWatchStore } from './store/open-store.ts';
import { redactStoreUrl } from './store/store-url.ts';
import { Tracker } from './tracker/tracker.ts';

const NO_PLATFORM_GREETING = [
  'No chat platform is configured, so this is the terminal chat.',
  'Set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to serve Slack, or',
  'DISCORD_TOKEN with DISCORD_APPLICATION_ID to serve Discord, instead (see the README).',
].join('\n');

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
    return 2;
  }
  const chatPlatforms = config.discord !== undefined || config.slack !== undefined;
  // The terminal chat owns stdout, so its log goes to stderr.
  const logger = createLogger(config.logLevel, chatPlatforms ? process.stdout : process.stderr);
  const store = await openWatchStore(config.storeUrl);
  const client = soraClientFromConfig(config.sora, logger);
  let stopping: Promise<void> | undefined;
  let stopped: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    stopped = resolve;
  });
  const stop = (): Promise<void> => {
    stopping ??= shutdown().then(() => stopped(0));
    return stopping;
  };
  const adapters: ChatAdapter[] = [];
  if (config.slack) {
    adapters.push(
      createSlackAdapter({
        botToken: config.slack.botToken,
        ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
        ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
        ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        port: config.port,
        logger,
      }),
    );
  }
  if (config.discord) {
    adapters.push(
      createDiscordAdapter({
        token: config.discord.token,
        applicationId: config.discord.applicationId,
        ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
        // Autocomplete of task ids: what this channel watches (called once the bot runs).
        suggest: (target) => tracker.list(target).map((watch) => watch.taskId),
        logger,
      }),
    );
  }
  if (adapters.length === 0) {
    adapters.push(
      createShellAdapter({
        input: process.stdin,
        output: process.stdout,
        clipsDir: path.join(config.dataDir, 'clips'),
        greeting: NO_PLATFORM_GREETING,
        onInputEnd: () => void whenIdle(tracker).then(stop),
      }),
    );
  }
  const tracker = new Tracker(
    {
      store,
      sora: client,
      fetchVideo: (url, destination, signal) =>
        fetchVideo(url, destination, {
          maxBytes: config.video.maxBytes,
          allowPrivate: config.video.allowPrivate,
          signal,
        }),
      adapters,
      clock: systemClock,
      random: systemRandom,
      logger,
    },
    { downloadsDir: path.join(config.dataDir, 'downloads'), watchMaxAgeMs: config.watchMaxAgeMs },
  );

  async function shutdown(): Promise<void> {
    logger.info('stopping');
    await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
    await tracker.stop();
    await store.close();
    await client.close();
    logger.info('stopped');
  }

  await tracker.start();
  const handler = createCommandHandler(tracker, logger);
  for (const adapter of adapters) await adapter.start(handler);
  logger.info(
    { platforms: adapters.map((a) => a.platform), store: redactStoreUrl(config.storeUrl) },
    'bot started',
  );

  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    void stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return done;
}

/** Resolves when the tracker has nothing left to do. */
async function whenIdle(tracker: Tracker): Promise<void> {
  while (tracker.activeCount > 0) await new Promise((resolve) => setTimeout(resolve, 500));
}

// Exits explicitly once stopped: an open stdin (the terminal chat's input) would keep it alive.
process.exit(await main());
