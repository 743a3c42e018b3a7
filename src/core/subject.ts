/**
 * Subject grammar (SPEC 4): recognise `NP/<key>:` at the start of a subject, name the likely code
 * of a near miss, and write, remove or canonicalise the prefix without touching the user's text.
 */
import { Catalog, DEFAULT_CATALOG } from './catalog';

/** Outlook's limit on a subject's length. */
export const SUBJECT_MAX = 255;

export type NearMissKind = 'missingColon' | 'wrongSeparator' | 'spaceInside' | 'unknownKey' | 'disabledKey' | 'notAtStart';

export interface NearMiss {
  kind: NearMissKind;
  /** The code the user most likely meant (catalog spelling), null when unknown. */
  key: string | null;
}

export interface ParsedSubject {
  accepted: boolean;
  /** Catalog spelling of the accepted code, else null. */
  key: string | null;
  canonical: boolean;
  /** The subject in canonical form when accepted, else null. */
  canonicalSubject: string | null;
  /** The subject without an accepted prefix, trimmed; the whole subject trimmed when not accepted. */
  rest: string;
  nearMiss: NearMiss | null;
  /** Where the prefix (accepted, or a near miss at the start) ends; 0 when there is none. */
  prefixEnd: number;
}

// NP, a separator run, a key, optional space, an optional colon-like mark. Case-insensitive.
const START_RE = /^\s*np([\s/\\\-_|.]*)([\p{L}\p{N}]*)(\s*)([:;.,]?)/iu;
// An accepted-looking prefix later in the subject ("Lunch NP/L:").
const ANYWHERE_RE = /(?:^|[^\p{L}\p{N}])np\/([\p{L}\p{N}]+):/giu;

function result(
  accepted: boolean,
  key: string | null,
  rest: string,
  nearMiss: NearMiss | null,
  prefixEnd: number,
  subject: string,
  catalog: Catalog,
): ParsedSubject {
  if (!accepted || key === null) {
    return { accepted: false, key: null, canonical: false, canonicalSubject: null, rest, nearMiss, prefixEnd };
  }
  const canonicalSubject = withPrefix(catalog.get(key)!.prefix, rest);
  return { accepted, key, canonical: canonicalSubject === subject, canonicalSubject, rest, nearMiss: null, prefixEnd };
}

function withPrefix(prefix: string, rest: string): string {
  return rest === '' ? prefix : `${prefix} ${rest}`;
}

export function parseSubject(subject: string, catalog: Catalog = DEFAULT_CATALOG): ParsedSubject {
  const m = START_RE.exec(subject);
  if (m) {
    const [whole, sep1 = '', rawKey = '', space = '', mark = ''] = m;
    const code = rawKey === '' ? undefined : catalog.get(rawKey);
    const afterKey = whole.length - mark.length;
    const prefixEnd = mark === '' ? afterKey - space.length : whole.length;
    const rest = () => subject.slice(prefixEnd).trim();

    if (sep1 === '/' && space === '' && mark === ':') {
      if (code) return result(true, code.key, rest(), null, prefixEnd, subject, catalog);
      const disabled = rawKey !== '' && catalog.find(rawKey) !== undefined;
      return result(false, null, subject.trim(), { kind: disabled ? 'disabledKey' : 'unknownKey', key: null }, prefixEnd, subject, catalog);
    }

    const slash = sep1.includes('/');
    // A key without a colon only counts when a word boundary follows it ("NP/L lunch", not "NP/Lunch").
    const keyEndsWord = mark !== '' || space !== '' || whole.length === subject.length;
    const kind = nearMissKind(sep1, space, mark);
    if (code && sep1 !== '' && keyEndsWord && kind) {
      return result(false, null, subject.trim(), { kind, key: code.key }, prefixEnd, subject, catalog);
    }
    if (code && sep1 === '' && space === '' && mark === ':') {
      // "NPL:" — the slash is missing.
      return result(false, null, subject.trim(), { kind: 'wrongSeparator', key: code.key }, prefixEnd, subject, catalog);
    }
    if (!code && (slash || (sep1 !== '' && mark === ':'))) {
      const disabled = rawKey !== '' && catalog.find(rawKey) !== undefined;
      return result(false, null, subject.trim(), { kind: disabled ? 'disabledKey' : 'unknownKey', key: null }, prefixEnd, subject, catalog);
    }
  }

  ANYWHERE_RE.lastIndex = 0;
  for (let a = ANYWHERE_RE.exec(subject); a; a = ANYWHERE_RE.exec(subject)) {
    const code = catalog.get(a[1] ?? '');
    if (code) return result(false, null, subject.trim(), { kind: 'notAtStart', key: code.key }, 0, subject, catalog);
  }
  return result(false, null, subject.trim(), null, 0, subject, catalog);
}

/** The first problem of a prefix that is not `NP/<key>:`, in the order a user would fix them. */
function nearMissKind(sep1: string, space: string, mark: string): NearMissKind | null {
  const sepMarks = sep1.replace(/\s/g, '');
  const spaced = /\s/.test(sep1);
  if (sepMarks === '/' && (spaced || (space !== '' && mark !== ''))) return 'spaceInside';
  if (sepMarks !== '/' || (mark !== '' && mark !== ':')) return 'wrongSeparator';
  if (mark === '') return 'missingColon';
  return null;
}

export type SubjectEdit = { ok: true; subject: string } | { ok: false; error: 'tooLong'; length: number; max: number };

function edit(subject: string): SubjectEdit {
  return subject.length > SUBJECT_MAX ? { ok: false, error: 'tooLong', length: subject.length, max: SUBJECT_MAX } : { ok: true, subject };
}

/** The subject without any accepted or near-miss prefix at its start, trimmed; unchanged when there is none. */
export function removeCode(subject: string, catalog: Catalog = DEFAULT_CATALOG): string {
  const p = parseSubject(subject, catalog);
  return p.prefixEnd === 0 ? subject : subject.slice(p.prefixEnd).trim();
}

/**
 * Writes a code into a subject in canonical form, replacing any accepted or near-miss prefix and
 * keeping the rest of the text. Refused (not truncated) when the result exceeds 255 characters.
 */
export function writeCode(subject: string, key: string, catalog: Catalog = DEFAULT_CATALOG): SubjectEdit {
  const code = catalog.get(key);
  if (!code) throw new RangeError(`unknown or disabled code "${key}"`);
  const p = parseSubject(subject, catalog);
  const rest = p.prefixEnd === 0 ? subject.trim() : subject.slice(p.prefixEnd).trim();
  return edit(withPrefix(code.prefix, rest));
}

/** An accepted subject in canonical form; any other subject unchanged. */
export function canonicalise(subject: string, catalog: Catalog = DEFAULT_CATALOG): SubjectEdit {
  const p = parseSubject(subject, catalog);
  return edit(p.accepted ? (p.canonicalSubject as string) : subject);
}

/**
 * The fix of a near miss "not at the start" (`Lunch NP/L:`): the code moved to the front in
 * canonical form and taken out of the text where it stood (`NP/L: Lunch`), with brackets around it
 * ("Möte (NP/M:) om budget" → "NP/M: Möte om budget"). An accepted subject is canonicalised; any
 * other subject is returned unchanged. Refused, like writeCode, past 255 characters.
 */
export function moveCodeToStart(subject: string, catalog: Catalog = DEFAULT_CATALOG): SubjectEdit {
  const p = parseSubject(subject, catalog);
  if (p.accepted) return edit(p.canonicalSubject as string);
  if (p.nearMiss?.kind !== 'notAtStart') return edit(subject);
  const re = new RegExp(ANYWHERE_RE.source, 'giu');
  for (let a = re.exec(subject); a; a = re.exec(subject)) {
    const code = catalog.get(a[1] ?? '');
    if (!code) continue;
    const end = a.index + a[0].length;
    const start = end - `np/${a[1]}:`.length;
    let before = subject.slice(0, start);
    let after = subject.slice(end);
    if (/[([]\s*$/u.test(before) && /^\s*[)\]]/u.test(after)) {
      before = before.replace(/[([]\s*$/u, '');
      after = after.replace(/^\s*[)\]]/u, '');
    }
    before = before.trim();
    after = after.trim();
    // "Lunch – NP/L:": no separator left dangling at the end.
    if (after === '') before = before.replace(/[\s\-–—,;:]+$/u, '');
    return edit(withPrefix(code.prefix, [before, after].filter((x) => x !== '').join(' ')));
  }
  return edit(subject);
}
