/** Calendar sync through the loopback fake Graph: bookings found in Graph divert like the add-in's (issue 6). */
import { Service } from '../../../src/server/service';
import { TID } from '../../helpers/server';
import { at, type Harness, harness, iso, linkUser } from './harness';

let h: Harness;
afterEach(async () => h?.close());

const lunch = (id: string, extra: Record<string, unknown> = {}) => ({ id, subject: 'NP/L: Lunch med Eva', start: iso('11:00'), end: iso('12:00'), location: 'Rum 4', body: 'Ring 0701234567', ...extra });

describe('delta rounds', () => {
  beforeEach(async () => {
    h = await harness({}, { pageSize: 10 });
    await linkUser(h, 'anna', '1021');
  });

  test('a new booking diverts; the request asks for UTC times and a page size', async () => {
    h.graph.put('anna', lunch('e1'));
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ oid: 'anna', ok: true, full: true, stored: 1 });
    expect(await h.stateAt('1021', at('11:30'))).toEqual({ key: 'L', from: at('11:00'), to: at('12:00') });
    expect(await h.stateAt('1021', at('12:30'))).toBeNull();
    expect(h.graph.lastPrefer).toContain('outlook.timezone="UTC"');
    expect(h.graph.lastPrefer).toContain('odata.maxpagesize=10');
    expect(h.graph.requests.token).toBe(1);
    const row = await h.store.getCalendarSync({ tid: TID, oid: 'anna' });
    expect(row?.deltaLink).toMatch(/\$deltatoken=/);
    expect(row?.windowStart).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(row?.windowEnd).toBe(Date.parse('2026-11-23T00:00:00Z') + 61 * 86_400_000);
  });

  test('an edited booking moves, a deleted one clears; later rounds follow the delta link', async () => {
    h.graph.put('anna', lunch('e1'));
    await h.sync.runAll();
    h.graph.put('anna', lunch('e1', { start: iso('13:00'), end: iso('14:00') }));
    const [moved] = await h.sync.runAll();
    expect(moved).toMatchObject({ full: false, stored: 1 });
    expect(h.graph.deltaLog.map((d) => d.kind)).toEqual(['initial', 'delta']);
    expect(await h.stateAt('1021', at('11:30'))).toBeNull();
    expect(await h.stateAt('1021', at('13:30'))).toMatchObject({ key: 'L' });

    h.graph.remove('anna', 'e1');
    const [gone] = await h.sync.runAll();
    expect(gone).toMatchObject({ removed: 1 });
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'e1')).toBeNull();
    expect(await h.stateAt('1021', at('13:30'))).toBeNull();
  });

  test('pages are followed to the delta link', async () => {
    for (let i = 0; i < 25; i++) h.graph.put('anna', lunch(`p${i}`, { start: iso('11:00', `2026-12-${String(i + 1).padStart(2, '0')}`), end: iso('12:00', `2026-12-${String(i + 1).padStart(2, '0')}`) }));
    const [r] = await h.sync.runAll();
    expect(r?.stored).toBe(25);
    expect(h.graph.deltaLog.map((d) => d.kind)).toEqual(['initial', 'page', 'page']);
    expect(await h.store.listBookings({ tid: TID, oid: 'anna' }, 0, Date.parse('2027-01-01'))).toHaveLength(25);
  });

  test('a private booking is kept without its text and does not divert by default', async () => {
    await h.as('user.anna', 'PUT', '/api/v1/me/settings', { messageFields: { subject: true, location: true, body: true } });
    h.graph.put('anna', lunch('private1', { sensitivity: 'private' }));
    h.graph.put('anna', lunch('open1', { start: iso('14:00'), end: iso('15:00') }));
    await h.sync.runAll();
    const priv = await h.store.getBooking({ tid: TID, oid: 'anna' }, 'private1');
    expect(priv).toMatchObject({ prefix: 'NP/L:', rest: null, location: null, body: null, sensitivity: 'private' });
    expect(await h.stateAt('1021', at('11:30'))).toBeNull();
    // The same fields of a booking that is not private are kept, as the message fields ask.
    const open = await h.store.getBooking({ tid: TID, oid: 'anna' }, 'open1');
    expect(open).toMatchObject({ rest: 'Lunch med Eva', location: 'Rum 4', body: 'Ring 0701234567' });
    // With body wanted, Graph is asked for text bodies.
    expect(h.graph.lastPrefer).toContain('outlook.body-content-type="text"');
  });

  test('without message fields nothing but the code is stored', async () => {
    h.graph.put('anna', lunch('e1'));
    await h.sync.runAll();
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'e1')).toMatchObject({ prefix: 'NP/L:', rest: null, location: null, body: null });
    expect(h.graph.lastPrefer).not.toContain('body-content-type');
  });

  test('a series arrives as occurrences with their exception, and replaces the series the add-in pushed', async () => {
    // The add-in pushed the series under its master id with an Office.js daily pattern.
    const pushed = await h.as('user.anna', 'PUT', '/api/v1/me/bookings/m1', {
      subject: 'NP/M: Veckomöte',
      start: iso('08:00', '2026-11-24'),
      end: iso('09:00', '2026-11-24'),
      recurrence: { recurrenceType: 'daily', recurrenceProperties: { interval: 1 }, seriesTime: { startDate: '2026-11-24', startTime: '09:00', endDate: '2026-11-26', durationMinutes: 60 } },
    });
    expect(pushed.statusCode).toBeLessThan(300);
    h.graph.put('anna', { id: 'm1', subject: 'NP/M: Veckomöte', start: iso('08:00'), end: iso('09:00'), type: 'seriesMaster' });
    h.graph.put('anna', { id: 'o1', subject: 'NP/M: Veckomöte', start: iso('08:00', '2026-11-24'), end: iso('09:00', '2026-11-24'), type: 'occurrence', seriesMasterId: 'm1' });
    // The exception: Wednesday's meeting moved to 13:00.
    h.graph.put('anna', { id: 'o2', subject: 'NP/M: Veckomöte', start: iso('13:00', '2026-11-25'), end: iso('14:00', '2026-11-25'), type: 'exception', seriesMasterId: 'm1' });
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ ok: true, stored: 2 });
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'm1')).toBeNull();
    expect(await h.stateAt('1021', at('08:30', '2026-11-24'))).toMatchObject({ key: 'M' });
    expect(await h.stateAt('1021', at('08:30', '2026-11-25'))).toBeNull();
    expect(await h.stateAt('1021', at('13:30', '2026-11-25'))).toMatchObject({ key: 'M' });
  });

  test('410 on the delta link starts over, and what was deleted meanwhile is removed', async () => {
    h.graph.put('anna', lunch('e1'));
    h.graph.put('anna', lunch('e2', { start: iso('15:00'), end: iso('16:00') }));
    await h.sync.runAll();
    h.graph.expireDeltaLinks('anna');
    h.graph.remove('anna', 'e1');
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ ok: true, full: true });
    expect(h.graph.deltaLog.map((d) => d.kind)).toEqual(['initial', 'delta', 'initial']);
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'e1')).toBeNull();
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'e2')).not.toBeNull();
  });

  test('a full round never removes the user\'s Google bookings (issue 17: Google sync owns those)', async () => {
    const service = new Service(h.store, () => h.clock.now, 'Europe/Stockholm', 0);
    await service.putBooking(await service.context(await h.user('anna')), 'google:g1', { subject: 'NP/M: Möte', start: iso('14:00'), end: iso('15:00') });
    h.graph.put('anna', lunch('e1'));
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ ok: true, full: true, removed: 0 });
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'google:g1')).not.toBeNull();
  });

  test('429 and 503 with Retry-After are waited out, as long as Graph says', async () => {
    h.graph.put('anna', lunch('e1'));
    h.graph.fail('anna', 429, { retryAfter: 1 });
    h.graph.fail('anna', 503, { retryAfter: 3 });
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ ok: true, stored: 1 });
    expect(h.sleeps).toEqual([1000, 3000]);
  });

  test('the window rolls forward daily: a new day starts over with a new window', async () => {
    const far = iso('11:00', '2027-01-23');
    h.graph.put('anna', lunch('far', { start: far, end: iso('12:00', '2027-01-23') }));
    await h.sync.runAll();
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'far')).toBeNull();
    h.clock.now += 86_400_000;
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ full: true, stored: 1 });
    expect(await h.store.getBooking({ tid: TID, oid: 'anna' }, 'far')).not.toBeNull();
    expect((await h.store.getCalendarSync({ tid: TID, oid: 'anna' }))?.windowStart).toBe(Date.parse('2026-11-24T00:00:00Z'));
  });

  test('the same booking pushed by the add-in and found by Graph is one booking and diverts once', async () => {
    const body = { subject: 'NP/L: Lunch', start: iso('11:00'), end: iso('12:00'), lastModified: '2026-11-20T08:00:00Z' };
    expect((await h.as('user.anna', 'PUT', '/api/v1/me/bookings/AAMkAGI2TG93AAA%3D', body)).statusCode).toBeLessThan(300);
    h.graph.put('anna', lunch('AAMkAGI2TG93AAA='));
    await h.sync.runAll();
    const bookings = await h.store.listBookings({ tid: TID, oid: 'anna' }, 0, Date.parse('2027-01-01'));
    expect(bookings.map((b) => b.bookingId)).toEqual(['AAMkAGI2TG93AAA=']);
    const acts = await h.as('user.anna', 'GET', '/api/v1/me/activities?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z');
    expect(acts.statusCode).toBe(200);
    expect(acts.json().activities.filter((a: { source: string }) => a.source === 'calendar')).toHaveLength(1);
  });
});

describe('several mailboxes', () => {
  beforeEach(async () => {
    h = await harness();
    await linkUser(h, 'anna', '1021');
    await linkUser(h, 'bob', '1022');
    // Signed in but not linked: not read.
    await h.as('user.carl', 'GET', '/api/v1/me');
  });

  test('one failing mailbox is recorded for that user while the other still syncs', async () => {
    h.graph.put('anna', lunch('a1'));
    h.graph.put('bob', lunch('b1'));
    h.graph.fail('bob', 403, { code: 'ErrorAccessDenied' });
    const results = await h.sync.runAll();
    expect(results.map((r) => [r.oid, r.ok])).toEqual([
      ['anna', true],
      ['bob', false],
    ]);
    expect(await h.stateAt('1021', at('11:30'))).toMatchObject({ key: 'L' });
    expect(await h.stateAt('1022', at('11:30'))).toBeNull();

    const admin = await h.as('admin.boss', 'GET', '/api/v1/admin/calendar');
    expect(admin.statusCode).toBe(200);
    const users = admin.json().users as { oid: string; lastError: string | null; lastSuccessAt: string | null; extension: string; lagSeconds: number | null; subscriptionActive: boolean }[];
    expect(users.map((u) => u.oid)).toEqual(['anna', 'bob']);
    expect(users[0]).toMatchObject({ extension: '1021', lastError: null, lastSuccessAt: '2026-11-24T10:00:00Z', lagSeconds: 0, subscriptionActive: false });
    expect(users[1]).toMatchObject({ extension: '1022', lastError: 'HTTP 403 ErrorAccessDenied', lastSuccessAt: null });
    // The body Graph sent never reaches the admin view.
    expect(admin.body).not.toContain('fake failure');

    // Next round bob recovers.
    const again = await h.sync.runAll();
    expect(again.every((r) => r.ok)).toBe(true);
    expect(await h.stateAt('1022', at('11:30'))).toMatchObject({ key: 'L' });
  });

  test('the admin view needs the Admin role', async () => {
    expect((await h.as('user.anna', 'GET', '/api/v1/admin/calendar')).statusCode).toBe(403);
  });

  test('Synka om (POST /admin/calendar/{oid}/resync) reads the calendar again from the start, without its delta link', async () => {
    h.graph.put('anna', lunch('e1'));
    await h.sync.runAll();
    const r = await h.as('admin.boss', 'POST', '/api/v1/admin/calendar/anna/resync');
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ oid: 'anna', resyncing: true });
    await h.sync.idle();
    expect(h.graph.deltaLog.filter((d) => d.user === 'anna').map((d) => d.kind)).toEqual(['initial', 'initial']);
    expect(h.graph.deltaLog.filter((d) => d.user === 'bob').map((d) => d.kind)).toEqual(['initial']);
    expect(await h.stateAt('1021', at('11:30'))).toMatchObject({ key: 'L' });
    expect((await h.as('admin.boss', 'POST', '/api/v1/admin/calendar/nobody/resync')).statusCode).toBe(404);
    expect((await h.as('user.anna', 'POST', '/api/v1/admin/calendar/anna/resync')).statusCode).toBe(403);
  });
});

describe('token', () => {
  test('a wrong client secret is recorded as the users\' error, not thrown', async () => {
    h = await harness({ GRAPH_CLIENT_SECRET: 'wrong-secret' });
    await linkUser(h, 'anna', '1021');
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ ok: false, error: 'HTTP 401 invalid_client' });
  });
});
