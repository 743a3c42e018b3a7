/** The calendar_sync and google_sync rows on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (in its own schema). */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStore } from '../../../src/server/store/open';
import type { Store } from '../../../src/server/store/types';

const PG_URL = process.env.TEST_DATABASE_URL;
const ANNA = { tid: 'tenant-1', oid: 'anna' };
const T0 = 1_795_500_000_000;

const dialects: [string, () => Promise<{ store: Store; done: () => Promise<void> }>][] = [
  ['sqlite', async () => {
    const store = await openStore(':memory:');
    return { store, done: () => store.close() };
  }],
];
if (PG_URL) {
  dialects.push(['postgres', async () => {
    const schema = `kk_cal_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const store = await openStore(`${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
    return {
      store,
      done: async () => {
        await store.close();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      },
    };
  }]);
}

describe.each(dialects)('%s', (_name, open) => {
  let store: Store;
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, done } = await open()));
  afterEach(async () => done());

  test('patch creates, then changes only the fields given; find by subscription; the user\'s removal removes it', async () => {
    expect(await store.getCalendarSync(ANNA)).toBeNull();
    const created = await store.patchCalendarSync(ANNA, { deltaLink: 'https://graph/delta?$deltatoken=1', windowStart: T0, windowEnd: T0 + 5, lastSuccessAt: T0, lagMs: 12 }, T0);
    expect(created).toEqual({ ...ANNA, deltaLink: 'https://graph/delta?$deltatoken=1', windowStart: T0, windowEnd: T0 + 5, lastSuccessAt: T0, lastError: null, lastErrorAt: null, lagMs: 12, subscriptionId: null, subscriptionExpiresAt: null, clientState: null, updatedAt: T0 });
    await store.patchCalendarSync(ANNA, { subscriptionId: 'sub-1', subscriptionExpiresAt: T0 + 9, clientState: 'secret' }, T0 + 1);
    await store.patchCalendarSync(ANNA, { lastError: 'HTTP 503', lastErrorAt: T0 + 2 }, T0 + 2);
    const row = await store.getCalendarSync(ANNA);
    expect(row).toMatchObject({ deltaLink: 'https://graph/delta?$deltatoken=1', lastSuccessAt: T0, lastError: 'HTTP 503', subscriptionId: 'sub-1', clientState: 'secret', updatedAt: T0 + 2 });
    // null clears.
    await store.patchCalendarSync(ANNA, { deltaLink: null }, T0 + 3);
    expect((await store.getCalendarSync(ANNA))?.deltaLink).toBeNull();
    expect((await store.findCalendarSubscription('sub-1'))?.oid).toBe('anna');
    expect(await store.findCalendarSubscription('sub-2')).toBeNull();
    expect(await store.listCalendarSync()).toHaveLength(1);

    await store.linkUser(ANNA, { extension: '1021', shared: false }, T0);
    await store.deleteUser(ANNA);
    expect(await store.getCalendarSync(ANNA)).toBeNull();
  });

  test('google_sync (issue 17): patch creates, then changes only the fields given; find by channel; the user\'s removal removes it', async () => {
    expect(await store.getGoogleSync(ANNA)).toBeNull();
    const created = await store.patchGoogleSync(ANNA, { email: 'anna@skola.example', syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=', windowStart: T0, windowEnd: T0 + 5, lastSuccessAt: T0, lagMs: 7 }, T0);
    expect(created).toEqual({ ...ANNA, email: 'anna@skola.example', syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=', windowStart: T0, windowEnd: T0 + 5, lastSuccessAt: T0, lastError: null, lastErrorAt: null, lagMs: 7, channelId: null, channelResourceId: null, channelToken: null, channelExpiresAt: null, updatedAt: T0 });
    await store.patchGoogleSync(ANNA, { channelId: 'ch-1', channelResourceId: 'res-1', channelToken: 'secret', channelExpiresAt: T0 + 9 }, T0 + 1);
    await store.patchGoogleSync(ANNA, { lastError: 'HTTP 403 rateLimitExceeded', lastErrorAt: T0 + 2 }, T0 + 2);
    expect(await store.getGoogleSync(ANNA)).toMatchObject({ syncToken: 'CPDAlvWDx70CEPDAlvWDx70CGAU=', lastSuccessAt: T0, lastError: 'HTTP 403 rateLimitExceeded', channelId: 'ch-1', channelToken: 'secret', updatedAt: T0 + 2 });
    await store.patchGoogleSync(ANNA, { syncToken: null }, T0 + 3);
    expect((await store.getGoogleSync(ANNA))?.syncToken).toBeNull();
    expect((await store.findGoogleChannel('ch-1'))?.oid).toBe('anna');
    expect(await store.findGoogleChannel('ch-2')).toBeNull();
    // Graph's row of the same user is another row.
    expect(await store.getCalendarSync(ANNA)).toBeNull();
    expect(await store.listGoogleSync()).toHaveLength(1);

    await store.linkUser(ANNA, { extension: '1021', shared: false }, T0);
    await store.deleteUser(ANNA);
    expect(await store.getGoogleSync(ANNA)).toBeNull();
  });
});
