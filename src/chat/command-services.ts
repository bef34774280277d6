/**
 * What the commands need from the rest of the bot, as ports: the tracker's watches, what
 * makes videos, and the clip library. The composition root passes the real ones; the chat layer imports neither.
 */
import type { CreateRequest } from '../models/index.ts';
import type { VideoTask } from '../sora/task.ts';
import type { KeptClip } from '../watch/kept-clip.ts';
import type { MadeTask } from '../watch/made-task.ts';
import type { Subscription, Watch } from '../watch/watch.ts';
import type { CommandOrigin } from './commands.ts';
import type { UsageReport } from './usage-text.ts';

/** The part of the tracker the commands use. */
export interface WatchService {
  watch(
    taskId: string,
    origin: CommandOrigin,
    known?: { repost?: boolean },
  ): Promise<{ addition: string; task: VideoTask | undefined; subscription: Subscription }>;
  unwatch(taskId: string, target: string): Promise<boolean>;
  list(target: string): Watch[];
  /** The watch of a task, running or finished, when the bot watched it. */
  find(taskId: string): Promise<{ watch: Watch } | undefined>;
}

/** What makes videos (once per key) and watches them; absent, `create` is refused. */
export interface VideoMaker {
  create(
    request: CreateRequest,
    origins: readonly CommandOrigin[],
    key: string,
    /** How long the key answers with its task; a day unless said. */
    keyKeptMs?: number,
  ): Promise<{ taskId: string; repeated: boolean; watches: { subscription: Subscription }[] }>;
  /** Today's spending against the limits, as the asker may see it; absent: no limits kept. */
  usage?(origin: CommandOrigin): Promise<UsageReport>;
  /** What a task the bot made was asked with, and by whom. */
  made?(taskId: string): Promise<MadeTask | undefined>;
  /** Whether the asker is one of `ADMIN_USERS`. */
  isAdmin?(origin: CommandOrigin): boolean;
}

/** The clip library as `/sora-clips` reads it; absent, the command says there is none. */
export interface ClipShelf {
  /** Every kept clip, newest first. */
  list(): Promise<KeptClip[]>;
  /** One kept clip, for `/sora-show`. */
  find?(taskId: string): Promise<KeptClip | undefined>;
  /** The gallery page of a place's clips, when the bot serves share pages. */
  galleryLink?(target: string): string | undefined;
  /**
   * The clip's share page, when the bot serves them (PUBLIC_URL is set); its poster is the
   * same link with `.jpg` (`posterLink` in clips-page.ts).
   */
  shareLink?(taskId: string): string | undefined;
}
