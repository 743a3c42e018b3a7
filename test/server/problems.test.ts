/** Issue 14: GET /api/v1/me/problems, the bookings in the coming 14 days that will not divert, and why. */
import { link, type TestServer, testServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
/** A booking `days` ahead of NOW, 11:00–12:00 UTC (12:00–13:00 in Stockholm). */
const at = (days: number, extra: Record<string, unknown> = {}) => ({
  start: iso(Date.parse('2026-11-24T11:00:00Z') + days * DAY),
  end: iso(Date.parse('2026-11-24T12:00:00Z') + days * DAY),
  location: 'Rum 4',
  body: 'Ring 0701234567',
  ...extra,
});

let s: TestServer;
beforeEach(async () => {
  s = await testServer({}, NOW);
  await link(s, 'anna', '1021');
});
afterEach(() => s.close());
const anna = () => s.as('user.anna');
const put = async (id: string, booking: Record<string, unknown>) => {
  const r = await anna().put(`/api/v1/me/bookings/${encodeURIComponent(id)}`, booking);
  if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`);
};
const problems = async () => {
  const r = await anna().get('/api/v1/me/problems');
  expect(r.statusCode).toBe(200);
  return r.json() as { from: string; to: string; more: boolean; problems: Record<string, unknown>[] };
};

test('a near miss from the add-in is listed with its kind, the intended code and both languages', async () => {
  await put('b1', at(1, { subject: 'NP/L Lunch med Eva' }));
  await put('fine', at(1, { subject: 'NP/L: Lunch med Eva' }));
  const answer = await problems();
  expect(answer).toEqual({
    from: iso(NOW),
    to: iso(NOW + 14 * DAY),
    more: false,
    problems: [
      {
        bookingId: 'b1',
        start: '2026-11-25T11:00:00Z',
        end: '2026-11-25T12:00:00Z',
        isAllDay: false,
        kind: 'nearMiss',
        nearMiss: { kind: 'missingColon', key: 'L' },
        intended: 'L',
        message: { sv: 'Kolon saknas: menade du NP/L:?', en: 'The colon is missing: did you mean NP/L:?' },
      },
    ],
  });
});

test('every near miss kind; an unknown key names no intended code', async () => {
  await put('sep', at(1, { subject: 'NP-L: Lunch' }));
  await put('space', at(2, { subject: 'NP/ L: Lunch' }));
  await put('unknown', at(3, { subject: 'NP/X: Lunch' }));
  const got = (await problems()).problems.map((p) => [p.bookingId, p.nearMiss, p.intended]);
  expect(got).toEqual([
    ['sep', { kind: 'wrongSeparator', key: 'L' }, 'L'],
    ['space', { kind: 'spaceInside', key: 'L' }, 'L'],
    ['unknown', { kind: 'unknownKey', key: null }, null],
  ]);
});

test('notAtStart: the stored row keeps no subject (nor its code), yet the near miss is listed', async () => {
  await put('late', at(1, { subject: 'Lunch med Eva NP/L:' }));
  const row = await s.store.getBooking({ tid: (await s.store.listUsers())[0]!.tid, oid: 'anna' }, 'late');
  expect(row).toMatchObject({ prefix: '', rest: null, location: null, body: null, nearMiss: { kind: 'notAtStart', key: 'L' } });
  const [p] = (await problems()).problems;
  expect(p).toMatchObject({ bookingId: 'late', kind: 'nearMiss', nearMiss: { kind: 'notAtStart', key: 'L' }, intended: 'L' });
  expect((p!.message as { sv: string }).sv).toBe('Koden står inte först: skriv NP/L: först i ämnet.');
});

test('private, free and tentative bookings with a code are listed; without a code they are not', async () => {
  await put('priv', at(1, { subject: 'NP/L: Lunch', sensitivity: 'private' }));
  await put('conf', at(2, { subject: 'NP/L: Lunch', sensitivity: 'confidential' }));
  await put('free', at(3, { subject: 'NP/M: Möte', showAs: 'free' }));
  await put('tent', at(4, { subject: 'NP/M: Möte', showAs: 'tentative' }));
  await put('priv-nocode', at(5, { subject: 'Tandläkare', sensitivity: 'private' }));
  await put('free-nocode', at(6, { subject: 'Fika', showAs: 'free' }));
  const got = (await problems()).problems.map((p) => [p.bookingId, p.kind, p.nearMiss, p.intended]);
  expect(got).toEqual([
    ['priv', 'private', null, 'L'],
    ['conf', 'private', null, 'L'],
    ['free', 'free', null, 'M'],
    ['tent', 'tentative', null, 'M'],
  ]);
  const free = (await problems()).problems[2]!;
  expect(free.message).toEqual({ sv: 'Visas som Ledig: sådana möten synkas inte enligt dina inställningar.', en: 'Shown as Free: such meetings are not synced with your settings.' });
});

test('with "include private" turned on, a private booking is no longer a problem (settings are read now)', async () => {
  await put('priv', at(1, { subject: 'NP/L: Lunch', sensitivity: 'private' }));
  await put('free', at(2, { subject: 'NP/M: Möte', showAs: 'free' }));
  expect((await problems()).problems.map((p) => p.bookingId)).toEqual(['priv', 'free']);
  expect((await anna().put('/api/v1/me/settings', { include: { private: true } })).statusCode).toBe(200);
  expect((await problems()).problems.map((p) => p.bookingId)).toEqual(['free']);
  // Turned off again, it comes back: nothing was forgotten.
  await anna().put('/api/v1/me/settings', {});
  expect((await problems()).problems.map((p) => p.bookingId)).toEqual(['priv', 'free']);
});

test('a near miss stays a problem even when a default code makes the booking divert', async () => {
  await anna().put('/api/v1/me/settings', { defaultCode: 'M' });
  const r = await anna().put('/api/v1/me/bookings/b1', at(1, { subject: 'NP/L Lunch' }));
  expect(r.json().resolution.diverts).toBe(true);
  expect((await problems()).problems.map((p) => p.nearMiss)).toEqual([{ kind: 'missingColon', key: 'L' }]);
});

test("a stored series is listed at its next occurrence ending after now, though its first one is past", async () => {
  await put('series', {
    subject: 'NP/L lunch',
    start: '2026-11-20T11:00:00Z',
    end: '2026-11-20T12:00:00Z',
    recurrence: { recurrenceType: 'daily', recurrenceProperties: { interval: 1 }, seriesTime: { startDate: '2026-11-20', startTime: '12:00', endDate: '2026-12-31', durationMinutes: 60 } },
  });
  await put('later', at(0, { subject: 'NP/L lunch', start: '2026-11-24T13:00:00Z', end: '2026-11-24T14:00:00Z' }));
  const got = (await problems()).problems.map((p) => [p.bookingId, p.start, p.end]);
  expect(got).toEqual([
    ['series', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z'],
    ['later', '2026-11-24T13:00:00Z', '2026-11-24T14:00:00Z'],
  ]);
  // One running now is still ahead of its end: listed with today's times.
  s.clock.now = Date.parse('2026-11-24T11:30:00Z');
  expect((await problems()).problems[0]).toMatchObject({ bookingId: 'series', start: '2026-11-24T11:00:00Z' });
  // A series over before now is not listed.
  await put('over', { subject: 'NP/L lunch', start: '2026-11-02T11:00:00Z', end: '2026-11-02T12:00:00Z', recurrence: { recurrenceType: 'daily', recurrenceProperties: { interval: 1 }, seriesTime: { startDate: '2026-11-02', startTime: '12:00', endDate: '2026-11-06', durationMinutes: 60 } } });
  expect((await problems()).problems.map((p) => p.bookingId)).not.toContain('over');
});

test('cancelled and declined bookings are not problems; nor anything while the coupling is off', async () => {
  await put('cancelled', at(1, { subject: 'NP/L Lunch', isCancelled: true }));
  await put('declined', at(2, { subject: 'NP/L: Lunch', showAs: 'free', responseStatus: 'declined' }));
  await put('real', at(3, { subject: 'NP/L Lunch' }));
  expect((await problems()).problems.map((p) => p.bookingId)).toEqual(['real']);
  await anna().put('/api/v1/me/settings', { enabled: false });
  expect((await problems()).problems).toEqual([]);
});

test('only the coming 14 days: past bookings and later ones are not listed; a running one is', async () => {
  await put('past', at(-1, { subject: 'NP/L Lunch' }));
  await put('running', { subject: 'NP/L Lunch', start: '2026-11-24T09:00:00Z', end: '2026-11-24T11:00:00Z' });
  await put('in13', at(13, { subject: 'NP/L Lunch' }));
  await put('in15', at(15, { subject: 'NP/L Lunch' }));
  expect((await problems()).problems.map((p) => p.bookingId)).toEqual(['running', 'in13']);
  s.clock.now = NOW + 2 * DAY;
  expect((await problems()).problems.map((p) => p.bookingId)).toEqual(['in13', 'in15']);
});

test('a booking fixed in Outlook is gone from the list', async () => {
  await put('b1', at(1, { subject: 'NP/L Lunch', lastModified: iso(NOW - 60_000) }));
  expect((await problems()).problems).toHaveLength(1);
  await put('b1', at(1, { subject: 'NP/L: Lunch', lastModified: iso(NOW) }));
  expect((await problems()).problems).toEqual([]);
});

test('no subject text, location or body in the answer, even when the message fields keep them', async () => {
  await anna().put('/api/v1/me/settings', { messageFields: { subject: true, location: true, body: true } });
  await put('b1', at(1, { subject: 'NP/L Lunch med Eva' }));
  await put('b2', at(2, { subject: 'Lunch med Eva NP/L:' }));
  await put('b3', at(3, { subject: 'NP/L: Lunch med Eva', showAs: 'tentative' }));
  const r = await anna().get('/api/v1/me/problems');
  expect(r.json().problems).toHaveLength(3);
  for (const secret of ['Lunch', 'Eva', 'Rum 4', '0701234567']) expect(r.body).not.toContain(secret);
  for (const p of r.json().problems) expect(Object.keys(p).sort()).toEqual(['bookingId', 'end', 'intended', 'isAllDay', 'kind', 'message', 'nearMiss', 'start']);
});

test('sorted by start, at most 100, then more: true', async () => {
  for (let i = 0; i < 101; i++) await put(`b${String(100 - i).padStart(3, '0')}`, at(0, { subject: 'NP/L Lunch', start: iso(NOW + (i + 1) * 60_000), end: iso(NOW + (i + 2) * 60_000) }));
  const answer = await problems();
  expect(answer.more).toBe(true);
  expect(answer.problems).toHaveLength(100);
  expect(answer.problems[0]!.bookingId).toBe('b100');
  expect(answer.problems[99]!.bookingId).toBe('b001');
});

test("another user's bookings are not yours", async () => {
  await link(s, 'bert', '1022');
  await put('b1', at(1, { subject: 'NP/L Lunch' }));
  expect((await s.as('user.bert').get('/api/v1/me/problems')).json().problems).toEqual([]);
});

test('401 without sign-in; 403 not linked, like the other /me routes', async () => {
  const anon = await s.app.inject({ url: '/api/v1/me/problems' });
  expect(anon.statusCode).toBe(401);
  expect(anon.headers['content-type']).toMatch(/problem\+json/);
  const unlinked = await s.as('user.nolink').get('/api/v1/me/problems');
  expect(unlinked.statusCode).toBe(403);
  expect((await s.as('user.nolink').get('/api/v1/me/activities')).statusCode).toBe(403);
});
