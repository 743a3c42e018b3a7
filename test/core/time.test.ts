import { ValidationError } from '../../src/core/errors';
import { buildOrg } from '../../src/core/org';
import { atLocal, formatInstant, parseInstant, WorkCalendar, type WorkdayConfig } from '../../src/core/time';
import { expectFieldError } from '../helpers/errors';

const STOCKHOLM: WorkdayConfig = { timeZone: 'Europe/Stockholm', workdayStart: '08:00', workdayEnd: '17:00', extraDaysOff: [] };

/** Expects `fn` to throw a ValidationError naming exactly `field`. */

/** Instant from explicit UTC fields, computed without the code under test. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);

// ---------------------------------------------------------------------------------------------
// Working days

/**
 * Every Swedish non-working holiday (public holidays plus midsommarafton, julafton, nyårsafton)
 * of 2026 and 2027, worked out by hand (Easter Sunday 2026-04-05 and 2027-03-28).
 */
const HOLIDAYS: Record<string, string> = {
  // 2026
  '2026-01-01': 'nyårsdagen (Thu)',
  '2026-01-06': 'trettondedag jul (Tue)',
  '2026-04-03': 'långfredagen',
  '2026-04-05': 'påskdagen',
  '2026-04-06': 'annandag påsk',
  '2026-05-01': 'första maj (Fri)',
  '2026-05-14': 'Kristi himmelsfärdsdag (Thu)',
  '2026-05-24': 'pingstdagen (Sun)',
  '2026-06-06': 'nationaldagen (Sat)',
  '2026-06-19': 'midsommarafton (Fri)',
  '2026-06-20': 'midsommardagen (Sat)',
  '2026-10-31': 'alla helgons dag (Sat)',
  '2026-12-24': 'julafton (Thu)',
  '2026-12-25': 'juldagen (Fri)',
  '2026-12-26': 'annandag jul (Sat)',
  '2026-12-31': 'nyårsafton (Thu)',
  // 2027
  '2027-01-01': 'nyårsdagen (Fri)',
  '2027-01-06': 'trettondedag jul (Wed)',
  '2027-03-26': 'långfredagen',
  '2027-03-28': 'påskdagen',
  '2027-03-29': 'annandag påsk',
  '2027-05-01': 'första maj (Sat)',
  '2027-05-06': 'Kristi himmelsfärdsdag (Thu, Easter + 39)',
  '2027-05-16': 'pingstdagen (Sun, Easter + 49)',
  '2027-06-06': 'nationaldagen (Sun)',
  '2027-06-25': 'midsommarafton (Fri)',
  '2027-06-26': 'midsommardagen (Sat)',
  '2027-11-06': 'alla helgons dag (Sat)',
  '2027-12-24': 'julafton (Fri)',
  '2027-12-25': 'juldagen (Sat)',
  '2027-12-26': 'annandag jul (Sun)',
  '2027-12-31': 'nyårsafton (Fri)',
};

/** Every date of a year as [YYYY-MM-DD, weekday 0=Sun..6=Sat], using plain Date arithmetic. */
function datesOf(year: number): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const d = new Date(t);
    out.push([d.toISOString().slice(0, 10), d.getUTCDay()]);
  }
  return out;
}

describe('WorkCalendar.isWorkingDay', () => {
  const cal = new WorkCalendar();

  it('the hand-written holiday table has 16 dates per year', () => {
    expect(Object.keys(HOLIDAYS).filter((d) => d.startsWith('2026'))).toHaveLength(16);
    expect(Object.keys(HOLIDAYS).filter((d) => d.startsWith('2027'))).toHaveLength(16);
  });

  it.each([2026, 2027])('matches Mon–Fri minus the holiday table for every date of %i', (year) => {
    const dates = datesOf(year);
    expect(dates).toHaveLength(365);
    const mismatches: string[] = [];
    let working = 0;
    for (const [date, dow] of dates) {
      const expected = dow >= 1 && dow <= 5 && !(date in HOLIDAYS);
      if (expected) working++;
      if (cal.isWorkingDay(date) !== expected) mismatches.push(`${date} expected ${expected}`);
    }
    expect(mismatches).toEqual([]);
    // 2026: 261 weekdays, 10 holidays on weekdays → 251. 2027: 261 weekdays, 8 holidays on weekdays → 253.
    expect(working).toBe(year === 2026 ? 251 : 253);
  });

  it('observances are not days off: skärtorsdagen, valborgsmässoafton, trettondagsafton, allhelgonaafton, annandag pingst', () => {
    for (const d of ['2026-04-02', '2026-04-30', '2026-01-05', '2026-10-30', '2026-05-25', '2027-03-25', '2027-04-30', '2027-01-05', '2027-11-05', '2027-05-17']) {
      expect([d, cal.isWorkingDay(d)]).toEqual([d, true]);
    }
  });

  it('påskafton and pingstafton are Saturdays anyway', () => {
    for (const d of ['2026-04-04', '2026-05-23', '2027-03-27', '2027-05-15']) {
      expect(new Date(`${d}T12:00:00Z`).getUTCDay()).toBe(6);
      expect(cal.isWorkingDay(d)).toBe(false);
    }
  });

  it('extra days off (klämdagar) are not working days; neighbours are unaffected', () => {
    const c = new WorkCalendar({ ...STOCKHOLM, extraDaysOff: ['2026-05-15', '2027-05-07'] });
    expect(c.isWorkingDay('2026-05-15')).toBe(false);
    expect(c.isWorkingDay('2027-05-07')).toBe(false);
    expect(c.isWorkingDay('2026-05-13')).toBe(true);
    expect(c.isWorkingDay('2026-05-18')).toBe(true);
    expect(cal.isWorkingDay('2026-05-15')).toBe(true);
  });
});

describe('WorkCalendar.nextWorkingDayStart (Europe/Stockholm, 08:00)', () => {
  const cal = new WorkCalendar();
  // [description, from instant, expected instant]
  const cases: Array<[string, string, string]> = [
    ['SPEC: Fri 07:00 → Mon', '2026-11-27T06:00:00Z', '2026-11-30T07:00:00Z'],
    ['SPEC: Wed before Christmas 2026 → Mon 28th', '2026-12-23T15:00:00Z', '2026-12-28T07:00:00Z'],
    ['SPEC: skärtorsdagen 2026 16:00 → Tue after Easter', '2026-04-02T14:00:00Z', '2026-04-07T06:00:00Z'],
    ['Wed before Easter 2026 → skärtorsdagen (a working day)', '2026-04-01T14:00:00Z', '2026-04-02T06:00:00Z'],
    ['långfredagen 2026 → Tue after Easter', '2026-04-03T10:00:00Z', '2026-04-07T06:00:00Z'],
    ['skärtorsdagen 2027 (CET) → Tue after Easter (CEST)', '2027-03-25T15:00:00Z', '2027-03-30T06:00:00Z'],
    ['Ascension 2026: Wed → Fri', '2026-05-13T14:00:00Z', '2026-05-15T06:00:00Z'],
    ['Ascension 2027: Wed → Fri', '2027-05-05T14:00:00Z', '2027-05-07T06:00:00Z'],
    ['Fri before Pentecost 2026 → Mon (annandag pingst works)', '2026-05-22T14:00:00Z', '2026-05-25T06:00:00Z'],
    ['Thu 30 Apr 2026 → Mon 4 May (1 May off)', '2026-04-30T14:00:00Z', '2026-05-04T06:00:00Z'],
    ['Midsummer 2026: Thu → Mon', '2026-06-18T14:00:00Z', '2026-06-22T06:00:00Z'],
    ['Midsummer 2027: Thu → Mon', '2027-06-24T14:00:00Z', '2027-06-28T06:00:00Z'],
    ['Christmas 2027: Thu 23rd → Mon 27th', '2027-12-23T15:00:00Z', '2027-12-27T07:00:00Z'],
    ['Mon 28 Dec 2026 → Tue 29th', '2026-12-28T15:00:00Z', '2026-12-29T07:00:00Z'],
    ['New Year 2026/27: Wed 30 Dec → Mon 4 Jan', '2026-12-30T15:00:00Z', '2027-01-04T07:00:00Z'],
    ['New Year 2027/28: Thu 30 Dec → Mon 3 Jan 2028', '2027-12-30T15:00:00Z', '2028-01-03T07:00:00Z'],
    ['Epiphany 2026: Mon 5 Jan → Wed 7 Jan', '2026-01-05T15:00:00Z', '2026-01-07T07:00:00Z'],
    ['Epiphany 2027: Tue 5 Jan → Thu 7 Jan', '2027-01-05T15:00:00Z', '2027-01-07T07:00:00Z'],
    ['Thu before alla helgons 2027 → Fri (allhelgonaafton works)', '2027-11-04T15:00:00Z', '2027-11-05T07:00:00Z'],
    ['23:30Z Thu is Fri 00:30 local → Mon', '2026-11-26T23:30:00Z', '2026-11-30T07:00:00Z'],
    ['22:59Z Thu is Thu 23:59 local → Fri', '2026-11-26T22:59:00Z', '2026-11-27T07:00:00Z'],
    ['Fri 23:59 local → Mon', '2026-11-27T22:59:00Z', '2026-11-30T07:00:00Z'],
    ['a working-day start itself → next day', '2026-11-24T07:00:00Z', '2026-11-25T07:00:00Z'],
    ['DST start: Fri 2026-03-27 16:00 → Mon 06:00Z', '2026-03-27T15:00:00Z', '2026-03-30T06:00:00Z'],
    ['DST start: Sat 2026-03-28 → Mon', '2026-03-28T10:00:00Z', '2026-03-30T06:00:00Z'],
    ['DST day: Sun 2026-03-29 23:59 local → Mon', '2026-03-29T21:59:00Z', '2026-03-30T06:00:00Z'],
    ['Mon 2026-03-30 00:00 local → Tue', '2026-03-29T22:00:00Z', '2026-03-31T06:00:00Z'],
    ['DST end: Fri 2026-10-23 16:00 → Mon 07:00Z', '2026-10-23T14:00:00Z', '2026-10-26T07:00:00Z'],
    ['DST end day: Sun 2026-10-25 23:30 local (CET) → Mon', '2026-10-25T22:30:00Z', '2026-10-26T07:00:00Z'],
    ['Mon 2026-10-26 00:30 local → Tue', '2026-10-25T23:30:00Z', '2026-10-27T07:00:00Z'],
  ];

  it.each(cases)('%s', (_name, from, expected) => {
    expect(formatInstant(cal.nextWorkingDayStart(Date.parse(from)))).toBe(expected);
  });
});

describe('WorkCalendar configuration', () => {
  it('extra day off after Ascension (klämdag) is skipped', () => {
    const c = new WorkCalendar({ ...STOCKHOLM, extraDaysOff: ['2026-05-15'] });
    expect(formatInstant(c.nextWorkingDayStart(Date.parse('2026-05-13T14:00:00Z')))).toBe('2026-05-18T06:00:00Z');
    expect(c.nextWorkingDayAfter('2026-05-13')).toBe('2026-05-18');
  });

  it('a run of extra days off is skipped', () => {
    const c = new WorkCalendar({ ...STOCKHOLM, extraDaysOff: ['2026-12-28', '2026-12-29', '2026-12-30', '2027-01-04', '2027-01-05'] });
    // 23rd → 24 julafton, 25, 26-27 weekend, 28-30 extra, 31 nyårsafton, 1 Jan, 2-3 weekend, 4-5 extra, 6 Epiphany.
    expect(formatInstant(c.nextWorkingDayStart(Date.parse('2026-12-23T15:00:00Z')))).toBe('2027-01-07T07:00:00Z');
  });

  it('custom workdayStart 07:30', () => {
    const c = new WorkCalendar({ ...STOCKHOLM, workdayStart: '07:30' });
    expect(formatInstant(c.nextWorkingDayStart(Date.parse('2026-04-02T14:00:00Z')))).toBe('2026-04-07T05:30:00Z');
    expect(formatInstant(c.nextWorkingDayStart(Date.parse('2026-11-27T06:00:00Z')))).toBe('2026-11-30T06:30:00Z');
    expect(c.startMinutes).toBe(450);
  });

  it('workdayStartOn / workdayEndOn in summer and winter', () => {
    const c = new WorkCalendar({ ...STOCKHOLM, workdayStart: '07:30', workdayEnd: '16:15' });
    expect(formatInstant(c.workdayStartOn('2026-06-22'))).toBe('2026-06-22T05:30:00Z');
    expect(formatInstant(c.workdayEndOn('2026-06-22'))).toBe('2026-06-22T14:15:00Z');
    expect(formatInstant(c.workdayStartOn('2026-12-01'))).toBe('2026-12-01T06:30:00Z');
    expect(formatInstant(c.workdayEndOn('2026-12-01'))).toBe('2026-12-01T15:15:00Z');
  });

  it('another time zone: Europe/Helsinki (UTC+2 winter, +3 summer)', () => {
    const c = new WorkCalendar({ ...STOCKHOLM, timeZone: 'Europe/Helsinki' });
    expect(formatInstant(c.nextWorkingDayStart(Date.parse('2026-11-25T10:00:00Z')))).toBe('2026-11-26T06:00:00Z');
    expect(formatInstant(c.nextWorkingDayStart(Date.parse('2026-06-18T10:00:00Z')))).toBe('2026-06-22T05:00:00Z');
    // 22:30Z Thursday is already Friday 00:30 in Helsinki (but Thursday 23:30 in Stockholm).
    expect(formatInstant(c.nextWorkingDayStart(Date.parse('2026-11-26T22:30:00Z')))).toBe('2026-11-30T06:00:00Z');
    expect(formatInstant(new WorkCalendar().nextWorkingDayStart(Date.parse('2026-11-26T22:30:00Z')))).toBe('2026-11-27T07:00:00Z');
  });

  it('default configuration is 08:00–17:00 Europe/Stockholm', () => {
    const c = new WorkCalendar();
    expect(c.zone).toBe('Europe/Stockholm');
    expect(c.startMinutes).toBe(480);
    expect(c.endMinutes).toBe(1020);
  });

  it.each<[string, Partial<WorkdayConfig>, string]>([
    ['unknown zone', { timeZone: 'Mars/Olympus' }, 'org.timeZone'],
    ['empty zone', { timeZone: '' }, 'org.timeZone'],
    ['start without leading zero', { workdayStart: '8:00' }, 'org.workdayStart'],
    ['start 24:00', { workdayStart: '24:00' }, 'org.workdayStart'],
    ['start with seconds', { workdayStart: '08:00:00' }, 'org.workdayStart'],
    ['end 17:60', { workdayEnd: '17:60' }, 'org.workdayEnd'],
    ['end equal to start', { workdayStart: '08:00', workdayEnd: '08:00' }, 'org.workdayEnd'],
    ['end before start', { workdayStart: '09:00', workdayEnd: '08:59' }, 'org.workdayEnd'],
    ['bad second extra day', { extraDaysOff: ['2026-05-15', '2026-02-30'] }, 'org.extraDaysOff[1]'],
    ['extra day in another format', { extraDaysOff: ['2026-05-15', '15/05/2026'] }, 'org.extraDaysOff[1]'],
    ['extra day as a timestamp', { extraDaysOff: ['2026-05-15T00:00:00Z'] }, 'org.extraDaysOff[0]'],
  ])('rejects %s', (_name, over, field) => {
    expectFieldError(() => new WorkCalendar({ ...STOCKHOLM, ...over }), field);
  });
});

// ---------------------------------------------------------------------------------------------
// Instants

describe('parseInstant', () => {
  it.each<[string, number]>([
    ['2026-11-24T11:00:00Z', utc(2026, 11, 24, 11)],
    ['2026-11-24T11:00Z', utc(2026, 11, 24, 11)],
    ['2026-11-24T12:00:00+01:00', utc(2026, 11, 24, 11)],
    ['2026-11-24T12:00:00+0100', utc(2026, 11, 24, 11)],
    ['2026-11-24T06:00:00-05:00', utc(2026, 11, 24, 11)],
    ['2026-06-22T08:00:00+02:00', utc(2026, 6, 22, 6)],
    ['2026-11-24T11:00:00.250Z', utc(2026, 11, 24, 11, 0, 0, 250)],
    ['2026-01-01T00:30:00+01:00', utc(2025, 12, 31, 23, 30)],
    ['2028-02-29T10:00:00Z', utc(2028, 2, 29, 10)],
    ['2026-11-24T11:00:00.123456789Z', utc(2026, 11, 24, 11, 0, 0, 123)],
    ['2026-11-24T16:30:00+05:30', utc(2026, 11, 24, 11)],
    ['2000-01-01T00:00:00Z', utc(2000, 1, 1, 0)],
    ['2099-12-31T23:59:59Z', utc(2099, 12, 31, 23, 59, 59)],
    ['2026-11-24T11:00:00+01', utc(2026, 11, 24, 10)],
  ])('accepts %s', (s, expected) => {
    expect(parseInstant(s, 'booking.start')).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['a bare local time', '2026-11-24T11:00:00'],
    ['a date only', '2026-11-24'],
    ['garbage', 'next tuesday'],
    ['an empty string', ''],
    ['a number', 1764000000000],
    ['null', null],
    ['nothing', undefined],
    ['30 February', '2026-02-30T10:00:00Z'],
    ['month 13', '2026-13-01T10:00:00Z'],
    ['a space instead of T', '2026-11-24 11:00:00Z'],
    ['an offset of 99 hours', '2026-01-01T10:00:00+99:00'],
    ['an offset of 99 minutes', '2026-01-01T10:00:00+01:99'],
    ['hour 24', '2026-01-01T24:00Z'],
    ['minute 60', '2026-01-01T10:60:00Z'],
    ['29 February in a common year', '2027-02-29T10:00:00Z'],
    ['day 0', '2026-01-00T10:00:00Z'],
    ['year 50', '0050-01-01T10:00:00Z'],
    ['year 1999', '1999-12-31T23:59:59Z'],
    ['an offset taking it back into 1999', '2000-01-01T00:30:00+01:00'],
    ['year 2100', '2100-01-01T00:00:00Z'],
    ['year 9999', '9999-12-31T23:59:59Z'],
  ])('rejects %s with the given field', (_name, value) => {
    expectFieldError(() => parseInstant(value, 'booking.start'), 'booking.start');
    expectFieldError(() => parseInstant(value, 'x.y[2]'), 'x.y[2]');
  });
});

describe('formatInstant', () => {
  it('drops zero milliseconds', () => {
    expect(formatInstant(utc(2026, 11, 24, 11))).toBe('2026-11-24T11:00:00Z');
    expect(formatInstant(utc(2027, 1, 1, 0, 0, 59))).toBe('2027-01-01T00:00:59Z');
  });
  it('keeps non-zero milliseconds', () => {
    expect(formatInstant(utc(2026, 11, 24, 11, 0, 0, 5))).toBe('2026-11-24T11:00:00.005Z');
    expect(formatInstant(utc(2026, 11, 24, 11, 0, 0, 120))).toBe('2026-11-24T11:00:00.120Z');
  });
  it('round-trips with parseInstant', () => {
    expect(formatInstant(parseInstant('2026-03-29T03:15:00+02:00', 't'))).toBe('2026-03-29T01:15:00Z');
  });
});

describe('atLocal (Europe/Stockholm)', () => {
  it.each<[string, number, string]>([
    ['2026-03-28', 480, '2026-03-28T07:00:00Z'],
    ['2026-03-29', 480, '2026-03-29T06:00:00Z'],
    ['2026-03-29', 0, '2026-03-28T23:00:00Z'],
    ['2026-10-24', 480, '2026-10-24T06:00:00Z'],
    ['2026-10-25', 480, '2026-10-25T07:00:00Z'],
    ['2026-10-25', 1020, '2026-10-25T16:00:00Z'],
    ['2026-07-01', 450, '2026-07-01T05:30:00Z'],
    ['2026-01-15', 1439, '2026-01-15T22:59:00Z'],
  ])('%s + %i min → %s', (date, minutes, expected) => {
    expect(formatInstant(atLocal(date, minutes, 'Europe/Stockholm'))).toBe(expected);
  });

  it('other zone: Europe/Helsinki', () => {
    expect(formatInstant(atLocal('2026-01-15', 480, 'Europe/Helsinki'))).toBe('2026-01-15T06:00:00Z');
    expect(formatInstant(atLocal('2026-07-15', 480, 'Europe/Helsinki'))).toBe('2026-07-15T05:00:00Z');
  });
});

// ---------------------------------------------------------------------------------------------
// Organisation

describe('buildOrg', () => {
  it.each<[string, unknown, string]>([
    ['catalog override mex', { catalog: [{ key: 'L', mex: 10 }] }, 'org.catalog[0].mex'],
    ['second catalog override group', { catalog: [{ key: 'L' }, { key: 'M', group: 'coffee' }] }, 'org.catalog[1].group'],
    ['settings language', { settings: { language: 'de' } }, 'org.settings.language'],
    ['settings unknown field', { settings: { colour: 'red' } }, 'org.settings.colour'],
    ['profile lunch number', { profile: { lunch: { mode: 'number' } } }, 'org.profile.lunch.number'],
    ['profile bad number', { profile: { meeting: { mode: 'number', number: 'abc' } } }, 'org.profile.meeting.number'],
    ['time zone', { timeZone: 'Nowhere/City' }, 'org.timeZone'],
    ['workday start', { workdayStart: '25:00' }, 'org.workdayStart'],
    ['workday end', { workdayStart: '09:00', workdayEnd: '09:00' }, 'org.workdayEnd'],
    ['extra day off', { extraDaysOff: ['2026-05-15', 'x'] }, 'org.extraDaysOff[1]'],
    ['extraDaysOff not a list', { extraDaysOff: '2026-05-15' }, 'org.extraDaysOff'],
    ['catalog not a list', { catalog: { key: 'L' } }, 'org.catalog'],
    ['unknown top-level field', { holidays: [] }, 'org.holidays'],
    ['not an object', 'Stockholm', 'org'],
    ['an array', [], 'org'],
  ])('reports %s', (_name, input, field) => {
    expectFieldError(() => buildOrg(input), field);
  });

  it('uses the caller-given prefix', () => {
    expectFieldError(() => buildOrg({ timeZone: 'Nowhere/City' }, 'tenant'), 'tenant.timeZone');
    expectFieldError(() => buildOrg({ catalog: [{ key: 'L', mex: -1 }] }, 'tenant'), 'tenant.catalog[0].mex');
    expectFieldError(() => buildOrg({ settings: { soft: 'no' } }, 'tenant'), 'tenant.settings.soft');
  });

  it('builds a working organisation from valid input', () => {
    const org = buildOrg({
      timeZone: 'Europe/Stockholm',
      workdayStart: '07:30',
      workdayEnd: '16:00',
      extraDaysOff: ['2026-05-15'],
      catalog: [
        { key: 'sj', label: { sv: 'Sjukdom' } },
        { key: 'X', mex: 3, group: 'meeting', label: { sv: 'Extra' } },
      ],
      settings: { defaultCode: 'x', language: 'en' },
      profile: { lunch: { mode: 'none' } },
    });
    expect(org.calendar.isWorkingDay('2026-05-15')).toBe(false);
    expect(formatInstant(org.calendar.nextWorkingDayStart(Date.parse('2026-05-13T14:00:00Z')))).toBe('2026-05-18T05:30:00Z');
    expect(org.catalog.get('SJ')?.label).toEqual({ sv: 'Sjukdom', en: 'Sick' });
    expect(org.settings.defaultCode).toBe('X');
    expect(org.settings.language).toBe('en');
    expect(org.profile.lunch).toEqual({ mode: 'none', number: null });
    expect(org.profile.meeting).toEqual({ mode: 'spoken', number: null });
  });

  it('validates settings.defaultCode against the organisation catalog', () => {
    expectFieldError(() => buildOrg({ catalog: [{ key: 'M', enabled: false }], settings: { defaultCode: 'M' } }), 'org.settings.defaultCode');
    expectFieldError(() => buildOrg({ settings: { defaultCode: 'X' } }), 'org.settings.defaultCode');
  });

  it('null/undefined gives the defaults', () => {
    for (const input of [null, undefined]) {
      const org = buildOrg(input);
      expect(org.calendar.zone).toBe('Europe/Stockholm');
      expect(org.calendar.startMinutes).toBe(480);
      expect(org.calendar.endMinutes).toBe(1020);
      expect(org.settings.defaultCode).toBeNull();
      expect(org.catalog.codes).toHaveLength(10);
    }
  });
});
