/**
 * Instants, wall-clock arithmetic in the organisation's zone, and Swedish working days (SPEC 7).
 * Instants are epoch milliseconds (UTC) everywhere in the core; strings only at the edges.
 * Does not know about activities or bookings.
 */
import Holidays from 'date-holidays';
import { DateTime, IANAZone } from 'luxon';
import { ValidationError } from './errors';

/** Epoch milliseconds, UTC. */
export type Instant = number;
/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

/** 24 hours in milliseconds: a length of time, not a local day (those are 23 or 25 hours at DST). */
export const DAY_MS = 86_400_000;

// Date, time (seconds and fraction optional), and Z or an offset of at most ±14:59.
const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(0\d|1[0-4]):?([0-5]\d)?)$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Parses an ISO 8601 instant that carries `Z` or an offset; a bare local time is not an instant.
 * Plain arithmetic rather than a date library: every booking the endpoint receives passes here.
 */
export function parseInstant(value: unknown, field: string): Instant {
  const m = typeof value === 'string' ? INSTANT_RE.exec(value) : null;
  if (!m) {
    throw new ValidationError(field, `must be an ISO 8601 instant with Z or an offset, e.g. 2026-11-24T11:00:00Z (got ${describe(value)})`);
  }
  const [, y, mo, d, h, mi, sec, frac, zulu, sign, oh, om] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  // Date.UTC reads years 0–99 as 1900–1999; no booking is that old.
  if (year < 1000) throw new ValidationError(field, `is not a valid instant (year ${y})`);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    throw new ValidationError(field, `is not a valid instant (there is no ${y}-${mo}-${d})`);
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const local = Date.UTC(year, month - 1, day, Number(h), Number(mi), sec ? Number(sec) : 0, ms);
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + (om ? Number(om) : 0));
  const t = local - offsetMinutes * 60_000;
  // No booking lies outside this century; a year-9999 end would divert "until 10000-01-01".
  if (t < INSTANT_MIN || t >= INSTANT_MAX) {
    throw new ValidationError(field, `must lie in the years 2000 to 2099 (got ${describe(value)})`);
  }
  return t;
}

/** The instants accepted from input: 2000-01-01T00:00Z up to, not including, 2100-01-01T00:00Z. */
export const INSTANT_MIN = Date.UTC(2000, 0, 1);
export const INSTANT_MAX = Date.UTC(2100, 0, 1);

/** UTC with `Z`; milliseconds only when there are any. */
export function formatInstant(t: Instant): string {
  const iso = new Date(t).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

export function parseLocalDate(value: unknown, field: string): LocalDate {
  if (typeof value !== 'string' || !DATE_RE.test(value) || !DateTime.fromISO(value).isValid) {
    throw new ValidationError(field, `must be a date YYYY-MM-DD (got ${describe(value)})`);
  }
  if (value < '2000-01-01' || value > '2099-12-31') throw new ValidationError(field, `must lie in the years 2000 to 2099 (got ${describe(value)})`);
  return value;
}

/** `HH:mm` → minutes after midnight. */
export function parseClock(value: unknown, field: string): number {
  const m = typeof value === 'string' ? CLOCK_RE.exec(value) : null;
  if (!m) throw new ValidationError(field, `must be a time of day HH:mm (got ${describe(value)})`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function assertTimeZone(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IANAZone.isValidZone(value)) {
    throw new ValidationError(field, `must be an IANA time zone such as Europe/Stockholm (got ${describe(value)})`);
  }
  return value;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock reading of an instant in a zone. A cached Intl formatter: about thirty times
 * cheaper than a luxon DateTime, which matters on the scheduler's hot path.
 */
export function localParts(t: Instant, zone: string): LocalParts {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    partsFormatters.set(zone, f);
  }
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const p of f.formatToParts(t)) {
    if (p.type in out) out[p.type as keyof LocalParts] = Number(p.value);
  }
  return out;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function localDateOf(t: Instant, zone: string): LocalDate {
  const p = localParts(t, zone);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** `HHMM` and `MMDD` as the switch stores them, and whether two instants share a local date. */
export function switchClock(t: Instant, zone: string): { date: LocalDate; hhmm: string; mmdd: string } {
  const p = localParts(t, zone);
  return { date: `${p.year}-${pad2(p.month)}-${pad2(p.day)}`, hhmm: pad2(p.hour) + pad2(p.minute), mmdd: pad2(p.month) + pad2(p.day) };
}

/** The instant at which the given local date shows the given wall-clock time (DST-correct). */
export function atLocal(date: LocalDate, minutesAfterMidnight: number, zone: string): Instant {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return DateTime.fromObject(
    { year: y, month: mo, day: d, hour: Math.floor(minutesAfterMidnight / 60), minute: minutesAfterMidnight % 60 },
    { zone },
  ).toMillis();
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function weekdayOf(date: LocalDate): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// ---------------------------------------------------------------------------------------------
// Working days

export interface WorkdayConfig {
  timeZone: string;
  /** Working day start, `HH:mm` (SPEC 7: 08:00). */
  workdayStart: string;
  /** Working day end, `HH:mm` (SPEC 7: 17:00). */
  workdayEnd: string;
  /** Organisation's extra days off (klämdagar), `YYYY-MM-DD`. */
  extraDaysOff: readonly LocalDate[];
}

export const DEFAULT_WORKDAY: WorkdayConfig = {
  timeZone: DEFAULT_TIME_ZONE,
  workdayStart: '08:00',
  workdayEnd: '17:00',
  extraDaysOff: [],
};

const swedishHolidays = new Holidays('SE');
const holidayCache = new Map<number, ReadonlySet<LocalDate>>();

/**
 * Swedish non-working weekdays of a year. SPEC 7: `date-holidays` SE with types `public` and
 * `bank` is exactly the public holidays plus midsommarafton, julafton and nyårsafton.
 */
export function swedishHolidaysOf(year: number): ReadonlySet<LocalDate> {
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(
      swedishHolidays
        .getHolidays(year)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(year, set);
  }
  return set;
}

/** Working days, their start and end, and "next working day", in the organisation's zone. */
export class WorkCalendar {
  readonly zone: string;
  readonly startMinutes: number;
  readonly endMinutes: number;
  /** The configuration it was built from, validated (extra days off sorted): what the pane is told. */
  readonly config: WorkdayConfig;
  private readonly daysOff: ReadonlySet<LocalDate>;

  constructor(config: WorkdayConfig = DEFAULT_WORKDAY) {
    this.zone = assertTimeZone(config.timeZone, 'org.timeZone');
    this.startMinutes = parseClock(config.workdayStart, 'org.workdayStart');
    this.endMinutes = parseClock(config.workdayEnd, 'org.workdayEnd');
    if (this.endMinutes <= this.startMinutes) {
      throw new ValidationError('org.workdayEnd', 'must be later than org.workdayStart');
    }
    this.daysOff = new Set(config.extraDaysOff.map((d, i) => parseLocalDate(d, `org.extraDaysOff[${i}]`)));
    this.config = { timeZone: this.zone, workdayStart: config.workdayStart, workdayEnd: config.workdayEnd, extraDaysOff: [...this.daysOff].sort() };
  }

  isWorkingDay(date: LocalDate): boolean {
    if (weekdayOf(date) > 5) return false;
    if (this.daysOff.has(date)) return false;
    return !swedishHolidaysOf(Number(date.slice(0, 4))).has(date);
  }

  /** First working day strictly after `date`. */
  nextWorkingDayAfter(date: LocalDate): LocalDate {
    let d = addDays(date, 1);
    for (let i = 0; i < 366; i++, d = addDays(d, 1)) {
      if (this.isWorkingDay(d)) return d;
    }
    throw new ValidationError('org.extraDaysOff', `leave no working day in the year after ${date}`);
  }

  /** Last working day strictly before `date`. */
  previousWorkingDayBefore(date: LocalDate): LocalDate {
    let d = addDays(date, -1);
    for (let i = 0; i < 366; i++, d = addDays(d, -1)) {
      if (this.isWorkingDay(d)) return d;
    }
    throw new ValidationError('org.extraDaysOff', `leave no working day in the year before ${date}`);
  }

  workdayStartOn(date: LocalDate): Instant {
    return atLocal(date, this.startMinutes, this.zone);
  }

  workdayEndOn(date: LocalDate): Instant {
    return atLocal(date, this.endMinutes, this.zone);
  }

  /**
   * SPEC 7: the working day start of the first working day after t's local date
   * (a sick note written at 07:00 on a Friday means "back Monday").
   */
  nextWorkingDayStart(t: Instant): Instant {
    return this.workdayStartOn(this.nextWorkingDayAfter(localDateOf(t, this.zone)));
  }
}
