/**
 * Google calendar sync (issue 17) through the loopback fake Google (test/helpers/fake-google.ts),
 * reached by the real client code (google-auth-library's JWT, @googleapis/calendar) through the
 * overridable URLs: bookings in Google divert like the add-in's, through the same booking path.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { buildApp } from '../../../../src/server/app';
import type { GoogleCalendarSync } from '../../../../src/server/calendar/google/sync';
import { loadConfig } from '../../../../src/server/config';
import { JournalConnector } from '../../../../src/server/connectors/journal';
import { Service } from '../../../../src/server/service';
import { openStore } from '../../../../src/server/store/open';
import type { Store } from '../../../../src/server/store/types';
import { type FakeGoogle, startFakeGoogle } from '../../../helpers/fake-google';
import { FakeVerifier, injector, TID } from '../../../helpers/server';

const DOMAIN = 'skola.example';
const CLIENT_EMAIL = 'kalenderkoppling@projekt.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const keyFile = join(mkdtempSync(join(tmpdir(), 'kk-google-')), 'key.json');
writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: CLIENT_EMAIL, private_key: keys.privateKey }));

/** Tomorrow (local, Stockholm) at hh:mm, as an instant: the fake stamps `updated` with the real clock, so the endpoint runs on it too. */
const tomorrow = DateTime.now().setZone('Europe/Stockholm').plus({ days: 1 }).startOf('day');
const at = (hhmm: string, days = 0) => tomorrow.plus({ days, hours: Number(hhmm.slice(0, 2)), minutes: Number(hhmm.slice(3)) }).toMillis();
const dt = (hhmm: string, days = 0) => ({ dateTime: DateTime.fromMillis(at(hhmm, days)).setZone('Europe/Stockholm').toISO()! });

let google: FakeGoogle;
let app: FastifyInstance;
let store: Store;
let sync: GoogleCalendarSync;
let sleeps: number[];
let reader: Service;

async function link(oid: string, extension: string, mail: string | null): Promise<void> {
  const r = await injector(app)('admin.boss', 'PUT', `/api/v1/admin/users/${oid}`, { extension });
  if (r.statusCode !== 200) throw new Error(`link failed: ${r.statusCode} ${r.body}`);
  if (mail) await store.touchUser({ tid: TID, oid }, null, Date.now(), { mail });
}

async function stateAt(extension: string, t: number) {
  const s = await reader.extensionState(extension, t);
  return s.state ? { key: s.state.key, from: s.state.since, to: s.state.returnAt } : null;
}

beforeEach(async () => {
  google = await startFakeGoogle({ clientEmail: CLIENT_EMAIL, publicKeyPem: keys.publicKey, domain: DOMAIN, pageSize: 250 });
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-google-')), LOG_LEVEL: 'silent', GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: DOMAIN, GOOGLE_API_URL: google.url, GOOGLE_TOKEN_URL: google.tokenUrl });
  store = await openStore(':memory:');
  sleeps = [];
  app = await buildApp({ config, store, verifier: new FakeVerifier(), logger: false, connector: new JournalConnector(store, () => Date.now()), google: { sleep: async (ms) => void sleeps.push(ms), pageSize: 3 } });
  await app.ready();
  sync = app.google as GoogleCalendarSync;
  reader = new Service(store, () => Date.now(), 'Europe/Stockholm', 0);
  await link('anna', '1021', `anna@${DOMAIN}`);
});
afterEach(async () => {
  await app?.close();
  await store?.close();
  await google?.close();
});

const lunch = (id: string, extra: Record<string, unknown> = {}) => ({ id, summary: 'NP/L: Lunch med Eva', start: dt('12:00'), end: dt('13:00'), location: 'Rum 4', description: 'Ring 0701234567', ...extra });

test('a new booking diverts; the token is for the user with the read-only scope; the sync token is kept', async () => {
  google.put(`anna@${DOMAIN}`, lunch('e1'));
  const [r] = await sync.runAll();
  expect(r).toMatchObject({ oid: 'anna', ok: true, full: true, stored: 1 });
  expect(await stateAt('1021', at('12:30'))).toEqual({ key: 'L', from: at('12:00'), to: at('13:00') });
  expect(await stateAt('1021', at('13:30'))).toBeNull();
  expect(google.tokensIssued.get(`anna@${DOMAIN}`)).toBe(1);
  const list = google.requests.find((q) => q.path.endsWith('/events'))!;
  expect(list.query).toMatchObject({ singleEvents: 'true', maxResults: '3' });
  expect(list.query.timeMin).toBeDefined();
  const row = await store.getGoogleSync({ tid: TID, oid: 'anna' });
  expect(row).toMatchObject({ email: `anna@${DOMAIN}`, lastError: null });
  expect(row?.syncToken).toEqual(expect.any(String));
  // Its text is kept only as the message fields ask (none by default): no location, no description.
  expect(await store.getBooking({ tid: TID, oid: 'anna' }, 'google:e1')).toMatchObject({ prefix: 'NP/L:', rest: null, location: null, body: null });
});

test('an edit moves it, a cancel clears it; later rounds are incremental with the sync token', async () => {
  google.put(`anna@${DOMAIN}`, lunch('e1'));
  await sync.runAll();
  google.put(`anna@${DOMAIN}`, lunch('e1', { start: dt('14:00'), end: dt('15:00') }));
  const [moved] = await sync.runAll();
  expect(moved).toMatchObject({ full: false, stored: 1 });
  const lists = google.requests.filter((q) => q.path.endsWith('/events'));
  expect(lists[lists.length - 1]!.query.syncToken).toEqual(expect.any(String));
  expect(lists[lists.length - 1]!.query.timeMin).toBeUndefined();
  expect(await stateAt('1021', at('12:30'))).toBeNull();
  expect(await stateAt('1021', at('14:30'))).toMatchObject({ key: 'L' });

  google.cancel(`anna@${DOMAIN}`, 'e1');
  const [gone] = await sync.runAll();
  expect(gone).toMatchObject({ full: false, removed: 1 });
  expect(await store.getBooking({ tid: TID, oid: 'anna' }, 'google:e1')).toBeNull();
  expect(await stateAt('1021', at('14:30'))).toBeNull();
});

test('pages are followed to the sync token', async () => {
  for (let i = 0; i < 8; i++) google.put(`anna@${DOMAIN}`, lunch(`p${i}`, { start: dt('12:00', i), end: dt('13:00', i) }));
  const [r] = await sync.runAll();
  expect(r?.stored).toBe(8);
  const lists = google.requests.filter((q) => q.path.endsWith('/events'));
  expect(lists.map((q) => q.query.pageToken !== undefined)).toEqual([false, true, true]);
  expect((await store.listBookings({ tid: TID, oid: 'anna' }, 0, at('00:00', 30))).filter((b) => b.bookingId.startsWith('google:'))).toHaveLength(8);
});

test('a private event is skipped (no text stored, no diversion by default); an all-day event counts as all-day', async () => {
  google.put(`anna@${DOMAIN}`, lunch('priv', { visibility: 'private' }));
  google.put(`anna@${DOMAIN}`, { id: 'allday', summary: 'NP/S: Semester', start: { date: tomorrow.plus({ days: 2 }).toISODate()! }, end: { date: tomorrow.plus({ days: 4 }).toISODate()! } });
  await sync.runAll();
  expect(await store.getBooking({ tid: TID, oid: 'anna' }, 'google:priv')).toMatchObject({ sensitivity: 'private', rest: null, location: null, body: null });
  expect(await stateAt('1021', at('12:30'))).toBeNull();
  const allDay = await store.getBooking({ tid: TID, oid: 'anna' }, 'google:allday');
  expect(allDay).toMatchObject({ isAllDay: true, start: at('00:00', 2), end: at('00:00', 4) });
});

test('a recurring event with one moved instance: each instance diverts at its own time, the moved one where it went', async () => {
  const ids = google.putSeries(`anna@${DOMAIN}`, { id: 'series1', summary: 'NP/M: Möte', start: DateTime.fromMillis(at('09:00')).toISO()!, end: DateTime.fromMillis(at('10:00')).toISO()!, count: 3, everyDays: 1 });
  expect(ids).toHaveLength(3);
  google.put(`anna@${DOMAIN}`, { id: ids[1]!, summary: 'NP/M: Möte', recurringEventId: 'series1', start: dt('15:00', 1), end: dt('16:00', 1) });
  await sync.runAll();
  expect(await stateAt('1021', at('09:30'))).toMatchObject({ key: 'M' });
  expect(await stateAt('1021', at('09:30', 1))).toBeNull();
  expect(await stateAt('1021', at('15:30', 1))).toMatchObject({ key: 'M' });
  expect(await stateAt('1021', at('09:30', 2))).toMatchObject({ key: 'M' });
});

test('410: the sync token expired, the round starts over and removes what Google no longer has', async () => {
  google.put(`anna@${DOMAIN}`, lunch('e1'));
  google.put(`anna@${DOMAIN}`, lunch('e2', { start: dt('14:00'), end: dt('15:00') }));
  await sync.runAll();
  google.invalidateSyncTokens(`anna@${DOMAIN}`);
  // Gone without a tombstone the client could see (the fake's cancel is visible only to a sync token).
  google.cancel(`anna@${DOMAIN}`, 'e2');
  const [r] = await sync.runAll();
  expect(r).toMatchObject({ ok: true, full: true, stored: 1, removed: 1 });
  expect(google.requests.filter((q) => q.path.endsWith('/events')).map((q) => q.status)).toEqual([200, 410, 200]);
  expect(await store.getBooking({ tid: TID, oid: 'anna' }, 'google:e2')).toBeNull();
  expect(await stateAt('1021', at('12:30'))).toMatchObject({ key: 'L' });
});

test('throttling: 403 rateLimitExceeded and 429 are waited out with growing waits (Retry-After when given), then the round succeeds', async () => {
  google.put(`anna@${DOMAIN}`, lunch('e1'));
  google.failNext(`anna@${DOMAIN}`, 2, 403);
  google.failNext(`anna@${DOMAIN}`, 1, 429, 7);
  const [r] = await sync.runAll();
  expect(r).toMatchObject({ ok: true, stored: 1 });
  expect(sleeps).toEqual([1000, 2000, 7000]);
});

test('two users, one failing for good: the other is synced, the failure is recorded for that user only', async () => {
  await link('erik', '1022', `erik@${DOMAIN}`);
  await link('olle', '1023', 'olle@annan.example');
  google.put(`anna@${DOMAIN}`, lunch('e1'));
  google.put(`erik@${DOMAIN}`, lunch('e2'));
  google.failNext(`erik@${DOMAIN}`, 10, 500);
  const results = await sync.runAll();
  // Olle's address is not in the domain: not read at all.
  expect(results.map((x) => [x.oid, x.ok]).sort()).toEqual([['anna', true], ['erik', false]]);
  expect(results.find((x) => x.oid === 'erik')?.error).toBe('HTTP 500 backendError');
  expect(await stateAt('1021', at('12:30'))).toMatchObject({ key: 'L' });
  expect(await stateAt('1022', at('12:30'))).toBeNull();
  expect(await store.getGoogleSync({ tid: TID, oid: 'erik' })).toMatchObject({ lastError: 'HTTP 500 backendError', syncToken: null });
  expect(google.requests.some((q) => q.user === 'olle@annan.example')).toBe(false);
});

test('Outlook and Google side by side: a full Google round never removes a booking the add-in pushed', async () => {
  const r = await injector(app)('user.anna', 'PUT', '/api/v1/me/bookings/AAMkOutlook1', { subject: 'NP/M: Möte', start: new Date(at('08:00')).toISOString(), end: new Date(at('09:00')).toISOString() });
  expect(r.statusCode).toBe(200);
  google.put(`anna@${DOMAIN}`, lunch('e1'));
  await sync.runAll();
  expect(await store.getBooking({ tid: TID, oid: 'anna' }, 'AAMkOutlook1')).not.toBeNull();
  expect(await stateAt('1021', at('08:30'))).toMatchObject({ key: 'M' });
  expect(await stateAt('1021', at('12:30'))).toMatchObject({ key: 'L' });
});

test('the admin view lists the users read from Google; Synka om starts that user over with a full round', async () => {
  google.put(`anna@${DOMAIN}`, lunch('e1'));
  await sync.runAll();
  const as = injector(app);
  const r = await as('admin.boss', 'GET', '/api/v1/admin/calendar');
  expect(r.statusCode).toBe(200);
  const body = JSON.parse(r.body) as { enabled: boolean; google: { enabled: boolean; notifications: boolean; users: { oid: string; email: string; extension: string; lastError: null; channelActive: boolean; lastSuccessAt: string }[] } };
  expect(body.enabled).toBe(false);
  expect(body.google).toMatchObject({ enabled: true, notifications: false, users: [{ oid: 'anna', email: `anna@${DOMAIN}`, extension: '1021', lastError: null, channelActive: false }] });
  expect(Date.parse(body.google.users[0]!.lastSuccessAt)).toBeGreaterThan(Date.now() - 60_000);
  expect((await as('user.anna', 'GET', '/api/v1/admin/calendar')).statusCode).toBe(403);

  const full = sync.counts.full;
  expect((await as('admin.boss', 'POST', '/api/v1/admin/calendar/anna/resync')).statusCode).toBe(202);
  await sync.idle();
  expect(sync.counts.full).toBe(full + 1);
  expect((await as('admin.boss', 'POST', '/api/v1/admin/calendar/nobody/resync')).statusCode).toBe(404);
});

test("the console's Koppla with an e-mail address: that user is read from Google; a malformed address is a 400", async () => {
  const as = injector(app);
  expect((await as('admin.boss', 'PUT', '/api/v1/admin/users/google-eva', { extension: '1041', mail: 'Eva@Skola.Example' })).statusCode).toBe(200);
  expect((await store.getUser({ tid: TID, oid: 'google-eva' }))?.mail).toBe('eva@skola.example');
  google.put(`eva@${DOMAIN}`, lunch('e9'));
  const results = await sync.runAll();
  expect(results.find((r) => r.oid === 'google-eva')).toMatchObject({ ok: true, stored: 1 });
  expect(await stateAt('1041', at('12:30'))).toMatchObject({ key: 'L' });
  const bad = await as('admin.boss', 'PUT', '/api/v1/admin/users/google-eva', { extension: '1041', mail: 'not an address' });
  expect(bad.statusCode).toBe(400);
  expect(bad.body).toMatch(/mail/);
});

describe('push channels (GOOGLE_NOTIFICATION_URL)', () => {
  let url: string;
  beforeEach(async () => {
    // The endpoint must listen, for the fake to post to it; its port is picked before the config is read.
    await app.close();
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    url = `http://127.0.0.1:${port}`;
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-google-')), LOG_LEVEL: 'silent', GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: DOMAIN, GOOGLE_API_URL: google.url, GOOGLE_TOKEN_URL: google.tokenUrl, GOOGLE_NOTIFICATION_URL: `${url}/api/v1/google/notifications` });
    app = await buildApp({ config, store, verifier: new FakeVerifier(), logger: false, connector: new JournalConnector(store, () => Date.now()), google: { sleep: async (ms) => void sleeps.push(ms), coalesceMs: 0 } });
    await app.listen({ port, host: '127.0.0.1' });
    sync = app.google as GoogleCalendarSync;
  });

  const push = (headers: Record<string, string>) => fetch(`${url}/api/v1/google/notifications`, { method: 'POST', headers });

  test('each user gets a channel with a secret token; a change posted by Google is synced within seconds', async () => {
    await sync.runAll();
    expect(google.channels).toHaveLength(1);
    const row = await store.getGoogleSync({ tid: TID, oid: 'anna' });
    expect(row).toMatchObject({ channelId: google.channels[0]!.id, channelResourceId: google.channels[0]!.resourceId, channelExpiresAt: google.channels[0]!.expiration });
    expect(row?.channelToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const t0 = Date.now();
    google.put(`anna@${DOMAIN}`, lunch('e1'));
    for (let i = 0; i < 100 && !(await stateAt('1021', at('12:30'))); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await stateAt('1021', at('12:30'))).toMatchObject({ key: 'L' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The next round reuses the channel.
    await sync.runAll();
    expect(google.channels).toHaveLength(1);
  });

  test('a message with another token is refused (403), an unknown channel is 404, a sync message starts no round', async () => {
    await sync.runAll();
    const c = google.channels[0]!;
    expect((await push({ 'X-Goog-Channel-ID': c.id, 'X-Goog-Channel-Token': 'guessed', 'X-Goog-Resource-State': 'exists' })).status).toBe(403);
    expect((await push({ 'X-Goog-Channel-ID': c.id, 'X-Goog-Resource-State': 'exists' })).status).toBe(403);
    expect((await push({ 'X-Goog-Channel-ID': 'no-such-channel', 'X-Goog-Channel-Token': c.token!, 'X-Goog-Resource-State': 'exists' })).status).toBe(404);
    expect((await push({ 'X-Goog-Channel-Token': c.token! })).status).toBe(400);
    const rounds = sync.counts.rounds;
    expect((await push({ 'X-Goog-Channel-ID': c.id, 'X-Goog-Channel-Token': c.token!, 'X-Goog-Resource-State': 'sync' })).status).toBe(204);
    await sync.idle();
    expect(sync.counts.rounds).toBe(rounds);
    expect((await push({ 'X-Goog-Channel-ID': c.id, 'X-Goog-Channel-Token': c.token!, 'X-Goog-Resource-State': 'exists' })).status).toBe(204);
    await sync.idle();
    expect(sync.counts.rounds).toBe(rounds + 1);
  });

  test('a channel ending within a day is replaced by a new one, and the old one stopped', async () => {
    await sync.runAll();
    const old = google.channels[0]!;
    await store.patchGoogleSync({ tid: TID, oid: 'anna' }, { channelExpiresAt: Date.now() + 3_600_000 }, Date.now());
    await sync.runAll();
    expect(google.channels.map((c) => c.id)).toEqual([expect.not.stringMatching(old.id)]);
    expect((await store.getGoogleSync({ tid: TID, oid: 'anna' }))?.channelId).toBe(google.channels[0]!.id);
    expect(google.requests.filter((q) => q.path === '/calendar/v3/channels/stop').map((q) => q.status)).toEqual([204]);
  });
});
