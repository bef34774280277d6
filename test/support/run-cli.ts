/** Runs `sora-status` as a child process, exactly as a person or a script would. */
import { execFile } from 'node:child_process';
import path from 'node:path';

const CLI = path.join(import.meta.dirname, '../../src/cli.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        // A clean environment: nothing from the developer's shell or .env leaks in.
        env: { PATH: process.env.PATH ?? '', ...env },
        cwd: options.cwd ?? path.join(import.meta.dirname, '..'),
        timeout: options.timeoutMs ?? 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        if (code === undefined) reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}
