/**
 * Why a booking that looks meant to divert will not (issue 14): a near miss of the subject
 * grammar (SPEC 4), or a code on a booking the user's settings leave out (private, free,
 * tentative; SPEC 8.2 rules 5–6). Short lines for the pane's problem list, the information bar
 * and the mail, in one language each; they never quote more of the subject than its code.
 */
import type { Booking } from './booking';
import type { Catalog, Lang, Localized } from './catalog';
import type { Resolution } from './resolve';
import { type NearMiss, type NearMissKind, parseSubject } from './subject';

export type ProblemKind = 'nearMiss' | 'private' | 'free' | 'tentative';

export interface BookingProblem {
  kind: ProblemKind;
  /** The near miss, for kind nearMiss. */
  nearMiss: NearMiss | null;
  /** The code the user meant: the near miss's likely key, or the accepted code; null when unknown. */
  intended: string | null;
}

const LEFT_OUT = new Set(['private', 'free', 'tentative']);

/**
 * The problem of a booking and its resolution, or null: a near miss always counts (even when a
 * default code makes the booking divert, it is not the code the user typed); a private, free or
 * tentative booking counts only when its subject carries an accepted code.
 */
export function bookingProblem(booking: Pick<Booking, 'subject'>, resolution: Pick<Resolution, 'reason'>, catalog: Catalog): BookingProblem | null {
  const parsed = parseSubject(booking.subject, catalog);
  if (parsed.nearMiss) return { kind: 'nearMiss', nearMiss: parsed.nearMiss, intended: parsed.nearMiss.key };
  if (parsed.accepted && resolution.reason !== null && LEFT_OUT.has(resolution.reason)) {
    return { kind: resolution.reason as ProblemKind, nearMiss: null, intended: parsed.key };
  }
  return null;
}

type Line = { line: Localized; short: Localized };

// `line`: the problem list and the mail ("Kolon saknas: menade du NP/L:?");
// `short`: after "<prefix> hänvisar inte: " on the information bar.
const LINES: Record<NearMissKind | Exclude<ProblemKind, 'nearMiss'>, Line> = {
  missingColon: {
    line: { sv: 'Kolon saknas: menade du {prefix}?', en: 'The colon is missing: did you mean {prefix}?' },
    short: { sv: 'kolon saknas', en: 'the colon is missing' },
  },
  wrongSeparator: {
    line: { sv: 'Felskriven kod: menade du {prefix}?', en: 'Mistyped code: did you mean {prefix}?' },
    short: { sv: 'koden är felskriven', en: 'the code is mistyped' },
  },
  spaceInside: {
    line: { sv: 'Mellanslag i koden: menade du {prefix}?', en: 'A space inside the code: did you mean {prefix}?' },
    short: { sv: 'mellanslag i koden', en: 'a space inside the code' },
  },
  notAtStart: {
    line: { sv: 'Koden står inte först: skriv {prefix} först i ämnet.', en: 'The code is not first: put {prefix} at the start of the subject.' },
    short: { sv: 'koden står inte först', en: 'the code is not first' },
  },
  unknownKey: {
    line: { sv: 'Okänd kod: koderna är {codes}.', en: 'Unknown code: the codes are {codes}.' },
    short: { sv: 'okänd kod', en: 'unknown code' },
  },
  disabledKey: {
    line: { sv: 'Koden används inte i din organisation: koderna är {codes}.', en: 'This code is not used in your organisation: the codes are {codes}.' },
    short: { sv: 'koden används inte', en: 'the code is not used' },
  },
  private: {
    line: { sv: 'Privat bokning: privata möten synkas inte enligt dina inställningar.', en: 'Private booking: private meetings are not synced with your settings.' },
    short: { sv: 'privat bokning', en: 'private booking' },
  },
  free: {
    line: { sv: 'Visas som Ledig: sådana möten synkas inte enligt dina inställningar.', en: 'Shown as Free: such meetings are not synced with your settings.' },
    short: { sv: 'visas som Ledig', en: 'shown as Free' },
  },
  tentative: {
    line: { sv: 'Preliminär: sådana möten synkas inte enligt dina inställningar.', en: 'Tentative: such meetings are not synced with your settings.' },
    short: { sv: 'preliminär bokning', en: 'tentative booking' },
  },
};

function entry(p: BookingProblem): Line {
  return LINES[p.kind === 'nearMiss' ? (p.nearMiss as NearMiss).kind : p.kind];
}

/** The problem in plain words, one line: "Kolon saknas: menade du NP/L:?". */
export function problemLine(p: BookingProblem, lang: Lang, catalog: Catalog): string {
  const prefix = p.intended ? (catalog.get(p.intended)?.prefix ?? `NP/${p.intended}:`) : '';
  const codes = catalog
    .enabledCodes()
    .map((c) => c.prefix)
    .join(' ');
  return entry(p).line[lang].replace('{prefix}', prefix).replace('{codes}', codes);
}

/** Both languages' lines. */
export function problemLines(p: BookingProblem, catalog: Catalog): Localized {
  return { sv: problemLine(p, 'sv', catalog), en: problemLine(p, 'en', catalog) };
}

/** The reason as a fragment for "<code> hänvisar inte: <fragment>" (the information bar). */
export function problemFragment(p: BookingProblem, lang: Lang): string {
  return entry(p).short[lang];
}
