/**
 * SPEC 10 in words: what a caller hears (the spoken diversion) and what colleagues and operators
 * see in the directory, in Swedish and English. Uses the same state the switch gets.
 */
import { DateTime } from 'luxon';
import type { Lang } from './catalog';
import type { EffectiveState } from './state';
import { type Instant, localDateOf, switchClock } from './time';

const LOCALE: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

// The cached Intl formatter of time.ts, not luxon: this runs for every extension in a burst.
function sameLocalDay(a: Instant, b: Instant, zone: string): boolean {
  return localDateOf(a, zone) === localDateOf(b, zone);
}

/**
 * The spoken message: "Lunch. Åter klockan 13.00." / "Semester. Åter måndag 30 november." /
 * "Sjuk. Tills vidare."; forwarding: "Samtal kopplas till 0701234567."; soft: null (the phone rings).
 */
export function callerHears(state: EffectiveState | null, lang: Lang, at: Instant, zone: string): string | null {
  if (!state || state.forwarding.mode === 'none') return null;
  if (state.forwarding.mode === 'number') {
    return lang === 'sv' ? `Samtal kopplas till ${state.forwarding.number}.` : `Calls are forwarded to ${state.forwarding.number}.`;
  }
  const label = state.label[lang];
  if (state.returnAt === null) return lang === 'sv' ? `${label}. Tills vidare.` : `${label}. Until further notice.`;
  if (sameLocalDay(state.returnAt, at, zone)) {
    const { hhmm } = switchClock(state.returnAt, zone);
    return lang === 'sv' ? `${label}. Åter klockan ${hhmm.slice(0, 2)}.${hhmm.slice(2)}.` : `${label}. Back at ${hhmm.slice(0, 2)}:${hhmm.slice(2)}.`;
  }
  const back = DateTime.fromMillis(state.returnAt, { zone }).setLocale(LOCALE[lang]);
  return lang === 'sv' ? `${label}. Åter ${back.toFormat('cccc d LLLL')}.` : `${label}. Back ${back.toFormat('cccc d LLLL')}.`;
}

export interface DirectoryEntry {
  label: string;
  /** "➔ 13:00", "➔ 2026-11-30 08:00" (as CMG-Web shows it), or "Tills vidare". */
  returnText: string;
  /** Shown only when the settings allowed a text, operator-only text only to operators. */
  text: string | null;
  soft: boolean;
}

export function colleaguesSee(
  state: EffectiveState | null,
  viewer: 'colleague' | 'operator',
  lang: Lang,
  at: Instant,
  zone: string,
): DirectoryEntry | null {
  if (!state) return null;
  let returnText: string;
  if (state.returnAt === null) returnText = lang === 'sv' ? 'Tills vidare' : 'Until further notice';
  else {
    const back = DateTime.fromMillis(state.returnAt, { zone });
    returnText = `➔ ${sameLocalDay(state.returnAt, at, zone) ? back.toFormat('HH:mm') : back.toFormat('yyyy-MM-dd HH:mm')}`;
  }
  const text = state.operatorOnly && viewer !== 'operator' ? null : state.text;
  return { label: state.label[lang], returnText, text, soft: state.forwarding.mode === 'none' };
}
