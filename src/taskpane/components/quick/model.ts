/**
 * The Snabbval editor's model: a draft per quick choice (what the inputs hold), the conversion to
 * and from the API's QuickChoice, and a 400's `field` ("[2].length.minutes") as the draft field
 * to mark. Wall-clock times are in the user's time zone.
 */
import { activityLabel, type Catalog, FORWARD_KEY, type Lang } from '../../../core/catalog';
import type { QuickChoice, QuickLength } from '../../api/client';
import { fill } from '../../i18n';
import { fromLocalInput, toLocalInput } from '../time';
import type { QuickTexts } from './texts';

export const MAX_CHOICES = 8;

export type LengthKind = 'standard' | 'minutes' | 'untilFurtherNotice' | 'nextWorkingDay' | 'until';
export type FwdKind = 'profile' | 'spoken' | 'none' | 'number';
/** The parts of a draft a message can be shown by. */
export type Slot = 'key' | 'length' | 'forwarding' | 'text' | 'choice';

export interface Draft {
  /** Stable across moves, for React keys and focus. */
  id: number;
  key: string;
  lengthKind: LengthKind;
  minutes: string;
  /** `YYYY-MM-DDTHH:mm`, local (the datetime-local input's value). */
  until: string;
  fwd: FwdKind;
  number: string;
  text: string;
}

export type DraftErrors = Partial<Record<Slot, string>>;

let nextId = 1;
export const newId = () => nextId++;

/** An instant as the wall clock shows it in `zone`: `YYYY-MM-DDTHH:mm` (a datetime-local input). */
export function localInput(ms: number, zone: string): string {
  const { date, time } = toLocalInput(ms, zone);
  return `${date}T${time}`;
}

/** `YYYY-MM-DDTHH:mm` in `zone` as an ISO instant, or null when the input is incomplete. */
export function inputToIso(value: string, zone: string): string | null {
  const [date = '', time = ''] = value.split('T');
  const ms = fromLocalInput({ date, time: time.slice(0, 5) }, zone);
  return ms === null ? null : new Date(ms).toISOString();
}

/** "13:00" on the same local day as `now`, else "2026-11-25 08:00" (as the directory shows it). */
export function whenText(ms: number, zone: string, now: number): string {
  const [d, t] = localInput(ms, zone).split('T') as [string, string];
  return d === localInput(now, zone).split('T')[0] ? t : `${d} ${t}`;
}

export { activityLabel };

/** The length as a choice's button says it: "Standardlängd", "45 min", "till 2026-11-25 08:00" … */
export function lengthSummary(length: QuickLength, x: QuickTexts, zone: string): string {
  if (length === 'standard') return x.lengthStandard;
  if (length === 'nextWorkingDay') return x.lengthNextWorkingDay;
  if (length === 'untilFurtherNotice') return x.lengthUntilFurtherNotice;
  if ('minutes' in length) return fill(x.summaryMinutes, { n: length.minutes });
  const ms = Date.parse(length.until);
  return fill(x.summaryUntil, { when: Number.isFinite(ms) ? localInput(ms, zone).replace('T', ' ') : length.until });
}

export function toDraft(q: QuickChoice, zone: string): Draft {
  const l = q.length;
  const until = typeof l === 'object' && 'until' in l && Number.isFinite(Date.parse(l.until)) ? localInput(Date.parse(l.until), zone) : '';
  return {
    id: newId(),
    key: q.key,
    lengthKind: typeof l === 'string' ? l : 'minutes' in l ? 'minutes' : 'until',
    minutes: typeof l === 'object' && 'minutes' in l ? String(l.minutes) : '',
    until,
    fwd: q.forwarding ? q.forwarding.mode : 'profile',
    number: q.forwarding?.number ?? '',
    text: q.text ?? '',
  };
}

export function emptyDraft(catalog: Catalog): Draft {
  const key = catalog.enabledCodes()[0]?.key ?? FORWARD_KEY;
  return { id: newId(), key, lengthKind: 'standard', minutes: '', until: '', fwd: key === FORWARD_KEY ? 'number' : 'profile', number: '', text: '' };
}

/** A draft as the PUT sends it, or the slots the user has to fill first. */
export function fromDraft(d: Draft, zone: string, x: QuickTexts): { choice: QuickChoice } | { errors: DraftErrors } {
  const errors: DraftErrors = {};
  let length: QuickLength = 'standard';
  if (d.lengthKind === 'minutes') {
    const n = Number(d.minutes);
    if (!/^\s*\d+\s*$/.test(d.minutes) || n < 1 || n > 10080) errors.length = x.errMinutes;
    else length = { minutes: n };
  } else if (d.lengthKind === 'until') {
    const iso = inputToIso(d.until, zone);
    if (!iso) errors.length = x.errUntil;
    else length = { until: iso };
  } else {
    length = d.lengthKind;
  }
  const fwd: FwdKind = d.key === FORWARD_KEY ? 'number' : d.fwd;
  if (fwd === 'number' && !d.number.trim()) errors.forwarding = x.errNumber;
  if (d.text.length > 200) errors.text = x.errText;
  if (Object.keys(errors).length > 0) return { errors };
  const forwarding = fwd === 'profile' ? null : { mode: fwd, number: fwd === 'number' ? d.number.trim() : null };
  return { choice: { key: d.key, length, forwarding, text: d.text.trim() || null } };
}

/**
 * A problem's `field` as the choice (index) and slot to show a message by, in the pane's words:
 * "[2].length.minutes" → choice 2, length, "Ange ett helt antal minuter …". Null: not one choice's.
 */
export function fieldError(field: string, x: QuickTexts): { index: number; slot: Slot; message: string } | null {
  const m = /\[(\d+)\](?:\.([\w.[\]]+))?/.exec(field);
  if (!m) return null;
  const index = Number(m[1]);
  const path = m[2] ?? '';
  const top = path.split('.')[0] ?? '';
  if (top === 'key') return { index, slot: 'key', message: x.errKey };
  if (top === 'length') {
    const message = /minutes/.test(path) ? x.errMinutes : /until/.test(path) ? x.errUntil : x.errLength;
    return { index, slot: 'length', message };
  }
  if (top === 'forwarding') return { index, slot: 'forwarding', message: /number/.test(path) ? x.errNumber : x.errForwarding };
  if (top === 'text') return { index, slot: 'text', message: x.errText };
  return { index, slot: 'choice', message: x.errChoice };
}

export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}
