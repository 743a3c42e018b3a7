/**
 * Issue 10: the endpoint against hostile requests, in-process. Sign-in by the matched route
 * (no URL spelling skips it), failed sign-ins limited per address, bounded JSON nesting, instants
 * in a sane window, no invisible characters in what colleagues and the switch get, the parser's
 * own errors and TRACE as problem documents.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildApp } from '../../src/server/app';
import { cachingVerifier, createDevVerifier, loadOrCreateDevKey, signDevToken } from '../../src/server/auth';
import { loadConfig } from '../../src/server/config';
import { openStore } from '../../src/server/store/open';
import { link, type TestServer, testServer, TID } from '../helpers/server';

const NOW = Date.parse('2026-11-24T10:00:00Z');
let s: TestServer;
beforeAll(async () => {
  s = await testServer({ RATE_LIMIT_PER_MINUTE: '1000000', SIGNIN_FAILURES_PER_MINUTE: '1000000' }, NOW, { journal: true });
  await link(s, 'anna', '1021');
  await link(s, 'boss', '1000');
  // Something to leak: a current lunch with a text colleagues see.
  expect((await s.as('user.anna').put('/api/v1/me/settings', { messageFields: { subject: true } })).statusCode).toBe(200);
  expect((await s.as('user.anna').put('/api/v1/me/bookings/b1', { subject: 'NP/L: hemlig text', start: '2026-11-24T09:30:00Z', end: '2026-11-24T11:00:00Z' })).statusCode).toBe(200);
});
afterAll(() => s.close());

/** Data-bearing routes of API v1 with sample parameters. */
const API_PATHS = ['/api/v1/status/1021', '/api/v1/catalog', '/api/v1/me', '/api/v1/me/state', '/api/v1/me/settings', '/api/v1/me/activities', '/api/v1/admin/users', '/api/v1/admin/org', '/api/v1/admin/switch'];

const hex = (c: string, upper: boolean) => {
  const h = c.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? h.toUpperCase() : h}`;
};

/** The ways an attacker spells a path so that a string test on the URL misses it. */
const spelling = fc.constantFrom(
  (p: string) => p.replace(/a/, (c) => hex(c, false)), // /%61pi/…
  (p: string) => p.replace(/[a-z]/g, (c) => hex(c, true)), // every letter encoded
  (p: string) => p.replace(/a/, (c) => `%25${hex(c, false).slice(1)}`), // double encoding
  (p: string) => p.toUpperCase(),
  (p: string) => p.replace(/^\/api/, '/Api'),
  (p: string) => `/${p}`, // //api/…
  (p: string) => p.replace('/v1/', '//v1/'),
  (p: string) => p.replace('/api/', '/api/./'),
  (p: string) => `/x/..${p}`,
  (p: string) => p.replace('/v1/', '/v1/x/../'),
  (p: string) => p.replace(/\//g, '%2F').replace(/^%2F/, '/'), // encoded slashes
  (p: string) => p.replace(/\//g, '%2f'),
  (p: string) => p.replace(/\//g, '\\'),
  (p: string) => `${p}/`,
  (p: string) => `${p}?x=1`,
  (p: string) => `${p};jsessionid=1`,
  (p: string) => `${p}%00`,
  (p: string) => `${p}%2e`,
  (p: string) => p.replace('/api', '/%2e/api'),
  (p: string) => p.replace('/api', '/%252e%252e/api'),
  (p: string) => p.replace(/i/, 'ı'), // dotless i
  (p: string) => p.replace(/a/, 'ａ'), // full-width a
);

describe('sign-in is decided by the matched route', () => {
  test('the reported bypasses: /%61pi/… without a token are 401, not data or 500', async () => {
    for (const url of ['/%61pi/v1/status/1021', '/%61pi/v1/catalog', '/%61pi/v1/me']) {
      const r = await s.app.inject({ url });
      expect([url, r.statusCode]).toEqual([url, 401]);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  test('with a token, an encoded spelling reaches the route like the plain one', async () => {
    const r = await s.as('user.anna').get('/%61pi/v1/me');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ oid: 'anna' });
  });

  test('no spelling of an API path answers with data or a 5xx without a token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...API_PATHS), spelling, fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE'), async (path, spell, method) => {
        const url = spell(path);
        const r = await s.app.inject({ method: method as 'GET', url, ...(method === 'PUT' || method === 'POST' ? { headers: { 'content-type': 'application/json' }, payload: '{}' } : {}) });
        if (r.statusCode < 400 || r.statusCode >= 500) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body.slice(0, 200)}`);
        expect(r.body).not.toContain('hemlig');
        expect(r.body).not.toContain('"extension"');
      }),
      { numRuns: 1500 },
    );
  }, 120_000);

  test('every route in the API document needs sign-in; the public ones are health, docs and the add-in files', async () => {
    const doc = (await s.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = path.replace(/\{[^}]+\}/g, '1021');
        const r = await s.app.inject({ method: method.toUpperCase() as 'GET', url, headers: { 'content-type': 'application/json' }, payload: method === 'get' || method === 'delete' ? undefined : '{}' });
        expect([method, url, r.statusCode]).toEqual([method, url, 401]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    for (const url of ['/healthz', '/readyz', '/docs/json', '/addin/config.json']) expect([url, (await s.app.inject({ url })).statusCode]).toEqual([url, 200]);
  });

  test('an unknown path is 404 and TRACE is 405, both as problem documents', async () => {
    const missing = await s.app.inject({ url: '/api/v1/nothing' });
    expect(missing.statusCode).toBe(404);
    const trace = await s.app.inject({ method: 'TRACE' as 'GET', url: '/api/v1/me' });
    expect(trace.statusCode).toBe(405);
    expect(trace.headers['content-type']).toMatch(/problem\+json/);
    expect(String(trace.headers.allow)).toContain('GET');
  });
});

test('a signed-in user not yet linked reads the catalog and colleague status, without operator-only text', async () => {
  expect((await s.as('admin.boss').put('/api/v1/admin/users/olle', { extension: '1030' })).statusCode).toBe(200);
  const made = await s.as('user.olle').post('/api/v1/me/activities', { key: 'M', from: '2026-11-24T09:00:00Z', to: '2026-11-24T12:00:00Z', text: 'bara för växeln', operatorOnly: true });
  expect(made.statusCode).toBe(201);
  expect((await s.as('user.stranger').get('/api/v1/catalog')).statusCode).toBe(200);
  const colleague = await s.as('user.stranger').get('/api/v1/status/1030');
  expect(colleague.statusCode).toBe(200);
  expect(colleague.json().status.sv.label).toBeTruthy();
  expect(colleague.body).not.toContain('bara för växeln');
  expect((await s.as('admin.boss').get('/api/v1/status/1030')).body).toContain('bara för växeln');
  // Their own data still needs a link.
  expect((await s.as('user.stranger').get('/api/v1/me/state')).statusCode).toBe(403);
});

describe('failed sign-ins are limited per client address', () => {
  test('2,000 bad tokens from one address: 20 × 401, then 429 with Retry-After; other addresses and known users carry on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kk-sec-'));
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SIGNIN_FAILURES_PER_MINUTE: '20' });
    const store = await openStore(':memory:');
    const key = await loadOrCreateDevKey(dataDir);
    const app = await buildApp({ config, store, verifier: cachingVerifier(createDevVerifier(key, { scope: config.auth.scope })), clock: () => NOW, logger: false });
    try {
      const good = await signDevToken(key, { user: 'anna', scope: config.auth.scope });
      const nat = '203.0.113.7';
      // A colleague behind the same address signed in a moment before the flood.
      expect((await app.inject({ url: '/api/v1/me', remoteAddress: nat, headers: { authorization: `Bearer ${good}` } })).statusCode).toBe(200);
      const bad = `${good.slice(0, -4)}AAAA`; // a bad signature
      const counts: Record<number, number> = {};
      let retryAfter: unknown;
      for (let i = 0; i < 2000; i++) {
        const r = await app.inject({ url: '/api/v1/me', remoteAddress: nat, headers: { authorization: `Bearer ${bad}` } });
        counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1;
        if (r.statusCode === 429) retryAfter = r.headers['retry-after'];
      }
      expect(counts).toEqual({ 401: 20, 429: 1980 });
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // The known user keeps working; another address is not affected.
      expect((await app.inject({ url: '/api/v1/me', remoteAddress: nat, headers: { authorization: `Bearer ${good}` } })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/me', remoteAddress: '198.51.100.1', headers: { authorization: `Bearer ${bad}` } })).statusCode).toBe(401);
    } finally {
      await app.close();
      await store.close();
    }
  }, 120_000);
});

describe('bodies', () => {
  test('an organisation document nested 5,000 deep is a 400 naming the limit, and the document is unchanged', async () => {
    const before = (await s.as('admin.boss').get('/api/v1/admin/org')).json();
    // Written out as text: JSON.stringify itself overflows the stack at this depth.
    const payload = `{"catalog":[{"key":"X1","label":${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}}]}`;
    const r = await s.app.inject({ method: 'PUT', url: '/api/v1/admin/org', headers: { authorization: 'Bearer admin.boss', 'content-type': 'application/json' }, payload });
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toMatch(/nested deeper than 32 levels/);
    expect((await s.as('admin.boss').get('/api/v1/admin/org')).json()).toEqual(before);
  });

  test('nesting within the limit reaches the schema, which refuses unknown fields of the organisation document', async () => {
    const r = await s.as('admin.boss').put('/api/v1/admin/org', { catalog: [{ key: 'X1', colour: 'red' }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toMatch(/colour is not a known field/);
    const label = await s.as('admin.boss').put('/api/v1/admin/org', { catalog: [{ key: 'X1', label: { sv: 'X', de: 'Y' } }] });
    expect(label.statusCode).toBe(400);
  });

  test('a booking with an unknown field is refused, as the API document says', async () => {
    const r = await s.as('user.anna').put('/api/v1/me/bookings/unknown-field', { subject: 'NP/L:', start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z', colour: 'red' });
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toMatch(/colour is not a known field/);
  });
});

describe('time values', () => {
  const booking = (over: Record<string, unknown>) => ({ subject: 'NP/L:', start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z', ...over });

  test('a lastModified more than five minutes ahead of the server clock is 400 naming the field; a little skew is fine', async () => {
    for (const lastModified of ['9999-12-31T23:59:59Z', new Date(NOW + 3_600_000).toISOString()]) {
      const r = await s.as('user.anna').put('/api/v1/me/bookings/future', booking({ lastModified }));
      expect([lastModified, r.statusCode, r.json().field]).toEqual([lastModified, 400, 'booking.lastModified']);
    }
    const skew = await s.as('user.anna').put('/api/v1/me/bookings/future', booking({ lastModified: new Date(NOW + 60_000).toISOString() }));
    expect(skew.statusCode).toBe(200);
    // A real update with a later, honest lastModified is not "stale".
    const later = await s.as('user.anna').put('/api/v1/me/bookings/future', booking({ lastModified: new Date(NOW + 120_000).toISOString(), subject: 'NP/M:' }));
    expect(later.json().outcome).toBe('updated');
  });

  test('instants outside 2000–2099 are 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ start: '1000-01-01T00:00:00Z' }, 'booking.start'],
      [{ end: '9999-12-31T23:59:59Z' }, 'booking.end'],
      [{ start: '1999-12-31T23:59:59Z' }, 'booking.start'],
      [{ end: '2100-01-01T00:00:00Z' }, 'booking.end'],
    ];
    for (const [over, field] of cases) {
      const r = await s.as('user.anna').put('/api/v1/me/bookings/range', booking(over));
      expect([over, r.statusCode, r.json().field]).toEqual([over, 400, field]);
    }
    const act = await s.as('user.anna').post('/api/v1/me/activities', { key: 'L', from: '2026-11-24T11:00:00Z', to: '2150-01-01T00:00:00Z' });
    expect([act.statusCode, act.json().field]).toEqual([400, 'to']);
    const rec = await s.as('user.anna').post('/api/v1/me/activities', { key: 'L', from: '2026-11-24T11:00:00Z', to: '2026-11-24T12:00:00Z', recurrence: { repeat: 'everyDay', until: '9999-12-31' } });
    expect([rec.statusCode, rec.json().field]).toEqual([400, 'recurrence.until']);
  });
});

describe('message text', () => {
  test('control characters, bidi overrides and invisible separators are stripped before storing; letters of every script and emoji stay', async () => {
    const subject = 'NP/L: Lu\u202Enc\u200Bh\u0000 i\u2066 stan\u0007 – مرحبا 👩‍💻 🇸🇪\uFEFF';
    expect((await s.as('user.anna').put('/api/v1/me/bookings/b1', { subject, start: '2026-11-24T09:30:00Z', end: '2026-11-24T11:00:00Z' })).statusCode).toBe(200);
    const expected = 'Lunch i stan – مرحبا 👩‍💻 🇸🇪';
    const row = await s.store.getBooking({ tid: TID, oid: 'anna' }, 'b1');
    expect(row?.rest).toBe(expected);
    const status = (await s.as('user.boss').get('/api/v1/status/1021')).json().status.sv as { text: string };
    expect(status.text).toBe(expected);
    expect(JSON.stringify(status)).not.toMatch(/[\u0000-\u001f\u200b\u202a-\u202e\u2066-\u2069\ufeff]/);
    // The switch gets the same clean text.
    await s.app.scheduler!.drained();
    const journal = (await s.store.listJournal(50)).filter((e) => e.extension === '1021');
    const last = journal.reduce((a, b) => (b.version > a.version ? b : a));
    expect((last?.state as { text?: string } | null)?.text).toBe(expected);
  });

  test('the same cleaning applies to manual activities', async () => {
    const r = await s.as('user.anna').post('/api/v1/me/activities', { key: 'M', from: '2026-11-25T09:00:00Z', to: '2026-11-25T10:00:00Z', text: 'Möte\u202E i\u200B rum 3\u0000' });
    expect(r.statusCode).toBe(201);
    expect(r.json().text).toBe('Möte i rum 3');
  });
});

test('a header line the HTTP parser refuses gets a problem document (over a real socket)', async () => {
  const { connect } = await import('node:net');
  const address = await s.app.listen({ port: 0, host: '127.0.0.1' });
  const port = Number(new URL(address).port);
  const send = (raw: string) =>
    new Promise<string>((resolve) => {
      let out = '';
      const sock = connect(port, '127.0.0.1', () => sock.write(raw));
      sock.on('data', (d) => (out += d.toString()));
      sock.on('close', () => resolve(out));
      sock.on('error', () => resolve(out));
    });
  const bad = await send('GET /api/v1/me HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
  expect(bad).toMatch(/^HTTP\/1\.1 400/);
  expect(bad).toMatch(/content-type: application\/problem\+json/i);
  const huge = await send(`GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`);
  expect(huge).toMatch(/^HTTP\/1\.1 431/);
  expect(huge).toContain('"status":431');
});
