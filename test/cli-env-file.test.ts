/**
 * `sora-status` run as installed (the file itself, through its `#!` line), in a directory
 * with or without a `.env`: a successful look says nothing on stderr either way.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FakeSoraApi, startFakeSoraApi } from './fakes/sora-api.ts';
import type { CliRun } from './support/run-cli.ts';

const CLI = path.join(import.meta.dirname, '../src/cli.ts');
const API_KEY = 'sk-cli-env-file-test';
let api: FakeSoraApi;
let dir: string;

before(async () => {
  api = await startFakeSoraApi({ apiKey: API_KEY, videoBaseUrl: 'http://127.0.0.1:9' });
  api.addTask({ id: 'sora_env_file', queuedMs: 60_000 });
  dir = await mkdtemp(path.join(tmpdir(), 'sora-cli-env-'));
});
after(async () => {
  await Promise.all([api.close(), rm(dir, { recursive: true, force: true })]);
});

/** Runs the file as an executable, with this Node first on PATH for its `#!/usr/bin/env`. */
function runInstalled(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  const pathVar = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  return new Promise((resolve, reject) => {
    execFile(
      CLI,
      args,
      { env: { PATH: pathVar, ...env }, cwd, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        if (code === undefined) reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('sora-status and .env', () => {
  it('prints nothing on stderr when the current directory has no .env', async () => {
    const run = await runInstalled(
      ['sora_env_file'],
      { SORA_API_KEY: API_KEY, SORA_API_BASE_URL: api.baseUrl },
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Task\s+sora_env_file$/m);
    assert.equal(run.stderr, '');
  });

  it('reads settings from .env in the current directory, the environment winning', async (t) => {
    const withEnv = await mkdtemp(path.join(tmpdir(), 'sora-cli-env-'));
    t.after(() => rm(withEnv, { recursive: true, force: true }));
    await writeFile(
      path.join(withEnv, '.env'),
      `SORA_API_KEY=${API_KEY}\nSORA_API_BASE_URL=http://127.0.0.1:9/not-this-one\n`,
    );
    const run = await runInstalled(['sora_env_file'], { SORA_API_BASE_URL: api.baseUrl }, withEnv);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Status\s+queued$/m);
    assert.equal(run.stderr, '');
  });
});
