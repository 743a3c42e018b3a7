/**
 * The code catalog (SPEC 3): the NP/<key>: codes, their MEX digit, profile group and standard
 * length, and an organisation's override (relabel, add, disable, regroup). Pure data + lookup.
 */
import { ValidationError } from './errors';

export const PROFILE_GROUPS = ['lunch', 'goneForTheDay', 'errand', 'meeting', 'dayOff', 'absent', 'forward'] as const;
export type ProfileGroup = (typeof PROFILE_GROUPS)[number];

export type Lang = 'sv' | 'en';
export type Localized = Record<Lang, string>;

/** The rows of the "Kontaktprofiler" tab, in the guide's words. */
export const PROFILE_GROUP_LABELS: Record<ProfileGroup, Localized> = {
  lunch: { sv: 'Lunch', en: 'Lunch' },
  goneForTheDay: { sv: 'Gått för dagen', en: 'Gone for the day' },
  errand: { sv: 'Tjänsteärende', en: 'On an errand' },
  meeting: { sv: 'Sammanträde', en: 'Meeting' },
  dayOff: { sv: 'Ledig', en: 'Day off' },
  absent: { sv: 'Frånvarande', en: 'Absent' },
  forward: { sv: 'Vidarekoppla', en: 'Forward' },
};

/** Suggested end for manual and quick activities: minutes, or the start of the next working day. */
export type StandardLength = { minutes: number } | 'nextWorkingDay';

export interface CodeDef {
  key: string;
  /** `NP/<key>:` */
  prefix: string;
  label: Localized;
  mex: number;
  group: ProfileGroup;
  standardLength: StandardLength;
  enabled: boolean;
}

/** The manual-only activity "Vidarekoppla": no MEX code, no prefix, always forwards to a number. */
export const FORWARD_KEY = 'forward';
export const FORWARD_LABEL: Localized = { sv: 'Vidarekoppla', en: 'Forward' };

/** What the pane calls an activity's key: the code's label (any case), Vidarekoppla, or the key when unknown. */
export function activityLabel(key: string, catalog: Catalog, lang: Lang): string {
  return key.toLowerCase() === FORWARD_KEY ? FORWARD_LABEL[lang] : (catalog.find(key)?.label[lang] ?? key);
}

const row = (key: string, sv: string, en: string, mex: number, group: ProfileGroup, standardLength: StandardLength): CodeDef => ({
  key,
  prefix: `NP/${key}:`,
  label: { sv, en },
  mex,
  group,
  standardLength,
  enabled: true,
});

export const DEFAULT_CODES: readonly CodeDef[] = [
  row('L', 'Lunch', 'Lunch', 0, 'lunch', { minutes: 60 }),
  row('GF', 'Ej på kontoret (Gått för dagen)', 'Gone for the day', 1, 'goneForTheDay', 'nextWorkingDay'),
  row('T', 'Tjänsteärende', 'On an errand', 2, 'errand', { minutes: 120 }),
  row('M', 'Möte', 'In a meeting', 3, 'meeting', { minutes: 60 }),
  row('TR', 'Tjänsteresa', 'Business trip', 4, 'errand', 'nextWorkingDay'),
  row('K', 'Kurs', 'On a course', 5, 'absent', 'nextWorkingDay'),
  row('S', 'Semester', 'On vacation', 6, 'dayOff', 'nextWorkingDay'),
  row('VAB', 'VAB', 'Caring for a sick child', 7, 'absent', 'nextWorkingDay'),
  row('TF', 'Tillfälligt upptagen', 'Temporarily busy', 8, 'meeting', { minutes: 15 }),
  row('Sj', 'Sjuk', 'Sick', 9, 'absent', 'nextWorkingDay'),
];

/**
 * An organisation's change to one code. An existing key (matched case-insensitively) is changed
 * field by field; a new key adds a code and then needs label, mex and group.
 */
export interface CodeOverride {
  key: string;
  label?: Partial<Localized>;
  mex?: number;
  group?: ProfileGroup;
  standardLength?: StandardLength;
  enabled?: boolean;
}

const KEY_RE = /^[\p{L}\p{N}]{1,8}$/u;

export class Catalog {
  readonly codes: readonly CodeDef[];
  private readonly byLower: ReadonlyMap<string, CodeDef>;

  constructor(codes: readonly CodeDef[]) {
    this.codes = codes;
    this.byLower = new Map(codes.map((c) => [c.key.toLowerCase(), c]));
  }

  /** Any code with this key, enabled or not, matched case-insensitively. */
  find(key: string): CodeDef | undefined {
    return this.byLower.get(key.toLowerCase());
  }

  /** An enabled code with this key, matched case-insensitively. */
  get(key: string): CodeDef | undefined {
    const c = this.byLower.get(key.toLowerCase());
    return c?.enabled ? c : undefined;
  }

  enabledCodes(): CodeDef[] {
    return this.codes.filter((c) => c.enabled);
  }
}

export const DEFAULT_CATALOG = new Catalog(DEFAULT_CODES);

function validateStandardLength(value: unknown, field: string): StandardLength {
  if (value === 'nextWorkingDay') return value;
  const minutes = (value as { minutes?: unknown } | null)?.minutes;
  if (typeof value === 'object' && value !== null && Number.isInteger(minutes) && (minutes as number) >= 1 && (minutes as number) <= 7 * 24 * 60) {
    return { minutes: minutes as number };
  }
  throw new ValidationError(field, 'must be "nextWorkingDay" or {"minutes": 1..10080}');
}

/** Applies an organisation's overrides to the default catalog, validating each one. */
export function buildCatalog(overrides: readonly CodeOverride[] = [], base: readonly CodeDef[] = DEFAULT_CODES): Catalog {
  const codes = base.map((c) => ({ ...c, label: { ...c.label } }));
  overrides.forEach((o, i) => {
    const field = `catalog[${i}]`;
    if (typeof o?.key !== 'string' || !KEY_RE.test(o.key)) {
      throw new ValidationError(`${field}.key`, 'must be 1 to 8 letters or digits');
    }
    if (o.key.toLowerCase() === FORWARD_KEY) throw new ValidationError(`${field}.key`, `"${FORWARD_KEY}" is reserved for Vidarekoppla`);
    if (o.mex !== undefined && !(Number.isInteger(o.mex) && o.mex >= 0 && o.mex <= 9)) {
      throw new ValidationError(`${field}.mex`, 'must be a MEX code 0 to 9');
    }
    if (o.group !== undefined && !PROFILE_GROUPS.includes(o.group)) {
      throw new ValidationError(`${field}.group`, `must be one of ${PROFILE_GROUPS.join(', ')}`);
    }
    if (o.enabled !== undefined && typeof o.enabled !== 'boolean') throw new ValidationError(`${field}.enabled`, 'must be true or false');
    for (const lang of ['sv', 'en'] as const) {
      const l = o.label?.[lang];
      if (l !== undefined && (typeof l !== 'string' || l.trim() === '' || l.length > 60)) {
        throw new ValidationError(`${field}.label.${lang}`, 'must be a text of 1 to 60 characters');
      }
    }
    const standardLength = o.standardLength === undefined ? undefined : validateStandardLength(o.standardLength, `${field}.standardLength`);
    const existing = codes.find((c) => c.key.toLowerCase() === o.key.toLowerCase());
    if (existing) {
      if (o.label?.sv !== undefined) existing.label.sv = o.label.sv.trim();
      if (o.label?.en !== undefined) existing.label.en = o.label.en.trim();
      if (o.mex !== undefined) existing.mex = o.mex;
      if (o.group !== undefined) existing.group = o.group;
      if (standardLength !== undefined) existing.standardLength = standardLength;
      if (o.enabled !== undefined) existing.enabled = o.enabled;
      return;
    }
    if (o.mex === undefined) throw new ValidationError(`${field}.mex`, 'is required for a new code');
    if (o.group === undefined) throw new ValidationError(`${field}.group`, 'is required for a new code');
    const sv = o.label?.sv?.trim();
    if (!sv) throw new ValidationError(`${field}.label.sv`, 'is required for a new code');
    codes.push({
      key: o.key,
      prefix: `NP/${o.key}:`,
      label: { sv, en: o.label?.en?.trim() || sv },
      mex: o.mex,
      group: o.group,
      standardLength: standardLength ?? { minutes: 60 },
      enabled: o.enabled ?? true,
    });
  });
  return new Catalog(codes);
}
