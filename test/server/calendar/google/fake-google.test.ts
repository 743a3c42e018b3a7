/**
 * The fake Google Calendar API (test/helpers/fake-google.ts) driven by the real client libraries as
 * the product uses them: google-auth-library's JWT (a service account impersonating a user) with its
 * token request pointed at the fake, and @googleapis/calendar with rootUrl at the fake.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calendar_v3 } from '@googleapis/calendar';
import { gaxios, JWT } from 'google-auth-library';
import { type FakeGoogle, type FakeGoogleEvent, startFakeGoogle } from '../../../helpers/fake-google';

const clientEmail = 'kalenderkoppling@project.iam.gserviceaccount.com';
const EVENTS_READONLY = 'https://www.googleapis.com/auth/calendar.events.readonly';
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const key = keyPair();
const timeMin = '2026-03-02T00:00:00Z';
const timeMax = '2026-03-09T00:00:00Z';

let fake: FakeGoogle;
/** Push messages the receiver got, and a wait for the n-th. */
const received: IncomingHttpHeaders[] = [];
let arrived: () => void = () => undefined;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received.push(req.headers);
    res.end();
    arrived();
  });
});
function messages(n: number): Promise<void> {
  return new Promise((resolve) => {
    arrived = () => received.length >= n && resolve();
    arrived();
  });
}

beforeAll(async () => {
  fake = await startFakeGoogle({ clientEmail, publicKeyPem: key.publicKey, domain: 'skola.example' });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await fake.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

/**
 * The product's recipe: a JWT for the user, its token request redirected by an interceptor, the API at rootUrl.
 * One addition for Jest: gaxios 7 outside a browser loads node-fetch 3 with a dynamic import(), which Jest 29
 * refuses without --experimental-vm-modules ("A dynamic import callback was invoked..."), so the transporter
 * is given Node's own fetch. The interceptor sees the prepared options, whose url is a URL object.
 */
function client(subject: string, opts: { privateKey?: string; scopes?: string[] } = {}) {
  const jwt = new JWT({ email: clientEmail, key: opts.privateKey ?? key.privateKey, scopes: opts.scopes ?? [EVENTS_READONLY], subject, transporterOptions: { fetchImplementation: fetch } });
  jwt.transporter.interceptors.request.add({
    resolved: async (o) => {
      if (String(o.url) === 'https://oauth2.googleapis.com/token') o.url = new URL(fake.tokenUrl);
      return o;
    },
  });
  return { jwt, cal: new calendar_v3.Calendar({ auth: jwt, rootUrl: fake.url }) };
}

/** The error a call rejects with: a GaxiosError, whose `status` is the HTTP status (and `code` too for Google's JSON errors). */
async function rejection(p: Promise<unknown>): Promise<gaxios.GaxiosError> {
  try {
    await p;
  } catch (err) {
    expect(err).toHaveProperty('status', expect.any(Number));
    return err as gaxios.GaxiosError;
  }
  throw new Error('expected the call to fail');
}
const reasons = (err: gaxios.GaxiosError) => (err.response?.data as { error: { errors: { domain: string; reason: string }[] } }).error.errors;
const timed = (id: string, start: string, end: string, more: Partial<FakeGoogleEvent> = {}): FakeGoogleEvent => ({ id, summary: id, start: { dateTime: start }, end: { dateTime: end }, ...more });
const ids = (r: { data: calendar_v3.Schema$Events }) => r.data.items?.map((e) => e.id);
/** What `f` gave, and the requests the fake received while it ran. */
async function during<T>(f: () => Promise<T>): Promise<[T, FakeGoogle['requests']]> {
  const from = fake.requests.length;
  const result = await f();
  return [result, fake.requests.slice(from)];
}

test('a token for the impersonated user and a calendar read scope; the API needs it', async () => {
  fake.put('anna@skola.example', timed('a1', '2026-03-02T08:00:00Z', '2026-03-02T09:00:00Z'));
  const { jwt, cal } = client('Anna@skola.example');
  const [res, seen] = await during(() => cal.events.list({ calendarId: 'primary', singleEvents: true, timeMin, timeMax }, { retry: false }));
  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ kind: 'calendar#events', summary: 'anna@skola.example', timeZone: 'Europe/Stockholm' });
  expect(res.data.items).toEqual([expect.objectContaining({ id: 'a1', status: 'confirmed', summary: 'a1', start: { dateTime: '2026-03-02T08:00:00Z' } })]);
  expect(jwt.credentials.access_token).toMatch(/^ya29\.fake-/);
  expect(seen).toEqual([
    { method: 'POST', path: '/token', user: null, query: {}, status: 200 },
    { method: 'GET', path: '/calendar/v3/calendars/primary/events', user: 'anna@skola.example', query: { singleEvents: 'true', timeMin, timeMax }, status: 200 },
  ]);

  // The token is cached; the user's own address is her primary calendar; another's is not hers.
  const again = await cal.events.list({ calendarId: 'anna@skola.example', singleEvents: true, timeMin, timeMax }, { retry: false });
  expect(ids(again)).toEqual(['a1']);
  expect(fake.tokensIssued.get('anna@skola.example')).toBe(1);
  const other = await rejection(cal.events.list({ calendarId: 'bertil@skola.example', singleEvents: true }, { retry: false }));
  expect([other.status, reasons(other)[0]?.reason]).toEqual([404, 'notFound']);

  // The other read scope does too; a scope that cannot read calendars does not.
  const readonly = client('anna@skola.example', { scopes: ['https://www.googleapis.com/auth/calendar.readonly'] });
  expect((await readonly.cal.events.list({ calendarId: 'primary', singleEvents: true }, { retry: false })).status).toBe(200);
  expect(fake.tokensIssued.get('anna@skola.example')).toBe(2);
  const drive = await rejection(client('anna@skola.example', { scopes: ['https://www.googleapis.com/auth/drive.readonly'] }).cal.events.list({ calendarId: 'primary', singleEvents: true }, { retry: false }));
  expect(drive.status).toBe(400);
  expect(drive.message).toMatch(/^invalid_grant: Invalid JWT: scope names no calendar read scope/);

  // Without a token: Google's 401. (Without an auth client the request goes through googleapis-common's own
  // gaxios, a different copy: its errors are not `instanceof` google-auth-library's gaxios.GaxiosError.)
  const anonymous = await rejection(new calendar_v3.Calendar({ rootUrl: fake.url, fetchImplementation: fetch }).events.list({ calendarId: 'primary', singleEvents: true }, { retry: false }));
  expect([anonymous.status, anonymous.message, reasons(anonymous)]).toEqual([401, 'Invalid Credentials', [{ domain: 'global', reason: 'authError', message: 'Invalid Credentials' }]]);
});

test('an assertion signed with another key, or for a user outside the domain, is refused at /token', async () => {
  const wrongKey = client('anna@skola.example', { privateKey: keyPair().privateKey });
  const [err, seen] = await during(() => rejection(wrongKey.cal.events.list({ calendarId: 'primary', singleEvents: true }, { retry: false })));
  expect([err.status, err.code, err.message]).toEqual([401, 401, 'unauthorized_client: Invalid JWT Signature.']);
  expect(err.response?.data).toEqual({ error: 'unauthorized_client', error_description: 'Invalid JWT Signature.' });
  // The library retries a token request only on 408, 429 and 5xx: one request, and no API call.
  expect(seen.map((r) => [r.path, r.status])).toEqual([['/token', 401]]);

  const outsider = await rejection(client('eve@elsewhere.example').cal.events.list({ calendarId: 'primary', singleEvents: true }, { retry: false }));
  expect([outsider.status, outsider.message]).toEqual([400, 'invalid_grant: Invalid email or User ID']);
  expect(fake.tokensIssued.has('eve@elsewhere.example')).toBe(false);
});

test('paging: nextPageToken on every page but the last, which has nextSyncToken; the window and showDeleted', async () => {
  const user = 'bertil@skola.example';
  fake.put(user, timed('b1', '2026-03-02T07:00:00Z', '2026-03-02T08:00:00Z'));
  fake.put(user, { id: 'b2', summary: 'all day', start: { date: '2026-03-03' }, end: { date: '2026-03-04' } });
  fake.put(user, timed('b3', '2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z'));
  fake.put(user, timed('b4', '2026-03-01T23:30:00Z', '2026-03-02T00:30:00Z'));
  fake.put(user, timed('b5', '2026-03-08T23:00:00+01:00', '2026-03-09T01:00:00+01:00'));
  fake.put(user, timed('ends-at-min', '2026-03-01T23:00:00Z', '2026-03-02T00:00:00Z'));
  fake.put(user, timed('starts-at-max', '2026-03-09T00:00:00Z', '2026-03-09T01:00:00Z'));
  fake.put(user, timed('gone', '2026-03-05T10:00:00Z', '2026-03-05T11:00:00Z'));
  fake.cancel(user, 'gone');
  const { cal } = client(user);
  const query = { calendarId: 'primary', singleEvents: true, timeMin, timeMax, maxResults: 2 };

  const pages: calendar_v3.Schema$Events[] = [];
  let pageToken: string | undefined;
  do {
    const res = await cal.events.list({ ...query, pageToken }, { retry: false });
    pages.push(res.data);
    pageToken = res.data.nextPageToken ?? undefined;
  } while (pageToken);
  expect(pages.map((p) => p.items?.map((e) => e.id))).toEqual([['b4', 'b1'], ['b2', 'b3'], ['b5']]);
  expect(pages.map((p) => [typeof p.nextPageToken, typeof p.nextSyncToken])).toEqual([['string', 'undefined'], ['string', 'undefined'], ['undefined', 'string']]);
  expect(pages[1]?.items?.[0]).toMatchObject({ start: { date: '2026-03-03' }, end: { date: '2026-03-04' } });

  // A page token belongs to its query; showDeleted=true adds the cancelled event as a tombstone.
  const first = await cal.events.list(query, { retry: false });
  const foreign = await rejection(cal.events.list({ ...query, timeMin: '2026-03-03T00:00:00Z', pageToken: first.data.nextPageToken! }, { retry: false }));
  expect([foreign.status, reasons(foreign)[0]?.reason]).toEqual([400, 'invalid']);
  const withDeleted = await cal.events.list({ ...query, maxResults: 10, showDeleted: true }, { retry: false });
  expect(ids(withDeleted)).toEqual(['b4', 'b1', 'b2', 'b3', 'gone', 'b5']);
  expect(withDeleted.data.items?.[4]).toEqual({ kind: 'calendar#event', etag: expect.any(String), id: 'gone', status: 'cancelled', updated: expect.any(String) });
});

test('a sync token returns only what changed since, cancelled events as tombstones, whatever their time', async () => {
  const user = 'cecilia@skola.example';
  for (const id of ['c1', 'c2', 'c3']) fake.put(user, timed(id, '2026-03-03T08:00:00Z', '2026-03-03T09:00:00Z'));
  const { cal } = client(user);
  const full = await cal.events.list({ calendarId: 'primary', singleEvents: true, timeMin, timeMax }, { retry: false });
  expect(ids(full)).toEqual(['c1', 'c2', 'c3']);
  const before = full.data.items![1]!.updated!;

  fake.put(user, timed('c2', '2026-03-03T10:00:00Z', '2026-03-03T11:00:00Z', { summary: 'moved' }));
  fake.cancel(user, 'c3');
  fake.put(user, timed('next-year', '2027-01-10T08:00:00Z', '2027-01-10T09:00:00Z'));
  const delta = await cal.events.list({ calendarId: 'primary', singleEvents: true, syncToken: full.data.nextSyncToken! }, { retry: false });
  expect(ids(delta)).toEqual(['c3', 'c2', 'next-year']);
  const [c3, c2] = delta.data.items!;
  expect(c2).toMatchObject({ id: 'c2', summary: 'moved', status: 'confirmed' });
  expect(Date.parse(c2!.updated!)).toBeGreaterThan(Date.parse(before));
  expect(c2!.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(c3).toEqual({ kind: 'calendar#event', etag: expect.any(String), id: 'c3', status: 'cancelled', updated: expect.any(String) });
  expect(delta.data.nextSyncToken).toEqual(expect.any(String));
  expect(delta.data.nextSyncToken).not.toBe(full.data.nextSyncToken);

  const quiet = await cal.events.list({ calendarId: 'primary', singleEvents: true, syncToken: delta.data.nextSyncToken! }, { retry: false });
  expect([quiet.data.items, typeof quiet.data.nextSyncToken]).toEqual([[], 'string']);
  // As Google: a sync token cannot be combined with a time window.
  const mixed = await rejection(cal.events.list({ calendarId: 'primary', singleEvents: true, timeMin, syncToken: delta.data.nextSyncToken! }, { retry: false }));
  expect([mixed.status, reasons(mixed)[0]?.reason]).toEqual([400, 'invalid']);
});

test('after invalidateSyncTokens a sync token gets 410 fullSyncRequired; a new full sync gets a working one', async () => {
  const user = 'cecilia@skola.example';
  const { cal } = client(user);
  const full = await cal.events.list({ calendarId: 'primary', singleEvents: true, timeMin, timeMax }, { retry: false });
  fake.invalidateSyncTokens(user);
  const gone = await rejection(cal.events.list({ calendarId: 'primary', singleEvents: true, syncToken: full.data.nextSyncToken! }, { retry: false }));
  expect([gone.status, gone.code, gone.message]).toEqual([410, 410, 'Sync token is no longer valid, a full sync is required.']);
  expect(reasons(gone)).toEqual([{ domain: 'global', reason: 'fullSyncRequired', message: 'Sync token is no longer valid, a full sync is required.' }]);

  const again = await cal.events.list({ calendarId: 'primary', singleEvents: true, timeMin, timeMax }, { retry: false });
  const delta = await cal.events.list({ calendarId: 'primary', singleEvents: true, syncToken: again.data.nextSyncToken! }, { retry: false });
  expect(delta.data.items).toEqual([]);
});

test('failNext: 403 and 429 rateLimitExceeded (Retry-After visible), not retried with retry: false; the library retries a 500 by itself', async () => {
  const user = 'david@skola.example';
  const { cal } = client(user);
  const list = (opts: { retry?: boolean } = { retry: false }) => cal.events.list({ calendarId: 'primary', singleEvents: true }, opts);
  await list();

  fake.failNext(user, 1, 403);
  const forbidden = await rejection(list());
  expect(forbidden).toBeInstanceOf(gaxios.GaxiosError);
  expect([forbidden.status, forbidden.code, forbidden.message]).toEqual([403, 403, 'Rate Limit Exceeded']);
  expect(reasons(forbidden)).toEqual([{ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }]);
  // A 403 does not make the JWT client fetch a new token and try again.
  expect(fake.tokensIssued.get(user)).toBe(1);

  fake.failNext(user, 1, 429, 7);
  const [throttled, seen] = await during(() => rejection(list()));
  expect([throttled.status, throttled.code, throttled.response?.headers.get('retry-after')]).toEqual([429, 429, '7']);
  expect(reasons(throttled)).toEqual([{ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }]);
  expect(seen.map((r) => r.status)).toEqual([429]);

  // Without retry: false the client retries 429 and 5xx GETs (3 times, from 100 ms), ignoring Retry-After.
  fake.failNext(user, 1, 500, 30);
  const started = Date.now();
  const [res, retried] = await during(() => list({}));
  expect(res.status).toBe(200);
  expect(retried.map((r) => [r.user, r.status])).toEqual([[user, 500], [user, 200]]);
  expect(Date.now() - started).toBeLessThan(5_000);
});

test('putSeries: instances with ids of their original start, recurringEventId and originalStartTime; a shorter series cancels the rest', async () => {
  const user = 'erik@skola.example';
  const instanceIds = fake.putSeries(user, { id: 'weekly', summary: 'Lektion', start: '2026-03-02T08:00:00Z', end: '2026-03-02T09:30:00Z', count: 3, everyDays: 7, location: 'Sal 3' });
  expect(instanceIds).toEqual(['weekly_20260302T080000Z', 'weekly_20260309T080000Z', 'weekly_20260316T080000Z']);
  const { cal } = client(user);
  const month = { calendarId: 'primary', singleEvents: true, timeMin: '2026-03-01T00:00:00Z', timeMax: '2026-04-01T00:00:00Z' };
  const res = await cal.events.list(month, { retry: false });
  expect(ids(res)).toEqual(instanceIds);
  expect(res.data.items?.[1]).toMatchObject({
    id: 'weekly_20260309T080000Z',
    summary: 'Lektion',
    location: 'Sal 3',
    status: 'confirmed',
    recurringEventId: 'weekly',
    start: { dateTime: '2026-03-09T08:00:00Z', timeZone: 'UTC' },
    end: { dateTime: '2026-03-09T09:30:00Z', timeZone: 'UTC' },
    originalStartTime: { dateTime: '2026-03-09T08:00:00Z', timeZone: 'UTC' },
  });

  fake.putSeries(user, { id: 'weekly', summary: 'Lektion', start: '2026-03-02T08:00:00Z', end: '2026-03-02T09:30:00Z', count: 2, everyDays: 7 });
  const delta = await cal.events.list({ calendarId: 'primary', singleEvents: true, syncToken: res.data.nextSyncToken! }, { retry: false });
  expect(delta.data.items?.map((e) => [e.id, e.status])).toEqual([['weekly_20260302T080000Z', 'confirmed'], ['weekly_20260309T080000Z', 'confirmed'], ['weekly_20260316T080000Z', 'cancelled']]);
  expect(delta.data.items?.[2]).toMatchObject({ recurringEventId: 'weekly', originalStartTime: { dateTime: '2026-03-16T08:00:00Z' } });
});

test('watch: a sync message, then an exists message per change with the channel id and token; channels.stop removes the channel', async () => {
  const user = 'fredrik@skola.example';
  const { cal } = client(user);
  const address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/google/notify`;
  const watched = await cal.events.watch({ calendarId: 'primary', requestBody: { id: 'chan-1', type: 'web_hook', address, token: 'secret-1' } }, { retry: false });
  const { resourceId, expiration } = watched.data;
  expect(watched.data).toEqual({ kind: 'api#channel', id: 'chan-1', resourceId: expect.any(String), resourceUri: `${fake.url}calendar/v3/calendars/primary/events?alt=json`, token: 'secret-1', expiration: expect.stringMatching(/^\d+$/) });
  expect(Math.abs(Number(expiration) - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
  expect(fake.channels).toMatchObject([{ id: 'chan-1', resourceId, user, address, token: 'secret-1', expiration: Number(expiration) }]);

  await messages(1);
  const expected = { 'x-goog-channel-id': 'chan-1', 'x-goog-channel-token': 'secret-1', 'x-goog-resource-id': resourceId, 'x-goog-resource-uri': watched.data.resourceUri, 'x-goog-channel-expiration': new Date(Number(expiration)).toUTCString() };
  expect(received[0]).toMatchObject({ ...expected, 'x-goog-resource-state': 'sync', 'x-goog-message-number': '1', 'content-length': '0' });

  // Another user's change sends nothing to this channel; this user's does.
  fake.put('anna@skola.example', timed('elsewhere', '2026-03-04T08:00:00Z', '2026-03-04T09:00:00Z'));
  fake.put(user, timed('f1', '2026-03-04T08:00:00Z', '2026-03-04T09:00:00Z'));
  await messages(2);
  expect(received[1]).toMatchObject({ ...expected, 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' });

  // Expiration is capped at 30 days; a duplicate channel id is refused.
  const capped = await cal.events.watch({ calendarId: 'primary', requestBody: { id: 'chan-2', type: 'web_hook', address, expiration: String(Date.now() + 60 * 86_400_000) } }, { retry: false });
  expect(Math.abs(Number(capped.data.expiration) - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
  await messages(3);
  expect(received[2]).toMatchObject({ 'x-goog-channel-id': 'chan-2', 'x-goog-resource-state': 'sync', 'x-goog-resource-id': resourceId });
  expect(received[2]).not.toHaveProperty('x-goog-channel-token');
  const duplicate = await rejection(cal.events.watch({ calendarId: 'primary', requestBody: { id: 'chan-1', type: 'web_hook', address } }, { retry: false }));
  expect([duplicate.status, reasons(duplicate)[0]?.reason]).toEqual([400, 'channelIdNotUnique']);

  const stopped = await cal.channels.stop({ requestBody: { id: 'chan-1', resourceId } }, { retry: false });
  expect(stopped.status).toBe(204);
  expect(fake.channels.map((c) => c.id)).toEqual(['chan-2']);
  const unknown = await rejection(cal.channels.stop({ requestBody: { id: 'chan-1', resourceId } }, { retry: false }));
  expect([unknown.status, reasons(unknown)[0]?.reason]).toEqual([404, 'notFound']);
  await cal.channels.stop({ requestBody: { id: 'chan-2', resourceId } }, { retry: false });

  // With no channel open a change sends nothing.
  fake.put(user, timed('f2', '2026-03-05T08:00:00Z', '2026-03-05T09:00:00Z'));
  await new Promise((r) => setTimeout(r, 150));
  expect(received).toHaveLength(3);
});
