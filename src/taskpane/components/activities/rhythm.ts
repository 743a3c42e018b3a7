/**
 * A recurring rule as one row of the list. The endpoint lists a rule only as its occurrences
 * (`rec:<ruleId>:<start ms>`, `ruleId` set), not its repeat, end date or "Nästa arbetsdag", so
 * the rhythm is read back from the occurrences with the core's working calendar; when they do not
 * tell (a single occurrence, an irregular gap) the row shows the next occurrence times instead.
 */
import type { Lang } from '../../../core/catalog';
import { DAY_MS, type Instant, localDateOf, type WorkCalendar } from '../../../core/time';
import type { ActivityJson } from '../../api/client';
import { fill } from '../../i18n';
import type { ActivityTexts } from './texts';
import { formatClock, formatInstant, tryCore } from '../time';

export type DerivedRepeat = 'everyWorkingDay' | 'everyDay' | { weeks: number };

/** The rule an occurrence belongs to: `ruleId`, or read from its id `rec:<ruleId>:<start ms>`. */
export function ruleIdOf(a: ActivityJson): string | null {
  if (a.ruleId) return a.ruleId;
  const m = /^rec:(.+):(\d+)$/.exec(a.id);
  return a.source === 'recurring' && m ? (m[1] ?? null) : null;
}

export type ListRow = { kind: 'single'; activity: ActivityJson } | { kind: 'rule'; ruleId: string; occurrences: ActivityJson[] };

/** The list's rows in start order: a rule once (at its first listed occurrence), everything else as it is. */
export function groupRows(list: readonly ActivityJson[]): ListRow[] {
  const rows: ListRow[] = [];
  const rules = new Map<string, ActivityJson[]>();
  for (const a of [...list].sort((p, q) => Date.parse(p.from) - Date.parse(q.from))) {
    const id = ruleIdOf(a);
    if (id === null) {
      rows.push({ kind: 'single', activity: a });
      continue;
    }
    const occ = rules.get(id);
    if (occ) occ.push(a);
    else {
      const fresh = [a];
      rules.set(id, fresh);
      rows.push({ kind: 'rule', ruleId: id, occurrences: fresh });
    }
  }
  return rows;
}

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOfDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The repeat the occurrences' start dates show, or null when they do not tell. Deleted
 * occurrences leave gaps, so: gaps all whole weeks → every gcd weeks; otherwise some consecutive
 * days → every day when one falls on a day off, every working day when the gaps step over days
 * off only (a rule with all its weekend occurrences deleted looks like every working day).
 */
export function deriveRepeat(starts: readonly Instant[], cal: WorkCalendar): DerivedRepeat | null {
  if (starts.length < 2) return null;
  const days = starts.map((s) => dayNumber(localDateOf(s, cal.zone)));
  const gaps = days.slice(1).map((d, i) => d - (days[i] as number));
  if (gaps.some((g) => g <= 0)) return null;
  if (gaps.every((g) => g % 7 === 0)) {
    const weeks = gaps.reduce(gcd) / 7;
    return weeks <= 6 ? { weeks } : null;
  }
  if (!gaps.includes(1)) return null;
  const later = days.slice(1);
  if (later.some((d) => !cal.isWorkingDay(dateOfDay(d)))) return 'everyDay';
  const skipsDayOff = later.some((d, i) => {
    for (let k = (days[i] as number) + 1; k < d; k++) if (!cal.isWorkingDay(dateOfDay(k))) return true;
    return false;
  });
  return skipsDayOff ? 'everyWorkingDay' : null;
}

/** Whether every occurrence ends at the start of the working day after it ("Nästa arbetsdag"). */
export function endsNextWorkingDay(occ: readonly ActivityJson[], cal: WorkCalendar): boolean {
  return occ.length > 0 && occ.every((o) => o.to !== null && Date.parse(o.to) === cal.nextWorkingDayStart(Date.parse(o.from)));
}

export function repeatText(r: DerivedRepeat, x: ActivityTexts): string {
  if (r === 'everyWorkingDay') return x.everyWorkingDay;
  if (r === 'everyDay') return x.everyDay;
  return x.weeks[r.weeks - 1] ?? x.weeks[0] ?? '';
}

/**
 * "Varje arbetsdag 16:00 – nästa arbetsdag", "Varannan vecka 08:00 – 10:00"; without a known
 * rhythm "nästa: <the first three occurrences>".
 */
export function rhythmText(occ: readonly ActivityJson[], cal: WorkCalendar | null, zone: string, lang: Lang, x: ActivityTexts): string {
  const first = occ[0];
  const repeat = cal ? tryCore(() => deriveRepeat(occ.map((o) => Date.parse(o.from)), cal)) : null;
  if (!first || !repeat) {
    const list = occ.slice(0, 3).map((o) => formatInstant(Date.parse(o.from), zone, lang));
    return fill(x.nextOccurrences, { list: list.join(', ') });
  }
  const start = formatClock(Date.parse(first.from), zone);
  const nwd = cal ? tryCore(() => endsNextWorkingDay(occ, cal)) : false;
  const end = nwd ? x.nextWorkingDayLower : first.to === null ? x.untilFurtherNotice : formatClock(Date.parse(first.to), zone);
  return `${repeatText(repeat, x)} ${start} – ${end}`;
}
