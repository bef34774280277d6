/**
 * `npm start`: the composition root. config → store → Sora client → tracker → adapters,
 * and an orderly stop on SIGINT/SIGTERM (a second signal exits at once).
 *
 * With no chat platform configured the terminal chat runs: commands on stdin, status lines
 * on stdout, logs on stderr, clips saved under DATA_DIR/clips.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { createAdapters } from './bot/adapters.ts';
import { startBufferCollector } from './bot/buffer-collector.ts';
import { botRoutes } from './bot/routes.ts';
import { createCommandHandler } from './chat/command-handler.ts';
import { loadEnvFileIfPresent } from './cli/env-file.ts';
import { systemClock, systemRandom } from './clock.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { Creator } from './create/creator.ts';
import { SpendingLimits } from './create/spending-limits.ts';
import { videoMaker } from './create/video-maker.ts';
import { startHttpServer, stopHttpServer } from './http/server.ts';
import { createLogger } from './log.ts';
import { StoredClipLibrary } from './media/clip-library.ts';
import { ClipSweeper } from './media/clip-sweeper.ts';
import { ffmpegFrameCutter } from './media/first-frame.ts';
import { openMediaStore } from './media/open-media-store.ts';
import { createMetrics } from './metrics/registry.ts';
import { AdaptiveSchedule } from './schedule/index.ts';
import { soraClientFromConfig } from './sora/client.ts';
import { fetchVideo } from './sora/download.ts';
import { refuseWhenStopping, settledWithin } from './stopping.ts';
import { openWatchStore } from './store/open-store.ts';
import { redactStoreUrl } from './store/store-url.ts';
import { Tracker } from './tracker/tracker.ts';
import { galleryLink, shareLink } from './web/clip-token.ts';

async function main(): Promise<number> {
  let config: Config;
  try {
    loadEnvFileIfPresent();
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
    return 2;
  }
  const chatPlatforms = config.discord !== undefined || config.slack !== undefined;
  // The terminal chat owns stdout, so its log goes to stderr.
  const logger = createLogger(config.logLevel, chatPlatforms ? process.stdout : process.stderr);
  // Clips pass through in chunks that die at once; V8 alone lets 64 MiB of them pile up.
  startBufferCollector();
  const store = await openWatchStore(config.storeUrl);
  // The active-watches gauge is read at scrape time, once the tracker below exists.
  const metrics = createMetrics({ activeWatches: () => tracker.activeCount });
  const client = soraClientFromConfig(config.sora, logger, metrics.observer);
  let stopping: Promise<void> | undefined;
  let stopped: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    stopped = resolve;
  });
  const stop = (): Promise<void> => {
    stopping ??= shutdown().then(() => stopped(0));
    return stopping;
  };
  const share = config.share;
  // Every finished clip is kept here before it is posted, until the sweeper removes it.
  const media = await openMediaStore(config.clips.store);
  const library = new StoredClipLibrary({
    store: media.store,
    clock: systemClock,
    logger,
    observer: metrics.observer,
    cutPoster: ffmpegFrameCutter({ logger }),
  });
  // The clip's share page, when the bot serves them: posted with the clip, listed by /sora-clips.
  const clipShareLink = share
    ? (taskId: string) => shareLink(share.publicUrl, taskId, share.linkSecret)
    : undefined;
  // One port for the probes, /metrics and the intake: Slack's in HTTP mode, our own server
  // when another platform runs, none for the terminal chat.
  const routes = botRoutes({
    config,
    store,
    metrics,
    logger,
    adapters: () => adapters,
    intake: () => tracker,
    creator: () => creator,
    stopping: () => stopping !== undefined,
    clipLibrary: library,
  });
  const ownHttpServer = chatPlatforms && config.slack?.signingSecret === undefined;
  let httpServer: Server | undefined;
  const adapters = createAdapters(config, logger, {
    routes,
    // Both are called only once the bot runs, when the tracker exists.
    suggest: (target) => tracker.list(target).map((watch) => watch.taskId),
    onInputEnd: () => void whenIdle(tracker).then(stop),
    records: store,
  });
  const sweeper = new ClipSweeper({
    library,
    retentionMs: config.clips.retentionMs,
    ...(config.clips.maxBytes !== undefined ? { maxBytes: config.clips.maxBytes } : {}),
    clock: systemClock,
    logger,
    observer: metrics.observer,
  });
  const stopSweeping = new AbortController();
  let sweeping: Promise<void> = Promise.resolve();
  const tracker = new Tracker(
    {
      store,
      schedule: new AdaptiveSchedule({ store, random: systemRandom, logger }),
      sora: client,
      fetchVideo: (url, destination, signal, maxAttempts) =>
        fetchVideo(url, destination, {
          maxBytes: config.video.maxBytes,
          allowPrivate: config.video.allowPrivate,
          signal,
          maxAttempts,
        }),
      adapters,
      clock: systemClock,
      random: systemRandom,
      logger,
      observer: metrics.observer,
      library,
      ...(clipShareLink ? { shareLink: clipShareLink } : {}),
    },
    { downloadsDir: path.join(config.dataDir, 'downloads'), watchMaxAgeMs: config.watchMaxAgeMs },
  );

  const limits = new SpendingLimits({ rules: config.create, store, clock: systemClock });
  const creator = new Creator({
    sora: client,
    tracker,
    records: store,
    clock: systemClock,
    limits,
    observer: metrics.observer,
  });
  const maker = videoMaker({ creator, limits, records: store });

  /**
   * Commands are refused from the first signal on (`refuseWhenStopping`); deliveries in
   * progress get the grace period while the adapters can still post; then everything closes.
   * A delivery cut off by the grace period resumes on the next start, like after a crash.
   */
  async function shutdown(): Promise<void> {
    logger.info({ graceMs: config.shutdownGraceMs }, 'stopping');
    const trackerStopped = tracker.stop();
    if ((await settledWithin(trackerStopped, config.shutdownGraceMs)) === 'timed-out') {
      logger.warn('deliveries still running after the grace period; they resume on the next start');
    }
    await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
    stopSweeping.abort();
    await sweeping;
    if (httpServer) await stopHttpServer(httpServer);
    await store.close();
    media.close();
    await client.close();
    logger.info('stopped');
  }

  try {
    await tracker.start();
    sweeping = sweeper.run(stopSweeping.signal);
    if (ownHttpServer) httpServer = await startHttpServer(config.port, routes);
    const handler = refuseWhenStopping(
      createCommandHandler(tracker, logger, maker, () => systemClock.now(), {
        list: () => library.list(),
        find: (taskId) => library.find(taskId),
        ...(share
          ? {
              galleryLink: (target: string) =>
                galleryLink(share.publicUrl, target, share.linkSecret),
            }
          : {}),
        ...(clipShareLink ? { shareLink: clipShareLink } : {}),
      }),
      () => stopping !== undefined,
    );
    for (const adapter of adapters) {
      await adapter.start(handler).catch((error: unknown) => {
        throw new Error(`${adapter.platform}: ${(error as Error).message}`, { cause: error });
      });
    }
  } catch (error) {
    // A refused token, a store that cannot be read, a port in use: one sentence, then out.
    logger.fatal({ err: error }, 'could not start');
    process.stderr.write(`Could not start: ${(error as Error).message}\n`);
    await Promise.allSettled([stop()]);
    return 1;
  }
  const onSignal = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    void stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Logged once the signals are ours: from this line on, a SIGTERM stops the bot in order.
  logger.info(
    { platforms: adapters.map((a) => a.platform), store: redactStoreUrl(config.storeUrl) },
    'bot started',
  );
  return done;
}

/** Resolves when the tracker has nothing left to do. */
async function whenIdle(tracker: Tracker): Promise<void> {
  while (tracker.activeCount > 0) await new Promise((resolve) => setTimeout(resolve, 500));
}

// Exits explicitly once stopped: an open stdin (the terminal chat's input) would keep it alive.
process.exit(await main());
