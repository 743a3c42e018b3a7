/**
 * A recurring rule as one row of the list. The endpoint sends each occurrence with its rule as
 * it was made (`rule`: repeat, until, endsNextWorkingDay), so the row names the rhythm and the end
 * in the guide's words (3.3.2): "Varje arbetsdag 16:00 – nästa arbetsdag, tills vidare".
 */
import type { Lang } from '../../../core/catalog';
import type { ActivityJson } from '../../api/client';
import { fill } from '../../i18n';
import type { ActivityTexts } from './texts';
import { formatClock, formatInstant } from '../time';

export type RuleJson = NonNullable<ActivityJson['rule']>;

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

export function repeatText(r: RuleJson['repeat'], x: ActivityTexts): string {
  if (r === 'everyWorkingDay') return x.everyWorkingDay;
  if (r === 'everyDay') return x.everyDay;
  return x.weeks[r.weeks - 1] ?? x.weeks[0] ?? '';
}

/** "2027-06-30" (sv) / "30/06/2027" (en): a rule's last day. */
function dayText(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-');
  return lang === 'sv' ? date : `${d}/${m}/${y}`;
}

/**
 * "Varje arbetsdag 16:00 – nästa arbetsdag, tills vidare", "Varannan vecka 08:00 – 10:00, till
 * och med 2027-06-30"; an occurrence without its rule (an older endpoint) is named by the times
 * of the next occurrences instead.
 */
export function rhythmText(occ: readonly ActivityJson[], zone: string, lang: Lang, x: ActivityTexts): string {
  const first = occ[0];
  const rule = first?.rule;
  if (!first || !rule) {
    const list = occ.slice(0, 3).map((o) => formatInstant(Date.parse(o.from), zone, lang));
    return fill(x.nextOccurrences, { list: list.join(', ') });
  }
  const start = formatClock(Date.parse(first.from), zone);
  const end = rule.endsNextWorkingDay ? x.nextWorkingDayLower : first.to === null ? x.untilFurtherNotice : formatClock(Date.parse(first.to), zone);
  const ends = rule.until === null ? x.ruleUntilFurtherNotice : fill(x.ruleUntil, { date: dayText(rule.until, lang) });
  return `${repeatText(rule.repeat, x)} ${start} – ${end}, ${ends}`;
}
