/**
 * The Store contract, run against both dialects: SQLite in memory and PostgreSQL at
 * TEST_DATABASE_URL (each run in a schema of its own, dropped afterwards; tables emptied before
 * every test). A SQLite file is exercised separately for WAL, reopening and migrations.
 * Without PostgreSQL that dialect is skipped with one warning, except under CI=true, where every
 * test fails (test/helpers/postgres.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Client } from 'pg';
import { MIGRATIONS, atomic, migrateToLatest } from '../../../src/server/store/migrations';
import { openStore, redactDatabaseUrl } from '../../../src/server/store/open';
import { IN_CI, PG_URL, postgresAvailability, schemaUrl } from '../../helpers/postgres';
import { type Database, TABLES } from '../../../src/server/store/schema';
import type { ActivityRow, BookingRow, RecurringRow, Store, UserKey } from '../../../src/server/store/types';

const { unavailable: pgUnavailable } = postgresAvailability('PostgreSQL storage tests');

// ---------------------------------------------------------------------------------------------
// Targets

interface Target {
  name: string;
  dialect: 'sqlite' | 'postgres';
  skip: boolean;
  start(): Promise<void>;
  /** An empty store for the next test. */
  fresh(): Promise<Store>;
  /** Another store on the same database (its own connection or pool). */
  another(): Promise<Store>;
  stop(): Promise<void>;
}

function sqliteMemoryTarget(): Target {
  let current: Store | undefined;
  return {
    name: 'sqlite (memory)',
    dialect: 'sqlite',
    skip: false,
    start: async () => undefined,
    fresh: async () => {
      await current?.close();
      current = await openStore(':memory:');
      return current;
    },
    another: () => openStore(':memory:'),
    stop: async () => {
      await current?.close();
      current = undefined;
    },
  };
}

function postgresTarget(): Target {
  const schema = `kk_store_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let admin: Client | undefined;
  let store: Store | undefined;
  const url = () => schemaUrl(schema);
  return {
    name: 'postgres',
    dialect: 'postgres',
    skip: pgUnavailable !== null && !IN_CI,
    start: async () => {
      if (pgUnavailable !== null) throw new Error(`PostgreSQL is required in CI (CI=true): ${pgUnavailable}; set TEST_DATABASE_URL`);
      admin = new Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      store = await openStore(url());
    },
    fresh: async () => {
      if (!admin || !store) throw new Error('PostgreSQL target not started');
      await admin.query(`TRUNCATE ${TABLES.map((t) => `"${schema}"."${t}"`).join(', ')}`);
      return store;
    },
    another: () => openStore(url()),
    stop: async () => {
      await store?.close();
      if (admin) {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      }
    },
  };
}

const targets = [sqliteMemoryTarget(), postgresTarget()];

// ---------------------------------------------------------------------------------------------
// Fixtures

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z: realistic epoch ms, beyond 32 bits
const HOUR = 3_600_000;
const ALICE: UserKey = { tid: 'tenant-1', oid: 'alice' };
const BOB: UserKey = { tid: 'tenant-1', oid: 'bob' };
const OTHER_TENANT_ALICE: UserKey = { tid: 'tenant-2', oid: 'alice' };

function booking(k: UserKey, bookingId: string, over: Partial<Omit<BookingRow, 'dismissedVersion'>> = {}): Omit<BookingRow, 'dismissedVersion'> {
  return {
    ...k,
    bookingId,
    lastModified: T0,
    prefix: 'NP/L:',
    rest: 'Lunch',
    location: null,
    body: null,
    start: T0 + HOUR,
    end: T0 + 2 * HOUR,
    isAllDay: false,
    sensitivity: 'normal',
    showAs: 'busy',
    isCancelled: false,
    responseStatus: 'organizer',
    updatedAt: T0,
    ...over,
  };
}

function activity(k: UserKey, id: string, over: Partial<ActivityRow> = {}): ActivityRow {
  return {
    ...k,
    id,
    source: 'manual',
    key: 'L',
    mode: 'spoken',
    number: null,
    from: T0,
    to: T0 + HOUR,
    text: null,
    operatorOnly: false,
    createdAt: T0,
    ...over,
  };
}

function rule(k: UserKey, id: string, over: Partial<RecurringRow> = {}): RecurringRow {
  return {
    ...k,
    id,
    key: 'M',
    mode: 'number',
    number: '+46701234567',
    firstStart: T0,
    firstEnd: T0 + HOUR,
    repeat: { kind: 'weekly', weeks: 2 },
    until: '2026-06-30',
    endsNextWorkingDay: false,
    text: 'Möte',
    operatorOnly: false,
    exceptions: [],
    createdAt: T0,
    ...over,
  };
}

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// The suite

function storeSuite(t: Target): void {
  let store: Store;

  beforeAll(() => t.start(), 30_000);
  beforeEach(async () => {
    store = await t.fresh();
  });
  afterAll(() => t.stop(), 30_000);

  it('reports its dialect and answers ping; a closed store does not', async () => {
    expect(store.dialect).toBe(t.dialect);
    expect(await store.ping()).toBe(true);
    const other = await t.another();
    expect(await other.ping()).toBe(true);
    await other.close();
    expect(await other.ping()).toBe(false);
  });

  describe('users', () => {
    it('touchUser creates, refreshes the name, keeps the link and createdAt; null keeps the name', async () => {
      expect(await store.getUser(ALICE)).toBeNull();
      const created = await store.touchUser(ALICE, 'Alice', T0);
      expect(created).toEqual({ ...ALICE, displayName: 'Alice', upn: null, mail: null, extension: null, shared: false, createdAt: T0, updatedAt: T0 });
      await store.linkUser(ALICE, { extension: '1234', shared: true }, T0 + 1);
      const touched = await store.touchUser(ALICE, 'Alice Ö', T0 + 2);
      expect(touched).toEqual({ ...ALICE, displayName: 'Alice Ö', upn: null, mail: null, extension: '1234', shared: true, createdAt: T0, updatedAt: T0 + 2 });
      expect(await store.touchUser(ALICE, null, T0 + 3)).toMatchObject({ displayName: 'Alice Ö', updatedAt: T0 + 3 });
      expect(await store.getUser(ALICE)).toEqual({ ...ALICE, displayName: 'Alice Ö', upn: null, mail: null, extension: '1234', shared: true, createdAt: T0, updatedAt: T0 + 3 });
      expect(await store.getUser(OTHER_TENANT_ALICE)).toBeNull();
      // Sign-in names are kept lowercased; absent ones keep what is stored.
      expect(await store.touchUser(ALICE, null, T0 + 4, { upn: 'Alice@Kommun.SE', mail: ' alice.o@kommun.se ' })).toMatchObject({ upn: 'alice@kommun.se', mail: 'alice.o@kommun.se' });
      expect(await store.touchUser(ALICE, null, T0 + 5, { upn: null })).toMatchObject({ upn: 'alice@kommun.se', mail: 'alice.o@kommun.se' });
    });

    it('linkUser creates an unknown user, relinks, and keeps the name unless given', async () => {
      const u = await store.linkUser(BOB, { extension: '200', shared: false, displayName: 'Bob' }, T0);
      expect(u).toEqual({ ...BOB, displayName: 'Bob', upn: null, mail: null, extension: '200', shared: false, createdAt: T0, updatedAt: T0 });
      const relinked = await store.linkUser(BOB, { extension: '201', shared: true }, T0 + 5);
      expect(relinked).toEqual({ ...BOB, displayName: 'Bob', upn: null, mail: null, extension: '201', shared: true, createdAt: T0, updatedAt: T0 + 5 });
      expect((await store.linkUser(BOB, { extension: '201', shared: false, displayName: 'Robert' }, T0 + 6)).displayName).toBe('Robert');
      expect((await store.getUser(BOB))?.shared).toBe(false);
    });

    it('listUsers, usersOnExtension and listExtensions', async () => {
      expect(await store.listUsers()).toEqual([]);
      expect(await store.listExtensions()).toEqual([]);
      await store.touchUser(OTHER_TENANT_ALICE, null, T0);
      await store.linkUser(BOB, { extension: '300', shared: true }, T0);
      await store.linkUser(ALICE, { extension: '300', shared: false }, T0);
      await store.linkUser({ tid: 'tenant-1', oid: 'carol' }, { extension: '100', shared: false }, T0);
      await store.touchUser({ tid: 'tenant-1', oid: 'dave' }, 'Dave', T0);

      expect((await store.listUsers()).map((u) => `${u.tid}/${u.oid}`)).toEqual([
        'tenant-1/alice',
        'tenant-1/bob',
        'tenant-1/carol',
        'tenant-1/dave',
        'tenant-2/alice',
      ]);
      const on300 = await store.usersOnExtension('300');
      expect(on300.map((u) => [u.oid, u.shared])).toEqual([
        ['alice', false],
        ['bob', true],
      ]);
      expect(await store.usersOnExtension('999')).toEqual([]);
      expect(await store.listExtensions()).toEqual(['100', '300']);
    });

    it('deleteUser removes the user and everything stored for them, and nobody else', async () => {
      for (const k of [ALICE, BOB]) {
        await store.linkUser(k, { extension: '1', shared: false }, T0);
        await store.putDoc(k, 'settings', { who: k.oid }, T0);
        await store.putDoc(k, 'quick', [1, 2], T0);
        await store.putBooking(booking(k, 'b1'));
        await store.insertActivity(activity(k, `a-${k.oid}`));
        await store.insertRecurring(rule(k, `r-${k.oid}`));
      }
      expect(await store.deleteUser(ALICE)).toBe(true);

      expect(await store.getUser(ALICE)).toBeNull();
      expect(await store.getDoc(ALICE, 'settings')).toBeNull();
      expect(await store.getDoc(ALICE, 'quick')).toBeNull();
      expect(await store.getBooking(ALICE, 'b1')).toBeNull();
      expect(await store.getActivity(ALICE, 'a-alice')).toBeNull();
      expect(await store.listRecurring(ALICE)).toEqual([]);

      expect(await store.getUser(BOB)).not.toBeNull();
      expect(await store.getDoc(BOB, 'settings')).toEqual({ who: 'bob' });
      expect(await store.getBooking(BOB, 'b1')).not.toBeNull();
      expect(await store.getActivity(BOB, 'a-bob')).not.toBeNull();
      expect(await store.listRecurring(BOB)).toHaveLength(1);

      expect(await store.deleteUser(ALICE)).toBe(false);
      expect(await store.listExtensions()).toEqual(['1']);
    });
  });

  describe('loadExtensions', () => {
    it('reads what the states of several extensions depend on, and nothing of anyone else', async () => {
      const CARL: UserKey = { tid: 'tenant-1', oid: 'carl' };
      await store.linkUser(ALICE, { extension: '1021', shared: true }, T0);
      await store.linkUser(BOB, { extension: '1021', shared: true }, T0);
      await store.linkUser(CARL, { extension: '1022', shared: false }, T0);
      // Same oid, other tenant, other extension: must not leak into Alice's data.
      await store.linkUser(OTHER_TENANT_ALICE, { extension: '1099', shared: false }, T0);
      await store.putDoc(ALICE, 'settings', { language: 'en' }, T0);
      await store.putDoc(ALICE, 'quick', [], T0);
      await store.putDoc(OTHER_TENANT_ALICE, 'settings', { language: 'sv' }, T0);
      await store.putBooking(booking(ALICE, 'in'));
      await store.putBooking(booking(ALICE, 'late', { start: T0 + 10 * HOUR, end: T0 + 11 * HOUR }));
      await store.putBooking(booking(OTHER_TENANT_ALICE, 'theirs'));
      await store.putBooking(booking(CARL, 'carl'));
      await store.insertActivity(activity(BOB, 'open', { to: null }));
      await store.insertActivity(activity(OTHER_TENANT_ALICE, 'theirs'));
      await store.insertRecurring(rule(CARL, 'weekly'));

      const snap = await store.loadExtensions(['1021', '1022', '1021', '4040'], T0, T0 + 5 * HOUR);
      expect(snap.users.map((u) => `${u.tid}/${u.oid}`)).toEqual(['tenant-1/alice', 'tenant-1/bob', 'tenant-1/carl']);
      expect(snap.docs).toEqual([{ tid: 'tenant-1', oid: 'alice', kind: 'settings', value: { language: 'en' } }]);
      expect(snap.bookings.map((b) => `${b.oid}/${b.bookingId}`).sort()).toEqual(['alice/in', 'carl/carl']);
      expect(snap.activities.map((a) => `${a.oid}/${a.id}`)).toEqual(['bob/open']);
      expect(snap.recurring.map((r) => `${r.oid}/${r.id}`)).toEqual(['carl/weekly']);
      expect(await store.loadExtensions([], T0, T0 + HOUR)).toEqual({ users: [], docs: [], bookings: [], activities: [], recurring: [] });
      expect((await store.loadExtensions(['4040'], T0, T0 + HOUR)).users).toEqual([]);
    });
  });

  describe('documents', () => {
    const nested = {
      name: 'Åsa Öberg-Ñúñez 😀 \u2028 "citat" \\ back',
      codes: [{ key: 'L', minutes: 60, on: true }, { key: 'M', minutes: null }],
      deep: { a: { b: { c: [1, 2.5, -3e-7, 'x', false, null, {}] } } },
      empty: '',
    };

    it('round-trips JSON documents per user and kind, and replaces them', async () => {
      expect(await store.getDoc(ALICE, 'settings')).toBeNull();
      await store.putDoc(ALICE, 'settings', nested, T0);
      await store.putDoc(ALICE, 'profile', { title: 'Handläggare' }, T0);
      await store.putDoc(ALICE, 'quick', [], T0);
      expect(await store.getDoc(ALICE, 'settings')).toEqual(nested);
      expect(await store.getDoc(ALICE, 'profile')).toEqual({ title: 'Handläggare' });
      expect(await store.getDoc(ALICE, 'quick')).toEqual([]);
      expect(await store.getDoc(BOB, 'settings')).toBeNull();
      expect(await store.getDoc(OTHER_TENANT_ALICE, 'settings')).toBeNull();

      await store.putDoc(ALICE, 'settings', { replaced: true }, T0 + 1);
      expect(await store.getDoc(ALICE, 'settings')).toEqual({ replaced: true });
      await store.putDoc(ALICE, 'quick', 'just a string ✓', T0 + 2);
      expect(await store.getDoc(ALICE, 'quick')).toBe('just a string ✓');
    });

    it('refuses a value that is not JSON', async () => {
      await expect(store.putDoc(ALICE, 'settings', undefined, T0)).rejects.toThrow(/not JSON/);
    });

    it('keeps one organisation document', async () => {
      expect(await store.getOrg()).toBeNull();
      await store.putOrg(nested, T0);
      expect(await store.getOrg()).toEqual({ value: nested, updatedAt: T0 });
      await store.putOrg({ catalog: [] }, T0 + HOUR);
      expect(await store.getOrg()).toEqual({ value: { catalog: [] }, updatedAt: T0 + HOUR });
    });
  });

  describe('bookings', () => {
    it('round-trips every field, booleans and nulls included, as numbers', async () => {
      const a = booking(ALICE, 'AAMk-1', { lastModified: null, rest: null, location: null, body: null, isAllDay: true, isCancelled: true });
      const b = booking(ALICE, 'AAMk-2', { rest: 'Tandläkare 🦷', location: 'Rum 3', body: 'Rad 1\nRad 2', showAs: 'oof', sensitivity: 'private' });
      expect(await store.putBooking(a)).toBe('created');
      expect(await store.putBooking(b)).toBe('created');
      expect(await store.getBooking(ALICE, 'AAMk-1')).toEqual({ ...a, dismissedVersion: null });
      const got = await store.getBooking(ALICE, 'AAMk-2');
      expect(got).toEqual({ ...b, dismissedVersion: null });
      expect(typeof got?.start).toBe('number');
      expect(typeof got?.lastModified).toBe('number');
      expect(Object.keys(got ?? {})).not.toContain('recurrence');
      expect(await store.getBooking(BOB, 'AAMk-1')).toBeNull();
      expect(await store.getBooking(ALICE, 'nope')).toBeNull();
    });

    it('keeps the Office recurrence the service passes along (not yet in the contract)', async () => {
      const recurrence = { recurrenceType: 'weekly', seriesTime: { startDate: '2026-01-05' }, recurrenceProperties: { days: ['mon'] } };
      const row = { ...booking(ALICE, 'series'), recurrence };
      await store.putBooking(row);
      expect(await store.getBooking(ALICE, 'series')).toEqual({ ...row, dismissedVersion: null });
      await store.putBooking({ ...booking(ALICE, 'series', { lastModified: T0 + 1 }), recurrence: null } as Omit<BookingRow, 'dismissedVersion'>);
      expect(await store.getBooking(ALICE, 'series')).not.toHaveProperty('recurrence');
    });

    it('orders snapshots by lastModified: older is stale, equal updates and keeps the dismissal, newer clears it', async () => {
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: T0 + 10, prefix: 'v10' }))).toBe('created');
      expect(await store.dismissBooking(ALICE, 'b')).toBe(true);
      expect((await store.getBooking(ALICE, 'b'))?.dismissedVersion).toBe(T0 + 10);

      // older: nothing changes
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: T0 + 9, prefix: 'v9', updatedAt: T0 + 99 }))).toBe('stale');
      expect(await store.getBooking(ALICE, 'b')).toMatchObject({ prefix: 'v10', lastModified: T0 + 10, dismissedVersion: T0 + 10, updatedAt: T0 });

      // equal: replaces, the dismissal stays
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: T0 + 10, prefix: 'v10b', updatedAt: T0 + 1 }))).toBe('updated');
      expect(await store.getBooking(ALICE, 'b')).toMatchObject({ prefix: 'v10b', lastModified: T0 + 10, dismissedVersion: T0 + 10, updatedAt: T0 + 1 });

      // newer: replaces, the dismissal is cleared
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: T0 + 11, prefix: 'v11', start: T0, end: T0 + 5 }))).toBe('updated');
      expect(await store.getBooking(ALICE, 'b')).toMatchObject({ prefix: 'v11', lastModified: T0 + 11, dismissedVersion: null, start: T0, end: T0 + 5 });
    });

    it('a snapshot without lastModified always replaces, and one with any lastModified replaces it', async () => {
      await store.putBooking(booking(ALICE, 'b', { lastModified: T0 + 10, prefix: 'v10' }));
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: null, prefix: 'none1' }))).toBe('updated');
      expect(await store.getBooking(ALICE, 'b')).toMatchObject({ prefix: 'none1', lastModified: null });
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: null, prefix: 'none2' }))).toBe('updated');
      expect((await store.getBooking(ALICE, 'b'))?.prefix).toBe('none2');
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: 5, prefix: 'v5' }))).toBe('updated');
      expect(await store.getBooking(ALICE, 'b')).toMatchObject({ prefix: 'v5', lastModified: 5 });
    });

    it('dismisses the stored version (0 when it has no lastModified); a snapshot without one keeps the dismissal', async () => {
      expect(await store.dismissBooking(ALICE, 'missing')).toBe(false);
      await store.putBooking(booking(ALICE, 'b', { lastModified: null }));
      expect(await store.dismissBooking(ALICE, 'b')).toBe(true);
      expect((await store.getBooking(ALICE, 'b'))?.dismissedVersion).toBe(0);
      await store.putBooking(booking(ALICE, 'b', { lastModified: null, prefix: 'again' }));
      expect(await store.getBooking(ALICE, 'b')).toMatchObject({ prefix: 'again', dismissedVersion: 0 });
      await store.putBooking(booking(ALICE, 'b', { lastModified: T0 }));
      expect((await store.getBooking(ALICE, 'b'))?.dismissedVersion).toBeNull();
    });

    it('concurrent snapshots in random order end with the newest, created exactly once', async () => {
      const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
      const puts = shuffle(
        ids.flatMap((id) => Array.from({ length: 20 }, (_, v) => ({ id, row: booking(ALICE, id, { lastModified: T0 + v, prefix: `v${v}`, updatedAt: T0 + v }) }))),
      );
      // On PostgreSQL these run concurrently on the pool's connections.
      const outcomes = await Promise.all(puts.map(async (p) => ({ id: p.id, outcome: await store.putBooking(p.row) })));
      for (const id of ids) {
        const mine = outcomes.filter((o) => o.id === id).map((o) => o.outcome);
        expect(mine.filter((o) => o === 'created')).toHaveLength(1);
        expect(await store.getBooking(ALICE, id)).toMatchObject({ prefix: 'v19', lastModified: T0 + 19, updatedAt: T0 + 19 });
      }
    });

    it('deletes bookings', async () => {
      await store.putBooking(booking(ALICE, 'b'));
      expect(await store.deleteBooking(BOB, 'b')).toBe(false);
      expect(await store.deleteBooking(ALICE, 'b')).toBe(true);
      expect(await store.getBooking(ALICE, 'b')).toBeNull();
      expect(await store.deleteBooking(ALICE, 'b')).toBe(false);
      expect(await store.putBooking(booking(ALICE, 'b', { lastModified: 1 }))).toBe('created');
    });

    it('lists bookings overlapping [from, to), edges excluded', async () => {
      const s = T0 + 10 * HOUR;
      const e = T0 + 12 * HOUR;
      await store.putBooking(booking(ALICE, 'in', { start: s, end: e }));
      await store.putBooking(booking(ALICE, 'early', { start: s - 3 * HOUR, end: s - HOUR }));
      await store.putBooking(booking(BOB, 'bob', { start: s, end: e }));
      const ids = async (from: number, to: number) => (await store.listBookings(ALICE, from, to)).map((b) => b.bookingId);
      expect(await ids(e, e + HOUR)).toEqual([]); // ends exactly at `from`
      expect(await ids(s - HOUR, s)).toEqual([]); // starts exactly at `to`; 'early' ends before
      expect(await ids(e - 1, e)).toEqual(['in']);
      expect(await ids(s - HOUR, s + 1)).toEqual(['in']);
      expect(await ids(s + 1, e - 1)).toEqual(['in']); // window inside the booking
      expect(await ids(0, T0 + 100 * HOUR)).toEqual(['early', 'in']); // ordered by start
    });
  });

  describe('activities', () => {
    it('round-trips, reads per user, deletes', async () => {
      const a = activity(ALICE, 'a1', { source: 'quick', key: 'forward', mode: 'number', number: '0701234567', to: null, text: 'Åter 13 ✓', operatorOnly: true });
      const b = activity(ALICE, 'a2');
      await store.insertActivity(a);
      await store.insertActivity(b);
      expect(await store.getActivity(ALICE, 'a1')).toEqual(a);
      expect(await store.getActivity(ALICE, 'a2')).toEqual(b);
      expect(await store.getActivity(BOB, 'a1')).toBeNull();
      expect(await store.deleteActivity(BOB, 'a1')).toBe(false);
      expect(await store.deleteActivity(ALICE, 'a1')).toBe(true);
      expect(await store.deleteActivity(ALICE, 'a1')).toBe(false);
      expect(await store.getActivity(ALICE, 'a1')).toBeNull();
    });

    it('refuses a duplicate id', async () => {
      await store.insertActivity(activity(ALICE, 'dup'));
      await expect(store.insertActivity(activity(ALICE, 'dup'))).rejects.toThrow();
    });

    it('lists activities overlapping [from, to); an open end overlaps everything after its start', async () => {
      const s = T0 + 10 * HOUR;
      const e = T0 + 12 * HOUR;
      await store.insertActivity(activity(ALICE, 'closed', { from: s, to: e }));
      await store.insertActivity(activity(ALICE, 'open', { from: e + HOUR, to: null }));
      await store.insertActivity(activity(BOB, 'bob', { from: s, to: null }));
      const ids = async (from: number, to: number) => (await store.listActivities(ALICE, from, to)).map((a) => a.id);
      expect(await ids(e, e + HOUR)).toEqual([]); // 'closed' ends at from; 'open' starts at to
      expect(await ids(s - HOUR, s)).toEqual([]);
      expect(await ids(e - 1, e)).toEqual(['closed']);
      expect(await ids(e, e + HOUR + 1)).toEqual(['open']);
      expect(await ids(e + 1000 * HOUR, e + 1001 * HOUR)).toEqual(['open']);
      expect(await ids(0, e + 2 * HOUR)).toEqual(['closed', 'open']);
    });
  });

  describe('recurring rules', () => {
    it('round-trips, lists per user, updates exceptions, deletes', async () => {
      const r1 = rule(ALICE, 'r1', { firstStart: T0 + HOUR });
      const r2 = rule(ALICE, 'r2', {
        repeat: { kind: 'everyWorkingDay' },
        until: null,
        endsNextWorkingDay: true,
        mode: 'none',
        number: null,
        text: null,
        operatorOnly: true,
        exceptions: [T0 + 24 * HOUR, T0 + 48 * HOUR],
      });
      await store.insertRecurring(r1);
      await store.insertRecurring(r2);
      await store.insertRecurring(rule(BOB, 'r3'));
      expect(await store.getRecurring(ALICE, 'r1')).toEqual(r1);
      expect(await store.getRecurring(ALICE, 'r2')).toEqual(r2);
      expect(await store.getRecurring(BOB, 'r1')).toBeNull();
      expect(await store.listRecurring(ALICE)).toEqual([r2, r1]); // by first start

      expect(await store.setRecurringExceptions(ALICE, 'r1', [T0 + 7 * 24 * HOUR])).toBe(true);
      expect((await store.getRecurring(ALICE, 'r1'))?.exceptions).toEqual([T0 + 7 * 24 * HOUR]);
      expect(await store.setRecurringExceptions(BOB, 'r1', [])).toBe(false);
      expect(await store.setRecurringExceptions(ALICE, 'missing', [])).toBe(false);

      expect(await store.deleteRecurring(BOB, 'r1')).toBe(false);
      expect(await store.deleteRecurring(ALICE, 'r1')).toBe(true);
      expect(await store.deleteRecurring(ALICE, 'r1')).toBe(false);
      expect(await store.listRecurring(ALICE)).toEqual([r2]);
    });
  });

  describe('purge', () => {
    it('removes what ended before the cut-off and keeps the rest', async () => {
      const before = T0 + 100 * HOUR;
      await store.putBooking(booking(ALICE, 'old', { start: before - 2 * HOUR, end: before - 1 }));
      await store.putBooking(booking(BOB, 'old', { start: before - 2 * HOUR, end: before - HOUR }));
      await store.putBooking(booking(ALICE, 'edge', { start: before - HOUR, end: before }));
      await store.putBooking(booking(ALICE, 'new', { start: before, end: before + HOUR }));
      await store.insertActivity(activity(ALICE, 'old', { from: before - 2 * HOUR, to: before - 1 }));
      await store.insertActivity(activity(ALICE, 'edge', { from: before - 2 * HOUR, to: before }));
      await store.insertActivity(activity(ALICE, 'open', { from: 0, to: null }));
      await store.insertRecurring(rule(ALICE, 'old', { until: '2026-01-04' }));
      await store.insertRecurring(rule(ALICE, 'edge', { until: '2026-01-05' }));
      await store.insertRecurring(rule(ALICE, 'open', { until: null }));
      await store.appendJournal({ extension: '1021', version: 1, state: null, at: before - 1 });
      await store.appendJournal({ extension: '1021', version: 2, state: null, at: before });

      expect(await store.purge(before, '2026-01-05')).toEqual({ bookings: 2, activities: 1, recurring: 1, journal: 1 });
      expect((await store.listJournal(10)).map((e) => e.version)).toEqual([2]);
      expect((await store.listBookings(ALICE, 0, before * 2)).map((b) => b.bookingId)).toEqual(['edge', 'new']);
      expect(await store.listBookings(BOB, 0, before * 2)).toEqual([]);
      expect((await store.listActivities(ALICE, 0, before * 2)).map((a) => a.id)).toEqual(['open', 'edge']);
      expect((await store.listRecurring(ALICE)).map((r) => r.id).sort()).toEqual(['edge', 'open']);
      expect(await store.purge(before, '2026-01-05')).toEqual({ bookings: 0, activities: 0, recurring: 0, journal: 0 });
    });
  });

  describe('switch states', () => {
    const S = (code: string) => ({ code, mex: 0, returnTime: '1200' });

    it('bumps the version only when the desired state changes', async () => {
      expect(await store.putDesiredState('1021', null, T0 + HOUR, T0)).toEqual({ version: 1, changed: true });
      expect(await store.putDesiredState('1021', null, T0 + 2 * HOUR, T0 + 1)).toEqual({ version: 1, changed: false });
      expect(await store.putDesiredState('1021', S('L'), null, T0 + 2)).toEqual({ version: 2, changed: true });
      expect(await store.putDesiredState('1021', S('L'), null, T0 + 3)).toEqual({ version: 2, changed: false });
      expect(await store.getSwitchState('1021')).toMatchObject({ version: 2, state: S('L'), nextBoundary: null, deliveredVersion: 0, computedAt: T0 + 3 });
      expect(await store.getSwitchState('9999')).toBeNull();
    });

    it('finds what is due for recompute and delivery, and when to wake', async () => {
      await store.putDesiredState('1021', S('L'), T0 + HOUR, T0);
      await store.putDesiredState('1022', S('M'), T0 + 2 * HOUR, T0);
      expect(await store.dueForRecompute(T0 + HOUR)).toEqual(['1021']);
      expect((await store.dueForDelivery(T0, 10)).map((r) => r.extension).sort()).toEqual(['1021', '1022']);
      expect(await store.nextWake(T0)).toBe(T0 + HOUR);
      expect(await store.nextWake(T0 + HOUR)).toBe(T0 + 2 * HOUR);
      await store.recordDelivery('1021', 1, { ok: false, permanent: false, error: '503', nextAttemptAt: T0 + 30 * 60_000 });
      expect(await store.nextWake(T0)).toBe(T0 + 30 * 60_000);
      expect((await store.dueForDelivery(T0, 10)).map((r) => r.extension)).toEqual(['1022']);
      expect((await store.dueForDelivery(T0 + 30 * 60_000, 10)).map((r) => r.extension).sort()).toEqual(['1021', '1022']);
    });

    it('pending transitions (issue 16): computed ahead, promoted at the instant in slices, recomputed when stale', async () => {
      const MIN = 60_000;
      // 1021 and 1022 turn to lunch at T0+10min; 1023 stays as it is there (the same state); 1024's boundary is beyond the horizon.
      await store.putDesiredState('1021', null, T0 + 10 * MIN, T0, { at: T0 + 10 * MIN, state: S('L'), next: T0 + 70 * MIN });
      await store.putDesiredState('1022', null, T0 + 10 * MIN, T0, { at: T0 + 10 * MIN, state: S('L'), next: null });
      await store.putDesiredState('1023', S('M'), T0 + 10 * MIN, T0, { at: T0 + 10 * MIN, state: S('M'), next: T0 + 20 * MIN });
      await store.putDesiredState('1024', null, T0 + 60 * MIN, T0);
      expect((await store.getSwitchState('1021'))!.pending).toEqual({ at: T0 + 10 * MIN, state: S('L'), next: T0 + 70 * MIN });
      // Before the instant: only 1024 is to be computed ahead, once its boundary is within 15 minutes.
      expect(await store.dueForRecompute(T0, 15 * MIN)).toEqual([]);
      expect(await store.dueForRecompute(T0 + 45 * MIN, 15 * MIN)).toEqual(['1024']);
      expect(await store.nextWake(T0, 15 * MIN)).toBe(T0 + 10 * MIN);
      expect(await store.nextWake(T0 + 10 * MIN, 15 * MIN)).toBe(T0 + 45 * MIN);
      expect(await store.promotePending(T0 + 10 * MIN - 1)).toBe(0);
      // At the instant, a slice of one, then the rest; 1022 has a change on its way and is left.
      expect(await store.promotePending(T0 + 10 * MIN, ['1022'], 1)).toBe(1);
      expect(await store.promotePending(T0 + 10 * MIN, ['1022'], 1)).toBe(1);
      expect(await store.promotePending(T0 + 10 * MIN, ['1022'], 1)).toBe(0);
      expect(await store.getSwitchState('1021')).toMatchObject({ version: 2, state: S('L'), nextBoundary: T0 + 70 * MIN, computedAt: T0 + 10 * MIN, pending: null });
      expect(await store.getSwitchState('1023')).toMatchObject({ version: 1, state: S('M'), nextBoundary: T0 + 20 * MIN, pending: null });
      // 1022's boundary came without a promotion: a plain recompute is not due (its pending is), the promotion is.
      expect(await store.dueForRecompute(T0 + 10 * MIN)).toEqual([]);
      expect(await store.promotePending(T0 + 10 * MIN)).toBe(1);
      expect(await store.getSwitchState('1022')).toMatchObject({ version: 2, state: S('L'), nextBoundary: null });
      // A recompute without a pending transition clears one; a boundary that moved makes the old one stale.
      await store.putDesiredState('1021', S('L'), T0 + 70 * MIN, T0 + 60 * MIN, { at: T0 + 70 * MIN, state: null, next: null });
      await store.putDesiredState('1021', S('L'), T0 + 80 * MIN, T0 + 61 * MIN, { at: T0 + 70 * MIN, state: null, next: null });
      expect(await store.dueForRecompute(T0 + 66 * MIN, 15 * MIN)).toEqual(['1023', '1024', '1021']);
      expect(await store.promotePending(T0 + 80 * MIN)).toBe(0);
      await store.putDesiredState('1021', S('L'), T0 + 80 * MIN, T0 + 62 * MIN, null);
      expect((await store.getSwitchState('1021'))!.pending).toBeNull();
    });

    it('claims and promotions take at most their limit, however many rows are due', async () => {
      const exts = Array.from({ length: 120 }, (_, i) => String(5000 + i));
      await store.putDesiredStates(exts.map((e) => ({ extension: e, state: null, nextBoundary: T0 + 1, now: T0, pending: { at: T0 + 1, state: S('L'), next: null } })));
      expect(await store.promotePending(T0 + 1, [], 7)).toBe(7);
      expect(await store.promotePending(T0 + 1, [], 1000)).toBe(113);
      expect(await store.claimDeliveries(T0 + 1, 9, 'proc-a', 60_000)).toHaveLength(9);
      expect(await store.claimDeliveries(T0 + 1, 1000, 'proc-b', 60_000)).toHaveLength(111);
    });

    it('many at once is the same as one by one (putDesiredStates, recordDeliveries: set-based on PostgreSQL)', async () => {
      // Two copies of the same history: extensions a… written one call per row, b… in one call.
      const steps: { key: string; state: unknown; next: number | null; pending: { at: number; state: unknown; next: number | null } | null }[][] = [
        [
          { key: '1', state: null, next: T0 + HOUR, pending: { at: T0 + HOUR, state: S('L'), next: null } },
          { key: '2', state: S('M'), next: null, pending: null },
          { key: '3', state: S('it\'s "quoted" \\ {x}'), next: T0 + 2 * HOUR, pending: null },
        ],
        [
          { key: '1', state: null, next: T0 + HOUR, pending: { at: T0 + HOUR, state: S('S'), next: T0 + 3 * HOUR } },
          { key: '2', state: S('T'), next: T0 + HOUR, pending: null },
          { key: '3', state: S('it\'s "quoted" \\ {x}'), next: null, pending: null },
          { key: '4', state: S('L'), next: null, pending: { at: T0 + HOUR, state: null, next: null } },
        ],
      ];
      const one: unknown[] = [];
      const many: unknown[] = [];
      for (const [n, step] of steps.entries()) {
        const now = T0 + n;
        for (const i of step) one.push(await store.putDesiredState(`a${i.key}`, i.state, i.next, now, i.pending));
        many.push(...(await store.putDesiredStates(step.map((i) => ({ extension: `b${i.key}`, state: i.state, nextBoundary: i.next, now, pending: i.pending })))));
        if (n === 0) {
          // Before the second step: 1 and 2 failed (2's change resets that, 1 keeps it), 3 claimed and delivered.
          for (const e of ['a1', 'a2', 'b1', 'b2']) await store.recordDelivery(e, 1, { ok: false, permanent: false, error: '503', nextAttemptAt: T0 + 10 });
          expect((await store.claimDeliveries(T0, 10, 'proc', 60_000)).map((r) => r.extension).sort()).toEqual(['a3', 'b3']);
          await store.recordDelivery('a3', 1, { ok: true, at: T0 + 6 }, 'proc');
          await store.recordDeliveries([{ extension: 'b3', version: 1, outcome: { ok: true, at: T0 + 6 } }, { extension: 'b9', version: 1, outcome: { ok: true, at: T0 + 6 } }], 'proc');
        }
      }
      expect(many).toEqual(one);
      expect(one).toEqual([
        { version: 1, changed: true }, { version: 1, changed: true }, { version: 1, changed: true },
        { version: 1, changed: false }, { version: 2, changed: true }, { version: 1, changed: false }, { version: 1, changed: true },
      ]);
      const rows = async () => (await store.listSwitchStates()).map(({ extension, ...rest }) => ({ key: extension.slice(1), p: extension[0], ...rest }));
      const strip = async (p: string) => (await rows()).filter((r) => r.p === p).map(({ p: _p, claimedBy, ...r }) => ({ ...r, claimed: claimedBy !== null }));
      // b9 was only ever acknowledged: no row for it.
      expect(await store.listSwitchStateExtensions()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4']);
      expect(await strip('b')).toEqual(await strip('a'));
      expect((await strip('a')).map((r) => [r.key, r.version, r.attempts, r.lastError, r.deliveredVersion])).toEqual([['1', 1, 1, '503', 0], ['2', 2, 0, null, 0], ['3', 1, 0, null, 1], ['4', 1, 0, null, 0]]);
      // A success of an older version does not go back; a claim is released only for its owner.
      expect((await store.claimDeliveries(T0 + 20, 10, 'proc-x', 60_000)).map((r) => r.extension).sort()).toEqual(['a1', 'a2', 'a4', 'b1', 'b2', 'b4']);
      for (const e of ['a2', 'a4']) await store.recordDelivery(e, e === 'a2' ? 2 : 1, { ok: true, at: T0 + 30 }, 'proc-y');
      await store.recordDelivery('a1', 1, { ok: true, at: T0 + 31 }, 'proc-x');
      await store.recordDelivery('a3', 0, { ok: true, at: T0 + 31 }, 'proc-x');
      await store.recordDeliveries([{ extension: 'b2', version: 2, outcome: { ok: true, at: T0 + 30 } }, { extension: 'b4', version: 1, outcome: { ok: true, at: T0 + 30 } }], 'proc-y');
      await store.recordDeliveries([{ extension: 'b1', version: 1, outcome: { ok: true, at: T0 + 31 } }, { extension: 'b3', version: 0, outcome: { ok: true, at: T0 + 31 } }], 'proc-x');
      expect(await strip('b')).toEqual(await strip('a'));
      expect((await strip('a')).map((r) => [r.key, r.deliveredVersion, r.deliveredAt, r.attempts, r.claimed])).toEqual([
        ['1', 1, T0 + 31, 0, false], ['2', 2, T0 + 30, 0, true], ['3', 1, T0 + 31, 0, false], ['4', 1, T0 + 30, 0, true],
      ]);
    });

    it('records deliveries: never backwards, failures only for their version, permanent ones until a retry', async () => {
      await store.putDesiredState('1021', S('L'), null, T0);
      await store.putDesiredState('1021', S('M'), null, T0);
      await store.recordDelivery('1021', 2, { ok: true, at: T0 + 1 });
      await store.recordDelivery('1021', 1, { ok: true, at: T0 + 2 });
      expect(await store.getSwitchState('1021')).toMatchObject({ version: 2, deliveredVersion: 2 });
      await store.putDesiredState('1021', S('T'), null, T0 + 3);
      await store.recordDelivery('1021', 2, { ok: false, permanent: true, error: 'old', nextAttemptAt: null });
      expect(await store.getSwitchState('1021')).toMatchObject({ version: 3, failedVersion: null, lastError: null });
      await store.recordDelivery('1021', 3, { ok: false, permanent: true, error: '400', nextAttemptAt: null });
      expect(await store.getSwitchState('1021')).toMatchObject({ failedVersion: 3, lastError: '400', attempts: 1 });
      expect(await store.dueForDelivery(T0 + HOUR, 10)).toEqual([]);
      expect(await store.retryDelivery('1021')).toBe(true);
      expect((await store.dueForDelivery(T0 + HOUR, 10)).map((r) => r.version)).toEqual([3]);
      expect(await store.retryDelivery('9999')).toBe(false);
    });

    it('claims due deliveries for a lease: not offered again until recorded, released or lapsed', async () => {
      await store.putDesiredState('1021', S('L'), null, T0);
      await store.putDesiredState('1022', S('M'), null, T0 + 1);
      await store.putDesiredState('1023', S('T'), null, T0 + 2);
      const a = await store.claimDeliveries(T0, 2, 'proc-a', 60_000);
      expect(a.map((r) => [r.extension, r.claimedBy, r.claimedUntil])).toEqual([
        ['1021', 'proc-a', T0 + 60_000],
        ['1022', 'proc-a', T0 + 60_000],
      ]);
      expect((await store.claimDeliveries(T0, 10, 'proc-b', 60_000)).map((r) => r.extension)).toEqual(['1023']);
      expect(await store.claimDeliveries(T0, 10, 'proc-b', 60_000)).toEqual([]);
      expect(await store.dueForDelivery(T0, 10)).toEqual([]);
      // A lapsing claim is a reason to wake; once lapsed, the delivery is offered again.
      expect(await store.nextWake(T0)).toBe(T0 + 60_000);
      expect((await store.claimDeliveries(T0 + 60_000, 10, 'proc-b', 60_000)).map((r) => r.extension)).toEqual(['1021', '1022', '1023']);
      // Recording ends only the recorder's own claim.
      await store.recordDelivery('1021', 1, { ok: true, at: T0 }, 'proc-a');
      expect(await store.getSwitchState('1021')).toMatchObject({ deliveredVersion: 1, claimedBy: 'proc-b' });
      await store.recordDelivery('1021', 1, { ok: true, at: T0 }, 'proc-b');
      expect(await store.getSwitchState('1021')).toMatchObject({ claimedBy: null, claimedUntil: null });
      // A failure for an older version still ends the claim, so the newer one can go.
      await store.putDesiredState('1022', S('X'), null, T0 + 3);
      await store.recordDelivery('1022', 1, { ok: false, permanent: false, error: '503', nextAttemptAt: T0 + 5 }, 'proc-b');
      expect(await store.getSwitchState('1022')).toMatchObject({ version: 2, attempts: 0, claimedBy: null });
      expect(await store.releaseClaims('proc-a')).toBe(0);
      expect(await store.releaseClaims()).toBe(1);
      expect((await store.dueForDelivery(T0 + 60_000, 10)).map((r) => r.extension).sort()).toEqual(['1022', '1023']);
    });

    it('concurrent claims from two connections never hand out the same extension', async () => {
      const other = await t.another();
      try {
        // The other connection sees the same database only where there is one (not two :memory:).
        const shared = t.dialect === 'postgres';
        const target = shared ? other : store;
        for (let i = 0; i < 60; i++) await store.putDesiredState(String(2000 + i), S('L'), null, T0 + i);
        const claims = await Promise.all(
          Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? store : target).claimDeliveries(T0, 5, i % 2 === 0 ? 'proc-a' : 'proc-b', 60_000)),
        );
        const handedOut = claims.flat().map((r) => r.extension);
        expect(handedOut.length).toBe(60);
        expect(new Set(handedOut).size).toBe(60);
      } finally {
        await other.close();
      }
    });

    it('keeps a journal with each version once', async () => {
      await store.appendJournal({ extension: '1021', version: 1, state: null, at: T0 });
      await store.appendJournal({ extension: '1021', version: 2, state: S('L'), at: T0 + 1 });
      await store.appendJournal({ extension: '1021', version: 2, state: S('L'), at: T0 + 2 });
      expect(await store.listJournal(10)).toEqual([
        { extension: '1021', version: 2, state: S('L'), at: T0 + 1 },
        { extension: '1021', version: 1, state: null, at: T0 },
      ]);
    });
  });

  describe('transactions', () => {
    it('commits and returns the result', async () => {
      const r = await store.transaction(async (tx) => {
        await tx.touchUser(ALICE, 'Alice', T0);
        await tx.putDoc(ALICE, 'settings', { a: 1 }, T0);
        return 42;
      });
      expect(r).toBe(42);
      expect(await store.getDoc(ALICE, 'settings')).toEqual({ a: 1 });
      expect(await store.getUser(ALICE)).not.toBeNull();
    });

    it('rolls everything back when fn throws, and rethrows', async () => {
      await store.putBooking(booking(ALICE, 'kept', { prefix: 'before' }));
      const boom = new Error('boom');
      await expect(
        store.transaction(async (tx) => {
          await tx.touchUser(ALICE, 'Alice', T0);
          await tx.putDoc(ALICE, 'settings', { a: 1 }, T0);
          expect(await tx.putBooking(booking(ALICE, 'kept', { prefix: 'after', lastModified: T0 + 1 }))).toBe('updated');
          await tx.insertActivity(activity(ALICE, 'a'));
          expect(await tx.getDoc(ALICE, 'settings')).toEqual({ a: 1 }); // visible inside
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await store.getUser(ALICE)).toBeNull();
      expect(await store.getDoc(ALICE, 'settings')).toBeNull();
      expect((await store.getBooking(ALICE, 'kept'))?.prefix).toBe('before');
      expect(await store.getActivity(ALICE, 'a')).toBeNull();
    });

    it('nested transaction() reuses the same transaction (a throw inside rolls back the outer work too)', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.putDoc(ALICE, 'profile', { outer: true }, T0);
          await tx.transaction(async (inner) => {
            expect(inner).toBe(tx);
            await inner.putDoc(ALICE, 'quick', [1], T0);
            // the store's own multi-statement operations run inside it too
            await inner.purge(0, '2000-01-01');
            await inner.deleteUser(BOB);
            throw new Error('inner');
          });
        }),
      ).rejects.toThrow('inner');
      expect(await store.getDoc(ALICE, 'profile')).toBeNull();
      expect(await store.getDoc(ALICE, 'quick')).toBeNull();
    });
  });
}

describe.each(targets.filter((t) => !t.skip))('store on $name', (t) => storeSuite(t));
const skipped = targets.filter((t) => t.skip);
if (skipped.length > 0) describe.skip.each(skipped)('store on $name', (t) => storeSuite(t));

// ---------------------------------------------------------------------------------------------
// SQLite file: WAL, reopening, migrations

describe('sqlite file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kk-store-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the parent folder, uses WAL, and keeps data across reopening', async () => {
    const file = join(dir, 'nested', 'deeper', 'kk.sqlite');
    const store = await openStore(file);
    await store.linkUser(ALICE, { extension: '42', shared: true, displayName: 'Alice' }, T0);
    await store.putBooking(booking(ALICE, 'b'));
    expect(existsSync(`${file}-wal`)).toBe(true);
    await store.close();

    const raw = new SqliteDatabase(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }

    const again = await openStore(file);
    try {
      expect(await again.getUser(ALICE)).toMatchObject({ extension: '42', shared: true, displayName: 'Alice' });
      expect(await again.getBooking(ALICE, 'b')).toEqual({ ...booking(ALICE, 'b'), dismissedVersion: null });
    } finally {
      await again.close();
    }

    const ro = await openStore(file, { readonly: true });
    try {
      expect(await ro.listExtensions()).toEqual(['42']);
      await expect(ro.putDoc(ALICE, 'settings', {}, T0)).rejects.toThrow(/readonly/i);
    } finally {
      await ro.close();
    }
  });

  it('migrations are idempotent and record what ran', async () => {
    const file = join(dir, 'migrations.sqlite');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
    try {
      expect(await migrateToLatest(db)).toEqual(Object.keys(MIGRATIONS).sort());
      expect(await migrateToLatest(db)).toEqual([]);
      const ran = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      expect(ran.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
    } finally {
      await db.destroy();
    }
    const store = await openStore(file); // migrates again: nothing to do
    await store.close();
  });

  it('a failing migration throws a clear error and leaves nothing half-done', async () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
    try {
      const bad = {
        ...MIGRATIONS,
        '002_broken': {
          up: atomic(async (d) => {
            await d.schema.createTable('half_done').addColumn('x', 'integer').execute();
            await sql`this is not sql`.execute(d);
          }),
        },
      };
      await expect(migrateToLatest(db, bad)).rejects.toThrow(/^Database migration 002_broken failed: .*syntax error/);
      const ran = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
      expect(ran.rows.map((r) => r.name)).toEqual(['001_initial']);
      const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'half_done'`.execute(db);
      expect(tables.rows).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

describe('openStore', () => {
  it('names an unreachable PostgreSQL without the password, on one line', async () => {
    const err = await openStore('postgresql://kk:s3cret%21@127.0.0.1:1/kk?password=s3cret!&sslmode=disable').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toMatch(/^Cannot connect to PostgreSQL at postgresql:\/\/kk@127\.0\.0\.1:1\/kk\?sslmode=disable: /);
    expect(err?.message).not.toMatch(/s3cret/);
    expect(err?.message).not.toMatch(/\n/);
  });

  it('refuses other URL schemes instead of creating a file named after them', async () => {
    await expect(openStore('mysql://u:p@h/db')).rejects.toThrow('Unsupported database URL mysql://u@h/db');
  });

  it('redacts database URLs', () => {
    expect(redactDatabaseUrl('postgres://kk:kk@127.0.0.1:5432/kk_test')).toBe('postgres://kk@127.0.0.1:5432/kk_test');
    expect(redactDatabaseUrl('postgres://u:p@ss@host/db?password=x&application_name=kk')).toBe('postgres://u@host/db?application_name=kk');
    expect(redactDatabaseUrl('postgres://host/db')).toBe('postgres://host/db');
    expect(redactDatabaseUrl('/var/lib/kk/db.sqlite')).toBe('/var/lib/kk/db.sqlite');
  });

  it('opens distinct in-memory databases', async () => {
    const a = await openStore(':memory:');
    const b = await openStore(':memory:');
    try {
      await a.putOrg({ a: 1 }, T0);
      expect(await b.getOrg()).toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
