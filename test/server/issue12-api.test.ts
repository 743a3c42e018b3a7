/** Issue 12, the endpoint parts the pane needs: Slutdatum quick choices, Kollegor, settings all or nothing, labels in the preview. */
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

describe('quick choice Slutdatum: {"until": instant}', () => {
  beforeEach(() => link(s, 'anna', '1021'));

  test('saved as UTC, activated it runs from now until that instant', async () => {
    const put = await anna().put('/api/v1/me/quick', [{ key: 'K', length: { until: '2026-11-26T17:00:00+01:00' } }]);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual([{ key: 'K', length: { until: '2026-11-26T16:00:00Z' }, forwarding: null, text: null }]);
    expect((await anna().get('/api/v1/me/quick')).json()[0].length).toEqual({ until: '2026-11-26T16:00:00Z' });
    const started = await anna().post('/api/v1/me/quick/0/activate');
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ source: 'quick', key: 'K', from: iso(NOW), to: '2026-11-26T16:00:00Z' });
  });

  test('already past when saved: 400 naming the field, nothing stored', async () => {
    const r = await anna().put('/api/v1/me/quick', [{ key: 'L' }, { key: 'K', length: { until: iso(NOW - MIN) } }]);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'quick[1].length.until', detail: expect.stringMatching(/future/) });
    expect((await anna().get('/api/v1/me/quick')).json()).toEqual([]);
    const now = await anna().put('/api/v1/me/quick', [{ key: 'K', length: { until: iso(NOW) } }]);
    expect(now.json().field).toBe('quick[0].length.until');
  });

  test('not an instant, or other fields beside until: 400 naming the field', async () => {
    const noZone = await anna().put('/api/v1/me/quick', [{ key: 'K', length: { until: '2026-11-26T17:00:00' } }]);
    expect(noZone.statusCode).toBe(400);
    expect(noZone.json().field).toBe('quick[0].length.until');
    const extra = await anna().put('/api/v1/me/quick', [{ key: 'K', length: { until: '2026-11-26T17:00:00Z', minutes: 5 } }]);
    expect(extra.statusCode).toBe(400);
  });

  test('passed by the time it is activated: 409 naming the field, no activity made', async () => {
    await anna().put('/api/v1/me/quick', [{ key: 'K', length: { until: iso(NOW + 30 * MIN) } }]);
    s.clock.now = NOW + 30 * MIN;
    const r = await anna().post('/api/v1/me/quick/0/activate');
    expect(r.statusCode).toBe(409);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect(r.json()).toMatchObject({ status: 409, field: 'quick[0].length.until', detail: expect.stringMatching(/Slutdatum/) });
    expect((await anna().get(`/api/v1/me/activities?from=${iso(NOW)}&to=${iso(NOW + 24 * 60 * MIN)}`)).json().activities).toEqual([]);
  });
});

describe('PUT /api/v1/me/preferences: settings and profile all or nothing', () => {
  beforeEach(() => link(s, 'anna', '1021'));

  test('stores both and answers both merged, as the GET routes do', async () => {
    const r = await anna().put('/api/v1/me/preferences', {
      settings: { defaultCode: 'm', soft: true },
      profile: { lunch: { mode: 'number', number: '070-123 45 67' } },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().settings).toEqual((await anna().get('/api/v1/me/settings')).json());
    expect(r.json().profile).toEqual((await anna().get('/api/v1/me/profile')).json());
    expect(r.json()).toMatchObject({ settings: { defaultCode: 'M', soft: true, language: 'sv' }, profile: { lunch: { mode: 'number', number: '0701234567' }, meeting: { mode: 'spoken' } } });
    expect((await anna().get('/api/v1/me/preferences')).json()).toEqual(r.json());
  });

  test('a bad profile number: 400 naming profile.lunch.number, and the settings are not stored either', async () => {
    const r = await anna().put('/api/v1/me/preferences', { settings: { soft: true }, profile: { lunch: { mode: 'number', number: 'ring mig' } } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'profile.lunch.number' });
    expect((await anna().get('/api/v1/me/settings')).json().soft).toBe(false);
    expect((await anna().get('/api/v1/me/profile')).json().lunch).toEqual({ mode: 'spoken', number: null });
  });

  test('bad settings: 400 naming settings.defaultCode, the profile not stored', async () => {
    const r = await anna().put('/api/v1/me/preferences', { settings: { defaultCode: 'XX' }, profile: { meeting: { mode: 'none' } } });
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe('settings.defaultCode');
    expect((await anna().get('/api/v1/me/profile')).json().meeting.mode).toBe('spoken');
  });

  test('both parts are required; unknown fields refused', async () => {
    expect((await anna().put('/api/v1/me/preferences', { settings: {} })).statusCode).toBe(400);
    const extra = await anna().put('/api/v1/me/preferences', { settings: {}, profile: {}, quick: [] });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().detail).toMatch(/quick is not a known field/);
  });

  test('an unlinked user: 403', async () => {
    expect((await s.as('user.nolink').put('/api/v1/me/preferences', { settings: {}, profile: {} })).statusCode).toBe(403);
  });
});

describe('GET /api/v1/colleagues?q=', () => {
  const linkNamed = async (oid: string, displayName: string, extension: string, shared = false) => {
    const r = await s.as('admin.boss').put(`/api/v1/admin/users/${oid}`, { extension, shared, displayName });
    expect(r.statusCode).toBe(200);
  };
  beforeEach(async () => {
    await linkNamed('asa', 'Åsa Öberg', '1868');
    await linkNamed('per', 'Per Åström', '1869', true);
    await linkNamed('eva', 'Eva Åsberg', '1869', true);
    await linkNamed('bo', 'Bo Ek', '2201');
  });

  test('any signed-in member, linked or not: names without case and accents, by name, with status', async () => {
    await s.as('user.asa').post('/api/v1/me/activities', { key: 'L', text: 'Hos tandläkaren', from: iso(NOW), to: iso(NOW + 60 * MIN) });
    await linkNamed('asa', 'Åsa Öberg', '1868'); // the test verifier's sign-in renamed her "Name asa"
    const r = await s.as('user.nolink').get('/api/v1/colleagues?q=BERG');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      colleagues: [
        { displayName: 'Eva Åsberg', extension: '1869', status: null },
        {
          displayName: 'Åsa Öberg',
          extension: '1868',
          status: {
            sv: { label: 'Lunch', returnText: expect.stringContaining('12:00'), text: 'Hos tandläkaren', soft: false },
            en: { label: 'Lunch', returnText: expect.stringContaining('12:00'), text: 'Hos tandläkaren', soft: false },
          },
        },
      ],
      more: false,
    });
    const accents = (await s.as('user.nolink').get('/api/v1/colleagues?q=%C3%B6berg')).json().colleagues.map((c: { displayName: string }) => c.displayName);
    expect(accents).toEqual(['Åsa Öberg']);
    expect((await s.as('user.nolink').get('/api/v1/colleagues?q=astro')).json().colleagues.map((c: { displayName: string }) => c.displayName)).toEqual(['Per Åström']);
    // The same status GET /status/{extension} gives.
    expect(r.json().colleagues[1].status).toEqual((await s.as('user.nolink').get('/api/v1/status/1868')).json().status);
  });

  test('an extension by its start; a shared extension lists everyone on it with its one state', async () => {
    await s.as('user.per').post('/api/v1/me/activities', { key: 'M', from: iso(NOW), to: iso(NOW + 60 * MIN) });
    await linkNamed('per', 'Per Åström', '1869', true);
    const r = (await s.as('user.bo').get('/api/v1/colleagues?q=186')).json().colleagues as { displayName: string; extension: string; status: { sv: { label: string; soft: boolean } } | null }[];
    expect(r.map((c) => [c.displayName, c.extension])).toEqual([
      ['Eva Åsberg', '1869'],
      ['Per Åström', '1869'],
      ['Åsa Öberg', '1868'],
    ]);
    expect(r[0]!.status).toEqual(r[1]!.status);
    expect(r[0]!.status?.sv).toMatchObject({ label: 'Möte', soft: true });
    expect(r[2]!.status).toBeNull();
  });

  test('operator-only text only for admins', async () => {
    await s.as('user.bo').post('/api/v1/me/activities', { key: 'T', text: 'Hämtar nycklar', operatorOnly: true, from: iso(NOW), to: iso(NOW + 60 * MIN) });
    await linkNamed('bo', 'Bo Ek', '2201');
    const colleague = (await s.as('user.asa').get('/api/v1/colleagues?q=bo e')).json().colleagues[0];
    const admin = (await s.as('admin.boss').get('/api/v1/colleagues?q=bo e')).json().colleagues[0];
    expect(colleague.status.sv.text).toBeNull();
    expect(admin.status.sv.text).toBe('Hämtar nycklar');
  });

  test('q under 2 characters, missing or too long: 400 naming q; no sign-in: 401', async () => {
    for (const url of ['/api/v1/colleagues?q=a', '/api/v1/colleagues?q=%20%20b%20', '/api/v1/colleagues']) {
      const r = await s.as('user.asa').get(url);
      expect([url, r.statusCode]).toEqual([url, 400]);
      expect(String(r.json().field)).toMatch(/q|querystring/);
    }
    expect((await s.as('user.asa').get(`/api/v1/colleagues?q=${'a'.repeat(101)}`)).statusCode).toBe(400);
    expect((await s.app.inject({ url: '/api/v1/colleagues?q=asa' })).statusCode).toBe(401);
  });

  test('at most 20, and nothing found is an empty list', async () => {
    for (let i = 0; i < 25; i++) await linkNamed(`k${i}`, `Kollega ${String(i).padStart(2, '0')}`, `30${String(i).padStart(2, '0')}`);
    const r = (await s.as('user.asa').get('/api/v1/colleagues?q=kollega')).json().colleagues as { displayName: string }[];
    expect(r).toHaveLength(20);
    expect(r[0]!.displayName).toBe('Kollega 00');
    expect(r[19]!.displayName).toBe('Kollega 19');
    expect((await s.as('user.asa').get('/api/v1/colleagues?q=kollega')).json().more).toBe(true);
    expect((await s.as('user.asa').get('/api/v1/colleagues?q=zz')).json()).toEqual({ colleagues: [], more: false });
  });

  test('exactly 20 found: all of them, and more is false', async () => {
    for (let i = 0; i < 20; i++) await linkNamed(`k${i}`, `Kollega ${String(i).padStart(2, '0')}`, `30${String(i).padStart(2, '0')}`);
    const r = (await s.as('user.asa').get('/api/v1/colleagues?q=kollega')).json();
    expect([r.colleagues.length, r.more]).toEqual([20, false]);
  });
});

describe('preview: warnings in one language with the organisation labels', () => {
  test('a relabelled default code is named in each language as the organisation labels it', async () => {
    await link(s, 'anna', '1021');
    expect((await s.as('admin.boss').put('/api/v1/admin/org', { catalog: [{ key: 'M', label: { sv: 'Sammanträde', en: 'Board meeting' } }] })).statusCode).toBe(200);
    await anna().put('/api/v1/me/settings', { defaultCode: 'M', language: 'en' });
    const r = await anna().post('/api/v1/preview', { subject: 'NP/M budget', start: iso(NOW + 60 * MIN), end: iso(NOW + 120 * MIN) });
    expect(r.statusCode).toBe(200);
    const [nearMiss, defaultCode] = r.json().warnings;
    expect(nearMiss.message.sv).toContain('NP/M: (Sammanträde)');
    expect(nearMiss.message.en).toContain('NP/M: (Board meeting)');
    expect(defaultCode.message).toEqual({
      sv: 'Ämnet har ingen kod, så din standardkod Sammanträde används.',
      en: 'The subject has no code, so your default code Board meeting is used.',
    });
  });

  test('"Lunch NP/L:" gets the fix "NP/L: Lunch"', async () => {
    await link(s, 'anna', '1021');
    const r = await anna().post('/api/v1/preview', { subject: 'Lunch NP/L:', start: iso(NOW + 60 * MIN), end: iso(NOW + 120 * MIN) });
    expect(r.json().warnings[0]).toMatchObject({ key: 'nearMiss.notAtStart', fix: { kind: 'applySubject', subject: 'NP/L: Lunch' } });
  });
});

describe('what the pane needs to name and propose as the endpoint does', () => {
  test('GET /catalog tells the organisation’s working day: zone, hours and extra days off', async () => {
    const before = (await s.as('user.nolink').get('/api/v1/catalog')).json();
    expect(before.workday).toEqual({ timeZone: 'Europe/Stockholm', workdayStart: '08:00', workdayEnd: '17:00', extraDaysOff: [] });
    const org = { timeZone: 'Europe/Helsinki', workdayStart: '07:30', workdayEnd: '16:00', extraDaysOff: ['2027-01-05', '2026-12-28'] };
    expect((await s.as('admin.boss').put('/api/v1/admin/org', org)).statusCode).toBe(200);
    const after = (await s.as('user.nolink').get('/api/v1/catalog')).json();
    expect(after.workday).toEqual({ ...org, extraDaysOff: ['2026-12-28', '2027-01-05'] });
    expect(after.codes.length).toBeGreaterThan(0);
  });

  test('a recurring activity is listed with its rule as made: repeat, last day and Nästa arbetsdag', async () => {
    await link(s, 'anna', '1021');
    const made = await anna().post('/api/v1/me/activities', {
      key: 'M',
      from: '2026-11-24T15:00:00Z',
      to: '2026-11-24T16:00:00Z',
      recurrence: { repeat: { weeks: 2 }, until: '2027-06-30' },
    });
    expect(made.statusCode).toBe(201);
    const rule = { repeat: { weeks: 2 }, until: '2027-06-30', endsNextWorkingDay: false };
    expect(made.json().rule).toEqual(rule);
    await anna().post('/api/v1/me/activities', { key: 'GF', from: '2026-11-24T15:00:00Z', recurrence: { repeat: 'everyWorkingDay', endsNextWorkingDay: true } });
    const list = (await anna().get(`/api/v1/me/activities?from=${iso(NOW)}&to=${iso(NOW + 30 * 24 * 60 * MIN)}`)).json().activities as { key: string; source: string; rule?: unknown }[];
    const byKey = (k: string) => list.filter((a) => a.key === k);
    expect(byKey('M').length).toBeGreaterThanOrEqual(2);
    expect(byKey('M').every((a) => JSON.stringify(a.rule) === JSON.stringify(rule))).toBe(true);
    expect(byKey('GF')[0]?.rule).toEqual({ repeat: 'everyWorkingDay', until: null, endsNextWorkingDay: true });
    // Only recurring activities carry a rule.
    await anna().post('/api/v1/me/activities', { key: 'L', from: iso(NOW), to: iso(NOW + 60 * MIN) });
    const lunch = (await anna().get('/api/v1/me/activities')).json().activities.find((a: { key: string }) => a.key === 'L');
    expect(lunch).toBeDefined();
    expect(lunch.rule).toBeUndefined();
  });
});
