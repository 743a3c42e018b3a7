/**
 * Store.searchUsers (Kollegor, issue 12) on SQLite and PostgreSQL (TEST_DATABASE_URL, a schema of
 * its own): name contains q without case and accents, extension starts with q, linked users only,
 * shared extensions, LIKE characters taken literally, at most `limit` by name, and the migration
 * that folds the names already stored.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { MIGRATIONS, migrateToLatest } from '../../../src/server/store/migrations';
import { openStore } from '../../../src/server/store/open';
import type { Store } from '../../../src/server/store/types';
import { postgresAvailability, throwawaySchema } from '../../helpers/postgres';

const { skip: pgSkip } = postgresAvailability('PostgreSQL colleague search tests');
const T0 = Date.parse('2026-11-24T10:00:00Z');
const TID = 't1';

async function seed(store: Store): Promise<void> {
  const link = (oid: string, name: string | null, extension: string, shared = false) =>
    store.linkUser({ tid: TID, oid }, { extension, shared, displayName: name }, T0);
  await link('asa', 'Åsa Öberg', '1868');
  await link('asa2', 'Åsa Andersson', '1869', true);
  await link('per', 'Per Åström', '1869', true); // shares 1869 with Åsa Andersson
  await link('bo', 'Bo Ek', '2201');
  await link('anon', null, '1870');
  await link('pct', '100% Kalle_K', '3300');
  await store.touchUser({ tid: TID, oid: 'unlinked' }, 'Åsa Olinkad', T0); // no extension: never listed
}

function suite(name: string, open: () => Promise<{ store: Store; close: () => Promise<void> }>, skip = false) {
  (skip ? describe.skip : describe)(`searchUsers on ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
      await seed(store);
    }, 30_000);
    afterAll(() => close(), 30_000);

    const names = async (q: string, limit = 20) => (await store.searchUsers(q, limit)).map((u) => u.displayName);

    it('finds a name part without case or accents, linked users only', async () => {
      expect(await names('åsa')).toEqual(['Åsa Andersson', 'Åsa Öberg']);
      expect(await names('ASA')).toEqual(['Åsa Andersson', 'Åsa Öberg']);
      expect(await names('oberg')).toEqual(['Åsa Öberg']);
      expect(await names('ÅSTRÖ')).toEqual(['Per Åström']);
    });

    it('finds extensions by their start, shared ones with every user on them; a nameless user by extension', async () => {
      expect((await store.searchUsers('1869', 20)).map((u) => [u.oid, u.extension, u.shared])).toEqual([
        ['asa2', '1869', true],
        ['per', '1869', true],
      ]);
      expect((await store.searchUsers('18', 20)).map((u) => u.oid)).toEqual(['asa2', 'asa', 'per', 'anon']);
      expect(await names('86')).toEqual([]); // "starts with", not "contains", for extensions
    });

    it('takes % and _ literally', async () => {
      expect(await names('0%')).toEqual(['100% Kalle_K']);
      expect(await names('e_k')).toEqual(['100% Kalle_K']);
      expect(await names('%')).toEqual(['100% Kalle_K']);
    });

    it('stops at the limit, in name order', async () => {
      expect(await names('a', 2)).toEqual(['100% Kalle_K', 'Åsa Andersson']);
    });

    it('a new display name is searched by its new spelling', async () => {
      await store.touchUser({ tid: TID, oid: 'bo' }, 'Bo Ekström', T0 + 1);
      expect(await names('ekstrom')).toEqual(['Bo Ekström']);
      await store.touchUser({ tid: TID, oid: 'bo' }, null, T0 + 2); // a token without a name keeps it
      expect(await names('ekstrom')).toEqual(['Bo Ekström']);
    });
  });
}

suite('sqlite (memory)', async () => {
  const store = await openStore(':memory:');
  return { store, close: () => store.close() };
});

suite(
  'postgres',
  async () => {
    const s = await throwawaySchema('kk_colleagues_test');
    const store = await openStore(s.url);
    return {
      store,
      close: async () => {
        await store.close();
        await s.drop();
      },
    };
  },
  pgSkip,
);

test('migration 006 folds the display names stored before it', async () => {
  const sqlite = new SqliteDatabase(':memory:');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([k]) => k < '006'));
  await migrateToLatest(db, before);
  await db.insertInto('users').values({ tid: TID, oid: 'o', display_name: 'Örjan Ågren', extension: '1234', shared: 0, created_at: T0, updated_at: T0 }).execute();
  expect(await migrateToLatest(db, Object.fromEntries(Object.entries(MIGRATIONS).filter(([k]) => k < '007')))).toEqual(['006_user_search_name']);
  expect(await db.selectFrom('users').select('search_name').executeTakeFirst()).toEqual({ search_name: 'orjan agren' });
  await db.destroy();
});
