/**
 * Colleagues (Kollegor, issue 12): find colleagues by name or extension and show what the
 * directory shows for them (SPEC 10), the states of all found extensions computed in one go.
 */
import { cleanText, type EffectiveState, type Org, ValidationError } from '../../core';
import type { Store } from '../store/types';
import type { ExtensionState } from './states';

export const COLLEAGUES_MAX = 20;
export const COLLEAGUE_QUERY_MIN = 2;
export const COLLEAGUE_QUERY_MAX = 100;

export interface Colleague {
  displayName: string | null;
  extension: string;
  state: EffectiveState | null;
}

/** The query as searched: cleaned and trimmed; at least 2 characters (letters or digits count alike). */
export function colleagueQuery(q: unknown): string {
  const text = typeof q === 'string' ? cleanText(q).replace(/\s+/g, ' ').trim() : '';
  const length = [...text].length;
  if (length < COLLEAGUE_QUERY_MIN) throw new ValidationError('q', `must be at least ${COLLEAGUE_QUERY_MIN} characters of a name or the start of an extension (got ${length})`);
  if (length > COLLEAGUE_QUERY_MAX) throw new ValidationError('q', `must be at most ${COLLEAGUE_QUERY_MAX} characters (got ${length})`);
  return text;
}

/**
 * Users found by `q`, each with their extension's state. Several users on one shared extension
 * are listed each with the extension's one state; every extension is computed once.
 */
export async function findColleagues(
  store: Store,
  q: unknown,
  states: (extensions: string[]) => Promise<Map<string, ExtensionState>>,
): Promise<{ colleagues: Colleague[]; more: boolean; org: Org | null }> {
  // One more than shown, to tell the user that more matched and a longer query narrows it.
  const found = (await store.searchUsers(colleagueQuery(q), COLLEAGUES_MAX + 1)).filter((u): u is typeof u & { extension: string } => u.extension !== null);
  const more = found.length > COLLEAGUES_MAX;
  const users = found.slice(0, COLLEAGUES_MAX);
  if (users.length === 0) return { colleagues: [], more, org: null };
  const byExtension = await states([...new Set(users.map((u) => u.extension))]);
  const colleagues = users.map((u) => ({ displayName: u.displayName, extension: u.extension, state: byExtension.get(u.extension)?.state ?? null }));
  // By name as people read it (Swedish order: å, ä, ö after z); nameless ones last, then by extension.
  const collator = new Intl.Collator('sv', { sensitivity: 'base' });
  colleagues.sort((a, b) => (a.displayName === null ? 1 : 0) - (b.displayName === null ? 1 : 0) || collator.compare(a.displayName ?? '', b.displayName ?? '') || a.extension.localeCompare(b.extension));
  const org = byExtension.values().next().value?.org ?? null;
  return { colleagues, more, org };
}
