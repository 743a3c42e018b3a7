/**
 * The information bar of event-based activation (issue 14), as pure functions: what one line
 * says about an appointment being composed, from the user's rules as the task pane last saw them
 * (cached in Office roamingSettings) or the organisation's defaults. No network, no Office.js, no
 * luxon (the Windows JavaScript runtime loads this file on every new appointment).
 */
import { Catalog, type CodeDef, DEFAULT_CATALOG, type Lang, PROFILE_GROUPS } from '../core/catalog';
import { bookingProblem, problemFragment } from '../core/problems';
import { resolveBooking } from '../core/resolve';
import { type CalendarSettings, type ContactProfile, DEFAULT_PROFILE, DEFAULT_SETTINGS, mergeProfile, mergeSettings } from '../core/settings';
import { parseSubject } from '../core/subject';

/** The roamingSettings key the pane writes and the launch handlers read. */
export const LAUNCH_CACHE_KEY = 'kkLaunch';
/** The one notification the handlers set: replaced on every event, never stacked. */
export const INFO_KEY = 'kkInfo';
/** The manifest's image resource shown before an informational message (required for that type). */
export const INFO_ICON = 'Icon.16';
/** Outlook's limit on a notification message. */
export const INFO_MAX = 150;

/** The launch events and the functions the manifest names for them (see test/addin/manifest.test.ts). */
export const LAUNCH_HANDLERS = {
  OnNewAppointmentOrganizer: 'onNewAppointmentHandler',
  OnAppointmentTimeChanged: 'onAppointmentTimeChangedHandler',
  OnAppointmentRecurrenceChanged: 'onAppointmentRecurrenceChangedHandler',
} as const;

/** What the pane caches: its context after the endpoint answered. */
export interface LaunchCache {
  v: 1;
  settings: CalendarSettings;
  profile: ContactProfile;
  shared: boolean;
  codes: CodeDef[];
  timeZone: string;
  savedAt: number;
}

export interface LaunchContext {
  settings: CalendarSettings;
  profile: ContactProfile;
  shared: boolean;
  catalog: Catalog;
  timeZone: string;
  /** True when the rules came from the pane's cache, false for the organisation defaults. */
  cached: boolean;
}

export const DEFAULT_LAUNCH_CONTEXT: LaunchContext = {
  settings: DEFAULT_SETTINGS,
  profile: DEFAULT_PROFILE,
  shared: false,
  catalog: DEFAULT_CATALOG,
  timeZone: 'Europe/Stockholm',
  cached: false,
};

export function launchCacheOf(ctx: { settings: CalendarSettings; profile: ContactProfile; shared: boolean; catalog: Catalog; timeZone: string }, now: number): LaunchCache {
  return { v: 1, settings: ctx.settings, profile: ctx.profile, shared: ctx.shared, codes: [...ctx.catalog.codes], timeZone: ctx.timeZone, savedAt: now };
}

function validCode(c: unknown): c is CodeDef {
  const x = c as CodeDef | null;
  return (
    typeof x?.key === 'string' &&
    typeof x.prefix === 'string' &&
    typeof x.label?.sv === 'string' &&
    typeof x.label?.en === 'string' &&
    Number.isInteger(x.mex) &&
    (PROFILE_GROUPS as readonly string[]).includes(x.group) &&
    typeof x.enabled === 'boolean'
  );
}

function validZone(zone: unknown): zone is string {
  if (typeof zone !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The cached rules, validated as the endpoint would; anything unreadable gives the defaults (never a throw). */
export function parseLaunchCache(raw: unknown): LaunchContext {
  try {
    const c = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Partial<LaunchCache> | null;
    if (!c || c.v !== 1 || !Array.isArray(c.codes) || !c.codes.every(validCode) || c.codes.length === 0) return DEFAULT_LAUNCH_CONTEXT;
    const catalog = new Catalog(c.codes);
    return {
      settings: mergeSettings(c.settings, DEFAULT_SETTINGS, catalog),
      profile: mergeProfile(c.profile, DEFAULT_PROFILE),
      shared: c.shared === true,
      catalog,
      timeZone: validZone(c.timeZone) ? c.timeZone : DEFAULT_LAUNCH_CONTEXT.timeZone,
      cached: true,
    };
  } catch {
    return DEFAULT_LAUNCH_CONTEXT;
  }
}

export interface ComposedItem {
  subject: string;
  start: number;
  end: number;
}

const SAY: Record<Lang, { diverts: string; back: string; notDiverting: string; defaultCode: string; soft: string; forwardedTo: string; reasons: Partial<Record<string, string>> }> = {
  sv: {
    diverts: 'Hänvisning',
    back: 'åter',
    notDiverting: 'hänvisar inte',
    defaultCode: 'Din standardkod {label} gäller för den här bokningen',
    soft: 'mjuk, telefonen ringer',
    forwardedTo: 'kopplas till',
    reasons: { disabled: 'kalenderkopplingen är avstängd', invalidTime: 'sluttiden ligger inte efter starttiden', numberMissing: 'inget nummer att koppla till' },
  },
  en: {
    diverts: 'Diversion',
    back: 'back',
    notDiverting: 'does not divert',
    defaultCode: 'Your default code {label} applies to this booking',
    soft: 'soft, the phone rings',
    forwardedTo: 'forwarded to',
    reasons: { disabled: 'calendar coupling is turned off', invalidTime: 'the end is not after the start', numberMissing: 'no number to forward to' },
  },
};

/** "13.00" (sv) / "13:00" (en) when the return is the same local day, else "fre 4 dec 08.00" / "Fri 4 Dec 08:00". */
export function returnText(start: number, end: number, zone: string, lang: Lang): string {
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
  const clock = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(end);
  const hhmm = lang === 'sv' ? clock.replace(':', '.') : clock;
  if (day(start) === day(end)) return hhmm;
  const date = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }).format(end).replace(/\./g, '').replace(',', '');
  return `${date} ${hhmm}`;
}

/**
 * The information bar's one line for an appointment, or null when there is nothing to say (no
 * code, no near miss, no default code). Outcomes: "Hänvisning Lunch (0), åter 13.00";
 * "NP/L hänvisar inte: kolon saknas"; "Din standardkod Möte gäller för den här bokningen".
 */
export function infoBarMessage(item: ComposedItem, ctx: LaunchContext, lang: Lang): string | null {
  const s = SAY[lang];
  const { catalog } = ctx;
  // What Office.js can tell at compose time (SPEC 8.1: showAs unknown counts as busy).
  const booking = {
    id: null,
    subject: item.subject,
    start: item.start,
    end: item.end,
    isAllDay: false,
    location: '',
    body: '',
    sensitivity: 'normal' as const,
    showAs: 'unknown' as const,
    isCancelled: false,
    responseStatus: 'organizer' as const,
    lastModified: null,
  };
  const r = resolveBooking(booking, { settings: ctx.settings, profile: ctx.profile, shared: ctx.shared, catalog });
  const parsed = parseSubject(item.subject, catalog);
  const problem = bookingProblem(booking, r, catalog);
  let line: string | null = null;
  if (problem) {
    const typed = parsed.prefixEnd > 0 ? item.subject.slice(0, parsed.prefixEnd).trim() : (catalog.get(problem.intended ?? '')?.prefix ?? '');
    line = `${typed} ${s.notDiverting}: ${problemFragment(problem, lang)}`;
  } else if (r.diverts && r.code) {
    if (!parsed.accepted) {
      line = s.defaultCode.replace('{label}', r.code.label[lang]);
    } else {
      const fwd = r.forwarding;
      const how = fwd?.mode === 'none' ? ` (${s.soft})` : fwd?.mode === 'number' && fwd.number ? `, ${s.forwardedTo} ${fwd.number}` : '';
      line = `${s.diverts} ${r.code.label[lang]} (${r.code.mex})${how}, ${s.back} ${returnText(item.start, item.end, ctx.timeZone, lang)}`;
    }
  } else if (parsed.accepted && r.reason && r.reason in s.reasons) {
    // A code that will not divert for another reason (turned off, end before start, no number).
    line = `${catalog.get(parsed.key as string)?.prefix ?? ''} ${s.notDiverting}: ${s.reasons[r.reason]}`;
  }
  return line === null ? null : line.slice(0, INFO_MAX);
}
