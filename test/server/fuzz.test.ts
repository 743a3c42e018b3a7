/** Random JSON to every route never gives a 5xx, and never loses what was stored (issue 3). */
import fc from 'fast-check';
import { link, type TestServer, testServer } from '../helpers/server';

const ROUTES: [string, string][] = [
  ['GET', '/api/v1/me'],
  ['GET', '/api/v1/me/settings'],
  ['PUT', '/api/v1/me/settings'],
  ['GET', '/api/v1/me/profile'],
  ['PUT', '/api/v1/me/profile'],
  ['GET', '/api/v1/me/quick'],
  ['PUT', '/api/v1/me/quick'],
  ['POST', '/api/v1/me/quick/{n}/activate'],
  ['GET', '/api/v1/catalog'],
  ['POST', '/api/v1/preview'],
  ['PUT', '/api/v1/me/bookings/{id}'],
  ['DELETE', '/api/v1/me/bookings/{id}'],
  ['GET', '/api/v1/me/activities?from={s}&to={s}'],
  ['POST', '/api/v1/me/activities'],
  ['DELETE', '/api/v1/me/activities/{id}'],
  ['GET', '/api/v1/me/state'],
  ['GET', '/api/v1/status/{id}'],
  ['GET', '/api/v1/admin/users'],
  ['PUT', '/api/v1/admin/users/{id}'],
  ['DELETE', '/api/v1/admin/users/{id}'],
  ['GET', '/api/v1/admin/org'],
  ['PUT', '/api/v1/admin/org'],
];

let s: TestServer;
const KEEP = { subject: 'NP/L:', start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z', lastModified: '2026-11-24T09:00:00Z' };
beforeAll(async () => {
  s = await testServer({ RATE_LIMIT_PER_MINUTE: '1000000' });
  await link(s, 'anna', '1021');
  await link(s, 'boss', '1000');
  // A bystander whose data the random requests never address: it must come through untouched.
  await link(s, 'bystander-7f3a', '1099');
  const keep = await s.as('user.bystander-7f3a').put('/api/v1/me/bookings/keep', KEEP);
  expect(keep.statusCode).toBe(200);
});
afterAll(() => s.close());

// Values shaped like the API's inputs, mixed with arbitrary JSON.
const near = fc.oneof(
  fc.constantFrom('NP/L: x', 'L', 'forward', 'sj', '2026-11-24T11:00:00Z', '2026-02-30T25:00:00Z', '', 'number', 'spoken', 'none', '0701234567', 'everyDay'),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const shaped = fc.dictionary(
  fc.constantFrom('key', 'start', 'end', 'from', 'to', 'subject', 'forwarding', 'mode', 'number', 'recurrence', 'repeat', 'until', 'lunch', 'forward', 'enabled', 'defaultCode', 'messageFields', 'include', 'catalog', 'extension', 'length', 'minutes', 'sensitivity', 'showAs', 'lastModified', 'weeks', 'timeZone', 'extraDaysOff', 'text'),
  fc.oneof(near, fc.dictionary(fc.string({ maxLength: 12 }), near, { maxKeys: 4 }), fc.array(near, { maxLength: 4 })),
  { maxKeys: 8 },
);
const body = fc.oneof(shaped, fc.json().map((j) => JSON.parse(j) as unknown), fc.array(shaped, { maxLength: 10 }));
const segment = fc.oneof(fc.constantFrom('0', '7', '9', 'keep', 'cal:keep', 'rec:x:1', '1021', '%00', '..', 'a'.repeat(700)), fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent));

test('no route answers 5xx to any input, and stored data survives', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES), body, segment, fc.constantFrom('user.anna', 'admin.boss', 'user.nobody'), async ([method, path], b, seg, token) => {
      const url = path.replace(/\{(n|id|s)\}/g, seg);
      const r = await s.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(b),
      });
      if (r.statusCode >= 500) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
      if (r.statusCode >= 400) expect(r.headers['content-type']).toMatch(/problem\+json/);
    }),
    { numRuns: 3000 },
  );
  const row = await s.store.getBooking({ tid: '11111111-1111-1111-1111-111111111111', oid: 'bystander-7f3a' }, 'keep');
  expect(row).toMatchObject({ prefix: 'NP/L:', start: Date.parse(KEEP.start), end: Date.parse(KEEP.end), lastModified: Date.parse(KEEP.lastModified) });
  expect((await s.store.getUser({ tid: '11111111-1111-1111-1111-111111111111', oid: 'bystander-7f3a' }))?.extension).toBe('1099');
}, 300_000);

test('raw bodies that are not JSON are 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES.filter(([m]) => m !== 'GET' && m !== 'DELETE')), fc.string({ maxLength: 200 }), async ([method, path], raw) => {
      const r = await s.app.inject({ method: method as 'PUT', url: path.replace(/\{(n|id|s)\}/g, '0'), headers: { authorization: 'Bearer user.anna', 'content-type': 'application/json' }, payload: raw });
      expect(r.statusCode).toBeLessThan(500);
    }),
    { numRuns: 300 },
  );
}, 120_000);

// Issue 10: random spellings of the paths and random header shapes. Whatever arrives, the answer
// is never a 5xx, a 4xx is a problem document, and only a well-formed token of a known user
// gets data (a 2xx).
const encodeSome = (path: string, picks: number[]) =>
  path
    .split('')
    .map((c, i) => (picks.includes(i) && /[a-z0-9]/.test(c) ? `%${c.charCodeAt(0).toString(16)}` : c))
    .join('');
const pathShape = fc.tuple(fc.constantFrom(...ROUTES), segment, fc.array(fc.nat({ max: 40 }), { maxLength: 6 }), fc.constantFrom('', '/', '//', '/./', '/../', '%2F', '?a=1', ';x', '%00', '#f')).map(([[method, path], seg, picks, junk]) => {
  const url = encodeSome(path.replace(/\{(n|id|s)\}/g, seg), picks);
  const at = url.indexOf('/', 1 + (picks[0] ?? 0) % 8);
  return { method, url: at > 0 && junk !== '' && junk !== '#f' ? `${url.slice(0, at)}${junk}${url.slice(at + 1)}` : `${url}${junk === '#f' ? '' : junk}` };
});
const authorization = fc.oneof(
  fc.constantFrom('Bearer user.anna', 'Bearer admin.boss', 'Bearer user.nobody', 'bearer user.anna', 'Bearer  user.anna', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer user.anna, Bearer admin.boss', `Bearer ${'x'.repeat(9000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
  fc.string({ maxLength: 60 }).map((t) => `Bearer ${t}`),
  fc.string({ maxLength: 60 }),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/problem+json', '', 'application/json, text/plain');
const extraHeaders = fc.dictionary(
  fc.constantFrom('accept', 'x-forwarded-for', 'x-forwarded-host', 'x-original-url', 'x-rewrite-url', 'cookie', 'origin', 'accept-language', 'content-encoding', 'transfer-encoding'),
  fc.oneof(fc.constantFrom('gzip', 'chunked', '127.0.0.1', '/api/v1/admin/users', 'https://evil.example', '*/*', 'sv'), fc.string({ maxLength: 30 })),
  { maxKeys: 4 },
);

test('random path spellings and header shapes: never a 5xx, 4xx as problems, data only for a signed-in user', async () => {
  await fc.assert(
    fc.asyncProperty(pathShape, fc.option(authorization, { nil: undefined }), contentType, extraHeaders, body, async ({ method, url }, auth, type, extra, b) => {
      const headers: Record<string, string> = { ...extra, ...(type ? { 'content-type': type } : {}), ...(auth !== undefined ? { authorization: auth } : {}) };
      // Headers that light-my-request cannot send as given are not what this test is about.
      for (const [k, v] of Object.entries(headers)) if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(v)) delete headers[k];
      delete headers['transfer-encoding'];
      const r = await s.app.inject({ method: method as 'GET', url, headers, payload: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(b) });
      if (r.statusCode >= 500) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
      if (r.statusCode >= 400) expect(r.headers['content-type']).toMatch(/problem\+json/);
      if (r.statusCode < 300 && r.statusCode !== 204) {
        const signedIn = /^Bearer +(user\.(anna|nobody)|admin\.boss) *$/i.test(headers.authorization ?? '');
        if (!signedIn) throw new Error(`${method} ${url} answered ${r.statusCode} without a valid token (${headers.authorization})`);
      }
    }),
    { numRuns: 4000 },
  );
}, 300_000);
