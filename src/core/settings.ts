/**
 * Calendar settings (SPEC 5, tab "Kalender") and contact profiles (SPEC 6, tab "Kontaktprofiler"):
 * defaults, merging a user's partial choice over the organisation's defaults, and validation.
 */
import { Catalog, DEFAULT_CATALOG, type Lang, PROFILE_GROUPS, type ProfileGroup } from './catalog';
import { isObject, ValidationError } from './errors';

export interface CalendarSettings {
  enabled: boolean;
  defaultCode: string | null;
  language: Lang;
  soft: boolean;
  messageFields: { subject: boolean; location: boolean; body: boolean };
  include: { free: boolean; private: boolean; tentative: boolean };
}

export type ForwardingMode = 'spoken' | 'none' | 'number';
export const FORWARDING_MODES: readonly ForwardingMode[] = ['spoken', 'none', 'number'];

export interface Forwarding {
  mode: ForwardingMode;
  number: string | null;
}

export type ContactProfile = Record<ProfileGroup, Forwarding>;

export const DEFAULT_SETTINGS: CalendarSettings = {
  enabled: true,
  defaultCode: null,
  language: 'sv',
  soft: false,
  messageFields: { subject: false, location: false, body: false },
  include: { free: false, private: false, tentative: false },
};

export const DEFAULT_PROFILE: ContactProfile = Object.fromEntries(
  PROFILE_GROUPS.map((g) => [g, g === 'forward' ? { mode: 'number', number: null } : { mode: 'spoken', number: null }]),
) as ContactProfile;

/** A partial settings object as a user or an organisation sends it. */
export type SettingsInput = Partial<Omit<CalendarSettings, 'messageFields' | 'include'>> & {
  messageFields?: Partial<CalendarSettings['messageFields']>;
  include?: Partial<CalendarSettings['include']>;
};
export type ProfileInput = Partial<Record<ProfileGroup, { mode?: ForwardingMode; number?: string | null }>>;

function bool(v: unknown, fallback: boolean, field: string): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ValidationError(field, 'must be true or false');
  return v;
}

function rejectUnknown(obj: Record<string, unknown>, known: readonly string[], field: string): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) throw new ValidationError(`${field}.${k}`, `is not a known field (known: ${known.join(', ')})`);
  }
}

/**
 * Merges partial settings over a base (the organisation's defaults, which default to SPEC 5),
 * validating every field; `defaultCode` is checked against the catalog and stored in its spelling.
 */
export function mergeSettings(
  input: unknown,
  base: CalendarSettings = DEFAULT_SETTINGS,
  catalog: Catalog = DEFAULT_CATALOG,
  field = 'settings',
): CalendarSettings {
  if (input === undefined || input === null) return base;
  if (!isObject(input)) throw new ValidationError(field, 'must be an object');
  rejectUnknown(input, Object.keys(DEFAULT_SETTINGS), field);
  let defaultCode = base.defaultCode;
  if (input.defaultCode !== undefined) {
    if (input.defaultCode === null || input.defaultCode === '') defaultCode = null;
    else if (typeof input.defaultCode !== 'string') throw new ValidationError(`${field}.defaultCode`, 'must be a code key such as "M", or null');
    else {
      const code = catalog.get(input.defaultCode);
      if (!code) throw new ValidationError(`${field}.defaultCode`, `unknown code "${input.defaultCode}" (known: ${catalog.enabledCodes().map((c) => c.key).join(', ')})`);
      defaultCode = code.key;
    }
  }
  let language = base.language;
  if (input.language !== undefined) {
    if (input.language !== 'sv' && input.language !== 'en') throw new ValidationError(`${field}.language`, 'must be "sv" or "en"');
    language = input.language;
  }
  const mf = input.messageFields ?? {};
  const inc = input.include ?? {};
  if (!isObject(mf)) throw new ValidationError(`${field}.messageFields`, 'must be an object');
  if (!isObject(inc)) throw new ValidationError(`${field}.include`, 'must be an object');
  rejectUnknown(mf, ['subject', 'location', 'body'], `${field}.messageFields`);
  rejectUnknown(inc, ['free', 'private', 'tentative'], `${field}.include`);
  return {
    enabled: bool(input.enabled, base.enabled, `${field}.enabled`),
    defaultCode,
    language,
    soft: bool(input.soft, base.soft, `${field}.soft`),
    messageFields: {
      subject: bool(mf.subject, base.messageFields.subject, `${field}.messageFields.subject`),
      location: bool(mf.location, base.messageFields.location, `${field}.messageFields.location`),
      body: bool(mf.body, base.messageFields.body, `${field}.messageFields.body`),
    },
    include: {
      free: bool(inc.free, base.include.free, `${field}.include.free`),
      private: bool(inc.private, base.include.private, `${field}.include.private`),
      tentative: bool(inc.tentative, base.include.tentative, `${field}.include.tentative`),
    },
  };
}

const PHONE_SEPARATORS = /[\s\-()]/g;
const PHONE_RE = /^\+?\d{2,15}$/;

/**
 * A phone number or extension as the switch dials it: digits with an optional leading +, 2 to
 * 15 digits (E.164's maximum). Spaces, hyphens and brackets people type are dropped.
 */
export function normalisePhoneNumber(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a phone number or extension as text');
  const n = value.replace(PHONE_SEPARATORS, '');
  if (!PHONE_RE.test(n)) throw new ValidationError(field, 'must be a phone number or extension: 2 to 15 digits, optionally starting with +');
  return n;
}

/** Validates a forwarding choice; `requireNumber` refuses mode `number` without a number. */
export function parseForwarding(input: unknown, field: string, base?: Forwarding, requireNumber = true): Forwarding {
  if (!isObject(input)) throw new ValidationError(field, 'must be an object like {"mode": "spoken"}');
  rejectUnknown(input, ['mode', 'number'], field);
  const mode = input.mode ?? base?.mode;
  if (mode === undefined) throw new ValidationError(`${field}.mode`, 'is required ("spoken", "none" or "number")');
  if (!FORWARDING_MODES.includes(mode as ForwardingMode)) throw new ValidationError(`${field}.mode`, 'must be "spoken", "none" or "number"');
  const rawNumber = input.number === undefined ? (base?.number ?? null) : input.number;
  const number = rawNumber === null || rawNumber === '' ? null : normalisePhoneNumber(rawNumber, `${field}.number`);
  if (mode === 'number' && number === null && requireNumber) {
    throw new ValidationError(`${field}.number`, 'is required when mode is "number" (Till nummer)');
  }
  // A number is kept only where it is used, so a stale number never forwards a call.
  return { mode: mode as ForwardingMode, number: mode === 'number' ? number : null };
}

/**
 * Merges a partial contact profile over a base. Mode `number` needs a number, except for the
 * `forward` group, whose default is "Till nummer" with no number until the user enters one (SPEC 6).
 */
export function mergeProfile(input: unknown, base: ContactProfile = DEFAULT_PROFILE, field = 'profile'): ContactProfile {
  if (input === undefined || input === null) return base;
  if (!isObject(input)) throw new ValidationError(field, 'must be an object mapping a profile group to {"mode", "number"}');
  rejectUnknown(input, PROFILE_GROUPS, field);
  const out = { ...base };
  for (const g of PROFILE_GROUPS) {
    if (input[g] !== undefined) out[g] = parseForwarding(input[g], `${field}.${g}`, base[g], g !== 'forward');
  }
  return out;
}
