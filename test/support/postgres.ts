/**
 * A Postgres server for the store tests.
 *
 * With POSTGRES_URL set, that server is used as it is and left running (tests keep to a key
 * namespace of their own and clear it). Otherwise a private cluster is created with
 * `initdb` in a temporary directory and `postgres` is started on a free loopback port
 * (no Unix socket, no fsync: nothing here needs to survive a power cut), and `stop()`
 * removes both. Without the binaries the Postgres tests are skipped, except under CI=true,
 * where they fail: CI must not pass by testing less.
 *
 * Postgres refuses to run as root, so under root both programs run as the `postgres` user
 * (or `nobody` where there is none), which then owns the temporary directory.
 *
 * The server runs under a small shell watchdog that stops it (fast shutdown) when our end
 * of its stdin closes, so it goes away with the test process even if that process is
 * killed before `stop()` runs; the watchdog also exits when the server does, so a server
 * that fails to start is seen at once.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './redis.ts';

export interface TestPostgres {
  url: string;
  /** Stops the server and removes its files if this module started it; nothing for POSTGRES_URL. */
  stop(): Promise<void>;
}

/** A server of our own, which a test may also take away and bring back, data kept. */
export interface PrivatePostgres extends TestPostgres {
  /** Stops the server; the data directory stays. Does nothing if it is stopped. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port and data. Does nothing if it runs. */
  resume(): Promise<void>;
}

const INSTALL_HINT = 'install it with `apt-get install -y postgresql`, or set POSTGRES_URL';

/** Where Debian and Ubuntu put each major version's programs, which are not on PATH. */
const VERSIONED_BIN_ROOT = '/usr/lib/postgresql';

/** The unprivileged users to run as under root, in order of preference. */
const SERVICE_USERS = ['postgres', 'nobody'];

// Arguments: the log file, then the server's command line. The server's stdin is /dev/null
// (an asynchronous command's always is), so the pipe is kept on fd 3 for `cat`, which
// returns when the test process closes it on purpose or by dying.
const WATCHDOG = [
  'log="$1"; shift',
  'exec 3<&0',
  '"$@" 3<&- 2>>"$log" & server=$!',
  '{ cat <&3 >/dev/null; kill -INT "$server"; } & watcher=$!',
  'exec 3<&-',
  'wait "$server"; status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

const run = promisify(execFile);

/** The server for this test file, or why the Postgres tests are skipped here. */
export async function postgresForTests(): Promise<
  TestPostgres | PrivatePostgres | { skip: string }
> {
  const shared = process.env.POSTGRES_URL;
  if (shared) return { url: shared, stop: async () => {} };
  if (postgresBinDir() === undefined) {
    const reason = `initdb and postgres were not found on PATH or in ${VERSIONED_BIN_ROOT}/*/bin: ${INSTALL_HINT}`;
    if (process.env.CI === 'true') {
      throw new Error(`The Postgres store tests cannot run: ${reason}`);
    }
    return { skip: reason };
  }
  return startPrivatePostgres();
}

/**
 * The directory holding both `initdb` and `postgres` (of one version, as they must be):
 * the first on PATH, else the newest under /usr/lib/postgresql.
 */
export function postgresBinDir(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  return [...onPath, ...versionedBinDirs()].find(
    (dir) => isExecutable(path.join(dir, 'initdb')) && isExecutable(path.join(dir, 'postgres')),
  );
}

function versionedBinDirs(): string[] {
  let versions: string[];
  try {
    versions = readdirSync(VERSIONED_BIN_ROOT);
  } catch {
    return [];
  }
  return versions
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(VERSIONED_BIN_ROOT, version, 'bin'));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface RunAs {
  /** Prefix that runs a command as the unprivileged user; empty when we are not root. */
  prefix: string[];
  owner?: { uid: number; gid: number };
}

function unprivilegedRunner(): RunAs {
  if (process.getuid?.() !== 0) return { prefix: [] };
  for (const user of SERVICE_USERS) {
    const uid = idOf(user, '-u');
    const gid = idOf(user, '-g');
    if (uid === undefined || gid === undefined) continue;
    return {
      prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'],
      owner: { uid, gid },
    };
  }
  throw new Error(`Postgres will not run as root, and none of ${SERVICE_USERS} exists`);
}

function idOf(user: string, flag: '-u' | '-g'): number | undefined {
  const result = spawnSync('id', [flag, user], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/**
 * Creates a throwaway cluster and starts it, on a free port; a few attempts, in case
 * another process takes the free port first.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const binDir = postgresBinDir();
  if (binDir === undefined) throw new Error(`initdb and postgres were not found: ${INSTALL_HINT}`);
  const runAs = unprivilegedRunner();
  const dir = await mkdtemp(path.join(tmpdir(), 'sora-postgres-'));
  if (runAs.owner) await chown(dir, runAs.owner.uid, runAs.owner.gid);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const removeDir = () => rm(dir, { recursive: true, force: true });

  try {
    const [command, ...args] = [
      ...runAs.prefix,
      path.join(binDir, 'initdb'),
      ...['-D', dataDir, '-U', 'postgres', '--auth=trust'],
      ...['--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    ];
    await run(command as string, args, { cwd: dir });
  } catch (error) {
    await removeDir();
    throw new Error('initdb failed for a private Postgres', { cause: error });
  }

  let server: ChildProcess | undefined;
  let port = 0;
  const halt = async () => {
    if (server) await stopWatchdog(server);
    server = undefined;
  };
  const start = async (listenPort: number) => {
    server = spawnWatchedServer(runAs, binDir, dataDir, logFile, listenPort);
    try {
      await waitUntilAccepting(server, urlFor(listenPort), logFile, 10_000);
      port = listenPort;
    } catch (error) {
      await halt();
      throw error;
    }
  };

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await start(await freePort());
      return {
        url: urlFor(port),
        halt,
        resume: async () => {
          if (server === undefined) await start(port);
        },
        stop: async () => {
          await halt();
          await removeDir();
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  await removeDir();
  throw new Error('could not start a private Postgres', { cause: lastError });
}

const urlFor = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

function spawnWatchedServer(
  runAs: RunAs,
  binDir: string,
  dataDir: string,
  logFile: string,
  port: number,
): ChildProcess {
  const serverArgs = [
    ['-D', dataDir],
    ['-p', String(port)],
    ['-c', 'listen_addresses=127.0.0.1'],
    ['-c', 'unix_socket_directories='],
    ['-c', 'fsync=off'],
    ['-c', 'synchronous_commit=off'],
    ['-c', 'full_page_writes=off'],
  ].flat();
  const [command, ...args] = [
    ...runAs.prefix,
    'sh',
    '-c',
    WATCHDOG,
    'postgres-watchdog',
    logFile,
    path.join(binDir, 'postgres'),
    ...serverArgs,
  ];
  return spawn(command as string, args, {
    cwd: path.dirname(dataDir),
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}

async function stopWatchdog(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    // A server that ended by itself leaves `cat` reading the pipe until we close it.
    child.stdin?.end();
    return;
  }
  const exited = once(child, 'exit');
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilAccepting(
  server: ChildProcess,
  url: string,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && server.exitCode === null && server.signalCode === null) {
    if (await answers(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  const running = server.exitCode === null && server.signalCode === null;
  const how = running ? `did not answer within ${timeoutMs} ms` : 'exited';
  throw new Error(`postgres ${how}; its log ends:\n${log.slice(-2_000)}`);
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  // A refused or cut connection is reported here too; the caller only needs "not yet".
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
