/**
 * The bot as a child process (`node src/main.ts`), driven through its terminal chat:
 * write commands to stdin, wait for lines on stdout, stop it with a signal or kill it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './wait-for.ts';

const MAIN = path.join(import.meta.dirname, '../../src/main.ts');

/**
 * Where bots run unless a test says otherwise: an empty folder, so a developer's own `.env`
 * (read from the working directory at start) never reaches a test's bot.
 */
let emptyDir: string | undefined;
function emptyWorkingDir(): string {
  if (emptyDir === undefined) {
    const made = mkdtempSync(path.join(tmpdir(), 'sora-bot-cwd-'));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    emptyDir = made;
  }
  return emptyDir;
}

export class BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>, cwd: string = emptyWorkingDir()) {
    this.child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd,
    });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until stdout matches `pattern` (a line of the terminal chat). */
  async waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      () => pattern.test(this.stdout),
      `output ${pattern}\n--- stdout:\n${this.stdout}\n--- stderr:\n${this.stderr}`,
      timeoutMs,
    );
  }

  /** Waits until stdout matches: the log's place when a chat platform owns the bot. */
  async waitForStdout(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    await this.waitForOutput(pattern, timeoutMs);
  }

  async waitForLog(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      () => pattern.test(this.stderr),
      `log ${pattern}\n--- stderr:\n${this.stderr}`,
      timeoutMs,
    );
  }

  /** Ends the process however it is doing; safe to call twice. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
