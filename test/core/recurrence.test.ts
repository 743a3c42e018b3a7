import { ValidationError } from '../../src/core/errors';
import {
  expandOfficeRecurrence,
  expandRecurringRule,
  type Occurrence,
  type OfficeRecurrence,
  parseOfficeRecurrence,
  type RecurringRule,
  validateRecurringRule,
} from '../../src/core/recurrence';
import { formatInstant, parseInstant, WorkCalendar } from '../../src/core/time';

const cal = new WorkCalendar();
const ORG = 'Europe/Stockholm';
const t = (s: string) => parseInstant(s, 'test');
const win = (from: string, to: string) => ({ from: t(from), to: t(to) });
const show = (os: Occurrence[]) => os.map((o) => `${formatInstant(o.start)} ${formatInstant(o.end)}`);
const starts = (os: Occurrence[]) => os.map((o) => formatInstant(o.start));

function rule(over: Partial<RecurringRule>): RecurringRule {
  return {
    firstStart: t('2026-03-23T08:00:00+01:00'),
    firstEnd: t('2026-03-23T10:00:00+01:00'),
    repeat: { kind: 'everyWorkingDay' },
    until: null,
    endsNextWorkingDay: false,
    ...over,
  };
}

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('expandRecurringRule', () => {
  test('every working day 08:00–10:00 keeps 08:00 local across the spring DST switch (2026-03-29)', () => {
    const got = expandRecurringRule(rule({}), win('2026-03-23T00:00:00Z', '2026-04-01T00:00:00Z'), cal);
    expect(show(got)).toEqual([
      '2026-03-23T07:00:00Z 2026-03-23T09:00:00Z',
      '2026-03-24T07:00:00Z 2026-03-24T09:00:00Z',
      '2026-03-25T07:00:00Z 2026-03-25T09:00:00Z',
      '2026-03-26T07:00:00Z 2026-03-26T09:00:00Z',
      '2026-03-27T07:00:00Z 2026-03-27T09:00:00Z',
      // weekend 28–29 skipped; CEST from here
      '2026-03-30T06:00:00Z 2026-03-30T08:00:00Z',
      '2026-03-31T06:00:00Z 2026-03-31T08:00:00Z',
    ]);
  });

  test('every working day goes back to 07:00Z after the autumn switch (2026-10-25)', () => {
    const r = rule({ firstStart: t('2026-10-19T08:00:00+02:00'), firstEnd: t('2026-10-19T10:00:00+02:00') });
    const got = expandRecurringRule(r, win('2026-10-19T00:00:00Z', '2026-10-31T00:00:00Z'), cal);
    expect(starts(got)).toEqual([
      '2026-10-19T06:00:00Z',
      '2026-10-20T06:00:00Z',
      '2026-10-21T06:00:00Z',
      '2026-10-22T06:00:00Z',
      '2026-10-23T06:00:00Z',
      '2026-10-26T07:00:00Z',
      '2026-10-27T07:00:00Z',
      '2026-10-28T07:00:00Z',
      '2026-10-29T07:00:00Z',
      '2026-10-30T07:00:00Z',
    ]);
    expect(formatInstant(got[9]!.end)).toBe('2026-10-30T09:00:00Z');
  });

  test('every working day skips Easter 2026 (Good Friday 3 Apr, Easter Monday 6 Apr)', () => {
    const got = expandRecurringRule(rule({}), win('2026-03-30T00:00:00Z', '2026-04-11T00:00:00Z'), cal);
    expect(starts(got)).toEqual([
      '2026-03-30T06:00:00Z',
      '2026-03-31T06:00:00Z',
      '2026-04-01T06:00:00Z',
      '2026-04-02T06:00:00Z',
      '2026-04-07T06:00:00Z',
      '2026-04-08T06:00:00Z',
      '2026-04-09T06:00:00Z',
      '2026-04-10T06:00:00Z',
    ]);
  });

  test('every working day skips Christmas, New Year and Epiphany', () => {
    const got = expandRecurringRule(rule({}), win('2026-12-21T00:00:00+01:00', '2027-01-08T00:00:00+01:00'), cal);
    expect(starts(got)).toEqual([
      '2026-12-21T07:00:00Z',
      '2026-12-22T07:00:00Z',
      '2026-12-23T07:00:00Z',
      '2026-12-28T07:00:00Z',
      '2026-12-29T07:00:00Z',
      '2026-12-30T07:00:00Z',
      '2027-01-04T07:00:00Z',
      '2027-01-05T07:00:00Z',
      '2027-01-07T07:00:00Z',
    ]);
  });

  test('every 2 weeks on the first start weekday, across DST', () => {
    const r = rule({
      firstStart: t('2026-03-18T09:00:00+01:00'), // Wednesday
      firstEnd: t('2026-03-18T09:30:00+01:00'),
      repeat: { kind: 'weekly', weeks: 2 },
    });
    expect(show(expandRecurringRule(r, win('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'), cal))).toEqual([
      '2026-03-18T08:00:00Z 2026-03-18T08:30:00Z',
      '2026-04-01T07:00:00Z 2026-04-01T07:30:00Z',
      '2026-04-15T07:00:00Z 2026-04-15T07:30:00Z',
      '2026-04-29T07:00:00Z 2026-04-29T07:30:00Z',
    ]);
  });

  test('every 3 weeks from a first start years before the window stays on the cycle', () => {
    // 2020-01-01 (Wed) + 314 weeks = 2026-01-07; 314 ≡ 2 (mod 3), so the cycle hits 2026-01-14.
    const r = rule({
      firstStart: t('2020-01-01T12:00:00+01:00'),
      firstEnd: t('2020-01-01T13:00:00+01:00'),
      repeat: { kind: 'weekly', weeks: 3 },
    });
    expect(starts(expandRecurringRule(r, win('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'), cal))).toEqual([
      '2026-01-14T11:00:00Z',
      '2026-02-04T11:00:00Z',
      '2026-02-25T11:00:00Z',
    ]);
  });

  test('every day, tills vidare, over a whole year starting years later: one per day', () => {
    const r = rule({
      firstStart: t('2010-06-01T08:00:00+02:00'),
      firstEnd: t('2010-06-01T09:00:00+02:00'),
      repeat: { kind: 'everyDay' },
    });
    const got = expandRecurringRule(r, win('2027-01-01T00:00:00+01:00', '2028-01-01T00:00:00+01:00'), cal);
    expect(got).toHaveLength(365);
    expect(formatInstant(got[0]!.start)).toBe('2027-01-01T07:00:00Z');
    expect(formatInstant(got[364]!.start)).toBe('2027-12-31T07:00:00Z');
  });

  test('Nästa arbetsdag: Friday 16:00 ends Monday 08:00, also across the spring switch', () => {
    const r = rule({
      firstStart: t('2026-03-20T16:00:00+01:00'), // Friday
      firstEnd: t('2026-03-20T16:00:00+01:00'), // ignored
      endsNextWorkingDay: true,
    });
    expect(show(expandRecurringRule(r, win('2026-03-20T00:00:00Z', '2026-03-28T00:00:00Z'), cal))).toEqual([
      '2026-03-20T15:00:00Z 2026-03-23T07:00:00Z',
      '2026-03-23T15:00:00Z 2026-03-24T07:00:00Z',
      '2026-03-24T15:00:00Z 2026-03-25T07:00:00Z',
      '2026-03-25T15:00:00Z 2026-03-26T07:00:00Z',
      '2026-03-26T15:00:00Z 2026-03-27T07:00:00Z',
      '2026-03-27T15:00:00Z 2026-03-30T06:00:00Z', // Monday 08:00 CEST
    ]);
  });

  test('Nästa arbetsdag: 2026-12-23 16:00 ends 2026-12-28 08:00 (Christmas off)', () => {
    const r = rule({ firstStart: t('2026-12-23T16:00:00+01:00'), firstEnd: 0, endsNextWorkingDay: true });
    const got = expandRecurringRule(r, win('2026-12-23T00:00:00Z', '2026-12-24T00:00:00Z'), cal);
    expect(show(got)).toEqual(['2026-12-23T15:00:00Z 2026-12-28T07:00:00Z']);
  });

  test('Nästa arbetsdag: a window inside the weekend finds the Friday occurrence still running', () => {
    const r = rule({ firstStart: t('2026-03-02T16:00:00+01:00'), firstEnd: 0, endsNextWorkingDay: true });
    const got = expandRecurringRule(r, win('2026-03-22T12:00:00Z', '2026-03-22T13:00:00Z'), cal);
    expect(show(got)).toEqual(['2026-03-20T15:00:00Z 2026-03-23T07:00:00Z']);
  });

  test('until is inclusive (local date of the start)', () => {
    const r = rule({
      firstStart: t('2026-05-01T08:00:00+02:00'),
      firstEnd: t('2026-05-01T09:00:00+02:00'),
      repeat: { kind: 'everyDay' },
      until: '2026-05-03',
    });
    expect(starts(expandRecurringRule(r, win('2026-04-01T00:00:00Z', '2026-06-01T00:00:00Z'), cal))).toEqual([
      '2026-05-01T06:00:00Z',
      '2026-05-02T06:00:00Z',
      '2026-05-03T06:00:00Z',
    ]);
  });

  test('open-ended rule yields only what the window covers', () => {
    const r = rule({
      firstStart: t('2026-01-01T08:00:00+01:00'),
      firstEnd: t('2026-01-01T09:00:00+01:00'),
      repeat: { kind: 'everyDay' },
    });
    expect(starts(expandRecurringRule(r, win('2026-06-10T00:00:00Z', '2026-06-13T00:00:00Z'), cal))).toEqual([
      '2026-06-10T06:00:00Z',
      '2026-06-11T06:00:00Z',
      '2026-06-12T06:00:00Z',
    ]);
  });

  test('window filtering: overlap is end > from and start < to, overnight occurrences included', () => {
    const r = rule({
      firstStart: t('2026-06-01T22:00:00+02:00'),
      firstEnd: t('2026-06-02T02:00:00+02:00'), // ends the next day
      repeat: { kind: 'everyDay' },
    });
    // The 9 June occurrence (20:00Z–00:00Z) is still running at 22:30Z; the 10 June one starts at `to`.
    expect(show(expandRecurringRule(r, win('2026-06-09T22:30:00Z', '2026-06-10T20:00:00Z'), cal))).toEqual([
      '2026-06-09T20:00:00Z 2026-06-10T00:00:00Z',
    ]);
    // Ending exactly at `from` is not an overlap.
    expect(expandRecurringRule(r, win('2026-06-10T00:00:00Z', '2026-06-10T20:00:00Z'), cal)).toEqual([]);
    // Nothing before the first start.
    expect(expandRecurringRule(r, win('2026-05-01T00:00:00Z', '2026-06-01T19:00:00Z'), cal)).toEqual([]);
  });

  test('the first start counts even on a non-working day for everyWorkingDay', () => {
    const r = rule({ firstStart: t('2026-03-21T08:00:00+01:00'), firstEnd: t('2026-03-21T10:00:00+01:00') }); // Saturday
    expect(starts(expandRecurringRule(r, win('2026-03-21T00:00:00Z', '2026-03-25T00:00:00Z'), cal))).toEqual([
      '2026-03-21T07:00:00Z',
      '2026-03-23T07:00:00Z',
      '2026-03-24T07:00:00Z',
    ]);
  });
});

describe('validateRecurringRule', () => {
  test('accepts a valid rule, until on the first day, and an end before start with Nästa arbetsdag', () => {
    expect(() => validateRecurringRule(rule({ until: '2026-03-23' }))).not.toThrow();
    expect(() => validateRecurringRule(rule({ firstEnd: 0, endsNextWorkingDay: true }))).not.toThrow();
  });

  test('names the offending field', () => {
    expect(fieldOf(() => validateRecurringRule(rule({ firstEnd: t('2026-03-23T08:00:00+01:00') })))).toBe('rule.firstEnd');
    expect(fieldOf(() => validateRecurringRule(rule({ firstStart: Number.NaN })))).toBe('rule.firstStart');
    expect(fieldOf(() => validateRecurringRule(rule({ repeat: { kind: 'weekly', weeks: 7 as 1 } })))).toBe('rule.repeat.weeks');
    expect(fieldOf(() => validateRecurringRule(rule({ repeat: { kind: 'weekly', weeks: 1.5 as 1 } })))).toBe('rule.repeat.weeks');
    expect(fieldOf(() => validateRecurringRule(rule({ repeat: { kind: 'monthly' } as never })))).toBe('rule.repeat.kind');
    expect(fieldOf(() => validateRecurringRule(rule({ until: '2026-03-22' })))).toBe('rule.until');
    expect(fieldOf(() => validateRecurringRule(rule({ until: '23/3/2026' })))).toBe('rule.until');
    expect(fieldOf(() => validateRecurringRule(rule({ until: '2026-03-22' }), 'activity.rule'))).toBe('activity.rule.until');
  });

  test('until is compared with the local date of the first start', () => {
    // 23:30Z on 20 March is 00:30 on 21 March in Stockholm.
    const r = rule({ firstStart: t('2026-03-20T23:30:00Z'), firstEnd: t('2026-03-21T01:00:00Z'), until: '2026-03-20' });
    expect(fieldOf(() => validateRecurringRule(r))).toBe('rule.until');
    expect(() => validateRecurringRule(r, 'rule', 'UTC')).not.toThrow();
  });

  test('expansion validates too', () => {
    const r = rule({ repeat: { kind: 'weekly', weeks: 0 as 1 } });
    expect(fieldOf(() => expandRecurringRule(r, win('2026-03-23T00:00:00Z', '2026-04-01T00:00:00Z'), cal))).toBe('rule.repeat.weeks');
  });
});

function office(over: Partial<OfficeRecurrence> & { seriesTime?: Partial<OfficeRecurrence['seriesTime']> }): OfficeRecurrence {
  return {
    recurrenceType: 'daily',
    ...over,
    seriesTime: { startDate: '2026-01-05', startTime: '09:00', endDate: null, durationMinutes: 60, ...over.seriesTime },
  };
}

describe('expandOfficeRecurrence', () => {
  test('weekly Mon/Wed, interval 1, across the spring switch (Windows zone name)', () => {
    const rec = office({
      recurrenceType: 'weekly',
      recurrenceProperties: { interval: 1, days: ['mon', 'wed'] },
      seriesTime: { startDate: '2026-03-23', startTime: '09:00', endDate: '2026-04-01', durationMinutes: 60 },
      recurrenceTimeZone: { name: 'W. Europe Standard Time' },
    });
    expect(show(expandOfficeRecurrence(rec, win('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'), ORG))).toEqual([
      '2026-03-23T08:00:00Z 2026-03-23T09:00:00Z',
      '2026-03-25T08:00:00Z 2026-03-25T09:00:00Z',
      '2026-03-30T07:00:00Z 2026-03-30T08:00:00Z',
      '2026-04-01T07:00:00Z 2026-04-01T08:00:00Z',
    ]);
  });

  test('weekly every 2 weeks on Tuesday and Thursday', () => {
    const rec = office({
      recurrenceType: 'weekly',
      recurrenceProperties: { interval: 2, days: ['tue', 'thu'], firstDayOfWeek: 'mon' },
      seriesTime: { startDate: '2026-05-04', startTime: '10:00', endDate: null, durationMinutes: 30 }, // Monday
    });
    expect(starts(expandOfficeRecurrence(rec, win('2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'), ORG))).toEqual([
      '2026-05-05T08:00:00Z',
      '2026-05-07T08:00:00Z',
      '2026-05-19T08:00:00Z',
      '2026-05-21T08:00:00Z',
    ]);
  });

  test('monthly on the last Friday', () => {
    const rec = office({
      recurrenceType: 'monthly',
      recurrenceProperties: { interval: 1, weekNumber: 'last', dayOfWeek: 'fri' },
      seriesTime: { startDate: '2026-01-01', startTime: '10:00', endDate: null, durationMinutes: 30 },
    });
    expect(show(expandOfficeRecurrence(rec, win('2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'), ORG))).toEqual([
      '2026-01-30T09:00:00Z 2026-01-30T09:30:00Z',
      '2026-02-27T09:00:00Z 2026-02-27T09:30:00Z',
      '2026-03-27T09:00:00Z 2026-03-27T09:30:00Z',
      '2026-04-24T08:00:00Z 2026-04-24T08:30:00Z',
      '2026-05-29T08:00:00Z 2026-05-29T08:30:00Z',
      '2026-06-26T08:00:00Z 2026-06-26T08:30:00Z',
    ]);
  });

  test('monthly on day 31 falls on the last day of shorter months, as Outlook does', () => {
    const rec = office({
      recurrenceType: 'monthly',
      recurrenceProperties: { dayOfMonth: 31 },
      seriesTime: { startDate: '2026-01-01', startTime: '12:00', endDate: '2026-04-30', durationMinutes: 15 },
    });
    expect(starts(expandOfficeRecurrence(rec, win('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z'), ORG))).toEqual([
      '2026-01-31T11:00:00Z',
      '2026-02-28T11:00:00Z',
      '2026-03-31T10:00:00Z',
      '2026-04-30T10:00:00Z',
    ]);
  });

  test('yearly on the second Tuesday of September', () => {
    const rec = office({
      recurrenceType: 'yearly',
      recurrenceProperties: { interval: 1, month: 'sep', weekNumber: 'second', dayOfWeek: 'tue' },
      seriesTime: { startDate: '2026-01-01', startTime: '13:30', endDate: null, durationMinutes: 90 },
    });
    expect(show(expandOfficeRecurrence(rec, win('2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z'), ORG))).toEqual([
      '2026-09-08T11:30:00Z 2026-09-08T13:00:00Z',
      '2027-09-14T11:30:00Z 2027-09-14T13:00:00Z',
      '2028-09-12T11:30:00Z 2028-09-12T13:00:00Z',
    ]);
  });

  test('yearly on 29 February falls on 28 February in common years', () => {
    const rec = office({
      recurrenceType: 'yearly',
      recurrenceProperties: { month: 'feb', dayOfMonth: 29 },
      seriesTime: { startDate: '2024-02-29', startTime: '08:00', endDate: null, durationMinutes: 60 },
    });
    expect(starts(expandOfficeRecurrence(rec, win('2024-01-01T00:00:00Z', '2029-01-01T00:00:00Z'), ORG))).toEqual([
      '2024-02-29T07:00:00Z',
      '2025-02-28T07:00:00Z',
      '2026-02-28T07:00:00Z',
      '2027-02-28T07:00:00Z',
      '2028-02-29T07:00:00Z',
    ]);
  });

  test('daily every 3 days with an inclusive end date, across the autumn switch', () => {
    const rec = office({
      recurrenceType: 'daily',
      recurrenceProperties: { interval: 3 },
      seriesTime: { startDate: '2026-10-20', startTime: '07:30', endDate: '2026-10-29', durationMinutes: 45 },
    });
    expect(show(expandOfficeRecurrence(rec, win('2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z'), ORG))).toEqual([
      '2026-10-20T05:30:00Z 2026-10-20T06:15:00Z',
      '2026-10-23T05:30:00Z 2026-10-23T06:15:00Z',
      '2026-10-26T06:30:00Z 2026-10-26T07:15:00Z',
      '2026-10-29T06:30:00Z 2026-10-29T07:15:00Z',
    ]);
  });

  test('every weekday is Mon–Fri, holidays included (Outlook does not know them)', () => {
    const rec = office({
      recurrenceType: 'weekday',
      seriesTime: { startDate: '2026-12-21', startTime: '08:00', endDate: '2026-12-29', durationMinutes: 480 },
    });
    expect(starts(expandOfficeRecurrence(rec, win('2026-12-01T00:00:00Z', '2027-01-31T00:00:00Z'), ORG))).toEqual([
      '2026-12-21T07:00:00Z',
      '2026-12-22T07:00:00Z',
      '2026-12-23T07:00:00Z',
      '2026-12-24T07:00:00Z',
      '2026-12-25T07:00:00Z',
      '2026-12-28T07:00:00Z',
      '2026-12-29T07:00:00Z',
    ]);
  });

  test('open-ended series: only the window, including an occurrence already running at its start', () => {
    const rec = office({ seriesTime: { startDate: '2020-01-01', startTime: '09:00', endDate: null, durationMinutes: 120 } });
    expect(show(expandOfficeRecurrence(rec, win('2026-06-10T07:30:00Z', '2026-06-12T07:00:00Z'), ORG))).toEqual([
      '2026-06-10T07:00:00Z 2026-06-10T09:00:00Z',
      '2026-06-11T07:00:00Z 2026-06-11T09:00:00Z',
    ]);
  });

  test('an IANA recurrenceTimeZone is honoured (New York switches on 2026-03-08)', () => {
    const rec = office({
      seriesTime: { startDate: '2026-03-02', startTime: '09:00', endDate: null, durationMinutes: 60 },
      recurrenceTimeZone: { name: 'America/New_York' },
    });
    expect(starts(expandOfficeRecurrence(rec, win('2026-03-06T00:00:00Z', '2026-03-10T00:00:00Z'), ORG))).toEqual([
      '2026-03-06T14:00:00Z',
      '2026-03-07T14:00:00Z',
      '2026-03-08T13:00:00Z',
      '2026-03-09T13:00:00Z',
    ]);
  });

  test('an unknown zone name falls back to the organisation zone', () => {
    const rec = office({
      seriesTime: { startDate: '2026-03-02', startTime: '09:00', endDate: '2026-03-02', durationMinutes: 60 },
      recurrenceTimeZone: { name: 'Somewhere Standard Time' },
    });
    expect(starts(expandOfficeRecurrence(rec, win('2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z'), ORG))).toEqual([
      '2026-03-02T08:00:00Z',
    ]);
  });
});

describe('parseOfficeRecurrence', () => {
  const valid = {
    recurrenceType: 'weekly',
    recurrenceProperties: { interval: 2, days: ['Mon', 'thu'], firstDayOfWeek: 'sun' },
    seriesTime: { startDate: '2026-01-05', startTime: '09:00', endDate: null, durationMinutes: 60 },
    recurrenceTimeZone: { name: 'W. Europe Standard Time', offset: 60 },
  };

  test('normalises day names and drops what it does not use', () => {
    expect(parseOfficeRecurrence(valid)).toEqual({
      recurrenceType: 'weekly',
      recurrenceProperties: { interval: 2, days: ['mon', 'thu'], firstDayOfWeek: 'sun' },
      seriesTime: { startDate: '2026-01-05', startTime: '09:00', endDate: null, durationMinutes: 60 },
      recurrenceTimeZone: { name: 'W. Europe Standard Time' },
    });
  });

  test('defaults interval to 1 and a missing endDate to open-ended', () => {
    const got = parseOfficeRecurrence({ recurrenceType: 'daily', seriesTime: { startDate: '2026-01-05', startTime: '09:00', durationMinutes: 5 } });
    expect(got.recurrenceProperties).toEqual({ interval: 1 });
    expect(got.seriesTime.endDate).toBeNull();
  });

  const withValue = (path: (string | number)[], v: unknown) => {
    const copy = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
    let o = copy as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    o[path[path.length - 1]!] = v;
    return copy;
  };

  test.each([
    ['recurrence.recurrenceType', withValue(['recurrenceType'], 'fortnightly')],
    ['recurrence.recurrenceProperties.days[1]', withValue(['recurrenceProperties', 'days', 1], 'xyz')],
    ['recurrence.recurrenceProperties.days', withValue(['recurrenceProperties', 'days'], [])],
    ['recurrence.recurrenceProperties.interval', withValue(['recurrenceProperties', 'interval'], 0)],
    ['recurrence.recurrenceProperties.firstDayOfWeek', withValue(['recurrenceProperties', 'firstDayOfWeek'], 'sunday')],
    ['recurrence.seriesTime.startTime', withValue(['seriesTime', 'startTime'], '25:00')],
    ['recurrence.seriesTime.startDate', withValue(['seriesTime', 'startDate'], '2026-02-30')],
    ['recurrence.seriesTime.endDate', withValue(['seriesTime', 'endDate'], '2026-01-04')],
    ['recurrence.seriesTime.durationMinutes', withValue(['seriesTime', 'durationMinutes'], -5)],
    ['recurrence.seriesTime', withValue(['seriesTime'], undefined)],
    ['recurrence.recurrenceTimeZone.name', withValue(['recurrenceTimeZone', 'name'], 60)],
    ['recurrence', 'weekly'],
  ])('invalid input names %s', (field, input) => {
    expect(fieldOf(() => parseOfficeRecurrence(input))).toBe(field);
  });

  test.each([
    ['recurrence.recurrenceProperties', { recurrenceType: 'monthly', recurrenceProperties: {} }],
    ['recurrence.recurrenceProperties.weekNumber', { recurrenceType: 'monthly', recurrenceProperties: { weekNumber: 'fifth', dayOfWeek: 'fri' } }],
    ['recurrence.recurrenceProperties.dayOfWeek', { recurrenceType: 'monthly', recurrenceProperties: { weekNumber: 'last' } }],
    ['recurrence.recurrenceProperties.dayOfMonth', { recurrenceType: 'monthly', recurrenceProperties: { dayOfMonth: 32 } }],
    ['recurrence.recurrenceProperties.dayOfMonth', { recurrenceType: 'yearly', recurrenceProperties: { month: 'feb', dayOfMonth: 30 } }],
    ['recurrence.recurrenceProperties.month', { recurrenceType: 'yearly', recurrenceProperties: { dayOfMonth: 1 } }],
  ])('monthly/yearly properties: %s', (field, over) => {
    const input = { ...over, seriesTime: valid.seriesTime };
    expect(fieldOf(() => parseOfficeRecurrence(input, 'recurrence'))).toBe(field);
  });

  test('uses the given field prefix', () => {
    expect(fieldOf(() => parseOfficeRecurrence(withValue(['recurrenceType'], 'x'), 'item.recurrence'))).toBe('item.recurrence.recurrenceType');
  });
});
