/**
 * Issue 14 in the store, on SQLite and on PostgreSQL (TEST_DATABASE_URL, a schema of its own):
 * a booking's near miss kept with it, upcoming bookings with stored series, and the mail marks
 * (at most one mail per booking version; a due mark kept until settled). Migration 008 up and down.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { MIGRATIONS, migrateToLatest } from '../../../src/server/store/migrations';
import { openStore } from '../../../src/server/store/open';
import type { BookingRow, Store } from '../../../src/server/store/types';
import { IN_CI, postgresAvailability, throwawaySchema } from '../../helpers/postgres';

const { unavailable } = postgresAvailability('PostgreSQL booking-problem store tests');
const ANNA = { tid: 'tenant-1', oid: 'anna' };
const BERT = { tid: 'tenant-1', oid: 'bert' };
const T0 = 1_795_500_000_000;
const H = 3_600_000;

const booking = (k: typeof ANNA, id: string, extra: Partial<BookingRow> = {}): Omit<BookingRow, 'dismissedVersion'> => ({
  ...k,
  bookingId: id,
  lastModified: T0,
  prefix: 'NP/L',
  rest: null,
  location: null,
  body: null,
  start: T0 + H,
  end: T0 + 2 * H,
  isAllDay: false,
  sensitivity: 'normal',
  showAs: 'busy',
  isCancelled: false,
  responseStatus: 'organizer',
  updatedAt: T0,
  ...extra,
});

const dialects: [string, boolean, () => Promise<{ store: Store; done: () => Promise<void> }>][] = [
  ['sqlite', false, async () => {
    const store = await openStore(':memory:');
    return { store, done: () => store.close() };
  }],
  ['postgres', unavailable !== null && !IN_CI, async () => {
    if (unavailable !== null) throw new Error(`PostgreSQL is required in CI (CI=true): ${unavailable}`);
    const schema = await throwawaySchema('kk_problems_test');
    const store = await openStore(schema.url);
    return { store, done: async () => { await store.close(); await schema.drop(); } };
  }],
];

describe.each(dialects)('%s', (_name, skip, open) => {
  const t = skip ? test.skip : test;
  let store: Store;
  let done: () => Promise<void>;
  beforeEach(async () => {
    if (!skip) ({ store, done } = await open());
  });
  afterEach(async () => {
    if (!skip) await done();
  });

  t('the near miss is kept, replaced by the next snapshot, and absent when there is none', async () => {
    await store.putBooking({ ...booking(ANNA, 'b1', { prefix: '' }), nearMiss: { kind: 'notAtStart', key: 'L' } });
    expect(await store.getBooking(ANNA, 'b1')).toMatchObject({ prefix: '', nearMiss: { kind: 'notAtStart', key: 'L' } });
    await store.putBooking({ ...booking(ANNA, 'b1', { lastModified: T0 + 1, prefix: 'NP/X:' }), nearMiss: { kind: 'unknownKey', key: null } });
    expect((await store.getBooking(ANNA, 'b1'))?.nearMiss).toEqual({ kind: 'unknownKey', key: null });
    await store.putBooking({ ...booking(ANNA, 'b1', { lastModified: T0 + 2, prefix: 'NP/L:' }), nearMiss: null });
    expect(await store.getBooking(ANNA, 'b1')).not.toHaveProperty('nearMiss');
    // A stale snapshot changes nothing, its near miss neither.
    await store.putBooking({ ...booking(ANNA, 'b1', { lastModified: T0 }), nearMiss: { kind: 'missingColon', key: 'L' } });
    expect(await store.getBooking(ANNA, 'b1')).not.toHaveProperty('nearMiss');
  });

  t('upcoming bookings: those overlapping the window, and series whose first occurrence starts before its end', async () => {
    await store.putBooking(booking(ANNA, 'in'));
    await store.putBooking(booking(ANNA, 'past', { start: T0 - 5 * H, end: T0 - 4 * H }));
    await store.putBooking({ ...booking(ANNA, 'series', { start: T0 - 50 * H, end: T0 - 49 * H }), recurrence: { recurrenceType: 'daily' } });
    await store.putBooking({ ...booking(ANNA, 'later-series', { start: T0 + 50 * H, end: T0 + 51 * H }), recurrence: { recurrenceType: 'daily' } });
    await store.putBooking(booking(BERT, 'bert'));
    expect((await store.listBookings(ANNA, T0, T0 + 10 * H, { series: true })).map((b) => b.bookingId)).toEqual(['series', 'in']);
    expect((await store.listBookings(ANNA, T0, T0 + 10 * H)).map((b) => b.bookingId)).toEqual(['in']);
  });

  t('a version is mailed at most once; a mark for a newer one made meanwhile stays due', async () => {
    await store.putBooking(booking(ANNA, 'b1', { start: T0 + 2 * H, end: T0 + 3 * H }));
    await store.putBooking(booking(ANNA, 'b2'));
    await store.putBooking(booking(BERT, 'b3'));
    expect(await store.markMailDue(ANNA, 'b1', T0)).toBe(true);
    expect(await store.markMailDue(ANNA, 'b1', T0)).toBe(false);
    expect(await store.markMailDue(ANNA, 'b2', 0)).toBe(true);
    expect(await store.markMailDue(BERT, 'b3', T0)).toBe(true);
    expect(await store.markMailDue(ANNA, 'nope', T0)).toBe(false);
    // Soonest first; one user's or everyone's.
    expect((await store.dueMails(10)).map((d) => [d.booking.bookingId, d.version])).toEqual([['b2', 0], ['b3', T0], ['b1', T0]]);
    expect((await store.dueMails(10, ANNA)).map((d) => d.booking.bookingId)).toEqual(['b2', 'b1']);
    expect((await store.dueMails(1, ANNA)).map((d) => d.booking.bookingId)).toEqual(['b2']);

    await store.markMailDue(ANNA, 'b1', T0 + 5); // a newer version while T0's mail is on its way
    await store.settleMail(ANNA, 'b1', T0, true);
    expect((await store.dueMails(10, ANNA)).map((d) => [d.booking.bookingId, d.version])).toEqual([['b2', 0], ['b1', T0 + 5]]);
    await store.settleMail(ANNA, 'b1', T0 + 5, true);
    expect(await store.markMailDue(ANNA, 'b1', T0 + 5)).toBe(false);
    expect(await store.markMailDue(ANNA, 'b1', T0)).toBe(false);
    expect(await store.markMailDue(ANNA, 'b1', T0 + 6)).toBe(true);

    // Dropped (not sent): no longer due, but the same version may be marked again later.
    await store.settleMail(ANNA, 'b2', 0, false);
    expect(await store.markMailDue(ANNA, 'b2', 0)).toBe(true);
    // A new snapshot keeps the marks (the mailer checks the row before it sends).
    await store.putBooking(booking(ANNA, 'b2', { lastModified: T0 + 9 }));
    expect((await store.dueMails(10, ANNA)).map((d) => d.booking.bookingId)).toEqual(['b2', 'b1']);
    // The user's removal removes them with the bookings.
    await store.linkUser(ANNA, { extension: '1021', shared: false }, T0);
    await store.deleteUser(ANNA);
    expect((await store.dueMails(10)).map((d) => d.booking.bookingId)).toEqual(['b3']);
  });
});

test('migration 008 goes down and up again on a database with bookings (SQLite)', async () => {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) }); // eslint-disable-line @typescript-eslint/no-explicit-any
  const upTo = (n: string) => Object.fromEntries(Object.entries(MIGRATIONS).filter(([k]) => k < n));
  await migrateToLatest(db, upTo('008'));
  await db.insertInto('bookings').values({ tid: 't', oid: 'o', booking_id: 'b', prefix: 'NP/L', start: 1, end: 2, is_all_day: 0, sensitivity: 'normal', show_as: 'busy', is_cancelled: 0, response_status: 'none', updated_at: 1 }).execute();
  expect(await migrateToLatest(db, upTo('009'))).toEqual(['008_booking_problems']);
  expect(await db.selectFrom('bookings').select(['near_miss_kind', 'mail_due_version', 'mail_sent_version']).execute()).toEqual([{ near_miss_kind: null, mail_due_version: null, mail_sent_version: null }]);
  await MIGRATIONS['008_booking_problems']!.down!(db);
  const cols = (await db.introspection.getTables()).find((t) => t.name === 'bookings')!.columns.map((c) => c.name);
  expect(cols).not.toContain('mail_due_version');
  expect(cols).not.toContain('near_miss_kind');
  await db.destroy();
});
