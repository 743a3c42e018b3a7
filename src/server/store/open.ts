/**
 * Opens the Store named by DATABASE_URL: `postgres://` or `postgresql://` is PostgreSQL (a pg
 * pool), anything else a SQLite file path (`:memory:` for a throwaway database). The schema is
 * migrated to the latest version before the store is returned.
 */
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { PgBus, soloBus } from './bus';
import { Pool, types as pgTypes } from 'pg';
import { KyselyStore } from './kysely-store';
import { migrateToLatest } from './migrations';
import { createPrivateFile, makePrivateDir } from './private-files';
import type { Database } from './schema';
import type { Store } from './types';

export interface OpenOptions {
  /**
   * Open without writing: no migrations, no folder creation; SQLite opens the file read-only
   * (it must exist), PostgreSQL sessions get `default_transaction_read_only = on`.
   */
  readonly?: boolean;
}

const INT8_OID = 20;
const parseInt8 = (v: string): number => Number(v);

/** The database URL for messages: the user but never the password (nor a `password=` parameter). */
export function redactDatabaseUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!m) return url;
  const [, scheme, authority = '', rest = ''] = m;
  const at = authority.lastIndexOf('@');
  let host = authority;
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    host = `${colon >= 0 ? userinfo.slice(0, colon) : userinfo}@${authority.slice(at + 1)}`;
  }
  const q = rest.indexOf('?');
  let tail = rest;
  if (q >= 0) {
    const kept = rest
      .slice(q + 1)
      .split('&')
      .filter((p) => p !== '' && !/password/i.test(p.split('=')[0] ?? ''));
    tail = rest.slice(0, q) + (kept.length > 0 ? `?${kept.join('&')}` : '');
  }
  return `${scheme}${host}${tail}`;
}

function describeError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return e.errors.map(describeError).join('; ');
  if (e instanceof Error) return e.message || (e as { code?: string }).code || e.name;
  return String(e);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The SQLite file a database URL names, or null (PostgreSQL, or SQLite in memory). */
export function sqliteFilePath(databaseUrl: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) || databaseUrl === ':memory:') return null;
  return resolve(databaseUrl);
}

export async function openStore(databaseUrl: string, opts: OpenOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return openPostgres(databaseUrl, opts);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl)) {
    throw new Error(`Unsupported database URL ${redactDatabaseUrl(databaseUrl)}: use postgres://… or a SQLite file path`);
  }
  return openSqlite(databaseUrl, opts);
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Store> {
  const shown = redactDatabaseUrl(url);
  let password: string | undefined;
  try {
    password = decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    password = undefined;
  }
  const scrub = (s: string) => (password ? s.split(password).join('***') : s);

  const pool = new Pool({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    // int8 (bigint: the epoch-ms columns, count(*)) as numbers for this pool only, not globally.
    types: { getTypeParser: (oid: number, format?: string) => (oid === INT8_OID && format !== 'binary' ? parseInt8 : pgTypes.getTypeParser(oid, format as 'text')) },
    onConnect: opts.readonly ? async (client) => void (await client.query('SET default_transaction_read_only = on')) : undefined,
  });
  // A pooled idle connection that breaks (server restart, network) is discarded by the pool; the
  // next query opens a new one or fails visibly (and ping() reports it). Without a listener the
  // 'error' event would crash the process.
  pool.on('error', () => undefined);

  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(oneLine(`Cannot connect to PostgreSQL at ${shown}: ${scrub(describeError(e))}`), { cause: e });
  }

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (!opts.readonly) {
    try {
      await migrateToLatest(db);
    } catch (e) {
      await db.destroy().catch(() => undefined);
      throw new Error(oneLine(`PostgreSQL at ${shown}: ${scrub(describeError(e))}`), { cause: e });
    }
  }
  // The bus (issue 18) listens on its own connection, opened when the endpoint subscribes.
  const schema = (await sql<{ s: string | null }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? 'public';
  const bus = opts.readonly
    ? soloBus
    : new PgBus({
        client: { connectionString: url, connectionTimeoutMillis: 10_000 },
        notify: async (channel, payload) => void (await sql`select pg_notify(${channel}, ${payload})`.execute(db)),
        schema,
        onError: (m) => void process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: scrub(m) })}\n`),
      });
  return new KyselyStore(db, 'postgres', bus);
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a
 * small statement. Prepared statements are reusable in better-sqlite3, so keep the recent ones.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, max = 500): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) return stmt;
    stmt = sqlite.prepare(sql);
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(sql, stmt);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

async function openSqlite(path: string, opts: OpenOptions): Promise<Store> {
  const memory = path === ':memory:';
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    if (!memory && !opts.readonly) {
      // Private to the endpoint's user (issue 10): folder 0700, database 0600 created before SQLite
      // opens it, so its -wal and -shm (which SQLite gives the database's mode) are 0600 too.
      makePrivateDir(dirname(resolve(path)));
      createPrivateFile(resolve(path));
    }
    sqlite = new SqliteDatabase(path, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
    // WAL: readers do not block the writer. (A read-only connection keeps the file's mode.)
    if (!opts.readonly) sqlite.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints instead of on every commit: a crash of the process
    // loses nothing; only a power cut can lose the last commits (SQLite's advice for WAL).
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (e) {
    sqlite?.close();
    throw new Error(oneLine(`Cannot open the SQLite database ${path}: ${describeError(e)}`), { cause: e });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  if (!opts.readonly) {
    try {
      await migrateToLatest(db);
    } catch (e) {
      await db.destroy().catch(() => undefined);
      throw new Error(oneLine(`SQLite database ${path}: ${describeError(e)}`), { cause: e });
    }
  }
  return new KyselyStore(db, 'sqlite');
}
