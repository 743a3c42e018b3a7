/**
 * Organisation settings: time zone and working day (SPEC 7), the catalog override (SPEC 3), and
 * the defaults every user's settings and profile start from (SPEC 5–6). Validated once, then
 * handed to the rules as one object.
 */
import { buildCatalog, Catalog, type CodeOverride, DEFAULT_CATALOG } from './catalog';
import { ValidationError } from './errors';
import { type CalendarSettings, type ContactProfile, DEFAULT_PROFILE, DEFAULT_SETTINGS, mergeProfile, mergeSettings } from './settings';
import { DEFAULT_WORKDAY, WorkCalendar } from './time';

export interface Org {
  catalog: Catalog;
  calendar: WorkCalendar;
  settings: CalendarSettings;
  profile: ContactProfile;
}

export interface OrgInput {
  timeZone?: string;
  workdayStart?: string;
  workdayEnd?: string;
  extraDaysOff?: string[];
  catalog?: CodeOverride[];
  settings?: unknown;
  profile?: unknown;
}

const ORG_FIELDS = ['timeZone', 'workdayStart', 'workdayEnd', 'extraDaysOff', 'catalog', 'settings', 'profile'];

export const DEFAULT_ORG: Org = {
  catalog: DEFAULT_CATALOG,
  calendar: new WorkCalendar(DEFAULT_WORKDAY),
  settings: DEFAULT_SETTINGS,
  profile: DEFAULT_PROFILE,
};

export function buildOrg(input: unknown, field = 'org'): Org {
  if (input === undefined || input === null) return DEFAULT_ORG;
  if (typeof input !== 'object' || Array.isArray(input)) throw new ValidationError(field, 'must be an object');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!ORG_FIELDS.includes(k)) throw new ValidationError(`${field}.${k}`, `is not a known field (known: ${ORG_FIELDS.join(', ')})`);
  }
  if (o.extraDaysOff !== undefined && !Array.isArray(o.extraDaysOff)) {
    throw new ValidationError(`${field}.extraDaysOff`, 'must be a list of dates YYYY-MM-DD');
  }
  if (o.catalog !== undefined && !Array.isArray(o.catalog)) throw new ValidationError(`${field}.catalog`, 'must be a list of code overrides');
  let catalog: Catalog;
  try {
    catalog = o.catalog ? buildCatalog(o.catalog as CodeOverride[]) : DEFAULT_CATALOG;
  } catch (e) {
    throw e instanceof ValidationError ? new ValidationError(`${field}.${e.field}`, e.detail) : e;
  }
  let calendar: WorkCalendar;
  try {
    calendar = new WorkCalendar({
      timeZone: (o.timeZone as string | undefined) ?? DEFAULT_WORKDAY.timeZone,
      workdayStart: (o.workdayStart as string | undefined) ?? DEFAULT_WORKDAY.workdayStart,
      workdayEnd: (o.workdayEnd as string | undefined) ?? DEFAULT_WORKDAY.workdayEnd,
      extraDaysOff: (o.extraDaysOff as string[] | undefined) ?? [],
    });
  } catch (e) {
    // WorkCalendar names its fields "org.x"; keep the caller's prefix.
    throw e instanceof ValidationError ? new ValidationError(e.field.replace(/^org/, field), e.detail) : e;
  }
  return {
    catalog,
    calendar,
    settings: mergeSettings(o.settings, DEFAULT_SETTINGS, catalog, `${field}.settings`),
    profile: mergeProfile(o.profile, DEFAULT_PROFILE, `${field}.profile`),
  };
}
