/**
 * What every repository shares: the Kysely they run on (the database, or one transaction), the
 * dialect, atomic sections, compiled-once statements, and the conversions at the edge. The schema
 * (schema.ts) keeps instants as bigint milliseconds, booleans as 0/1 and documents as JSON text;
 * the conversion to the row types of types.ts happens in the repositories and nowhere else.
 */
import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../schema';
import type { Store } from '../types';

export type Dialect = Store['dialect'];

// ---------------------------------------------------------------------------------------------
// Conversions at the edge

/** pg is configured to parse int8 as numbers (open.ts); Number() also covers a Kysely built elsewhere. */
export const num = (v: number | string | bigint): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : num(v));
export const bool = (v: number | string | bigint | boolean): boolean => Number(v) !== 0;
export const int01 = (b: boolean): number => (b ? 1 : 0);
export const count = (n: bigint | number | undefined): number => Number(n ?? 0);

export function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON (got ${typeof value})`);
  return text;
}

/**
 * A patch in the row type's field names as the columns it sets (fields left `undefined` are
 * skipped; `null` clears), and every mapped column null: the update set of an upsert and the
 * blank row it inserts (the calendar_sync and google_sync repositories).
 */
export function patchColumns<C extends string>(patch: object, columns: Readonly<Record<string, C>>): { set: Partial<Record<C, unknown>>; blank: Record<C, null> } {
  const set: Partial<Record<C, unknown>> = {};
  for (const [field, value] of Object.entries(patch)) {
    const col = columns[field];
    if (col && value !== undefined) set[col] = value;
  }
  const blank = Object.fromEntries(Object.values(columns).map((c) => [c, null])) as Record<C, null>;
  return { set, blank };
}

/**
 * A set of users for reads across many of them (Store.loadExtensions): `tids` and `oids` for the
 * `IN` lists, and `has` to keep exact pairs (oid IN … AND tid IN … may also match another
 * tenant's user with the same oid).
 */
export interface UserSet {
  readonly tids: string[];
  readonly oids: string[];
  has(r: { tid: string; oid: string }): boolean;
}

// ---------------------------------------------------------------------------------------------

/** SQL of statements compiled once (see Repository.cached), per dialect and name. */
const COMPILED = new Map<string, string>();

export abstract class Repository {
  /**
   * @param db the database, or a transaction (then every method runs in it, and atomic sections
   *   reuse it instead of nesting).
   */
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly dialect: Dialect,
  ) {}

  /**
   * Runs a statement whose SQL depends only on its shape, compiling it once per dialect: Kysely
   * rebuilds and recompiles a 17-column upsert on every call, which costs more than running it.
   * `params` must be the statement's parameters in the order the builder emits them; the first
   * compile checks that, and a statement that does not match simply runs uncached.
   */
  protected async cached(name: string, params: readonly unknown[], build: () => Compilable<unknown>): Promise<unknown> {
    // Kysely leaves out undefined values, which changes the statement's shape.
    if (params.includes(undefined)) return (await this.db.executeQuery(build().compile())).rows[0];
    const key = `${this.dialect}:${name}`;
    let text = COMPILED.get(key);
    if (text === undefined) {
      const compiled = build().compile();
      const same = compiled.parameters.length === params.length && compiled.parameters.every((p, i) => p === params[i]);
      if (!same) return (await this.db.executeQuery(compiled)).rows[0];
      text = compiled.sql;
      COMPILED.set(key, text);
    }
    return (await this.db.executeQuery(CompiledQuery.raw(text, [...params]))).rows[0];
  }

  /** Runs `fn` atomically: in the current transaction when there is one, else in a new one. */
  protected atomically<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? fn(this.db) : this.db.transaction().execute(fn);
  }
}
