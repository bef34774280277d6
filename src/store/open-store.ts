/**
 * Opens the watch store named by STORE_URL: the composition root's one call into this folder.
 *
 * Every Keyv built here throws on errors (Keyv's default swallows them, and an outage would
 * then read as "no such watch"), has one adapter instance of its own, and bounds how long
 * a call waits for an unreachable server. Opening starts connecting to a network backend
 * but does not wait for it: it succeeds while the server is down, and every operation then
 * fails (after at most `operationTimeoutMs`) until the server is back.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Keyv } from 'keyv';
import type { TimingsStore } from '../schedule/index.ts';
import type { CreateRecordStore } from '../watch/create-record.ts';
import type { KeptRecordStore } from '../watch/kept-records.ts';
import { StoreError } from '../watch/store-error.ts';
import type { WatchStore } from '../watch/watch.ts';
import { KeyvWatchStore, type KeyvWatchStoreOptions } from './keyv-watch-store.ts';
import { MemoryWatchStore } from './memory-watch-store.ts';
import { openPostgresKeyv } from './postgres-keyv.ts';
import { openRedisKeyv } from './redis-keyv.ts';
import { SqliteKeyvAdapter } from './sqlite-keyv-adapter.ts';
import { parseStoreUrl, type StoreLocation } from './store-url.ts';

export interface OpenStoreOptions extends KeyvWatchStoreOptions {
  /** Every key starts with it, so several bots (or test runs) can share one server. */
  namespace?: string;
  /** How long one attempt to connect to Redis or Postgres may take (ms). */
  connectTimeoutMs?: number;
  /**
   * How long one Redis command (waiting for a connection included) or Postgres query may
   * take (ms): while the server is away, every operation fails after at most this long.
   */
  operationTimeoutMs?: number;
  /** Where a relative sqlite:// path starts; the current directory by default. */
  cwd?: string;
}

type TunableOptions = Required<
  Pick<OpenStoreOptions, 'namespace' | 'connectTimeoutMs' | 'operationTimeoutMs'>
>;

const DEFAULTS = {
  namespace: 'sora-status',
  connectTimeoutMs: 5_000,
  operationTimeoutMs: 5_000,
} as const satisfies TunableOptions;

/** The watches, the schedule's learned timings, the records of creates and kept records, in one place. */
export type OpenedStore = WatchStore & TimingsStore & CreateRecordStore & KeptRecordStore;

export async function openWatchStore(
  url: string,
  options: OpenStoreOptions = {},
): Promise<OpenedStore> {
  const location = parseStoreUrl(url, options.cwd ?? process.cwd());
  if (location.kind === 'memory') return new MemoryWatchStore();
  return new KeyvWatchStore(await openKeyv(location, options), options);
}

/**
 * The Keyv under a `KeyvWatchStore`; tests use it to clear or inspect what was stored.
 * For memory:// it is Keyv's own Map (`openWatchStore` uses MemoryWatchStore instead).
 */
export async function openKeyv(
  location: StoreLocation,
  options: OpenStoreOptions = {},
): Promise<Keyv> {
  const { namespace, connectTimeoutMs, operationTimeoutMs } = { ...DEFAULTS, ...options };
  switch (location.kind) {
    case 'memory':
      return new Keyv({ namespace, throwOnErrors: true });
    case 'sqlite':
      return new Keyv(await openSqlite(location.path), { namespace, throwOnErrors: true });
    case 'redis':
      return openRedisKeyv(location.url, { namespace, connectTimeoutMs, operationTimeoutMs });
    case 'postgres':
      return openPostgresKeyv(location.url, { namespace, connectTimeoutMs, operationTimeoutMs });
  }
}

async function openSqlite(file: string): Promise<SqliteKeyvAdapter> {
  try {
    if (file !== ':memory:') await mkdir(path.dirname(file), { recursive: true });
    return new SqliteKeyvAdapter(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`could not open the SQLite store ${file} (STORE_URL): ${reason}`, {
      cause: error,
    });
  }
}
