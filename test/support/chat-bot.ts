/**
 * The commands as every platform runs them, wired as the bot wires them (tracker, creator,
 * spending limits, made-task records on one store), with a recording adapter as the chat:
 * for tests of what commands and buttons do, without a platform in between.
 */
import { type ClipShelf, createCommandHandler } from '../../src/chat/command-handler.ts';
import type { CommandHandler } from '../../src/chat/port.ts';
import { Creator } from '../../src/create/creator.ts';
import { SpendingLimits, type SpendingRules } from '../../src/create/spending-limits.ts';
import { videoMaker } from '../../src/create/video-maker.ts';
import { silentLogger } from '../../src/log.ts';
import type { MemoryWatchStore } from '../../src/store/memory-watch-store.ts';
import type { ClipLibrary } from '../../src/watch/kept-clip.ts';
import type { ManualClock } from './manual-clock.ts';
import { RecordingAdapter } from './recording-adapter.ts';
import { createTestTracker, type TestTracker } from './test-tracker.ts';

/** The commands' view of a library: what `/sora-clips` lists and `/sora-show` posts. */
function shelfOf(library: ClipLibrary | undefined): ClipShelf | undefined {
  if (library === undefined) return undefined;
  return { list: () => library.list(), find: (taskId) => library.find(taskId) };
}

export interface ChatBot {
  adapter: RecordingAdapter;
  rig: TestTracker;
  handler: CommandHandler;
  close(): Promise<void>;
}

/** Starts one; a second on the same store is the bot after a restart. */
export async function startChatBot(setup: {
  api: { baseUrl: string; apiKey: string };
  clock: ManualClock;
  store: MemoryWatchStore;
  rules: SpendingRules;
  downloadsDir: string;
  /** The adapter's platform, the prefix of its targets; 'test' unless given. */
  platform?: string;
  /** The clip library `/sora-clips` reads; none unless given. */
  clips?: ClipShelf;
  /** A clip library the tracker keeps finished clips in, and the commands read. */
  library?: ClipLibrary;
}): Promise<ChatBot> {
  const { clock, store } = setup;
  const adapter = new RecordingAdapter(setup.platform ?? 'test', () => clock.now());
  const rig = createTestTracker({
    api: setup.api,
    clock,
    store,
    adapters: [adapter],
    ...(setup.library ? { library: setup.library } : {}),
    options: { downloadsDir: setup.downloadsDir },
  });
  await rig.tracker.start();
  const limits = new SpendingLimits({ rules: setup.rules, store, clock });
  const creator = new Creator({
    sora: rig.client,
    tracker: rig.tracker,
    records: store,
    clock,
    limits,
  });
  const maker = videoMaker({ creator, limits, records: store });
  const handler = createCommandHandler(
    rig.tracker,
    silentLogger,
    maker,
    () => clock.now(),
    setup.clips ?? shelfOf(setup.library),
  );
  return { adapter, rig, handler, close: () => rig.close() };
}
