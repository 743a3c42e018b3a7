/**
 * The Store over Kysely: one implementation for SQLite and PostgreSQL. The schema (schema.ts)
 * keeps instants as bigint milliseconds, booleans as 0/1 and documents as JSON text; the
 * conversion to the row types of types.ts happens here and nowhere else.
 */
import { type Compilable, CompiledQuery, type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { DELIVERY_DUE_SQL } from './migrations';
import type { ActivitiesTable, BookingsTable, CalendarSyncTable, Database, RecurringTable, SwitchStateTable, UsersTable } from './schema';
import type {
  ActivityRow,
  BookingRow,
  CalendarSyncRow,
  DeliveryRecord,
  ExtensionsSnapshot,
  JournalEntry,
  SwitchStateRow,
  DocKind,
  OrgRow,
  PurgeResult,
  PutBookingOutcome,
  RecurringRow,
  Store,
  UserKey,
  UserRow,
} from './types';

/**
 * Not (yet) in the BookingRow contract: the service stores the booking's Office recurrence with
 * it and reads it back. It is kept as JSON text and returned only when present, so rows without
 * one compare equal to plain BookingRows.
 */
type BookingWithRecurrence = Omit<BookingRow, 'dismissedVersion'> & { recurrence?: unknown };

/** The first key of this application's PostgreSQL advisory locks ("KK"), apart from others'. */
const ADVISORY_NAMESPACE = 0x4b4b;

// ---------------------------------------------------------------------------------------------
// Conversions at the edge

/** pg is configured to parse int8 as numbers (open.ts); Number() also covers a Kysely built elsewhere. */
const num = (v: number | string | bigint): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : num(v));
const bool = (v: number | string | bigint | boolean): boolean => Number(v) !== 0;
const int01 = (b: boolean): number => (b ? 1 : 0);
const count = (n: bigint | number | undefined): number => Number(n ?? 0);

function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON (got ${typeof value})`);
  return text;
}

function toSwitchState(r: Selectable<SwitchStateTable>): SwitchStateRow {
  return {
    extension: r.extension,
    version: num(r.version),
    state: JSON.parse(r.state) as unknown,
    nextBoundary: numOrNull(r.next_boundary),
    computedAt: num(r.computed_at),
    deliveredVersion: num(r.delivered_version),
    deliveredAt: numOrNull(r.delivered_at),
    attempts: num(r.attempts),
    nextAttemptAt: numOrNull(r.next_attempt_at),
    lastError: r.last_error,
    failedVersion: numOrNull(r.failed_version),
    claimedBy: r.claimed_by,
    claimedUntil: numOrNull(r.claimed_until),
  };
}

function toCalendarSync(r: Selectable<CalendarSyncTable>): CalendarSyncRow {
  return {
    tid: r.tid,
    oid: r.oid,
    deltaLink: r.delta_link,
    windowStart: numOrNull(r.window_start),
    windowEnd: numOrNull(r.window_end),
    lastSuccessAt: numOrNull(r.last_success_at),
    lastError: r.last_error,
    lastErrorAt: numOrNull(r.last_error_at),
    lagMs: numOrNull(r.lag_ms),
    subscriptionId: r.subscription_id,
    subscriptionExpiresAt: numOrNull(r.subscription_expires_at),
    clientState: r.client_state,
    updatedAt: num(r.updated_at),
  };
}

function toUser(r: Selectable<UsersTable>): UserRow {
  return {
    tid: r.tid,
    oid: r.oid,
    displayName: r.display_name,
    extension: r.extension,
    shared: bool(r.shared),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** SQL of statements compiled once (see KyselyStore.cached), per dialect and name. */
const COMPILED = new Map<string, string>();

function bookingValues(row: BookingWithRecurrence): Insertable<BookingsTable> {
  return {
    tid: row.tid,
    oid: row.oid,
    booking_id: row.bookingId,
    last_modified: row.lastModified,
    prefix: row.prefix,
    rest: row.rest,
    location: row.location,
    body: row.body,
    start: row.start,
    end: row.end,
    is_all_day: int01(row.isAllDay),
    sensitivity: row.sensitivity,
    show_as: row.showAs,
    is_cancelled: int01(row.isCancelled),
    response_status: row.responseStatus,
    dismissed_version: null,
    updated_at: row.updatedAt,
    recurrence: row.recurrence === undefined || row.recurrence === null ? null : toJson(row.recurrence, 'booking recurrence'),
  };
}

function toBooking(r: Selectable<BookingsTable>): BookingRow {
  const b: BookingRow & { recurrence?: unknown } = {
    tid: r.tid,
    oid: r.oid,
    bookingId: r.booking_id,
    lastModified: numOrNull(r.last_modified),
    prefix: r.prefix,
    rest: r.rest,
    location: r.location,
    body: r.body,
    start: num(r.start),
    end: num(r.end),
    isAllDay: bool(r.is_all_day),
    sensitivity: r.sensitivity,
    showAs: r.show_as,
    isCancelled: bool(r.is_cancelled),
    responseStatus: r.response_status,
    dismissedVersion: numOrNull(r.dismissed_version),
    updatedAt: num(r.updated_at),
  };
  if (r.recurrence !== null) b.recurrence = JSON.parse(r.recurrence);
  return b;
}

function toActivity(r: Selectable<ActivitiesTable>): ActivityRow {
  return {
    tid: r.tid,
    oid: r.oid,
    id: r.id,
    source: r.source as ActivityRow['source'],
    key: r.key,
    mode: r.mode as ActivityRow['mode'],
    number: r.number,
    from: num(r.from),
    to: numOrNull(r.to),
    text: r.text,
    operatorOnly: bool(r.operator_only),
    createdAt: num(r.created_at),
  };
}

function toRecurring(r: Selectable<RecurringTable>): RecurringRow {
  return {
    tid: r.tid,
    oid: r.oid,
    id: r.id,
    key: r.key,
    mode: r.mode as RecurringRow['mode'],
    number: r.number,
    firstStart: num(r.first_start),
    firstEnd: num(r.first_end),
    repeat: JSON.parse(r.repeat),
    until: r.until,
    endsNextWorkingDay: bool(r.ends_next_working_day),
    text: r.text,
    operatorOnly: bool(r.operator_only),
    exceptions: JSON.parse(r.exceptions) as number[],
    createdAt: num(r.created_at),
  };
}

// ---------------------------------------------------------------------------------------------

export class KyselyStore implements Store {
  /**
   * @param db the database, or a transaction (then every method runs in it, and transaction()
   *   reuses it instead of nesting).
   */
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  /**
   * Runs a statement whose SQL depends only on its shape, compiling it once per dialect: Kysely
   * rebuilds and recompiles a 17-column upsert on every call, which costs more than running it.
   * `params` must be the statement's parameters in the order the builder emits them; the first
   * compile checks that, and a statement that does not match simply runs uncached.
   */
  private async cached(name: string, params: readonly unknown[], build: () => Compilable<unknown>): Promise<unknown> {
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
  private atomically<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? fn(this.db) : this.db.transaction().execute(fn);
  }

  private userRows(k: UserKey) {
    return this.db.selectFrom('users').selectAll().where('tid', '=', k.tid).where('oid', '=', k.oid);
  }

  // -- Users and extensions ----------------------------------------------------------------------

  async getUser(k: UserKey): Promise<UserRow | null> {
    const r = await this.userRows(k).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** A null display name keeps the stored one (a token without a name claim does not erase it). */
  async touchUser(k: UserKey, displayName: string | null, now: number): Promise<UserRow> {
    const r = await this.db
      .insertInto('users')
      .values({ tid: k.tid, oid: k.oid, display_name: displayName, extension: null, shared: 0, created_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['tid', 'oid']).doUpdateSet((eb) => ({
          display_name: eb.fn.coalesce(eb.ref('excluded.display_name'), eb.ref('users.display_name')),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(r);
  }

  async listUsers(): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('tid').orderBy('oid').execute();
    return rows.map(toUser);
  }

  /** An absent or null displayName keeps the stored one. */
  async linkUser(k: UserKey, link: { extension: string; shared: boolean; displayName?: string | null }, now: number): Promise<UserRow> {
    const r = await this.db
      .insertInto('users')
      .values({
        tid: k.tid,
        oid: k.oid,
        display_name: link.displayName ?? null,
        extension: link.extension,
        shared: int01(link.shared),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['tid', 'oid']).doUpdateSet((eb) => ({
          display_name: eb.fn.coalesce(eb.ref('excluded.display_name'), eb.ref('users.display_name')),
          extension: eb.ref('excluded.extension'),
          shared: eb.ref('excluded.shared'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(r);
  }

  async deleteUser(k: UserKey): Promise<boolean> {
    return this.atomically(async (db) => {
      await db.deleteFrom('user_docs').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
      await db.deleteFrom('bookings').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
      await db.deleteFrom('activities').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
      await db.deleteFrom('recurring').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
      await db.deleteFrom('calendar_sync').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
      const r = await db.deleteFrom('users').where('tid', '=', k.tid).where('oid', '=', k.oid).executeTakeFirst();
      return count(r.numDeletedRows) > 0;
    });
  }

  async usersOnExtension(extension: string): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('extension', '=', extension).orderBy('tid').orderBy('oid').execute();
    return rows.map(toUser);
  }

  async loadExtensions(extensions: readonly string[], from: number, to: number): Promise<ExtensionsSnapshot> {
    const empty: ExtensionsSnapshot = { users: [], docs: [], bookings: [], activities: [], recurring: [] };
    if (extensions.length === 0) return empty;
    const users = (await this.db.selectFrom('users').selectAll().where('extension', 'in', [...new Set(extensions)]).orderBy('tid').orderBy('oid').execute()).map(toUser);
    if (users.length === 0) return empty;
    const oids = [...new Set(users.map((u) => u.oid))];
    const tids = [...new Set(users.map((u) => u.tid))];
    // oid IN … AND tid IN … may also match another tenant's user with the same oid: keep exact pairs.
    const wanted = new Set(users.map((u) => `${u.tid}\n${u.oid}`));
    const ours = <R extends { tid: string; oid: string }>(rows: R[]) => rows.filter((r) => wanted.has(`${r.tid}\n${r.oid}`));
    const [docs, bookings, activities, recurring] = await Promise.all([
      this.db.selectFrom('user_docs').select(['tid', 'oid', 'kind', 'value']).where('oid', 'in', oids).where('tid', 'in', tids).where('kind', 'in', ['settings', 'profile']).execute(),
      this.db.selectFrom('bookings').selectAll().where('oid', 'in', oids).where('tid', 'in', tids).where('start', '<', to).where('end', '>', from).orderBy('start').orderBy('booking_id').execute(),
      this.db
        .selectFrom('activities')
        .selectAll()
        .where('oid', 'in', oids)
        .where('tid', 'in', tids)
        .where('from', '<', to)
        .where((eb) => eb.or([eb('to', 'is', null), eb('to', '>', from)]))
        .orderBy('from')
        .orderBy('id')
        .execute(),
      this.db.selectFrom('recurring').selectAll().where('oid', 'in', oids).where('tid', 'in', tids).orderBy('first_start').orderBy('id').execute(),
    ]);
    return {
      users,
      docs: ours(docs).map((d) => ({ tid: d.tid, oid: d.oid, kind: d.kind as DocKind, value: JSON.parse(d.value) as unknown })),
      bookings: ours(bookings).map(toBooking),
      activities: ours(activities).map(toActivity),
      recurring: ours(recurring).map(toRecurring),
    };
  }

  async listExtensions(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('extension')
      .distinct()
      .where('extension', 'is not', null)
      .orderBy('extension')
      .$narrowType<{ extension: string }>()
      .execute();
    return rows.map((r) => r.extension);
  }

  // -- Per-user documents ------------------------------------------------------------------------

  async getDoc(k: UserKey, kind: DocKind): Promise<unknown | null> {
    const r = await this.db
      .selectFrom('user_docs')
      .select('value')
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r ? (JSON.parse(r.value) as unknown) : null;
  }

  async putDoc(k: UserKey, kind: DocKind, value: unknown, now: number): Promise<void> {
    await this.db
      .insertInto('user_docs')
      .values({ tid: k.tid, oid: k.oid, kind, value: toJson(value, `The ${kind} document`), updated_at: now })
      .onConflict((oc) =>
        oc.columns(['tid', 'oid', 'kind']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }

  // -- Organisation ------------------------------------------------------------------------------

  async getOrg(): Promise<OrgRow | null> {
    const r = await this.db.selectFrom('org').select(['value', 'updated_at']).where('id', '=', 1).executeTakeFirst();
    return r ? { value: JSON.parse(r.value) as unknown, updatedAt: num(r.updated_at) } : null;
  }

  async putOrg(value: unknown, now: number): Promise<void> {
    await this.db
      .insertInto('org')
      .values({ id: 1, value: toJson(value, 'The organisation document'), updated_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }

  // -- Bookings ----------------------------------------------------------------------------------

  async getBooking(k: UserKey, bookingId: string): Promise<BookingRow | null> {
    const r = await this.db
      .selectFrom('bookings')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('booking_id', '=', bookingId)
      .executeTakeFirst();
    return r ? toBooking(r) : null;
  }

  /**
   * One statement, atomic and identical on both dialects: `INSERT … ON CONFLICT DO UPDATE SET …
   * WHERE <ordered> RETURNING revision`. The database locks the stored row and evaluates the WHERE
   * against its latest committed version (PostgreSQL re-checks it after waiting for a concurrent
   * writer; SQLite has one writer), so concurrent snapshots in any order end with the newest.
   * revision 1: the booking was new ('created'); higher: 'updated'; no row: the stored version
   * is newer ('stale', nothing changed).
   */
  async putBooking(row: Omit<BookingRow, 'dismissedVersion'>): Promise<PutBookingOutcome> {
    const values = bookingValues(row);
    const params = Object.values(values);
    const result = (await this.cached('putBooking', params, () =>
      this.db
      .insertInto('bookings')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(['tid', 'oid', 'booking_id'])
          .doUpdateSet((eb) => ({
            last_modified: eb.ref('excluded.last_modified'),
            prefix: eb.ref('excluded.prefix'),
            rest: eb.ref('excluded.rest'),
            location: eb.ref('excluded.location'),
            body: eb.ref('excluded.body'),
            start: eb.ref('excluded.start'),
            end: eb.ref('excluded.end'),
            is_all_day: eb.ref('excluded.is_all_day'),
            sensitivity: eb.ref('excluded.sensitivity'),
            show_as: eb.ref('excluded.show_as'),
            is_cancelled: eb.ref('excluded.is_cancelled'),
            response_status: eb.ref('excluded.response_status'),
            updated_at: eb.ref('excluded.updated_at'),
            recurrence: eb.ref('excluded.recurrence'),
            revision: sql`bookings.revision + 1`,
            // Only a strictly newer lastModified clears the dismissal (a stored null counts as 0,
            // as in dismissed_version); an equal one or a snapshot without one keeps it.
            dismissed_version: eb
              .case()
              .when(
                eb.and([
                  eb('excluded.last_modified', 'is not', null),
                  eb('excluded.last_modified', '>', eb.fn.coalesce(eb.ref('bookings.last_modified'), sql.lit(0))),
                ]),
              )
              .then(sql.lit(null))
              .else(eb.ref('bookings.dismissed_version'))
              .end(),
          }))
          .where((eb) =>
            eb.or([
              eb('bookings.last_modified', 'is', null),
              eb('excluded.last_modified', 'is', null),
              eb('excluded.last_modified', '>=', eb.ref('bookings.last_modified')),
            ]),
          ),
      )
      .returning('revision'),
    )) as { revision: number | string } | undefined;
    if (!result) return 'stale';
    return Number(result.revision) === 1 ? 'created' : 'updated';
  }

  async deleteBooking(k: UserKey, bookingId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('bookings')
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('booking_id', '=', bookingId)
      .executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }

  async listBookings(k: UserKey, from: number, to: number): Promise<BookingRow[]> {
    const rows = await this.db
      .selectFrom('bookings')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('start', '<', to)
      .where('end', '>', from)
      .orderBy('start')
      .orderBy('booking_id')
      .execute();
    return rows.map(toBooking);
  }

  async dismissBooking(k: UserKey, bookingId: string): Promise<boolean> {
    const r = await this.db
      .updateTable('bookings')
      .set((eb) => ({ dismissed_version: eb.fn.coalesce(eb.ref('last_modified'), sql.lit(0)) }))
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('booking_id', '=', bookingId)
      .executeTakeFirst();
    return count(r.numUpdatedRows) > 0;
  }

  // -- Manual and quick activities ---------------------------------------------------------------

  async insertActivity(row: ActivityRow): Promise<void> {
    await this.db
      .insertInto('activities')
      .values({
        id: row.id,
        tid: row.tid,
        oid: row.oid,
        source: row.source,
        key: row.key,
        mode: row.mode,
        number: row.number,
        from: row.from,
        to: row.to,
        text: row.text,
        operator_only: int01(row.operatorOnly),
        created_at: row.createdAt,
      })
      .execute();
  }

  async getActivity(k: UserKey, id: string): Promise<ActivityRow | null> {
    const r = await this.db
      .selectFrom('activities')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toActivity(r) : null;
  }

  async deleteActivity(k: UserKey, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('activities').where('tid', '=', k.tid).where('oid', '=', k.oid).where('id', '=', id).executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }

  async listActivities(k: UserKey, from: number, to: number): Promise<ActivityRow[]> {
    const rows = await this.db
      .selectFrom('activities')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('from', '<', to)
      .where((eb) => eb.or([eb('to', 'is', null), eb('to', '>', from)]))
      .orderBy('from')
      .orderBy('id')
      .execute();
    return rows.map(toActivity);
  }

  // -- Recurring rules ---------------------------------------------------------------------------

  async insertRecurring(row: RecurringRow): Promise<void> {
    await this.db
      .insertInto('recurring')
      .values({
        id: row.id,
        tid: row.tid,
        oid: row.oid,
        key: row.key,
        mode: row.mode,
        number: row.number,
        first_start: row.firstStart,
        first_end: row.firstEnd,
        repeat: toJson(row.repeat, 'The repeat'),
        until: row.until,
        ends_next_working_day: int01(row.endsNextWorkingDay),
        text: row.text,
        operator_only: int01(row.operatorOnly),
        exceptions: toJson(row.exceptions, 'The exceptions'),
        created_at: row.createdAt,
      })
      .execute();
  }

  async getRecurring(k: UserKey, id: string): Promise<RecurringRow | null> {
    const r = await this.db
      .selectFrom('recurring')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toRecurring(r) : null;
  }

  async listRecurring(k: UserKey): Promise<RecurringRow[]> {
    const rows = await this.db
      .selectFrom('recurring')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .orderBy('first_start')
      .orderBy('id')
      .execute();
    return rows.map(toRecurring);
  }

  async setRecurringExceptions(k: UserKey, id: string, exceptions: number[]): Promise<boolean> {
    const r = await this.db
      .updateTable('recurring')
      .set({ exceptions: toJson(exceptions, 'The exceptions') })
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('id', '=', id)
      .executeTakeFirst();
    return count(r.numUpdatedRows) > 0;
  }

  async deleteRecurring(k: UserKey, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('recurring').where('tid', '=', k.tid).where('oid', '=', k.oid).where('id', '=', id).executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }

  // -- Retention ---------------------------------------------------------------------------------

  // -- Desired switch states and delivery ---------------------------------------------------------

  async getSwitchState(extension: string): Promise<SwitchStateRow | null> {
    const r = await this.db.selectFrom('switch_state').selectAll().where('extension', '=', extension).executeTakeFirst();
    return r ? toSwitchState(r) : null;
  }

  async listSwitchStates(): Promise<SwitchStateRow[]> {
    const rows = await this.db.selectFrom('switch_state').selectAll().orderBy('extension').execute();
    return rows.map(toSwitchState);
  }

  async putDesiredState(extension: string, state: unknown | null, nextBoundary: number | null, now: number): Promise<{ version: number; changed: boolean }> {
    const text = toJson(state, 'The switch state');
    return this.atomically(async (db) => {
      // On PostgreSQL several processes may recompute the same extension at a boundary: the row
      // lock makes the second one see the first one's state, so a change bumps the version once.
      const current = () => {
        const q = db.selectFrom('switch_state').select(['version', 'state']).where('extension', '=', extension);
        return (this.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
      };
      let row = await current();
      if (!row) {
        const inserted = await db
          .insertInto('switch_state')
          .values({ extension, version: 1, state: text, next_boundary: nextBoundary, computed_at: now, delivered_version: 0, delivered_at: null, attempts: 0, next_attempt_at: null, last_error: null, failed_version: null, claimed_by: null, claimed_until: null })
          .onConflict((oc) => oc.column('extension').doNothing())
          .executeTakeFirst();
        if (count(inserted.numInsertedOrUpdatedRows) > 0) return { version: 1, changed: true };
        row = await current();
        if (!row) throw new Error(`switch state of ${extension} vanished while being written`);
      }
      const changed = row.state !== text;
      const version = num(row.version) + (changed ? 1 : 0);
      await db
        .updateTable('switch_state')
        .set(
          changed
            ? { version, state: text, next_boundary: nextBoundary, computed_at: now, attempts: 0, next_attempt_at: null, last_error: null }
            : { next_boundary: nextBoundary, computed_at: now },
        )
        .where('extension', '=', extension)
        .execute();
      return { version, changed };
    });
  }

  async lockSwitchStates(extensions: readonly string[]): Promise<void> {
    if (this.dialect !== 'postgres' || extensions.length === 0) return;
    if (!this.db.isTransaction) throw new Error('lockSwitchStates() needs a transaction');
    // Advisory locks, not FOR UPDATE: they also cover extensions that have no row yet. Taken in
    // extension order (the sorted subquery), ended by the transaction's end.
    await sql`select count(pg_advisory_xact_lock(${ADVISORY_NAMESPACE}, hashtext(e))) from (select unnest(${[...extensions]}::text[]) as e order by 1) s`.execute(this.db);
  }

  async putDesiredStates(items: readonly { extension: string; state: unknown | null; nextBoundary: number | null; now: number }[]): Promise<{ version: number; changed: boolean }[]> {
    if (items.length === 0) return [];
    return this.atomically(async (db) => {
      const tx = new KyselyStore(db, this.dialect);
      const out: { version: number; changed: boolean }[] = [];
      for (const i of items) out.push(await tx.putDesiredState(i.extension, i.state, i.nextBoundary, i.now));
      return out;
    });
  }

  async dueForRecompute(now: number): Promise<string[]> {
    const rows = await this.db.selectFrom('switch_state').select('extension').where('next_boundary', '<=', now).orderBy('next_boundary').execute();
    return rows.map((r) => r.extension);
  }

  async nextWake(after: number): Promise<number | null> {
    // Two reads of the front of an index each (next_boundary, and the delivery-due expression,
    // which covers retries and lapsing claims): no scan of every extension.
    const boundary = await this.db
      .selectFrom('switch_state')
      .select('next_boundary as t')
      .where('next_boundary', '>', after)
      .orderBy('next_boundary')
      .limit(1)
      .executeTakeFirst();
    const due = await this.db
      .selectFrom('switch_state')
      .select(DELIVERY_DUE_SQL.as('t'))
      .where(DELIVERY_DUE_SQL, '>', after)
      .orderBy(DELIVERY_DUE_SQL)
      .limit(1)
      .executeTakeFirst();
    const times = [boundary?.t, due?.t].filter((t) => t !== null && t !== undefined).map((t) => num(t as number));
    return times.length ? Math.min(...times) : null;
  }

  /** The rows dueForDelivery returns, as a query (claimDeliveries narrows and locks it). */
  private dueQuery(db: Kysely<Database>, now: number, limit: number) {
    return db.selectFrom('switch_state').where(DELIVERY_DUE_SQL, '<=', now).orderBy(DELIVERY_DUE_SQL).limit(limit);
  }

  async dueForDelivery(now: number, limit: number): Promise<SwitchStateRow[]> {
    const rows = await this.dueQuery(this.db, now, limit).selectAll().execute();
    return rows.map(toSwitchState);
  }

  async claimDeliveries(now: number, limit: number, owner: string, leaseMs: number): Promise<SwitchStateRow[]> {
    if (limit <= 0) return [];
    const due = this.dueQuery(this.db, now, limit).select('extension');
    // SKIP LOCKED: rows another process is claiming right now are passed over, not waited for.
    const picked = this.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
    const rows = await this.db
      .updateTable('switch_state')
      .set({ claimed_by: owner, claimed_until: now + leaseMs })
      .where('extension', 'in', picked)
      .returningAll()
      .execute();
    return rows.map(toSwitchState).sort((a, b) => a.computedAt - b.computedAt || (a.extension < b.extension ? -1 : 1));
  }

  async releaseClaims(owner?: string): Promise<number> {
    let q = this.db.updateTable('switch_state').set({ claimed_by: null, claimed_until: null }).where('claimed_by', 'is not', null);
    if (owner !== undefined) q = q.where('claimed_by', '=', owner);
    const r = await q.executeTakeFirst();
    return count(r.numUpdatedRows);
  }

  async recordDelivery(extension: string, version: number, outcome: DeliveryRecord, owner?: string): Promise<void> {
    await this.atomically(async (db) => {
      if (outcome.ok) {
        await db
          .updateTable('switch_state')
          .set((eb) => ({
            delivered_version: sql<number>`case when ${eb.ref('delivered_version')} > ${version} then ${eb.ref('delivered_version')} else ${version} end`,
            delivered_at: outcome.at,
            attempts: 0,
            next_attempt_at: null,
            last_error: null,
          }))
          .where('extension', '=', extension)
          .execute();
      } else {
        // A failure only counts for the version it was about; a newer state starts afresh.
        await db
          .updateTable('switch_state')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            next_attempt_at: outcome.nextAttemptAt,
            last_error: outcome.error,
            failed_version: outcome.permanent ? version : eb.ref('failed_version'),
          }))
          .where('extension', '=', extension)
          .where('version', '=', version)
          .execute();
      }
      if (owner !== undefined) {
        await db.updateTable('switch_state').set({ claimed_by: null, claimed_until: null }).where('extension', '=', extension).where('claimed_by', '=', owner).execute();
      }
    });
  }

  async recordDeliveries(items: readonly { extension: string; version: number; outcome: DeliveryRecord }[], owner?: string): Promise<void> {
    if (items.length === 0) return;
    await this.atomically(async (db) => {
      const tx = new KyselyStore(db, this.dialect);
      for (const i of items) await tx.recordDelivery(i.extension, i.version, i.outcome, owner);
    });
  }

  async retryDelivery(extension: string): Promise<boolean> {
    const r = await this.db
      .updateTable('switch_state')
      .set({ failed_version: null, next_attempt_at: null, attempts: 0 })
      .where('extension', '=', extension)
      .executeTakeFirst();
    return count(r.numUpdatedRows) > 0;
  }

  async appendJournal(entry: JournalEntry): Promise<void> {
    await this.db
      .insertInto('switch_journal')
      .values({ extension: entry.extension, version: entry.version, state: toJson(entry.state, 'The switch state'), at: entry.at })
      .onConflict((oc) => oc.columns(['extension', 'version']).doNothing())
      .execute();
  }

  async listJournal(limit: number): Promise<JournalEntry[]> {
    const rows = await this.db.selectFrom('switch_journal').selectAll().orderBy('at', 'desc').orderBy('extension').limit(limit).execute();
    return rows.map((r) => ({ extension: r.extension, version: num(r.version), state: JSON.parse(r.state) as unknown, at: num(r.at) }));
  }


  async purge(before: number, beforeDate: string): Promise<PurgeResult> {
    return this.atomically(async (db) => {
      const b = await db.deleteFrom('bookings').where('end', '<', before).executeTakeFirst();
      const a = await db.deleteFrom('activities').where('to', 'is not', null).where('to', '<', before).executeTakeFirst();
      const r = await db.deleteFrom('recurring').where('until', 'is not', null).where('until', '<', beforeDate).executeTakeFirst();
      const j = await db.deleteFrom('switch_journal').where('at', '<', before).executeTakeFirst();
      return { bookings: count(b.numDeletedRows), activities: count(a.numDeletedRows), recurring: count(r.numDeletedRows), journal: count(j.numDeletedRows) };
    });
  }

  // -- Plumbing ----------------------------------------------------------------------------------

  // -- Calendar sync through Microsoft Graph -------------------------------------------------------

  async getCalendarSync(k: UserKey): Promise<CalendarSyncRow | null> {
    const r = await this.db.selectFrom('calendar_sync').selectAll().where('tid', '=', k.tid).where('oid', '=', k.oid).executeTakeFirst();
    return r ? toCalendarSync(r) : null;
  }

  async listCalendarSync(): Promise<CalendarSyncRow[]> {
    const rows = await this.db.selectFrom('calendar_sync').selectAll().orderBy('tid').orderBy('oid').execute();
    return rows.map(toCalendarSync);
  }

  async patchCalendarSync(k: UserKey, patch: Partial<Omit<CalendarSyncRow, 'tid' | 'oid' | 'updatedAt'>>, now: number): Promise<CalendarSyncRow> {
    const cols: Partial<Omit<CalendarSyncTable, 'tid' | 'oid'>> = { updated_at: now };
    const map: Record<string, keyof CalendarSyncTable> = {
      deltaLink: 'delta_link',
      windowStart: 'window_start',
      windowEnd: 'window_end',
      lastSuccessAt: 'last_success_at',
      lastError: 'last_error',
      lastErrorAt: 'last_error_at',
      lagMs: 'lag_ms',
      subscriptionId: 'subscription_id',
      subscriptionExpiresAt: 'subscription_expires_at',
      clientState: 'client_state',
    };
    for (const [field, value] of Object.entries(patch)) {
      const col = map[field];
      if (col && value !== undefined) (cols as Record<string, unknown>)[col] = value;
    }
    const empty = { delta_link: null, window_start: null, window_end: null, last_success_at: null, last_error: null, last_error_at: null, lag_ms: null, subscription_id: null, subscription_expires_at: null, client_state: null };
    const r = await this.db
      .insertInto('calendar_sync')
      .values({ ...empty, ...cols, tid: k.tid, oid: k.oid, updated_at: now })
      .onConflict((oc) => oc.columns(['tid', 'oid']).doUpdateSet(cols))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCalendarSync(r);
  }

  async findCalendarSubscription(subscriptionId: string): Promise<CalendarSyncRow | null> {
    const r = await this.db.selectFrom('calendar_sync').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst();
    return r ? toCalendarSync(r) : null;
  }

  /**
   * Runs `fn` with a store bound to one transaction: committed when `fn` resolves, rolled back
   * when it throws. Inside, `tx.transaction()` reuses the same transaction. On SQLite the one
   * connection is held for the whole transaction, so `fn` must use `tx`, not this store, or it
   * waits for itself.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new KyselyStore(trx, this.dialect)));
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.isTransaction) throw new Error('close() is not for a transaction; close the store that opened it');
    await this.db.destroy();
  }
}
