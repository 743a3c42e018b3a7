/**
 * Dates and times as the pane's forms show them (a date input and a time input, wall clock in the pane's
 * zone) and the core's working calendar, which in the browser needs its holiday tables loaded.
 */
import * as React from 'react';
import type { Lang } from '../../core/catalog';
import { atLocal, type Instant, localParts, WorkCalendar, type WorkdayConfig } from '../../core/time';
import { loadHolidays } from '../holidays-shim';

export interface LocalInput {
  date: string;
  time: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An instant as the date and time inputs show it in `zone`. */
export function toLocalInput(t: Instant, zone: string): LocalInput {
  const p = localParts(t, zone);
  return { date: `${p.year}-${pad2(p.month)}-${pad2(p.day)}`, time: `${pad2(p.hour)}:${pad2(p.minute)}` };
}

/** The instant the inputs mean in `zone`; null when either is empty or malformed. */
export function fromLocalInput(v: LocalInput, zone: string): Instant | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v.time);
  if (!m) return null;
  const t = atLocal(v.date, Number(m[1]) * 60 + Number(m[2]), zone);
  return Number.isFinite(t) ? t : null;
}

/** "2026-11-24 16:00" (sv) / "24/11/2026, 16:00" (en), with the weekday when asked. */
export function formatInstant(t: Instant, zone: string, lang: Lang, weekday = false): string {
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  const when = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(t);
  if (!weekday) return when;
  return `${new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short' }).format(t)} ${when}`;
}

/** "16:00" in `zone`. */
export function formatClock(t: Instant, zone: string): string {
  return toLocalInput(t, zone).time;
}

/**
 * The organisation's working calendar (SPEC 7: its zone, workday hours and extra days off, as
 * `GET /catalog` gives them), so Till and "Nästa arbetsdag" are proposed as the endpoint computes
 * them. null until the holiday tables are loaded: the browser build loads them on demand; where
 * the real library is linked directly (tests, Node) the loader is not needed.
 */
export function useWorkCalendar(workday: WorkdayConfig): WorkCalendar | null {
  const wanted = JSON.stringify(workday);
  const [cal, setCal] = React.useState<WorkCalendar | null>(() => readyCalendar(workday));
  React.useEffect(() => {
    if (cal && JSON.stringify(cal.config) === wanted) return;
    let live = true;
    const make = () => {
      if (live) setCal(tryCore(() => new WorkCalendar(JSON.parse(wanted) as WorkdayConfig)));
    };
    loadHolidays().then(make, make);
    return () => {
      live = false;
    };
  }, [wanted, cal]);
  return cal;
}

/** The calendar when its holiday tables are already there (loaded before, or linked directly). */
function readyCalendar(workday: WorkdayConfig): WorkCalendar | null {
  return tryCore(() => {
    const cal = new WorkCalendar(workday);
    cal.isWorkingDay('2026-01-01');
    return cal;
  });
}

/** Runs a core computation that needs the holiday tables; null when they are missing or it refuses. */
export function tryCore<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
