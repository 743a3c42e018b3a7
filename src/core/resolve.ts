/**
 * Booking → diversion (SPEC 8.2): the rules in their order, the first that applies decides.
 * Every result carries a reason (null when it diverts) and structured warnings with fixes.
 * Hot path of the endpoint and of the live preview: no time-zone work, no allocation-heavy steps.
 */
import type { Catalog, CodeDef, Lang } from './catalog';
import type { Booking } from './booking';
import { codeParams, type Fix, type MessageParams, type Reason, type WarningKey, renderBoth } from './messages';
import type { CalendarSettings, ContactProfile, Forwarding } from './settings';
import { moveCodeToStart, parseSubject, writeCode } from './subject';
import { cleanText } from './text';
import type { Instant } from './time';

export interface ResolveContext {
  settings: CalendarSettings;
  profile: ContactProfile;
  /** A shared extension (delad anknytning) is always soft. */
  shared: boolean;
  catalog: Catalog;
}

export interface Warning {
  key: WarningKey;
  params: MessageParams;
  fix?: Fix;
}

export interface Resolution {
  diverts: boolean;
  reason: Reason | null;
  /** Parameters of the reason's message (the profile group for `numberMissing`). */
  reasonParams: MessageParams;
  code: CodeDef | null;
  forwarding: Forwarding | null;
  from: Instant | null;
  to: Instant | null;
  /** Message text for callers and colleagues, per the user's messageFields; never a private booking's. */
  text: string | null;
  warnings: Warning[];
}

export const MESSAGE_TEXT_MAX = 200;
const ELLIPSIS = '…';

function refuse(reason: Reason, warnings: Warning[], reasonParams: MessageParams = {}): Resolution {
  return { diverts: false, reason, reasonParams, code: null, forwarding: null, from: null, to: null, text: null, warnings };
}

export function resolveBooking(booking: Booking, ctx: ResolveContext): Resolution {
  const { settings, catalog } = ctx;
  const warnings: Warning[] = [];
  if (!settings.enabled) return refuse('disabled', warnings);
  if (booking.isCancelled) return refuse('cancelled', warnings);
  if (booking.responseStatus === 'declined') return refuse('declined', warnings);
  if (booking.end <= booking.start) return refuse('invalidTime', warnings);

  const parsed = parseSubject(booking.subject, catalog);
  let code: CodeDef | undefined;
  if (parsed.accepted) {
    code = catalog.get(parsed.key as string);
    if (!parsed.canonical) {
      warnings.push({
        key: 'nonCanonical',
        params: { canonicalSubject: parsed.canonicalSubject },
        fix: { kind: 'applySubject', subject: parsed.canonicalSubject as string },
      });
    }
  } else {
    if (parsed.nearMiss) warnings.push(nearMissWarning(booking.subject, parsed.nearMiss.kind, parsed.nearMiss.key, catalog));
    if (settings.defaultCode !== null) {
      code = catalog.get(settings.defaultCode);
      // The label in each message's own language, as the organisation names the code (issue 12).
      if (code) warnings.push({ key: 'defaultCodeUsed', params: codeParams(code) });
    }
  }
  if (!code) return refuse('noPrefix', warnings);

  const isPrivate = booking.sensitivity === 'private' || booking.sensitivity === 'confidential';
  if (isPrivate && !settings.include.private) return refuse('private', warnings);
  if (booking.showAs === 'free' && !settings.include.free) return refuse('free', warnings);
  if (booking.showAs === 'tentative' && !settings.include.tentative) return refuse('tentative', warnings);

  let forwarding = ctx.profile[code.group];
  if (forwarding.mode !== 'none' && (ctx.shared || settings.soft)) {
    warnings.push(ctx.shared ? { key: 'sharedSoft', params: {} } : { key: 'settingsSoft', params: {}, fix: { kind: 'openSettings', setting: 'soft' } });
    forwarding = { mode: 'none', number: null };
  }
  if (forwarding.mode === 'number' && !forwarding.number) {
    return refuse('numberMissing', warnings, { group: code.group, ...codeParams(code) });
  }

  let text: string | null = null;
  if (isPrivate) {
    // SPEC 8.2 rule 7: an included private booking carries no text at all.
    warnings.push({ key: 'privateNoText', params: {} });
  } else {
    const mf = settings.messageFields;
    text = messageText(mf.subject ? parsed.rest : '', mf.location ? booking.location : '', mf.body ? booking.body : '');
  }

  return {
    diverts: true,
    reason: null,
    reasonParams: {},
    code,
    forwarding: { mode: forwarding.mode, number: forwarding.number },
    from: booking.start,
    to: booking.end,
    text,
    warnings,
  };
}

function nearMissWarning(subject: string, kind: string, key: string | null, catalog: Catalog): Warning {
  const code = key ? catalog.get(key) : undefined;
  const params: MessageParams = {
    ...(code ? codeParams(code) : { key }),
    prefix: code?.prefix ?? null,
    codes: catalog
      .enabledCodes()
      .map((c) => c.prefix)
      .join(' '),
  };
  const warning: Warning = { key: `nearMiss.${kind}` as WarningKey, params };
  if (key) {
    // A code further on is moved to the start ("Lunch NP/L:" → "NP/L: Lunch"); any other near
    // miss has its prefix rewritten.
    const edit = kind === 'notAtStart' ? moveCodeToStart(subject, catalog) : writeCode(subject, key, catalog);
    if (edit.ok) warning.fix = { kind: 'applySubject', subject: edit.subject };
  }
  return warning;
}

/**
 * SPEC 8.2 rule 7: non-empty parts joined with " – ", at most 200 characters, cut on a word
 * boundary with "…". White space runs (line breaks of a body) become single spaces; invisible
 * and control characters are removed (cleanText).
 */
export function messageText(...parts: string[]): string | null {
  const cleaned = parts.map((p) => cleanText(p).replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  if (cleaned.length === 0) return null;
  const joined = cleaned.join(' – ');
  if (joined.length <= MESSAGE_TEXT_MAX) return joined;
  let cut = joined.slice(0, MESSAGE_TEXT_MAX - ELLIPSIS.length + 1);
  const space = cut.lastIndexOf(' ');
  // Cut on the last word boundary, unless that throws away most of the text (one endless word).
  cut = space >= MESSAGE_TEXT_MAX / 2 ? cut.slice(0, space) : cut.slice(0, MESSAGE_TEXT_MAX - ELLIPSIS.length);
  cut = cut.replace(/[\s–,;:]+$/u, '');
  // Never leave half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/**
 * A warning as the add-in and the CLI show it: key, parameters, fix and both languages' text,
 * each wholly in its language. Codes are named as `catalog` (the organisation's) labels them;
 * without one, as the catalog the warning was made with (its parameters carry the labels).
 */
export function describeWarning(w: Warning, catalog?: Catalog): Warning & { message: Record<Lang, string> } {
  return { ...w, message: renderBoth(`warning.${w.key}`, w.params, catalog) };
}

/** A reason's text in both languages; the profile group and code named in each message's language. */
export function describeReason(reason: Reason, params: MessageParams = {}, catalog?: Catalog): Record<Lang, string> {
  return renderBoth(`reason.${reason}`, params, catalog);
}
