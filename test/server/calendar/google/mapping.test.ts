/** Google events → SPEC 8.1 snapshots (issue 17): times, all-day dates, privacy, free, responses, text only when asked. */
import { googleAddress } from '../../../../src/server/calendar/google/sync';
import { googleEventToSnapshot, googleInstant } from '../../../../src/server/calendar/google/mapping';

const ZONE = 'Europe/Stockholm';
const opts = { zone: ZONE, location: false, body: false };
const base = { id: 'abc123', summary: 'NP/L: Lunch', start: { dateTime: '2026-12-07T12:00:00+01:00' }, end: { dateTime: '2026-12-07T13:00:00+01:00' }, updated: '2026-12-04T10:00:00.123Z' };

test('a timed event: its instants in UTC, the summary as the subject, updated as lastModified, its own id namespace', () => {
  expect(googleEventToSnapshot(base, opts)).toEqual({
    id: 'google:abc123',
    subject: 'NP/L: Lunch',
    start: '2026-12-07T11:00:00.000Z',
    end: '2026-12-07T12:00:00.000Z',
    isAllDay: false,
    location: '',
    body: '',
    sensitivity: 'normal',
    showAs: 'busy',
    isCancelled: false,
    responseStatus: 'none',
    lastModified: '2026-12-04T10:00:00.123Z',
  });
});

test('an all-day event: local midnights in the organisation\'s zone (summer and winter)', () => {
  const s = googleEventToSnapshot({ ...base, start: { date: '2026-07-01' }, end: { date: '2026-07-03' } }, opts);
  expect([s.start, s.end, s.isAllDay]).toEqual(['2026-06-30T22:00:00.000Z', '2026-07-02T22:00:00.000Z', true]);
  expect(googleInstant({ date: '2026-12-24' }, ZONE, 'start')).toEqual({ iso: '2026-12-23T23:00:00.000Z', allDay: true });
  expect(() => googleInstant({ date: '2026-13-40' }, ZONE, 'start')).toThrow(/start/);
  expect(() => googleInstant({}, ZONE, 'end')).toThrow(/end: is missing/);
});

test('visibility private/confidential → private; transparent → free; cancelled', () => {
  expect(googleEventToSnapshot({ ...base, visibility: 'private' }, opts).sensitivity).toBe('private');
  expect(googleEventToSnapshot({ ...base, visibility: 'confidential' }, opts).sensitivity).toBe('confidential');
  expect(googleEventToSnapshot({ ...base, visibility: 'public' }, opts).sensitivity).toBe('normal');
  expect(googleEventToSnapshot({ ...base, transparency: 'transparent' }, opts).showAs).toBe('free');
  expect(googleEventToSnapshot({ ...base, status: 'cancelled' }, opts).isCancelled).toBe(true);
});

test("the calendar owner's response: declined, tentative (shown tentative), accepted, organiser", () => {
  const withSelf = (responseStatus: string, organizer = false) => googleEventToSnapshot({ ...base, attendees: [{ email: 'x@skola.example', responseStatus: 'accepted' }, { email: 'anna@skola.example', self: true, organizer, responseStatus }] }, opts);
  expect(withSelf('declined').responseStatus).toBe('declined');
  expect([withSelf('tentative').responseStatus, withSelf('tentative').showAs]).toEqual(['tentativelyAccepted', 'tentative']);
  expect(withSelf('accepted').responseStatus).toBe('accepted');
  expect(withSelf('needsAction').responseStatus).toBe('notResponded');
  expect(withSelf('accepted', true).responseStatus).toBe('organizer');
});

test('location and description only when the message fields ask; HTML descriptions as text', () => {
  const e = { ...base, location: 'Rum 12', description: '<b>Hämta</b> barnen<br>kl 15' };
  expect(googleEventToSnapshot(e, opts)).toMatchObject({ location: '', body: '' });
  expect(googleEventToSnapshot(e, { zone: ZONE, location: true, body: true })).toMatchObject({ location: 'Rum 12', body: 'Hämta barnen kl 15' });
});

test("a user's Workspace address: the e-mail, else the user principal name, only in the domain", () => {
  expect(googleAddress({ mail: 'Anna@Skola.Example', upn: null }, 'skola.example')).toBe('anna@skola.example');
  expect(googleAddress({ mail: 'anna@kommun.example', upn: 'anna@skola.example' }, 'skola.example')).toBe('anna@skola.example');
  expect(googleAddress({ mail: 'anna@notskola.example', upn: null }, 'skola.example')).toBeNull();
  expect(googleAddress({ mail: null, upn: null }, 'skola.example')).toBeNull();
});
