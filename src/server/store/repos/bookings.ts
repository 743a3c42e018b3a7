/** Bookings (table bookings): what the add-in and calendar sync report, never the whole subject. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { BookingsTable } from '../schema';
import type { BookingRow, BookingsRepository, PutBookingOutcome, UserKey } from '../types';
import { Repository, type UserSet, bool, count, int01, num, numOrNull, toJson } from './common';

/**
 * Not (yet) in the BookingRow contract: the service stores the booking's Office recurrence with
 * it and reads it back. It is kept as JSON text and returned only when present, so rows without
 * one compare equal to plain BookingRows.
 */
type BookingWithRecurrence = Omit<BookingRow, 'dismissedVersion'> & { recurrence?: unknown };

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
    near_miss_kind: row.nearMiss?.kind ?? null,
    near_miss_key: row.nearMiss?.key ?? null,
  };
}

export function toBooking(r: Selectable<BookingsTable>): BookingRow {
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
  if (r.near_miss_kind !== null) b.nearMiss = { kind: r.near_miss_kind, key: r.near_miss_key };
  return b;
}

export class BookingsRepo extends Repository implements BookingsRepository {
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
              near_miss_kind: eb.ref('excluded.near_miss_kind'),
              near_miss_key: eb.ref('excluded.near_miss_key'),
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

  async listBookings(k: UserKey, from: number, to: number, opts: { series?: boolean } = {}): Promise<BookingRow[]> {
    const rows = await this.db
      .selectFrom('bookings')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('start', '<', to)
      // A stored series' later occurrences may fall in the window though its first has ended.
      .where((eb) => (opts.series ? eb.or([eb('end', '>', from), eb('recurrence', 'is not', null)]) : eb('end', '>', from)))
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

  // -- For the composition (kysely-store.ts) -----------------------------------------------------

  /** listBookings for many users at once. */
  async listOf(users: UserSet, from: number, to: number): Promise<BookingRow[]> {
    const rows = await this.db
      .selectFrom('bookings')
      .selectAll()
      .where('oid', 'in', users.oids)
      .where('tid', 'in', users.tids)
      .where('start', '<', to)
      .where('end', '>', from)
      .orderBy('start')
      .orderBy('booking_id')
      .execute();
    return rows.filter((r) => users.has(r)).map(toBooking);
  }

  async deleteAllOf(k: UserKey): Promise<void> {
    await this.db.deleteFrom('bookings').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
  }

  /** Retention: bookings that ended before `before`; returns how many. */
  async purgeEndedBefore(before: number): Promise<number> {
    const r = await this.db.deleteFrom('bookings').where('end', '<', before).executeTakeFirst();
    return count(r.numDeletedRows);
  }
}
