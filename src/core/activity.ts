/**
 * Activities (SPEC 8.3): what diverts an extension, from a booking, a manual entry, a recurring
 * rule or a quick choice; their validation and the suggested end of a manual or quick one.
 */
import { type Catalog, type CodeDef, FORWARD_KEY } from './catalog';
import { isObject, ValidationError } from './errors';
import type { Resolution } from './resolve';
import { type Forwarding, parseForwarding } from './settings';
import { type Instant, parseInstant, type WorkCalendar } from './time';

export const ACTIVITY_SOURCES = ['calendar', 'manual', 'recurring', 'quick'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export interface Activity {
  id: string;
  source: ActivitySource;
  /** A catalog code key, or `forward` (Vidarekoppla). */
  key: string;
  forwarding: Forwarding;
  from: Instant;
  /** null: tills vidare (until further notice). */
  to: Instant | null;
  dismissed?: boolean;
  text?: string | null;
  /** "Visa bara informationen för telefonister": the text is shown to operators only. */
  operatorOnly?: boolean;
}

/**
 * The activity an input names: a catalog code (written in the catalog's spelling) or `forward`
 * (Vidarekoppla, no code). `includeDisabled` lets an activity made before its code was disabled
 * run out; new activities take enabled codes only.
 */
export function parseActivityKey(value: unknown, catalog: Catalog, field: string, includeDisabled = false): { key: string; code: CodeDef | null } {
  if (typeof value !== 'string') throw new ValidationError(field, value === undefined ? 'is required: a code such as "L", or "forward"' : 'must be a code such as "L", or "forward"');
  if (value.toLowerCase() === FORWARD_KEY) return { key: FORWARD_KEY, code: null };
  const code = includeDisabled ? catalog.find(value) : catalog.get(value);
  if (!code) {
    const known = (includeDisabled ? catalog.codes : catalog.enabledCodes()).map((c) => c.key);
    throw new ValidationError(field, `unknown code "${value}" (known: ${known.join(', ')}, forward)`);
  }
  return { key: code.key, code };
}

/** The activity a diverting booking becomes. */
export function activityFromResolution(id: string, r: Resolution): Activity | null {
  if (!r.diverts || !r.code || !r.forwarding || r.from === null || r.to === null) return null;
  return { id, source: 'calendar', key: r.code.key, forwarding: r.forwarding, from: r.from, to: r.to, text: r.text };
}

/**
 * Validates an activity as the CLI's `state` and the endpoint receive it. The key is checked
 * against the catalog (and written in its spelling); `forward` needs a number (SPEC 6).
 */
export function parseActivity(input: unknown, catalog: Catalog, field: string): Activity {
  if (!isObject(input)) throw new ValidationError(field, 'must be an object');
  const a = input as Record<string, unknown>;
  if (typeof a.id !== 'string' || a.id === '') throw new ValidationError(`${field}.id`, a.id === undefined ? 'is required' : 'must be a non-empty text');
  const source = a.source ?? 'manual';
  if (!ACTIVITY_SOURCES.includes(source as ActivitySource)) throw new ValidationError(`${field}.source`, `must be one of ${ACTIVITY_SOURCES.join(', ')}`);
  const { key } = parseActivityKey(a.key, catalog, `${field}.key`, true);
  if (a.forwarding === undefined) throw new ValidationError(`${field}.forwarding`, 'is required, e.g. {"mode": "spoken"}');
  const forwarding = parseForwarding(a.forwarding, `${field}.forwarding`);
  if (key === FORWARD_KEY && forwarding.mode !== 'number') {
    throw new ValidationError(`${field}.forwarding.mode`, 'must be "number" for Vidarekoppla (forward)');
  }
  if (a.from === undefined) throw new ValidationError(`${field}.from`, 'is required');
  const from = parseInstant(a.from, `${field}.from`);
  const to = a.to === undefined || a.to === null ? null : parseInstant(a.to, `${field}.to`);
  if (to !== null && to <= from) throw new ValidationError(`${field}.to`, 'must be later than from');
  if (a.dismissed !== undefined && typeof a.dismissed !== 'boolean') throw new ValidationError(`${field}.dismissed`, 'must be true or false');
  if (a.text !== undefined && a.text !== null && typeof a.text !== 'string') throw new ValidationError(`${field}.text`, 'must be a text');
  if (a.operatorOnly !== undefined && typeof a.operatorOnly !== 'boolean') throw new ValidationError(`${field}.operatorOnly`, 'must be true or false');
  return {
    id: a.id,
    source: source as ActivitySource,
    key,
    forwarding,
    from,
    to,
    dismissed: (a.dismissed as boolean | undefined) ?? false,
    text: (a.text as string | null | undefined) ?? null,
    operatorOnly: (a.operatorOnly as boolean | undefined) ?? false,
  };
}

/**
 * The suggested end ("Till-tid") of a manual or quick activity started at `from` (SPEC 3:
 * "Beroende vilket val du väljer föreslås en Till-tid"). Vidarekoppla suggests "tills vidare".
 */
export function suggestEnd(code: CodeDef | null, from: Instant, calendar: WorkCalendar): Instant | null {
  if (!code) return null;
  if (code.standardLength === 'nextWorkingDay') return calendar.nextWorkingDayStart(from);
  return from + code.standardLength.minutes * 60_000;
}
