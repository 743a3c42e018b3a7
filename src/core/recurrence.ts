/**
 * Recurring activities (SPEC 8.5): manual rules from CMG-Web's "Ny återkommande aktivitet" and
 * Outlook series as Office.js describes them, expanded into occurrences within a window.
 * Occurrences keep their local wall-clock times across DST: 08:00 stays 08:00 in summer and winter.
 * Pure: no I/O, no Node APIs (also runs in the add-in's task pane).
 */
import { DateTime, IANAZone } from 'luxon';
import { type Options as RRuleOptions, RRule, type Weekday } from 'rrule';
import { isObject, ValidationError } from './errors';
import {
  addDays,
  atLocal,
  DAY_MS,
  DEFAULT_TIME_ZONE,
  type Instant,
  type LocalDate,
  localDateOf,
  parseClock,
  parseLocalDate,
  type WorkCalendar,
} from './time';

export interface Occurrence {
  start: Instant;
  end: Instant;
}

export interface Window {
  from: Instant;
  to: Instant;
}

/** Whole days from `a` to `b` (local dates, so no DST involved). */
function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Local time of day of `t`: whole minutes (what atLocal takes) and the seconds/ms left over. */
function clockOf(t: Instant, zone: string): { minutes: number; restMs: number } {
  const dt = DateTime.fromMillis(t, { zone });
  return { minutes: dt.hour * 60 + dt.minute, restMs: dt.second * 1000 + dt.millisecond };
}

function overlaps(o: Occurrence, window: Window): boolean {
  return o.end > window.from && o.start < window.to;
}

// ---------------------------------------------------------------------------------------------
// Manual rules (CMG-Web "Ny återkommande aktivitet")

export type Repeat = { kind: 'everyWorkingDay' } | { kind: 'everyDay' } | { kind: 'weekly'; weeks: 1 | 2 | 3 | 4 | 5 | 6 };

export interface RecurringRule {
  firstStart: Instant;
  /** Ignored when endsNextWorkingDay. */
  firstEnd: Instant;
  repeat: Repeat;
  /** Inclusive, compared with the local date of an occurrence's start; null = tills vidare. */
  until: LocalDate | null;
  /** "Nästa arbetsdag": each occurrence ends at the start of the next working day. */
  endsNextWorkingDay: boolean;
}

/**
 * Throws a ValidationError naming the offending sub-field. `zone` is the organisation's zone,
 * needed to know the local date of the first start (which `until` must not precede).
 */
export function validateRecurringRule(rule: RecurringRule, field = 'rule', zone: string = DEFAULT_TIME_ZONE): void {
  if (!Number.isFinite(rule.firstStart)) throw new ValidationError(`${field}.firstStart`, 'must be an instant');
  if (!rule.endsNextWorkingDay && !(Number.isFinite(rule.firstEnd) && rule.firstEnd > rule.firstStart)) {
    throw new ValidationError(`${field}.firstEnd`, 'must be later than firstStart');
  }
  // Read as unknown: rules also arrive as JSON, where the union type promises nothing.
  const repeat = rule.repeat as { kind?: unknown; weeks?: unknown } | null;
  const kind = repeat?.kind;
  if (kind === 'weekly') {
    const w = repeat?.weeks;
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 6) {
      throw new ValidationError(`${field}.repeat.weeks`, `must be a whole number of weeks 1–6 (got ${String(w)})`);
    }
  } else if (kind !== 'everyWorkingDay' && kind !== 'everyDay') {
    throw new ValidationError(`${field}.repeat.kind`, `must be everyWorkingDay, everyDay or weekly (got ${String(kind)})`);
  }
  if (rule.until !== null) {
    parseLocalDate(rule.until, `${field}.until`);
    const firstDate = localDateOf(rule.firstStart, zone);
    if (rule.until < firstDate) {
      throw new ValidationError(`${field}.until`, `must not be before the first occurrence's date ${firstDate}`);
    }
  }
}

/**
 * Occurrences of `rule` overlapping `window` (end > from and start < to), in start order, with
 * wall-clock times evaluated in cal.zone.
 *
 * Decision: the first start is always an occurrence, even for everyWorkingDay on a day that is
 * not a working day. The user entered that date explicitly; silently dropping it would be more
 * surprising than honouring it. The repeat rule governs the following occurrences only.
 */
export function expandRecurringRule(rule: RecurringRule, window: Window, cal: WorkCalendar): Occurrence[] {
  const zone = cal.zone;
  validateRecurringRule(rule, 'rule', zone);
  if (!(window.to > window.from)) return [];

  const firstDate = localDateOf(rule.firstStart, zone);
  const startClock = clockOf(rule.firstStart, zone);
  // With "Nästa arbetsdag" the first end is irrelevant (and may be anything).
  const endDayOffset = rule.endsNextWorkingDay ? 0 : daysBetween(firstDate, localDateOf(rule.firstEnd, zone));
  const endClock = clockOf(rule.firstEnd, zone);

  const occurrenceOn = (date: LocalDate): Occurrence => {
    const start = atLocal(date, startClock.minutes, zone) + startClock.restMs;
    if (rule.endsNextWorkingDay) return { start, end: cal.nextWorkingDayStart(start) };
    const end = atLocal(addDays(date, endDayOffset), endClock.minutes, zone) + endClock.restMs;
    // A start inside the spring-forward gap is pushed an hour later and could pass a short
    // end; keep the first occurrence's length then rather than emit an empty occurrence.
    return { start, end: end > start ? end : start + (rule.firstEnd - rule.firstStart) };
  };

  // Earliest start date whose occurrence can still be running at window.from: an ordinary
  // occurrence ends endDayOffset days after its start date; a "Nästa arbetsdag" one ends on the
  // first working day after its start date, so anything before the last working day preceding
  // from's date has ended by then.
  const fromDate = localDateOf(window.from, zone);
  const earliest = rule.endsNextWorkingDay ? cal.previousWorkingDayBefore(fromDate) : addDays(fromDate, -endDayOffset);

  // Jump straight to the first candidate on or after `earliest` instead of walking from a first
  // start that may be years back; keeps a year's window to ~400 steps.
  const step = rule.repeat.kind === 'weekly' ? 7 * rule.repeat.weeks : 1;
  const gap = daysBetween(firstDate, earliest);
  let date = gap > 0 ? addDays(firstDate, Math.ceil(gap / step) * step) : firstDate;

  const out: Occurrence[] = [];
  for (; rule.until === null || date <= rule.until; date = addDays(date, step)) {
    const occ = occurrenceOn(date);
    if (occ.start >= window.to) break;
    if (rule.repeat.kind === 'everyWorkingDay' && date !== firstDate && !cal.isWorkingDay(date)) continue;
    if (overlaps(occ, window)) out.push(occ);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Outlook series (Office.js Recurrence, Mailbox 1.7), as the add-in serialises it

export const OFFICE_RECURRENCE_TYPES = ['daily', 'weekday', 'weekly', 'monthly', 'yearly'] as const;
export type OfficeRecurrenceType = (typeof OFFICE_RECURRENCE_TYPES)[number];
export const OFFICE_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type OfficeDay = (typeof OFFICE_DAYS)[number];
/** Office.MailboxEnums.Days: a day, or a kind of day ("the last weekday of the month"). */
export const OFFICE_DAYS_OF_WEEK = [...OFFICE_DAYS, 'weekday', 'weekendDay', 'day'] as const;
export type OfficeDayOfWeek = (typeof OFFICE_DAYS_OF_WEEK)[number];
export const OFFICE_WEEK_NUMBERS = ['first', 'second', 'third', 'fourth', 'last'] as const;
export type OfficeWeekNumber = (typeof OFFICE_WEEK_NUMBERS)[number];
export const OFFICE_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
export type OfficeMonth = (typeof OFFICE_MONTHS)[number];

export interface OfficeRecurrenceProperties {
  interval?: number;
  days?: OfficeDay[];
  dayOfMonth?: number;
  dayOfWeek?: OfficeDayOfWeek;
  weekNumber?: OfficeWeekNumber;
  month?: OfficeMonth;
  firstDayOfWeek?: OfficeDay;
}

export interface OfficeRecurrence {
  recurrenceType: OfficeRecurrenceType;
  recurrenceProperties?: OfficeRecurrenceProperties;
  /** Office.SeriesTime read through its getters; wall-clock in the recurrence's zone. */
  seriesTime: { startDate: LocalDate; startTime: string; endDate: LocalDate | null; durationMinutes: number };
  recurrenceTimeZone?: { name?: string };
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) {
    throw new ValidationError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

/** Office.js enum values, matched case-insensitively (docs show both 'Mon' and 'mon'). */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const found = typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  if (found === undefined) throw new ValidationError(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value) ?? 'nothing'})`);
  return found;
}

function wholeNumber(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `must be a whole number ${min}–${max} (got ${JSON.stringify(value) ?? 'nothing'})`);
  }
  return value;
}

/** Longest length of each month (February in a leap year): the largest valid yearly dayOfMonth. */
const MONTH_MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Validates and normalises what the add-in sends: enum values lower-cased as Office.MailboxEnums
 * spells them, interval defaulted to 1, properties irrelevant to the type dropped.
 */
export function parseOfficeRecurrence(value: unknown, field = 'recurrence'): OfficeRecurrence {
  const o = record(value, field);
  const recurrenceType = oneOf(o.recurrenceType, OFFICE_RECURRENCE_TYPES, `${field}.recurrenceType`);

  const st = record(o.seriesTime, `${field}.seriesTime`);
  const startDate = parseLocalDate(st.startDate, `${field}.seriesTime.startDate`);
  parseClock(st.startTime, `${field}.seriesTime.startTime`);
  const endDate = st.endDate === null || st.endDate === undefined ? null : parseLocalDate(st.endDate, `${field}.seriesTime.endDate`);
  if (endDate !== null && endDate < startDate) {
    throw new ValidationError(`${field}.seriesTime.endDate`, `must not be before startDate ${startDate}`);
  }
  // A zero-minute diversion means nothing; the upper bound only rejects nonsense.
  const durationMinutes = wholeNumber(st.durationMinutes, 1, 366 * 24 * 60, `${field}.seriesTime.durationMinutes`);
  const seriesTime = { startDate, startTime: st.startTime as string, endDate, durationMinutes };

  const pf = `${field}.recurrenceProperties`;
  const p = o.recurrenceProperties === undefined || o.recurrenceProperties === null ? {} : record(o.recurrenceProperties, pf);
  const props: OfficeRecurrenceProperties = {};
  if (recurrenceType !== 'weekday') {
    props.interval = p.interval === undefined ? 1 : wholeNumber(p.interval, 1, 999, `${pf}.interval`);
  }
  if (recurrenceType === 'weekly') {
    if (!Array.isArray(p.days) || p.days.length === 0) throw new ValidationError(`${pf}.days`, 'must list at least one day');
    props.days = p.days.map((d, i) => oneOf(d, OFFICE_DAYS, `${pf}.days[${i}]`));
    if (p.firstDayOfWeek !== undefined) props.firstDayOfWeek = oneOf(p.firstDayOfWeek, OFFICE_DAYS, `${pf}.firstDayOfWeek`);
  }
  if (recurrenceType === 'yearly') props.month = oneOf(p.month, OFFICE_MONTHS, `${pf}.month`);
  if (recurrenceType === 'monthly' || recurrenceType === 'yearly') {
    // "The second Tuesday" when weekNumber is present, otherwise "day N".
    if (p.weekNumber !== undefined) {
      props.weekNumber = oneOf(p.weekNumber, OFFICE_WEEK_NUMBERS, `${pf}.weekNumber`);
      props.dayOfWeek = oneOf(p.dayOfWeek, OFFICE_DAYS_OF_WEEK, `${pf}.dayOfWeek`);
    } else if (p.dayOfMonth !== undefined) {
      const max = props.month === undefined ? 31 : (MONTH_MAX_DAYS[OFFICE_MONTHS.indexOf(props.month)] ?? 31);
      props.dayOfMonth = wholeNumber(p.dayOfMonth, 1, max, `${pf}.dayOfMonth`);
    } else {
      throw new ValidationError(pf, 'must give dayOfMonth, or weekNumber and dayOfWeek');
    }
  }

  const result: OfficeRecurrence = { recurrenceType, recurrenceProperties: props, seriesTime };
  if (o.recurrenceTimeZone !== undefined && o.recurrenceTimeZone !== null) {
    const tz = record(o.recurrenceTimeZone, `${field}.recurrenceTimeZone`);
    if (tz.name !== undefined && typeof tz.name !== 'string') {
      throw new ValidationError(`${field}.recurrenceTimeZone.name`, 'must be a string');
    }
    result.recurrenceTimeZone = tz.name === undefined ? {} : { name: tz.name };
  }
  return result;
}

/**
 * Outlook names zones the Windows way. The European ones a Swedish organisation's users
 * plausibly have are mapped; any other non-IANA name falls back to the organisation's zone.
 */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'W. Europe Standard Time': 'Europe/Berlin', // "Amsterdam, Berlin, … Stockholm": same rules as Stockholm
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'Romance Standard Time': 'Europe/Paris',
  'GMT Standard Time': 'Europe/London',
  'FLE Standard Time': 'Europe/Helsinki',
};

export function officeRecurrenceZone(rec: OfficeRecurrence, orgZone: string): string {
  const name = rec.recurrenceTimeZone?.name;
  if (name === undefined) return orgZone;
  if (IANAZone.isValidZone(name)) return name;
  return WINDOWS_ZONES[name] ?? orgZone;
}

const RRULE_DAYS: Record<OfficeDay, Weekday> = {
  mon: RRule.MO,
  tue: RRule.TU,
  wed: RRule.WE,
  thu: RRule.TH,
  fri: RRule.FR,
  sat: RRule.SA,
  sun: RRule.SU,
};
const MON_FRI = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR];
const KINDS_OF_DAY: Record<OfficeDayOfWeek, Weekday[]> = {
  ...(Object.fromEntries(OFFICE_DAYS.map((d) => [d, [RRULE_DAYS[d]]])) as Record<OfficeDay, Weekday[]>),
  weekday: MON_FRI,
  weekendDay: [RRule.SA, RRule.SU],
  day: [...MON_FRI, RRule.SA, RRule.SU],
};
const SET_POS: Record<OfficeWeekNumber, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new ValidationError(field, 'is required for this recurrenceType');
  return value;
}

/** Which day(s) of the month (or of `month`, for yearly) the series falls on. */
function dayInPeriod(p: OfficeRecurrenceProperties): Partial<RRuleOptions> {
  if (p.weekNumber !== undefined) {
    // "Last Friday", "first weekday": all matching days of the period, then pick the nth.
    return { byweekday: KINDS_OF_DAY[required(p.dayOfWeek, 'recurrence.recurrenceProperties.dayOfWeek')], bysetpos: SET_POS[p.weekNumber] };
  }
  const dom = required(p.dayOfMonth, 'recurrence.recurrenceProperties.dayOfMonth');
  if (dom <= 28) return { bymonthday: dom };
  // Outlook puts "day 31" on the last day of shorter months (and 29 Feb on 28 Feb); RFC 5545
  // would skip those months. Candidates 28..dom, take the last one the month has.
  return { bymonthday: Array.from({ length: dom - 27 }, (_, i) => 28 + i), bysetpos: -1 };
}

function rruleOptions(rec: OfficeRecurrence): Partial<RRuleOptions> {
  const p = rec.recurrenceProperties ?? {};
  const interval = p.interval ?? 1;
  switch (rec.recurrenceType) {
    case 'daily':
      return { freq: RRule.DAILY, interval };
    case 'weekday':
      // Outlook's "every weekday" is Mon–Fri regardless of holidays.
      return { freq: RRule.DAILY, byweekday: MON_FRI };
    case 'weekly':
      return {
        freq: RRule.WEEKLY,
        interval,
        byweekday: required(p.days, 'recurrence.recurrenceProperties.days').map((d) => RRULE_DAYS[d]),
        // Matters only for interval > 1: which week a Sunday belongs to.
        wkst: RRULE_DAYS[p.firstDayOfWeek ?? 'mon'],
      };
    case 'monthly':
      return { freq: RRule.MONTHLY, interval, ...dayInPeriod(p) };
    case 'yearly':
      return {
        freq: RRule.YEARLY,
        interval,
        bymonth: OFFICE_MONTHS.indexOf(required(p.month, 'recurrence.recurrenceProperties.month')) + 1,
        ...dayInPeriod(p),
      };
  }
}

/** A local date and time of day as a "floating" Date: the wall-clock fields stored as UTC fields. */
function floating(date: LocalDate, minutes: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + minutes * 60_000);
}

/**
 * Occurrences of an Outlook series overlapping `window`, in start order. rrule works on floating
 * wall-clock dates (no zone), so every occurrence keeps the series' start time across DST; each
 * is then placed in the series' zone. The end is start + durationMinutes in absolute time, so an
 * occurrence spanning a DST switch keeps its length, not its wall-clock end (Outlook does the same).
 * The end date is inclusive; without one the series is open-ended and only the window is expanded.
 */
export function expandOfficeRecurrence(recurrence: OfficeRecurrence, window: Window, orgZone: string): Occurrence[] {
  // Re-checked because hand-built values skip parseOfficeRecurrence (an interval of 0 would hang rrule).
  const rec = parseOfficeRecurrence(recurrence);
  if (!(window.to > window.from)) return [];
  const zone = officeRecurrenceZone(rec, orgZone);
  const { startDate, startTime, endDate, durationMinutes } = rec.seriesTime;
  const startMinutes = parseClock(startTime, 'recurrence.seriesTime.startTime');
  const durationMs = durationMinutes * 60_000;

  const rule = new RRule({
    ...rruleOptions(rec),
    dtstart: floating(startDate, startMinutes),
    until: endDate === null ? null : floating(endDate, 24 * 60 - 1),
  });
  // Search a floating range generously wider than the window (offsets, occurrences already
  // running at `from`), then filter exactly on real instants.
  const toFloating = (t: Instant): number => t + DateTime.fromMillis(t, { zone }).offset * 60_000;
  const after = new Date(toFloating(window.from) - durationMs - DAY_MS);
  const before = new Date(toFloating(window.to) + DAY_MS);

  return rule
    .between(after, before, true)
    .map((d) => {
      const start = atLocal(d.toISOString().slice(0, 10), startMinutes, zone);
      return { start, end: start + durationMs };
    })
    .filter((o) => overlaps(o, window));
}
