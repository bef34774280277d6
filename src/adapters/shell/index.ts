/**
 * A chat in the terminal, for trying the bot with no accounts: commands come from stdin,
 * one per line (so a script can pipe them in), status lines and results go to stdout, and
 * delivered clips are saved as `<clipsDir>/<task id>.mp4`. Its channel has a stable name,
 * so its watches persist and resume after a restart like any other.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { COMMAND_HELP, CommandError, parseCommand } from '../../chat/commands.ts';
import { CREATE_HELP } from '../../chat/create-command.ts';
import type { ChatAdapter, CommandHandler, FinishedVideo, TaskFailure } from '../../chat/port.ts';
import { buildResultView } from '../../chat/result-view.ts';
import type { StatusView } from '../../chat/status-view.ts';
import type { Subscription } from '../../watch/watch.ts';
import { readShellLine } from './commands.ts';
import { inputLines } from './input-lines.ts';
import { resultLine, statusLine } from './render.ts';
import { visibleLines } from './visible.ts';

export interface ShellAdapterOptions {
  input: Readable;
  output: Writable;
  /** Where delivered clips are saved. */
  clipsDir: string;
  /** The channel name; watches are stored under "shell:<channel>". */
  channel?: string;
  /** Who is typing, as shown in mentions. */
  user?: string;
  /** Called once the input ends (a piped script ran out). */
  onInputEnd?: () => void;
  /** Printed before the usage line, e.g. how to serve a chat platform instead. */
  greeting?: string;
}

export class ShellAdapter implements ChatAdapter {
  readonly platform = 'shell';
  readonly #options: ShellAdapterOptions;
  readonly #target: string;
  #lines = 0;
  #reading: Promise<void> | undefined;
  readonly #stopReading = new AbortController();

  constructor(options: ShellAdapterOptions) {
    this.#options = options;
    this.#target = `shell:${options.channel ?? 'terminal'}`;
  }

  async start(onCommand: CommandHandler): Promise<void> {
    const lines = inputLines(this.#options.input, this.#stopReading.signal);
    if (this.#options.greeting) this.#print(this.#options.greeting);
    this.#print(
      'Type /sora-status <task id> (or just the id), /sora-list, /sora-unwatch <id>, create <prompt>, usage, clips, show <id>, help.',
    );
    this.#reading = (async () => {
      for await (const line of lines) await this.#handleLine(line, onCommand);
      this.#options.onInputEnd?.();
    })();
  }

  /** The terminal is always there once started: lines can be printed even after input ends. */
  connected(): boolean {
    return this.#reading !== undefined;
  }

  async stop(): Promise<void> {
    this.#stopReading.abort();
    await this.#reading;
  }

  async showStatus(_sub: Subscription, view: StatusView): Promise<string> {
    this.#print(statusLine(view));
    this.#lines += 1;
    return `line-${this.#lines}`;
  }

  async deliverVideo(sub: Subscription, video: FinishedVideo): Promise<undefined> {
    let savedTo: string | undefined;
    if (video.file) {
      await mkdir(this.#options.clipsDir, { recursive: true });
      savedTo = path.join(this.#options.clipsDir, `${video.task.id}.mp4`);
      await copyFile(video.file.path, savedTo);
    }
    this.#print(resultLine(buildResultView(sub, video), savedTo));
  }

  async deliverFailure(sub: Subscription, failure: TaskFailure): Promise<undefined> {
    this.#print(resultLine(buildResultView(sub, failure)));
  }

  async #handleLine(line: string, onCommand: CommandHandler): Promise<void> {
    const input = readShellLine(line);
    if (input.kind === 'blank') return;
    if (input.kind === 'help') {
      this.#print([...Object.values(COMMAND_HELP), CREATE_HELP].join('\n'));
      return;
    }
    try {
      const origin = { target: this.#target, requester: this.#options.user ?? 'you' };
      const reply = await onCommand(parseCommand(input.name, input.text, origin));
      this.#print(reply.text);
    } catch (error) {
      this.#print(
        error instanceof CommandError ? error.message : 'That did not work; see the log.',
      );
    }
  }

  /** Replies echo what was typed ("Unknown command /…"): nothing invisible reaches the terminal. */
  #print(text: string): void {
    this.#options.output.write(`${visibleLines(text)}\n`);
  }
}

export function createShellAdapter(options: ShellAdapterOptions): ShellAdapter {
  return new ShellAdapter(options);
}
