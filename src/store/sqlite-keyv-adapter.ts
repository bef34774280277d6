/**
 * A Keyv storage adapter on Node's built-in `node:sqlite`.
 *
 * Why not @keyv/sqlite 4 (the official adapter for keyv 5): it depends on the native
 * `sqlite3` module, which has no prebuilt binary reachable from our machines and compiles
 * from source on every clean install (about 100 s added to `npm ci`, and a C++ toolchain on
 * every machine). Its successor with a `node:sqlite` driver exists only for keyv 6.
 *
 * The table is the same as @keyv/sqlite's (`key VARCHAR(255) PRIMARY KEY, value TEXT`, values
 * as Keyv serialises them), so a database file can move to the official adapter and back.
 * Unlike it, this adapter pages nothing with OFFSET and has no iterator: callers keep their
 * own index of the keys they need to list.
 *
 * `node:sqlite` is synchronous: each call blocks the event loop for the few microseconds an
 * indexed lookup of a small row takes, and a thrown SQLite error becomes a rejection.
 */
import { EventEmitter } from 'node:events';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

export interface SqliteKeyvAdapterOptions {
  /** Table name; letters, digits and "_" only. */
  table?: string;
  /** How long a write waits for another process that holds the database lock (ms). */
  busyTimeoutMs?: number;
}

const DEFAULTS = {
  /** The table name @keyv/sqlite uses, for file compatibility. */
  table: 'keyv',
  busyTimeoutMs: 5_000,
} as const satisfies Required<SqliteKeyvAdapterOptions>;

interface Row {
  key: string;
  value: string;
}

export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  /** Read by Keyv; `dialect` tells it this is an SQL store. */
  readonly opts: { dialect: 'sqlite'; path: string; table: string };
  /** Set by Keyv to its namespace; only `clear()` uses it. */
  namespace?: string | undefined;
  /** Keyv keeps expiry inside the value; the table has no column for it. */
  readonly ttlSupport = false;
  readonly #db: DatabaseSync;
  readonly #select: StatementSync;
  readonly #selectMany: StatementSync;
  readonly #upsert: StatementSync;
  readonly #delete: StatementSync;
  readonly #deleteMany: StatementSync;
  readonly #clear: StatementSync;

  /** Opens (and creates if needed) the database file at `path`. Its directory must exist. */
  constructor(path: string, options: SqliteKeyvAdapterOptions = {}) {
    super();
    const { table, busyTimeoutMs } = { ...DEFAULTS, ...options };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) {
      throw new RangeError(`invalid SQLite table name ${JSON.stringify(table)}`);
    }
    this.opts = { dialect: 'sqlite', path, table };
    this.#db = new DatabaseSync(path, { timeout: busyTimeoutMs });
    // WAL lets another process read while we write; FULL makes every commit survive a power
    // cut, which matters because delivery state is written before the side effect it guards.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
    this.#select = this.#db.prepare(`SELECT value FROM ${table} WHERE key = ?`);
    this.#selectMany = this.#db.prepare(
      `SELECT key, value FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`,
    );
    this.#upsert = this.#db.prepare(
      `INSERT INTO ${table} (key, value) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    this.#delete = this.#db.prepare(`DELETE FROM ${table} WHERE key = ?`);
    this.#deleteMany = this.#db.prepare(
      `DELETE FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`,
    );
    this.#clear = this.#db.prepare(`DELETE FROM ${table} WHERE key LIKE ? ESCAPE '\\'`);
    this.#purgeExpired(table);
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = this.#select.get(key) as Pick<Row, 'value'> | undefined;
    return row?.value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const rows = this.#selectMany.all(JSON.stringify(keys)) as unknown as Row[];
    const byKey = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => byKey.get(key) as StoredData<Value | undefined>);
  }

  /** Keyv passes a TTL too; the expiry is already inside the serialised value. */
  async set(key: string, value: string): Promise<void> {
    this.#upsert.run(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return Number(this.#delete.run(key).changes) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return Number(this.#deleteMany.run(JSON.stringify(keys)).changes) > 0;
  }

  async has(key: string): Promise<boolean> {
    return this.#select.get(key) !== undefined;
  }

  /** Deletes this namespace's keys (every key when there is no namespace). */
  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace.replace(/[\\%_]/g, '\\$&')}:` : '';
    this.#clear.run(`${prefix}%`);
  }

  async disconnect(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  /**
   * Keyv deletes an expired entry only when it is read, so entries nobody reads again would
   * stay forever. Removing them once per opening keeps the file from growing without bound.
   * Keyv stamps `expires` with `Date.now()`, so the same clock decides here.
   */
  #purgeExpired(table: string): void {
    this.#db
      .prepare(
        `DELETE FROM ${table}
         WHERE json_valid(value) AND json_extract(value, '$.expires') <= ?`,
      )
      .run(Date.now());
  }
}
