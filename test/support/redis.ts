/**
 * A Redis server for the store tests.
 *
 * With REDIS_URL set, that server is used as it is and left running (tests keep to a key
 * namespace of their own and clear it). Otherwise a private `redis-server` is started on a
 * free loopback port, without persistence, in a temporary directory, and `stop()` removes
 * both. Without `redis-server` the Redis tests are skipped, except under CI=true, where
 * they fail: CI must not pass by testing less.
 *
 * The server runs under a small shell watchdog that stops it when our end of its stdin
 * closes, so it goes away with the test process even if that process is killed before
 * `stop()` runs.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestRedis {
  url: string;
  /** Stops the server if this module started it; does nothing for REDIS_URL. */
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it with `apt-get install -y redis-server`, or set REDIS_URL';

// `cat` returns when the test process closes the pipe on purpose or by dying.
const WATCHDOG = 'redis-server "$@" & server=$!; cat >/dev/null; kill "$server"; wait "$server"';

/** The server for this test file, or why the Redis tests are skipped here. */
export async function redisForTests(): Promise<TestRedis | { skip: string }> {
  const shared = process.env.REDIS_URL;
  if (shared) return { url: shared, stop: async () => {} };
  if (!redisServerInstalled()) {
    const reason = `redis-server is not installed: ${INSTALL_HINT}`;
    if (process.env.CI === 'true') throw new Error(`The Redis store tests cannot run: ${reason}`);
    return { skip: reason };
  }
  return startPrivateRedis();
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** A Keyv namespace no other test or run uses. */
export function uniqueNamespace(): string {
  return `test-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/** A loopback port nothing listens on (just released by us). */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts a throwaway server, on `port` if given (to bring a stopped one back); a few
 * attempts otherwise, in case another process takes the free port first.
 */
export async function startPrivateRedis(port?: number): Promise<TestRedis> {
  let lastError: unknown;
  for (let attempt = 0; attempt < (port === undefined ? 3 : 1); attempt += 1) {
    const dir = await mkdtemp(path.join(tmpdir(), 'sora-redis-'));
    const listenPort = port ?? (await freePort());
    // No persistence, loopback only, files (if any) in the temp dir.
    const serverArgs = [
      ['--port', String(listenPort)],
      ['--bind', '127.0.0.1'],
      ['--save', ''],
      ['--appendonly', 'no'],
      ['--dir', dir],
      ['--loglevel', 'warning'],
    ].flat();
    const child = spawn('sh', ['-c', WATCHDOG, 'redis-watchdog', ...serverArgs], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const stop = async () => {
      await stopWatchdog(child);
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await waitForPong(listenPort, 5_000);
      return { url: `redis://127.0.0.1:${listenPort}`, stop };
    } catch (error) {
      lastError = error;
      await stop();
    }
  }
  throw new Error('could not start a private redis-server', { cause: lastError });
}

async function stopWatchdog(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
