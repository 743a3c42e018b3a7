/** Issue 13, the admin console's API: users paged with their status, unlinking, deliveries paged and retried, all codes, a draft organisation previewed, the journal filtered. */
import { link, type TestServer, testServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const MIN = 60_000;

let s: TestServer;
beforeEach(async () => {
  s = await testServer({}, NOW, { journal: true });
});
afterEach(async () => {
  await s.close();
});
const admin = () => s.as('admin.boss');
const linkNamed = async (oid: string, displayName: string, extension: string, shared = false) => {
  const r = await admin().put(`/api/v1/admin/users/${oid}`, { extension, shared, displayName });
  expect(r.statusCode).toBe(200);
};

describe('GET /api/v1/admin/users: paged, searched, with status', () => {
  beforeEach(async () => {
    for (let i = 0; i < 30; i++) await linkNamed(`u${i}`, `Användare ${String(i).padStart(2, '0')}`, `40${String(i).padStart(2, '0')}`);
    await linkNamed('asa', 'Åsa Öberg', '1868');
    await s.as('user.nolink').get('/api/v1/me'); // signed in, never linked: upn nolink@kommun.example
  });

  test('pages by name with the total; offset and limit', async () => {
    const first = (await admin().get('/api/v1/admin/users?limit=10')).json();
    expect([first.total, first.offset, first.limit, first.users.length]).toEqual([33, 0, 10, 10]);
    expect(first.users[0].displayName).toBe('Användare 00');
    const last = (await admin().get('/api/v1/admin/users?limit=10&offset=30')).json();
    // Folded names: "asa oberg" sorts after "anvandare …"; a user without a name comes last.
    expect(last.users.map((u: { oid: string }) => u.oid)).toEqual(['asa', 'boss', 'nolink']);
    const all = (await admin().get('/api/v1/admin/users?limit=1000')).json().users.map((u: { oid: string }) => u.oid);
    expect(new Set(all).size).toBe(33);
  });

  test('q finds by folded name, UPN or e-mail part, and the start of an extension; linked filters', async () => {
    const oids = async (query: string) => (await admin().get(`/api/v1/admin/users?${query}`)).json().users.map((u: { oid: string }) => u.oid);
    expect(await oids('q=oberg')).toEqual(['asa']);
    expect(await oids('q=NOLINK%40KOMMUN')).toEqual(['nolink']);
    expect(await oids('q=186')).toEqual(['asa']);
    expect((await oids('q=401')).length).toBe(10);
    // The admin who asks has signed in too, unlinked.
    expect(await oids('linked=unlinked')).toEqual(['boss', 'nolink']);
    expect((await admin().get('/api/v1/admin/users?linked=linked')).json().total).toBe(31);
    expect((await admin().get('/api/v1/admin/users?q=zzz')).json()).toMatchObject({ total: 0, users: [] });
  });

  test('each user with the diversion on their extension, its delivery, and calendar sync (null when off)', async () => {
    await s.as('user.asa').post('/api/v1/me/activities', { key: 'L', from: iso(NOW), to: iso(NOW + 60 * MIN) });
    await s.app.scheduler!.drained();
    const [asa] = (await admin().get('/api/v1/admin/users?q=1868')).json().users;
    expect(asa).toMatchObject({
      oid: 'asa',
      upn: 'asa@kommun.example',
      extension: '1868',
      diversion: { key: 'L', label: { sv: 'Lunch', en: 'Lunch' }, returnAt: iso(NOW + 60 * MIN), soft: false, returnText: { sv: expect.stringContaining('12:00') } },
      delivery: { delivered: true, failed: false },
      calendar: null,
    });
    const [other] = (await admin().get('/api/v1/admin/users?q=Anv%C3%A4ndare%2001')).json().users;
    expect(other.diversion).toBeNull();
  });

  test('bad paging is a 400 naming the parameter; a non-admin gets 403', async () => {
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['offset=-1', 'offset'],
      ['linked=maybe', 'linked'],
    ]) {
      const r = await admin().get(`/api/v1/admin/users?${q}`);
      expect([q, r.statusCode]).toEqual([q, 400]);
      expect(String(r.json().field ?? r.json().detail)).toContain(field);
    }
    expect((await s.as('user.asa').get('/api/v1/admin/users')).statusCode).toBe(403);
  });
});

test('DELETE /admin/users/{oid}/extension unlinks: the user stays, the diversion goes', async () => {
  await linkNamed('bo', 'Bo Ek', '2201', true);
  await s.as('user.bo').post('/api/v1/me/activities', { key: 'M', from: iso(NOW), to: iso(NOW + 60 * MIN) });
  const r = await admin().del('/api/v1/admin/users/bo/extension');
  expect(r.statusCode).toBe(200);
  expect(r.json()).toMatchObject({ oid: 'bo', extension: null, shared: false });
  expect((await s.as('user.bo').get('/api/v1/me')).json()).toMatchObject({ linked: false });
  expect((await admin().del('/api/v1/admin/users/nobody/extension')).statusCode).toBe(404);
  expect((await s.as('user.bo').del('/api/v1/admin/users/bo/extension')).statusCode).toBe(403);
});

describe('deliveries: paged, filtered to the failed, all retried', () => {
  beforeEach(async () => {
    for (const [oid, ext] of [
      ['a', '1001'],
      ['b', '1002'],
      ['c', '2001'],
    ] as const) {
      await linkNamed(oid, oid, ext);
      await s.as(`user.${oid}`).post('/api/v1/me/activities', { key: 'L', from: iso(NOW), to: iso(NOW + 60 * MIN) });
    }
    await s.app.scheduler!.drained();
  });

  test('paged by extension, the start of an extension filters', async () => {
    const page = (await admin().get('/api/v1/admin/deliveries?limit=2')).json();
    expect([page.total, page.deliveries.map((d: { extension: string }) => d.extension)]).toEqual([3, ['1001', '1002']]);
    expect((await admin().get('/api/v1/admin/deliveries?extension=2')).json().deliveries.map((d: { extension: string }) => d.extension)).toEqual(['2001']);
    expect((await admin().get('/api/v1/admin/deliveries?extension=12a')).statusCode).toBe(400);
  });

  test('failed=true lists those whose last attempt failed; retry all tries them again and they are delivered', async () => {
    // A new version each that the switch refuses (written past the scheduler): one for good, one to be retried later.
    const a = await s.store.putDesiredState('1001', { code: 'test-a' }, null, NOW);
    const c = await s.store.putDesiredState('2001', { code: 'test-c' }, null, NOW);
    await s.store.recordDelivery('1001', a.version, { ok: false, permanent: true, error: 'HTTP 400', nextAttemptAt: null });
    await s.store.recordDelivery('2001', c.version, { ok: false, permanent: false, error: 'HTTP 503', nextAttemptAt: NOW + 3_600_000 });
    const failed = (await admin().get('/api/v1/admin/deliveries?failed=true')).json();
    expect(failed.deliveries.map((d: { extension: string; lastError: string }) => [d.extension, d.lastError])).toEqual([
      ['1001', 'HTTP 400'],
      ['2001', 'HTTP 503'],
    ]);
    const retried = await admin().post('/api/v1/admin/deliveries/retry');
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toEqual({ retried: 2, extensions: ['1001', '2001'] });
    await s.app.scheduler!.drained();
    expect((await admin().get('/api/v1/admin/deliveries?failed=true')).json().total).toBe(0);
    expect((await s.store.getSwitchState('1001'))!.deliveredVersion).toBe(a.version);
    expect((await admin().post('/api/v1/admin/deliveries/retry')).json()).toEqual({ retried: 0, extensions: [] });
  });
});

test('GET /admin/catalog lists every code, disabled ones too, marking the guide’s own', async () => {
  await admin().put('/api/v1/admin/org', { catalog: [{ key: 'VAB', enabled: false }, { key: 'X', label: { sv: 'Extern', en: 'External' }, mex: 8, group: 'absent', standardLength: { minutes: 30 } }] });
  const codes = (await admin().get('/api/v1/admin/catalog')).json().codes as { key: string; enabled: boolean; builtIn: boolean }[];
  expect(codes.find((c) => c.key === 'VAB')).toMatchObject({ enabled: false, builtIn: true });
  expect(codes.find((c) => c.key === 'X')).toMatchObject({ enabled: true, builtIn: false, prefix: 'NP/X:' });
  expect((await s.as('user.nolink').get('/api/v1/catalog')).json().codes.map((c: { key: string }) => c.key)).not.toContain('VAB');
  expect((await s.as('user.nolink').get('/api/v1/admin/catalog')).statusCode).toBe(403);
});

describe('POST /admin/org/preview: a draft organisation on a sample booking', () => {
  const booking = { subject: 'NP/M: Budget', start: iso(NOW + 60 * MIN), end: iso(NOW + 120 * MIN) };

  test('uses the draft’s labels and defaults, saves nothing', async () => {
    const draft = { catalog: [{ key: 'M', label: { sv: 'Sammanträde', en: 'Board meeting' } }], settings: { language: 'en' } };
    const r = await admin().post('/api/v1/admin/org/preview', { org: draft, booking });
    expect(r.statusCode).toBe(200);
    // In the draft's default language (English): the label as the draft names it.
    expect(r.json()).toMatchObject({ diverts: true, code: { key: 'M', label: 'Board meeting' } });
    const sv = await admin().post('/api/v1/admin/org/preview', { org: { ...draft, settings: { language: 'sv' } }, booking });
    expect(sv.json().code.label).toBe('Sammanträde');
    expect((await admin().get('/api/v1/admin/org')).json().org).toEqual({});
  });

  test('a bad draft is a 400 naming its field; a non-admin gets 403', async () => {
    const bad = await admin().post('/api/v1/admin/org/preview', { org: { catalog: [{ key: 'M', mex: 42 }] }, booking });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toMatch(/^org\.catalog\[0\]\.mex$/);
    const zone = await admin().post('/api/v1/admin/org/preview', { org: { timeZone: 'Mars/Olympus' }, booking });
    expect(zone.json().field).toBe('org.timeZone');
    expect((await s.as('user.nolink').post('/api/v1/admin/org/preview', { org: {}, booking })).statusCode).toBe(403);
  });
});

test('the journal filtered by the start of an extension; resync without calendar sync is 409', async () => {
  await linkNamed('a', 'A', '1001');
  await linkNamed('b', 'B', '2002');
  for (const oid of ['a', 'b']) await s.as(`user.${oid}`).post('/api/v1/me/activities', { key: 'L', from: iso(NOW), to: iso(NOW + 60 * MIN) });
  await s.app.scheduler!.drained();
  const entries = (await admin().get('/api/v1/admin/switch?extension=20')).json().entries as { extension: string }[];
  expect(entries.length).toBeGreaterThan(0);
  expect(entries.every((e) => e.extension === '2002')).toBe(true);
  expect((await admin().get('/api/v1/admin/switch?limit=1')).json().entries).toHaveLength(1);
  expect((await admin().post('/api/v1/admin/calendar/a/resync')).statusCode).toBe(409);
});

test('the console’s files and config are public; the console sets its own security headers', async () => {
  const cfg = await s.app.inject({ url: '/admin/config.json' });
  expect(cfg.statusCode).toBe(200);
  // Development sign-in on loopback, as the test server runs: the console offers it like the pane.
  expect(cfg.json()).toEqual({ devSignIn: true, clientId: null, scope: null, authority: null });
  expect(cfg.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(cfg.headers['x-frame-options']).toBe('DENY');
});
