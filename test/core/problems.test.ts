/** Why a booking meant to divert will not (issue 14): near misses, and codes on bookings the settings leave out. */
import { buildCatalog, DEFAULT_CATALOG } from '../../src/core/catalog';
import { bookingProblem, problemFragment, problemLine, problemLines } from '../../src/core/problems';
import { resolveBooking } from '../../src/core/resolve';
import { DEFAULT_PROFILE, DEFAULT_SETTINGS, type CalendarSettings } from '../../src/core/settings';
import type { Booking } from '../../src/core/booking';

const T = Date.parse('2026-12-03T11:00:00Z');
function booking(subject: string, patch: Partial<Booking> = {}): Booking {
  return { id: 'b', subject, start: T, end: T + 3_600_000, isAllDay: false, location: '', body: '', sensitivity: 'normal', showAs: 'busy', isCancelled: false, responseStatus: 'organizer', lastModified: null, ...patch };
}
function problemOf(b: Booking, settings: CalendarSettings = DEFAULT_SETTINGS, catalog = DEFAULT_CATALOG) {
  return bookingProblem(b, resolveBooking(b, { settings, profile: DEFAULT_PROFILE, shared: false, catalog }), catalog);
}

test.each([
  ['NP/L lunch', 'missingColon', 'L', 'Kolon saknas: menade du NP/L:?'],
  ['NP\\M: möte', 'wrongSeparator', 'M', 'Felskriven kod: menade du NP/M:?'],
  ['NP /S: semester', 'spaceInside', 'S', 'Mellanslag i koden: menade du NP/S:?'],
  ['Lunch NP/L:', 'notAtStart', 'L', 'Koden står inte först: skriv NP/L: först i ämnet.'],
])('the near miss %j is a problem with its kind, the intended code and a line', (subject, kind, key, line) => {
  const p = problemOf(booking(subject));
  expect(p).toEqual({ kind: 'nearMiss', nearMiss: { kind, key }, intended: key });
  expect(problemLine(p!, 'sv', DEFAULT_CATALOG)).toBe(line);
});

test('an unknown code names the codes there are', () => {
  const p = problemOf(booking('NP/X: hej'))!;
  expect(p).toMatchObject({ kind: 'nearMiss', intended: null });
  expect(problemLine(p, 'en', DEFAULT_CATALOG)).toBe(`Unknown code: the codes are ${DEFAULT_CATALOG.enabledCodes().map((c) => c.prefix).join(' ')}.`);
});

test('a near miss counts even when a default code makes the booking divert', () => {
  expect(problemOf(booking('NP/L lunch'), { ...DEFAULT_SETTINGS, defaultCode: 'M' })).toMatchObject({ kind: 'nearMiss', intended: 'L' });
});

test.each([
  [{ sensitivity: 'private' as const }, 'private', 'privat bokning'],
  [{ sensitivity: 'confidential' as const }, 'private', 'privat bokning'],
  [{ showAs: 'free' as const }, 'free', 'visas som Ledig'],
  [{ showAs: 'tentative' as const }, 'tentative', 'preliminär bokning'],
])('a code on a booking the settings leave out (%j) is a problem', (patch, kind, fragment) => {
  const p = problemOf(booking('NP/L: Lunch', patch))!;
  expect(p).toEqual({ kind, nearMiss: null, intended: 'L' });
  expect(problemFragment(p, 'sv')).toBe(fragment);
});

test('not a problem: a good code, no code at all, a left-out booking without a code, or one the settings include', () => {
  expect(problemOf(booking('NP/L: Lunch'))).toBeNull();
  expect(problemOf(booking('Styrelsemöte'))).toBeNull();
  expect(problemOf(booking('Tandläkare', { sensitivity: 'private' }))).toBeNull();
  expect(problemOf(booking('NP/L: Lunch', { sensitivity: 'private' }), { ...DEFAULT_SETTINGS, include: { ...DEFAULT_SETTINGS.include, private: true } })).toBeNull();
  expect(problemOf(booking('NP/L: Lunch', { isCancelled: true }))).toBeNull();
});

test("lines use the organisation's prefixes and come in both languages, wholly in each", () => {
  const catalog = buildCatalog([{ key: 'L', label: { sv: 'Lunchrast' } }]);
  const lines = problemLines(problemOf(booking('NP/L lunch'), DEFAULT_SETTINGS, catalog)!, catalog);
  expect(lines).toEqual({ sv: 'Kolon saknas: menade du NP/L:?', en: 'The colon is missing: did you mean NP/L:?' });
});
