/**
 * A Keyv on Postgres through @keyv/postgres, with a connection pool of its own.
 *
 * - @keyv/postgres keeps one pool per process in a module variable: a second store on the
 *   same server shares it, and `disconnect()` of either ends it for both. Here each adapter
 *   makes its own pool and ends only that one.
 * - It creates its table once, when constructed; with the server down then, the table would
 *   never appear. Here every query first makes sure of the table, until that has worked once.
 * - Connecting and each query are bounded in time, so an unreachable server is an error
 *   after a while rather than a call that never ends.
 */
import KeyvPostgres from '@keyv/postgres';
import { Keyv } from 'keyv';
import pg from 'pg';

export interface PostgresKeyvOptions {
  namespace: string;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

export function openPostgresKeyv(url: string, options: PostgresKeyvOptions): Keyv {
  const adapter = new PostgresAdapter({
    uri: url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    query_timeout: options.operationTimeoutMs,
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
    // Errors of idle connections surface on the next query; unheard, they would crash us.
    pool.on('error', (error) => this.emit('error', error));
    pools.set(this, pool);
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
