/**
 * The preview: one booking snapshot through the domain core, exactly as the endpoint resolves it
 * (resolveBooking → activity → effectiveState → callerHears / colleaguesSee). Pure; imports the
 * core's modules one by one so the first paint does not pull the working-day calendar
 * (date-holidays), which the preview does not need.
 */
import { activityFromResolution } from '../core/activity';
import type { Booking } from '../core/booking';
import { type Catalog, type CodeDef, type Lang } from '../core/catalog';
import type { Fix } from '../core/messages';
import { callerHears, colleaguesSee, type DirectoryEntry } from '../core/phrases';
import { describeReason, describeWarning, resolveBooking, type Resolution } from '../core/resolve';
import type { CalendarSettings, ContactProfile, ForwardingMode } from '../core/settings';
import { effectiveState } from '../core/state';
import { parseSubject } from '../core/subject';
import { DEFAULT_TIME_ZONE, localParts } from '../core/time';
import type { ItemSnapshot } from './port';

export interface PreviewContext {
  settings: CalendarSettings;
  profile: ContactProfile;
  shared: boolean;
  catalog: Catalog;
  timeZone: string;
}

export interface PreviewNote {
  id: string;
  text: string;
  fix: Fix | null;
}

export interface PreviewModel {
  diverts: boolean;
  /** The accepted code in the subject (what the picker shows), null when none. */
  subjectKey: string | null;
  code: CodeDef | null;
  forwardingMode: ForwardingMode | null;
  forwardingNumber: string | null;
  /** What a caller hears; null when the phone rings (soft) or nothing diverts. */
  spoken: string | null;
  /** The language of `spoken`: the user's Språk setting, as the switch is told (not the pane's). */
  spokenLang: Lang;
  colleagues: DirectoryEntry | null;
  /** The message text; null means hidden (no field chosen, or a private booking). */
  text: string | null;
  from: number | null;
  to: number | null;
  /** The reason it does not divert (with its fix when a setting is the fix), then every warning with its own fix. */
  reasons: PreviewNote[];
  warnings: PreviewNote[];
  resolution: Resolution;
}

/** The booking snapshot (SPEC 8.1) the add-in sends; Office.js cannot read showAs, so busy. */
export function bookingOf(item: ItemSnapshot, restId: string | null = null, zone: string = DEFAULT_TIME_ZONE): Booking {
  return {
    id: restId,
    subject: item.subject,
    start: item.start,
    end: item.end,
    // SPEC 8.1: Office.js cannot read all-day; 00:00–00:00 local counts as all-day.
    isAllDay: isMidnight(item.start, zone) && isMidnight(item.end, zone) && item.end > item.start,
    location: item.location,
    body: item.body,
    sensitivity: item.sensitivity,
    showAs: 'busy',
    isCancelled: false,
    responseStatus: item.mode === 'organizer' ? 'organizer' : 'none',
    lastModified: null,
  };
}

function isMidnight(t: number, zone: string): boolean {
  const p = localParts(t, zone);
  return p.hour === 0 && p.minute === 0 && t % 60_000 === 0;
}

const REASON_FIX: Partial<Record<string, Fix>> = {
  disabled: { kind: 'openSettings', setting: 'enabled' },
  private: { kind: 'openSettings', setting: 'include.private' },
  free: { kind: 'openSettings', setting: 'include.free' },
  tentative: { kind: 'openSettings', setting: 'include.tentative' },
  numberMissing: { kind: 'openSettings', setting: 'profile' },
};

export function computePreview(item: ItemSnapshot, ctx: PreviewContext, lang: Lang): PreviewModel {
  const booking = bookingOf(item, null, ctx.timeZone);
  const r = resolveBooking(booking, { settings: ctx.settings, profile: ctx.profile, shared: ctx.shared, catalog: ctx.catalog });
  const parsed = parseSubject(item.subject, ctx.catalog);
  const reasons: PreviewNote[] = [];
  // A warning's fix stays with the warning that explains it (a near miss: "Menade du NP/L:?" next
  // to "Rätta ämnet"); the reason itself offers only a settings fix.
  if (r.reason) {
    reasons.push({ id: `r-${r.reason}`, text: describeReason(r.reason, r.reasonParams)[lang], fix: REASON_FIX[r.reason] ?? null });
  }
  const warnings = r.warnings.map((w, i) => ({ id: `w${i}-${w.key}`, text: describeWarning(w).message[lang], fix: w.fix ?? null }));
  const spokenLang = ctx.settings.language;
  let spoken: string | null = null;
  let colleagues: DirectoryEntry | null = null;
  const activity = activityFromResolution('preview', r);
  if (activity) {
    const state = effectiveState([activity], activity.from, ctx.catalog);
    // What callers hear is in the user's Språk, exactly as the endpoint tells the switch
    // (src/server/service/states.ts); everything else follows the pane's language.
    spoken = callerHears(state, spokenLang, activity.from, ctx.timeZone);
    colleagues = colleaguesSee(state, 'colleague', lang, activity.from, ctx.timeZone);
  }
  return {
    diverts: r.diverts,
    subjectKey: parsed.accepted ? parsed.key : null,
    code: r.code,
    forwardingMode: r.forwarding?.mode ?? null,
    forwardingNumber: r.forwarding?.number ?? null,
    spoken,
    spokenLang,
    colleagues,
    text: r.text,
    from: r.from,
    to: r.to,
    reasons,
    warnings,
    resolution: r,
  };
}
