/**
 * Google calendar sync shared by two endpoint processes on one PostgreSQL (issue 18), in process:
 * two apps (buildApp) named proc-A and proc-B, each on its own store opened on ONE throwaway
 * schema, both syncing against one fake Google (test/helpers/fake-google.ts). Heartbeats are
 * driven by hand (`app.leases.heartbeat()`; the timer is set far off), real clocks. It proves:
 * 1. spread: every user's lease is held by exactly one process, both hold some, each process's
 *    runAll() reads only its own users, and together every user's events are stored;
 * 2. a push message for a user held by A, posted to B's route, is handed to A over the bus
 *    (LISTEN/NOTIFY): A runs that user's round and stores the change, B runs none;
 * 3. after A closes (its leases released), B's next heartbeat takes every user, and the rounds
 *    it starts for them store a change made in Google after A closed.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { buildApp } from '../../../../src/server/app';
import { loadConfig } from '../../../../src/server/config';
import { openStore } from '../../../../src/server/store/open';
import type { Store, UserKey } from '../../../../src/server/store/types';
import { waitFor } from '../../../helpers/endpoint';
import { type FakeGoogle, startFakeGoogle } from '../../../helpers/fake-google';
import { IN_CI, postgresAvailability, throwawaySchema } from '../../../helpers/postgres';
import { FakeVerifier, TID } from '../../../helpers/server';

const DOMAIN = 'skola.example';
const CLIENT_EMAIL = 'kalenderkoppling@projekt.iam.gserviceaccount.com';
const N = 20;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const keyFile = join(mkdtempSync(join(tmpdir(), 'kk-google-procs-')), 'key.json');
writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: CLIENT_EMAIL, private_key: keys.privateKey }));

const pg = postgresAvailability('Google calendar sync across processes');
const pgTest = pg.skip ? test.skip : test;
const requirePg = () => {
  if (pg.unavailable !== null && IN_CI) throw new Error(`PostgreSQL is required in CI (CI=true): ${pg.unavailable}`);
};

/** Object ids shaped as Entra's (UUIDs), fixed per run: the rendezvous hash spreads such ids evenly. */
const oids = Array.from({ length: N }, (_, i) => createHash('sha256').update(`user-${i}`).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'));
const key = (oid: string): UserKey => ({ tid: TID, oid });
const mail = (oid: string) => `u${oids.indexOf(oid)}@${DOMAIN}`;
/** Tomorrow (Stockholm) at 12:00 + `hour` hours, an hour long: inside the sync window. */
const tomorrow = DateTime.now().setZone('Europe/Stockholm').plus({ days: 1 }).startOf('day');
const event = (id: string, hour = 0) => ({
  id,
  summary: 'NP/L: Lunch',
  start: { dateTime: tomorrow.plus({ hours: 12 + hour }).toISO()! },
  end: { dateTime: tomorrow.plus({ hours: 13 + hour }).toISO()! },
});

describe('Google calendar sync over two processes on one PostgreSQL', () => {
  let google: FakeGoogle;
  let db: Awaited<ReturnType<typeof throwawaySchema>>;
  let stores: Store[];
  let a: FastifyInstance;
  let b: FastifyInstance;
  /** Which users each process holds after the spread. */
  let heldBy: Map<FastifyInstance, string[]>;

  async function open(owner: string): Promise<{ app: FastifyInstance; store: Store }> {
    const store = await openStore(db.url);
    stores.push(store);
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-google-procs-')),
      LOG_LEVEL: 'silent',
      GOOGLE_SERVICE_ACCOUNT_FILE: keyFile,
      GOOGLE_DOMAIN: DOMAIN,
      GOOGLE_API_URL: google.url,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      // Channels are opened (their id and token land in google_sync), but the fake's own push
      // messages go nowhere: the test posts them itself, to the process it picks.
      GOOGLE_NOTIFICATION_URL: 'http://127.0.0.1:9/api/v1/google/notifications',
    });
    // No heartbeat by timer during a test: each is called by hand.
    const app = await buildApp({ config, store, verifier: new FakeVerifier(), logger: false, owner, google: { coalesceMs: 0, sleep: async () => undefined }, leases: { heartbeatMs: 3_600_000 } });
    await app.ready();
    return { app, store };
  }

  const holders = (oid: string) => [a, b].filter((app) => app.leases!.holds('google', key(oid))).map((app) => app.owner);
  const listedUsers = (from: number) => new Set(google.requests.slice(from).filter((q) => q.path.endsWith('/events')).map((q) => q.user));
  const stored = async (store: Store, oid: string, id: string) => (await store.getBooking(key(oid), `google:${id}`)) !== null;

  beforeEach(async () => {
    if (pg.skip) return;
    requirePg();
    google = await startFakeGoogle({ clientEmail: CLIENT_EMAIL, publicKeyPem: keys.publicKey, domain: DOMAIN });
    db = await throwawaySchema('kk_google_procs');
    stores = [];
    ({ app: a } = await open('proc-A'));
    ({ app: b } = await open('proc-B'));
    for (const oid of oids) await stores[0]!.linkUser(key(oid), { extension: String(4000 + oids.indexOf(oid)), shared: false, mail: mail(oid) }, Date.now());
    // One user outside the domain: never leased, never read.
    await stores[0]!.linkUser(key('outsider'), { extension: '4999', shared: false, mail: 'outsider@annan.example' }, Date.now());
    // A starts alone and takes everyone; B joins; A gives up B's share, B takes it (and reads it).
    await a.leases!.start();
    await b.leases!.start();
    await a.leases!.heartbeat();
    await b.leases!.heartbeat();
    await Promise.all([a.google!.idle(), b.google!.idle()]);
    heldBy = new Map([a, b].map((app) => [app, oids.filter((o) => app.leases!.holds('google', key(o)))]));
    // The bus listeners are up before anything is dispatched over them.
    expect(await waitFor(() => stores.every((s) => s.bus.listening()), 10_000)).toBe(true);
  }, 30_000);

  afterEach(async () => {
    for (const app of [a, b]) await app?.close();
    for (const s of stores ?? []) await s.close();
    await db?.drop();
    await google?.close();
  });

  pgTest('spread: each user is held by exactly one process, both hold some; each runAll reads only its own users; together all are stored', async () => {
    for (const oid of oids) expect(holders(oid)).toHaveLength(1);
    expect(a.leases!.holds('google', key('outsider'))).toBe(false);
    expect(b.leases!.holds('google', key('outsider'))).toBe(false);
    const [mineA, mineB] = [heldBy.get(a)!, heldBy.get(b)!];
    expect(mineA.length).toBeGreaterThan(0);
    expect(mineB.length).toBeGreaterThan(0);
    expect(mineA.length + mineB.length).toBe(N);
    // The admin view agrees: the holder's name per user.
    const status = new Map((await b.google!.status()).map((s) => [s.oid, s.process]));
    for (const o of oids) expect(status.get(o)).toBe(mineA.includes(o) ? 'proc-A' : 'proc-B');

    for (const oid of oids) google.put(mail(oid), event(`e-${oid}`));
    let from = google.requests.length;
    const resultsA = await a.google!.runAll();
    expect(resultsA.map((r) => r.oid).sort()).toEqual([...mineA].sort());
    expect(resultsA.every((r) => r.ok && r.stored === 1)).toBe(true);
    expect(listedUsers(from)).toEqual(new Set(mineA.map(mail)));
    from = google.requests.length;
    const roundsA = a.google!.counts.rounds;
    const resultsB = await b.google!.runAll();
    expect(resultsB.map((r) => r.oid).sort()).toEqual([...mineB].sort());
    expect(listedUsers(from)).toEqual(new Set(mineB.map(mail)));
    expect(a.google!.counts.rounds).toBe(roundsA);
    for (const oid of oids) expect(await stored(stores[0]!, oid, `e-${oid}`)).toBe(true);
  }, 20_000);

  pgTest("a push message for A's user posted to B is handed to A over the bus: A reads it, B runs no round", async () => {
    await Promise.all([a.google!.runAll(), b.google!.runAll()]);
    const oid = heldBy.get(a)![0]!;
    const row = await stores[1]!.getGoogleSync(key(oid));
    expect(row?.channelId).toEqual(expect.any(String));
    google.put(mail(oid), event('pushed', 2));
    const [roundsA, roundsB] = [a.google!.counts.rounds, b.google!.counts.rounds];
    const r = await b.inject({ method: 'POST', url: '/api/v1/google/notifications', headers: { 'x-goog-channel-id': row!.channelId!, 'x-goog-channel-token': row!.channelToken!, 'x-goog-resource-state': 'exists' } });
    expect(r.statusCode).toBe(204);
    expect(await waitFor(() => stored(stores[0]!, oid, 'pushed'), 10_000)).toBe(true);
    await Promise.all([a.google!.idle(), b.google!.idle()]);
    expect(a.google!.counts.rounds).toBeGreaterThan(roundsA);
    expect(b.google!.counts.rounds).toBe(roundsB);
    // B did not take the lease to do it itself.
    expect(holders(oid)).toEqual(['proc-A']);
  }, 20_000);

  pgTest("after A closes, B's next heartbeat takes every user and its rounds read A's former users", async () => {
    await Promise.all([a.google!.runAll(), b.google!.runAll()]);
    const formerlyA = heldBy.get(a)!;
    await a.close();
    for (const oid of formerlyA) google.put(mail(oid), event(`late-${oid}`, 3));
    const from = google.requests.length;
    await b.leases!.heartbeat();
    for (const oid of oids) expect(b.leases!.holds('google', key(oid))).toBe(true);
    await b.google!.idle();
    expect(listedUsers(from)).toEqual(new Set(formerlyA.map(mail)));
    for (const oid of formerlyA) expect(await stored(stores[1]!, oid, `late-${oid}`)).toBe(true);
    const status = await b.google!.status();
    expect(status.filter((s) => s.oid !== 'outsider').every((s) => s.process === 'proc-B')).toBe(true);
  }, 20_000);
});
