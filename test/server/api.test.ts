/** API v1 in-process: sign-in, settings, bookings, activities, state, admin, errors (issue 3). */
import { link, type TestServer, testServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const MIN = 60_000;

let s: TestServer;
beforeEach(async () => {
  s = await testServer({}, NOW);
});
afterEach(async () => {
  await s.close();
});

const anna = () => s.as('user.anna');
const lunch = (over: Record<string, unknown> = {}) => ({
  subject: 'NP/L: Lunch med teamet',
  start: iso(NOW + 60 * MIN),
  end: iso(NOW + 120 * MIN),
  location: 'Matsalen',
  body: 'Hemligt innehåll',
  lastModified: '2026-11-24T09:00:00Z',
  ...over,
});

describe('probes', () => {
  test('healthz, readyz and metrics answer without sign-in', async () => {
    expect((await s.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await s.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await s.app.inject({ url: '/healthz' });
    const m = await s.app.inject({ url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('kalenderkoppling_http_requests_total');
    expect(m.body).toContain('process_cpu_user_seconds_total');
  });

  test('the OpenAPI document lists the API', async () => {
    const doc = (await s.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/me', '/api/v1/me/bookings/{bookingId}', '/api/v1/me/activities', '/api/v1/admin/org', '/api/v1/status/{extension}']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  test('security headers are set', async () => {
    const r = await s.app.inject({ url: '/healthz' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toBeDefined();
  });
});

describe('sign-in', () => {
  test('no token: 401 problem with WWW-Authenticate', async () => {
    const r = await s.app.inject({ url: '/api/v1/me' });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.headers['www-authenticate']).toBe('Bearer');
    expect(r.json()).toMatchObject({ status: 401, title: 'Not signed in' });
  });

  test('a token the verifier refuses: 401', async () => {
    expect((await s.as('forged').get('/api/v1/me')).statusCode).toBe(401);
  });

  test('a signed-in user without an extension sees who they are, and 403 elsewhere with a message saying so', async () => {
    const me = await anna().get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ oid: 'anna', linked: false, extension: null, displayName: 'Name anna' });
    const r = await anna().get('/api/v1/me/settings');
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toMatch(/not linked to a phone extension/);
  });

  test('admin routes need the Admin role', async () => {
    await link(s, 'anna', '1021');
    expect((await anna().get('/api/v1/admin/users')).statusCode).toBe(403);
    expect((await anna().put('/api/v1/admin/users/bo', { extension: '1022' })).statusCode).toBe(403);
    expect((await anna().put('/api/v1/admin/org', {})).statusCode).toBe(403);
  });
});

describe('settings, profile and quick choices', () => {
  beforeEach(() => link(s, 'anna', '1021'));

  test('defaults, then a partial PUT keeps the rest at the organisation defaults', async () => {
    expect((await anna().get('/api/v1/me/settings')).json()).toMatchObject({ enabled: true, defaultCode: null, language: 'sv' });
    const r = await anna().put('/api/v1/me/settings', { defaultCode: 'sj', messageFields: { subject: true } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ defaultCode: 'Sj', messageFields: { subject: true, location: false }, include: { private: false } });
    expect((await anna().get('/api/v1/me/settings')).json().defaultCode).toBe('Sj');
  });

  test('bad settings: 400 naming the field', async () => {
    const unknownCode = await anna().put('/api/v1/me/settings', { defaultCode: 'XX' });
    expect(unknownCode.statusCode).toBe(400);
    expect(unknownCode.json()).toMatchObject({ field: 'settings.defaultCode' });
    const wrongType = await anna().put('/api/v1/me/settings', { enabled: 'yes' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().detail).toMatch(/body\.enabled/);
    const unknownField = await anna().put('/api/v1/me/settings', { enable: false });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().detail).toMatch(/enable is not a known field/);
  });

  test('profile: numbers normalised; Till nummer without a number refused except for Vidarekoppla', async () => {
    const ok = await anna().put('/api/v1/me/profile', { lunch: { mode: 'number', number: '070-123 45 67' }, forward: { mode: 'number' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().lunch).toEqual({ mode: 'number', number: '0701234567' });
    const bad = await anna().put('/api/v1/me/profile', { meeting: { mode: 'number' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('profile.meeting.number');
  });

  test('at most 8 quick choices; one click starts one', async () => {
    const eight = Array.from({ length: 8 }, () => ({ key: 'L' }));
    expect((await anna().put('/api/v1/me/quick', eight)).statusCode).toBe(200);
    const nine = await anna().put('/api/v1/me/quick', [...eight, { key: 'M' }]);
    expect(nine.statusCode).toBe(400);
    expect(nine.json().detail).toMatch(/at most 8/);
    await anna().put('/api/v1/me/quick', [{ key: 'M', length: { minutes: 45 } }, { key: 'GF', length: 'nextWorkingDay' }]);
    const started = await anna().post('/api/v1/me/quick/1/activate');
    expect(started.statusCode).toBe(201);
    // Tuesday 11:00 local → Wednesday 08:00 local.
    expect(started.json()).toMatchObject({ source: 'quick', key: 'GF', from: iso(NOW), to: '2026-11-25T07:00:00Z' });
    expect((await anna().post('/api/v1/me/quick/5/activate')).statusCode).toBe(404);
    expect((await anna().post('/api/v1/me/quick/9/activate')).statusCode).toBe(400);
  });
});

describe('bookings', () => {
  beforeEach(() => link(s, 'anna', '1021'));
  const activities = async () => (await anna().get(`/api/v1/me/activities?from=${iso(NOW)}&to=${iso(NOW + 86_400_000)}`)).json().activities;

  test('preview resolves with the caller settings and stores nothing', async () => {
    const r = await anna().post('/api/v1/preview', lunch({ subject: 'np/l:Lunch' }));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ diverts: true, code: { key: 'L', mex: 0 }, warnings: [{ key: 'nonCanonical' }] });
    expect(await activities()).toEqual([]);
  });

  test('a snapshot becomes a calendar activity; older snapshots change nothing; equal ones are idempotent', async () => {
    const first = await anna().put('/api/v1/me/bookings/AAMk1', lunch());
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ outcome: 'created', resolution: { diverts: true, code: { key: 'L' } } });
    expect(await activities()).toEqual([expect.objectContaining({ id: 'cal:AAMk1', source: 'calendar', key: 'L', from: iso(NOW + 60 * MIN), dismissed: false })]);

    const again = await anna().put('/api/v1/me/bookings/AAMk1', lunch());
    expect(again.json().outcome).toBe('updated');
    const older = await anna().put('/api/v1/me/bookings/AAMk1', lunch({ subject: 'NP/M: Möte', lastModified: '2026-11-24T08:00:00Z' }));
    expect(older.json().outcome).toBe('stale');
    expect((await activities())[0].key).toBe('L');
    const newer = await anna().put('/api/v1/me/bookings/AAMk1', lunch({ subject: 'NP/M: Möte', lastModified: '2026-11-24T09:30:00Z' }));
    expect(newer.json().outcome).toBe('updated');
    expect((await activities())[0].key).toBe('M');
  });

  test('deleting a calendar activity dismisses it for that version only (SPEC 8.4)', async () => {
    await anna().put('/api/v1/me/bookings/B2', lunch());
    expect((await anna().del('/api/v1/me/activities/cal:B2')).statusCode).toBe(204);
    expect((await activities())[0]).toMatchObject({ id: 'cal:B2', dismissed: true });
    await anna().put('/api/v1/me/bookings/B2', lunch());
    expect((await activities())[0].dismissed).toBe(true);
    await anna().put('/api/v1/me/bookings/B2', lunch({ lastModified: '2026-11-24T09:45:00Z' }));
    expect((await activities())[0].dismissed).toBe(false);
  });

  test('Graph-length ids with base64 characters work in paths', async () => {
    const id = `AAMkAGI2TG93AAA${'x'.repeat(140)}+/w==`;
    const path = encodeURIComponent(id);
    expect((await anna().put(`/api/v1/me/bookings/${path}`, lunch())).json().outcome).toBe('created');
    expect((await activities())[0].id).toBe(`cal:${id}`);
    expect((await anna().del(`/api/v1/me/activities/${encodeURIComponent(`cal:${id}`)}`)).statusCode).toBe(204);
    expect((await anna().put(`/api/v1/me/bookings/${'y'.repeat(600)}`, lunch())).statusCode).toBe(400);
  });

  test('deleting a booking removes its activity, and deleting twice is fine', async () => {
    await anna().put('/api/v1/me/bookings/B3', lunch());
    expect((await anna().del('/api/v1/me/bookings/B3')).statusCode).toBe(204);
    expect((await anna().del('/api/v1/me/bookings/B3')).statusCode).toBe(204);
    expect(await activities()).toEqual([]);
  });

  test('only the code is stored unless message fields ask for text; never a private booking’s text (SPEC 12)', async () => {
    await anna().put('/api/v1/me/bookings/P1', lunch());
    let row = await s.store.getBooking({ tid: '11111111-1111-1111-1111-111111111111', oid: 'anna' }, 'P1');
    expect(row).toMatchObject({ prefix: 'NP/L:', rest: null, location: null, body: null });

    await anna().put('/api/v1/me/settings', { messageFields: { subject: true, location: true }, include: { private: true } });
    await anna().put('/api/v1/me/bookings/P2', lunch());
    row = await s.store.getBooking({ tid: '11111111-1111-1111-1111-111111111111', oid: 'anna' }, 'P2');
    expect(row).toMatchObject({ prefix: 'NP/L:', rest: 'Lunch med teamet', location: 'Matsalen', body: null });
    expect((await activities()).find((a: { id: string }) => a.id === 'cal:P2').text).toBe('Lunch med teamet – Matsalen');

    await anna().put('/api/v1/me/bookings/P3', lunch({ sensitivity: 'private' }));
    row = await s.store.getBooking({ tid: '11111111-1111-1111-1111-111111111111', oid: 'anna' }, 'P3');
    expect(row).toMatchObject({ rest: null, location: null, body: null });
    expect((await activities()).find((a: { id: string }) => a.id === 'cal:P3')).toMatchObject({ key: 'L', text: null });
  });

  test('bad snapshots are 400 naming the field and store nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [lunch({ start: 'tomorrow' }), /start/],
      [lunch({ start: undefined }), /start/],
      [lunch({ sensitivity: 'secret' }), /booking\.sensitivity/],
      [lunch({ id: 'other' }), /^id:/],
      [lunch({ lastModified: 'yesterday' }), /lastModified/],
      [lunch({ recurrence: { recurrenceType: 'hourly' } }), /recurrence/],
    ];
    for (const [body, detail] of cases) {
      const r = await anna().put('/api/v1/me/bookings/X', body);
      expect(r.statusCode).toBe(400);
      expect(r.json().detail).toMatch(detail);
    }
    expect(await activities()).toEqual([]);
  });

  test('an Outlook series diverts on each occurrence', async () => {
    await anna().put(
      '/api/v1/me/bookings/S1',
      lunch({
        start: '2026-11-24T11:00:00Z',
        end: '2026-11-24T12:00:00Z',
        recurrence: { recurrenceType: 'daily', recurrenceProperties: { interval: 1 }, seriesTime: { startDate: '2026-11-24', startTime: '12:00', endDate: '2026-11-26', durationMinutes: 60 } },
      }),
    );
    const list = (await anna().get(`/api/v1/me/activities?from=${iso(NOW)}&to=${iso(NOW + 5 * 86_400_000)}`)).json().activities;
    expect(list.map((a: { from: string }) => a.from)).toEqual(['2026-11-24T11:00:00Z', '2026-11-25T11:00:00Z', '2026-11-26T11:00:00Z']);
  });
});

describe('manual and recurring activities', () => {
  beforeEach(() => link(s, 'anna', '1021'));

  test('a manual activity with the code’s standard length, then deleted', async () => {
    const r = await anna().post('/api/v1/me/activities', { key: 'M', text: 'Ledningsgrupp' });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ source: 'manual', key: 'M', from: iso(NOW), to: iso(NOW + 60 * MIN), forwarding: { mode: 'spoken' }, text: 'Ledningsgrupp' });
    expect((await anna().del(`/api/v1/me/activities/${r.json().id}`)).statusCode).toBe(204);
    expect((await anna().del(`/api/v1/me/activities/${r.json().id}`)).statusCode).toBe(404);
  });

  test('tills vidare, and Vidarekoppla needs a number', async () => {
    expect((await anna().post('/api/v1/me/activities', { key: 'Sj', to: null })).json()).toMatchObject({ key: 'Sj', to: null });
    const noNumber = await anna().post('/api/v1/me/activities', { key: 'forward' });
    expect(noNumber.statusCode).toBe(400);
    expect(noNumber.json().field).toBe('forwarding.number');
    const fwd = await anna().post('/api/v1/me/activities', { key: 'forward', forwarding: { mode: 'number', number: '0701234567' }, to: null });
    expect(fwd.statusCode).toBe(201);
    expect(fwd.json().forwarding).toEqual({ mode: 'number', number: '0701234567' });
  });

  test('end before start, unknown codes and bad instants are 400', async () => {
    expect((await anna().post('/api/v1/me/activities', { key: 'L', from: iso(NOW), to: iso(NOW - MIN) })).json()).toMatchObject({ status: 400, field: 'to' });
    expect((await anna().post('/api/v1/me/activities', { key: 'ZZ' })).json()).toMatchObject({ status: 400, field: 'key' });
    expect((await anna().post('/api/v1/me/activities', { key: 'L', from: 'now' })).json()).toMatchObject({ status: 400, field: 'from' });
  });

  test('a recurring activity expands to occurrences; one occurrence or the whole rule can be deleted', async () => {
    const r = await anna().post('/api/v1/me/activities', {
      key: 'M',
      from: '2026-11-25T07:00:00Z',
      to: '2026-11-25T08:00:00Z',
      recurrence: { repeat: 'everyWorkingDay', until: '2026-12-01' },
    });
    expect(r.statusCode).toBe(201);
    const ruleId = r.json().ruleId;
    const list = async () => (await anna().get(`/api/v1/me/activities?from=${iso(NOW)}&to=${iso(NOW + 10 * 86_400_000)}`)).json().activities;
    // Wed 25, Thu 26, Fri 27, Mon 30 Nov, Tue 1 Dec.
    expect((await list()).map((a: { from: string }) => a.from.slice(0, 10))).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01']);
    const friday = (await list())[2].id;
    expect((await anna().del(`/api/v1/me/activities/${friday}`)).statusCode).toBe(204);
    expect(await list()).toHaveLength(4);
    expect((await anna().del(`/api/v1/me/activities/rec:${ruleId}`)).statusCode).toBe(204);
    expect(await list()).toEqual([]);
  });

  test('another user’s activity is 404, and stays', async () => {
    await link(s, 'bo', '1022');
    const mine = (await anna().post('/api/v1/me/activities', { key: 'L' })).json();
    expect((await s.as('user.bo').del(`/api/v1/me/activities/${mine.id}`)).statusCode).toBe(404);
    expect((await s.as('user.bo').get('/api/v1/me/activities')).json().activities).toEqual([]);
    expect((await anna().get('/api/v1/me/activities')).json().activities).toHaveLength(1);
  });
});

describe('state and status', () => {
  test('a booking that started a minute ago is in force now; the next change is its end', async () => {
    await link(s, 'anna', '1021');
    await anna().put('/api/v1/me/bookings/N1', lunch({ start: iso(NOW - MIN), end: iso(NOW + 2 * MIN) }));
    const st = (await anna().get('/api/v1/me/state')).json();
    expect(st).toMatchObject({
      extension: '1021',
      state: { key: 'L', mex: 0, returnAt: iso(NOW + 2 * MIN), switch: { reasonCode: 0, returnTime: '1102' }, callerHears: { sv: 'Lunch. Åter klockan 11.02.' } },
      next: [{ at: iso(NOW + 2 * MIN), state: null }],
    });
    const status = (await s.as('user.colleague').get('/api/v1/status/1021')).json();
    expect(status).toMatchObject({ extension: '1021', status: { sv: { label: 'Lunch', returnText: '➔ 11:02' } } });
  });

  test('a shared extension is soft for every user on it', async () => {
    await link(s, 'anna', '1030', true);
    await link(s, 'bo', '1030', true);
    await s.as('user.bo').post('/api/v1/me/activities', { key: 'M' });
    const st = (await anna().get('/api/v1/me/state')).json();
    expect(st.state).toMatchObject({ key: 'M', forwarding: { mode: 'none' }, callerHears: { sv: null } });
  });
});

describe('admin', () => {
  test('users are listed, linked and removed', async () => {
    await link(s, 'anna', '1021');
    const users = (await s.as('admin.boss').get('/api/v1/admin/users')).json().users;
    expect(users).toEqual(expect.arrayContaining([expect.objectContaining({ oid: 'anna', extension: '1021', shared: false })]));
    expect((await s.as('admin.boss').put('/api/v1/admin/users/anna', { extension: '12ab' })).statusCode).toBe(400);
    expect((await s.as('admin.boss').del('/api/v1/admin/users/anna')).statusCode).toBe(204);
    expect((await s.as('admin.boss').del('/api/v1/admin/users/anna')).statusCode).toBe(404);
  });

  test('the organisation document changes the catalog; invalid ones are 400 and change nothing', async () => {
    await link(s, 'anna', '1021');
    const put = await s.as('admin.boss').put('/api/v1/admin/org', { catalog: [{ key: 'TF', enabled: false }, { key: 'FL', label: { sv: 'Flex' }, mex: 1, group: 'dayOff' }] });
    expect(put.statusCode).toBe(200);
    const keys = (await anna().get('/api/v1/catalog')).json().codes.map((c: { key: string }) => c.key);
    expect(keys).toContain('FL');
    expect(keys).not.toContain('TF');
    const bad = await s.as('admin.boss').put('/api/v1/admin/org', { catalog: [{ key: 'X1', mex: 12 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('org.catalog[0].mex');
    expect((await s.as('admin.boss').get('/api/v1/admin/org')).json().org.catalog).toHaveLength(2);
  });
});

describe('bad requests are 4xx problem documents', () => {
  beforeEach(() => link(s, 'anna', '1021'));

  test('malformed JSON, empty body, wrong content type, too large', async () => {
    const raw = (payload: string, type = 'application/json') =>
      s.app.inject({ method: 'PUT', url: '/api/v1/me/settings', headers: { authorization: 'Bearer user.anna', 'content-type': type }, payload });
    const malformed = await raw('{"enabled": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/problem\+json/);
    expect((await raw('')).statusCode).toBe(400);
    expect((await raw('enabled=true', 'application/x-www-form-urlencoded')).statusCode).toBe(415);
    const big = await raw(JSON.stringify({ enabled: true, pad: 'x'.repeat(300_000) }));
    expect(big.statusCode).toBe(413);
  });

  test('unknown routes are 404 problems', async () => {
    const r = await anna().get('/api/v1/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().title).toBe('Not found');
  });
});

describe('CORS and rate limiting', () => {
  test('only the configured add-in origin gets CORS headers', async () => {
    const c = await testServer({ ADDIN_ORIGINS: 'https://addin.example.se' }, NOW);
    try {
      const ok = await c.app.inject({ method: 'OPTIONS', url: '/api/v1/me', headers: { origin: 'https://addin.example.se', 'access-control-request-method': 'GET' } });
      expect(ok.headers['access-control-allow-origin']).toBe('https://addin.example.se');
      const other = await c.app.inject({ method: 'OPTIONS', url: '/api/v1/me', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await c.close();
    }
  });

  test('each user has their own request budget', async () => {
    const c = await testServer({ RATE_LIMIT_PER_MINUTE: '3' }, NOW);
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await c.as('user.anna').get('/api/v1/me')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect((await c.as('user.bo').get('/api/v1/me')).statusCode).toBe(200);
      const limited = await c.as('user.anna').get('/api/v1/me');
      expect(limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    } finally {
      await c.close();
    }
  });
});

describe('with the scheduler and the journal connector', () => {
  test('a change reaches the switch at once; users see it delivered, admins see deliveries and the journal', async () => {
    const j = await testServer({}, NOW, { journal: true });
    try {
      await link(j, 'anna', '1021');
      await j.as('user.anna').put('/api/v1/me/bookings/J1', lunch({ start: iso(NOW - MIN), end: iso(NOW + 30 * MIN) }));
      await j.app.scheduler!.drained();
      const st = (await j.as('user.anna').get('/api/v1/me/state')).json();
      expect(st.state).toMatchObject({ key: 'L' });
      expect(st.delivery).toMatchObject({ delivered: true, failed: false, lastError: null });
      expect(st.delivery.deliveredVersion).toBe(st.delivery.version);
      const journal = (await j.as('admin.boss').get('/api/v1/admin/switch')).json().entries;
      expect(journal[0]).toMatchObject({ extension: '1021', state: { code: 'L', reasonCode: 0, returnTime: '1130' } });
      const deliveries = (await j.as('admin.boss').get('/api/v1/admin/deliveries')).json().deliveries;
      expect(deliveries).toEqual(expect.arrayContaining([expect.objectContaining({ extension: '1021', delivered: true })]));
      expect((await j.as('admin.boss').post('/api/v1/admin/deliveries/1021/retry')).statusCode).toBe(202);
      expect((await j.as('admin.boss').post('/api/v1/admin/deliveries/9999/retry')).statusCode).toBe(404);
      expect((await j.as('user.anna').get('/api/v1/admin/deliveries')).statusCode).toBe(403);
    } finally {
      await j.close();
    }
  });
});
