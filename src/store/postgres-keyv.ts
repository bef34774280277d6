/**
 * A Keyv on Postgres through @keyv/postgres: its SQL and table layout, with a connection
 * pool of our own. Each point below was seen against a real server with the stock adapter
 * or with plain client-side timeouts (test/store/postgres-watch-store.test.ts keeps them
 * fixed):
 *
 * - It keeps one pool per process in a module variable: closing a second store on the same
 *   server ends the first one's pool ("Cannot use a pool after calling end on the pool").
 *   Here each adapter makes its own pool and ends only that one.
 * - Its pool has no 'error' listener: when the server restarts, an idle connection's error
 *   crashes the process. Here such errors go to Keyv's 'error' event; the pool connects
 *   again on the next query.
 * - It creates its table once, when constructed: opened while the server is down, every
 *   query fails for good ("relation public.keyv does not exist"). Here every query first
 *   makes sure of the table, until that has worked once.
 * - A query the client stops waiting for goes on in the server: a write that timed out
 *   waiting for a row lock committed once the lock was released, after it was reported as
 *   failed. Here the server itself cancels any statement after `operationTimeoutMs`
 *   (`statement_timeout`), and the client waits a little longer than that, so a write is
 *   never reported failed while it can still commit (a network that delays a query for
 *   longer than the grace below aside).
 *
 * The one hook into @keyv/postgres: its constructor calls `connect()` once and sends every
 * statement through the function that resolves to, so overriding `connect()` (part of its
 * typed API) replaces its module-wide pool; everything else is its public API as it is.
 */
import KeyvPostgres from '@keyv/postgres';
import { Keyv } from 'keyv';
import pg from 'pg';

export interface PostgresKeyvOptions {
  namespace: string;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

/**
 * How much longer than the server's own limit the client waits for an answer (ms): enough
 * for the server's cancellation to arrive, so that is normally the error seen.
 */
const CLIENT_GRACE_MS = 1_000;

export function openPostgresKeyv(url: string, options: PostgresKeyvOptions): Keyv {
  const adapter = new PostgresAdapter({
    uri: url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.operationTimeoutMs,
    query_timeout: options.operationTimeoutMs + CLIENT_GRACE_MS,
  });
  return new Keyv(adapter, { namespace: options.namespace, throwOnErrors: true });
}

type Query = (sql: string, values?: unknown[]) => Promise<unknown[]>;

/** Each adapter's pool. Not a field: the base constructor calls `connect()` before fields exist. */
const pools = new WeakMap<PostgresAdapter, pg.Pool>();

/** Postgres reports a table created at the same moment by another session this way. */
const UNIQUE_VIOLATION = '23505';

class PostgresAdapter extends KeyvPostgres {
  override async connect(): Promise<Query> {
    const { uri, schema, table, keySize } = this.opts;
    const pool = new pg.Pool({ ...this.opts, connectionString: uri });
    pool.on('error', (error) => this.emit('error', error));
    pools.set(this, pool);
    // The statement the stock adapter runs once at construction (without the options for an
    // unlogged table or another schema, which we do not use).
    const createTable = `CREATE TABLE IF NOT EXISTS ${schema}.${table}(key VARCHAR(${Number(keySize)}) PRIMARY KEY, value TEXT )`;
    let tableReady: Promise<void> | undefined;
    const ensureTable = async () => {
      try {
        await pool.query(createTable);
      } catch (error) {
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return;
        tableReady = undefined;
        throw error;
      }
    };
    return async (sql, values) => {
      tableReady ??= ensureTable();
      await tableReady;
      return (await pool.query(sql, values)).rows;
    };
  }

  override async disconnect(): Promise<void> {
    const pool = pools.get(this);
    pools.delete(this);
    await pool?.end();
  }
}
