/**
 * The real Tracker wired as the bot wires it (real Sora client, real downloader), for tests:
 * pointed at the fake Sora API, on an injected clock, with the adapters a test gives it.
 */
import type { ChatAdapter } from '../../src/chat/port.ts';
import { silentLogger } from '../../src/log.ts';
import {
  AdaptiveSchedule,
  type PollSchedule,
  type TimingsStore,
} from '../../src/schedule/index.ts';
import type { SoraClient } from '../../src/sora/client.ts';
import { fetchVideo } from '../../src/sora/download.ts';
import type { SoraRequestObserver } from '../../src/sora/request-observer.ts';
import type { TrackerObserver } from '../../src/tracker/ports.ts';
import { Tracker, type TrackerOptions } from '../../src/tracker/tracker.ts';
import type { ClipLibrary } from '../../src/watch/kept-clip.ts';
import type { WatchStore } from '../../src/watch/watch.ts';
import { fixedRandom, type ManualClock } from './manual-clock.ts';
import { createTestSoraClient } from './test-sora-client.ts';

export interface TestTrackerSetup {
  api: { baseUrl: string; apiKey: string };
  clock: ManualClock;
  store: WatchStore & TimingsStore;
  adapters: ChatAdapter[];
  /** The adaptive schedule on the store by default. */
  schedule?: PollSchedule;
  options: TrackerOptions;
  /** Told about the tracker's and the client's work, as the metrics are in the bot. */
  observer?: TrackerObserver & SoraRequestObserver;
  /** Keeps each finished clip, as the bot's library does; none by default. */
  library?: ClipLibrary;
}

export interface TestTracker {
  tracker: Tracker;
  client: SoraClient;
  /** Stops the tracker and closes the client. */
  close(): Promise<void>;
}

export function createTestTracker(setup: TestTrackerSetup): TestTracker {
  const { clock } = setup;
  const client = createTestSoraClient(setup.api, clock, {
    maxAttempts: 1,
    ...(setup.observer ? { observer: setup.observer } : {}),
  });
  const tracker = new Tracker(
    {
      store: setup.store,
      schedule:
        setup.schedule ??
        new AdaptiveSchedule({
          store: setup.store,
          random: fixedRandom(0.5),
          logger: silentLogger,
        }),
      sora: client,
      fetchVideo: (url, destination, signal, maxAttempts) =>
        fetchVideo(url, destination, {
          maxBytes: 1024 * 1024,
          allowPrivate: true,
          clock,
          signal,
          maxAttempts,
        }),
      adapters: setup.adapters,
      clock,
      random: fixedRandom(0.5),
      logger: silentLogger,
      ...(setup.observer ? { observer: setup.observer } : {}),
      ...(setup.library ? { library: setup.library } : {}),
    },
    setup.options,
  );
  return {
    tracker,
    client,
    async close() {
      await tracker.stop();
      await client.close();
    },
  };
}
