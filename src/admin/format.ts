/**
 * Small pure helpers the pages share: filling a text's {placeholders}, instants in the browser's
 * local time ("2026-11-24 12:03", "➔ 13:00"), counts ("5 000"), lags, error texts, and the
 * console's language (remembered in localStorage; English when the browser is not Swedish).
 */
import type { Lang } from '../core/catalog';
import { AdminError } from './api';
import type { CommonTexts } from './texts';

export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => (params[k] === undefined ? whole : String(params[k])));
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function localTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-24 12:03" in local time, or "—". */
export function formatInstant(iso: string | null | undefined, t: CommonTexts): string {
  if (!iso) return t.none;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${localDate(d)} ${localTime(d)}`;
}

/** As the directory says it: "➔ 13:00" the same local day, "➔ 2026-11-30 08:00" later, "Tills vidare" without an end. */
export function returnText(iso: string | null, t: CommonTexts, now: Date = new Date()): string {
  if (!iso) return t.untilFurtherNotice;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `➔ ${localDate(d) === localDate(now) ? localTime(d) : `${localDate(d)} ${localTime(d)}`}`;
}

export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB').format(n);
}

export function formatLag(seconds: number | null | undefined, t: CommonTexts): string {
  if (seconds === null || seconds === undefined) return t.none;
  if (seconds < 120) return fill(t.seconds, { n: seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return fill(t.minutes, { n: minutes });
  return fill(t.hours, { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** What the console says about a failed call, in its own language (never the problem's English detail). */
export function errorText(e: unknown, t: CommonTexts): string {
  if (!(e instanceof AdminError)) return t.errNotConnected;
  switch (e.kind) {
    case 'notConnected':
      return t.errNotConnected;
    case 'notSignedIn':
      return t.errNotSignedIn;
    case 'forbidden':
      return t.errForbidden;
    case 'notFound':
      return t.errNotFound;
    case 'conflict':
      return t.errConflict;
    case 'tooLarge':
      return t.errTooLarge;
    case 'invalid':
      return fill(t.errInvalid, { status: e.status });
    default:
      return fill(t.errServer, { status: e.status });
  }
}

/**
 * A problem document's `field` in one spelling: without the `body.`/`org.`/`querystring.` prefix
 * and with indexes in brackets (`body.catalog.2.mex` and `org.catalog[2].mex` → `catalog[2].mex`).
 */
export function normalizeField(field: string | null | undefined): string | null {
  if (!field) return null;
  let f = field.replace(/^(body|querystring|params)(\.|$)/, '').replace(/^org(\.|$)/, '');
  f = f.replace(/\.(\d+)(?=\.|$)/g, '[$1]').replace(/^(\d+)(?=\.|$)/, '[$1]');
  return f;
}

export const LANG_KEY = 'kk-admin-lang';

/** The remembered choice, else Swedish unless the browser's language is not Swedish. */
export function initialLang(storage: Pick<Storage, 'getItem'> | null, navigatorLanguage: string | undefined): Lang {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(LANG_KEY) ?? null;
  } catch {
    saved = null;
  }
  if (saved === 'sv' || saved === 'en') return saved;
  if (!navigatorLanguage) return 'sv';
  return /^sv\b/i.test(navigatorLanguage) ? 'sv' : 'en';
}

export function rememberLang(storage: Pick<Storage, 'setItem'> | null, lang: Lang): void {
  try {
    storage?.setItem(LANG_KEY, lang);
  } catch {
    // Private mode or storage refused: the choice lasts for this page only.
  }
}
