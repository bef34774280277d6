/**
 * The command line's chat platform: one task, one terminal. Prints a line each time the
 * status word changes (naming the model on the first one), saves the delivered clip where
 * asked, and tells the waiting command how the task ended.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ChatAdapter, FinishedVideo, TaskFailure } from '../chat/port.ts';
import type { StatusView } from '../chat/status-view.ts';
import type { VideoTask } from '../sora/task.ts';
import { changeLine } from './task-text.ts';

export type WatchEnding =
  | { kind: 'saved'; task: VideoTask; path: string; bytes: number }
  /** Completed, but the clip could not be fetched; `problem` says why. */
  | { kind: 'not-saved'; task: VideoTask; problem: string }
  | { kind: 'ended'; task: VideoTask | undefined; reason: string };

export class CliAdapter implements ChatAdapter {
  readonly platform = 'cli';
  readonly ended: Promise<WatchEnding>;
  readonly #outDir: string;
  readonly #print: (line: string) => void;
  #lastStatus: string | undefined;
  #lastError: string | undefined;
  #modelNamed = false;
  #end: (ending: WatchEnding) => void = () => {};

  constructor(options: { outDir: string; print: (line: string) => void }) {
    this.#outDir = options.outDir;
    this.#print = options.print;
    this.ended = new Promise((resolve) => {
      this.#end = resolve;
    });
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  connected(): boolean {
    return true;
  }

  async showStatus(_sub: unknown, view: StatusView): Promise<string> {
    // A line per change of status, and per change of what is wrong (an outage, its length).
    const changed = view.status !== this.#lastStatus && view.status !== 'checking';
    if (changed || (view.error !== undefined && view.error !== this.#lastError)) {
      this.#lastStatus = view.status;
      this.#lastError = view.error;
      const nameModel = !this.#modelNamed && view.modelName !== undefined;
      if (nameModel) this.#modelNamed = true;
      this.#print(
        changeLine({
          status: view.status,
          elapsedMs: view.elapsedMs,
          ...(nameModel ? { modelName: view.modelName } : {}),
          ...(view.tone === 'done' && view.clipSeconds !== undefined
            ? { clipSeconds: view.clipSeconds }
            : {}),
          ...(view.error !== undefined ? { error: view.error } : {}),
        }),
      );
    }
    return 'terminal';
  }

  async deliverVideo(_sub: unknown, video: FinishedVideo): Promise<undefined> {
    if (video.file === undefined) {
      this.#end({ kind: 'not-saved', task: video.task, problem: video.fileProblem ?? 'no file' });
      return;
    }
    await mkdir(this.#outDir, { recursive: true });
    const destination = path.join(this.#outDir, `${video.task.id}.mp4`);
    await copyFile(video.file.path, destination);
    this.#end({ kind: 'saved', task: video.task, path: destination, bytes: video.file.bytes });
  }

  async deliverFailure(_sub: unknown, failure: TaskFailure): Promise<undefined> {
    this.#end({ kind: 'ended', task: failure.task, reason: failure.reason });
  }
}
