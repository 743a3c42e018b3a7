/**
 * The effective state of extensions (SPEC 9): from every activity of every user linked to each
 * extension, and the language callers hear it in (SPEC 10). A plain function of the store it
 * reads and the organisation, so the scheduler runs it in its own transaction and the Service
 * with its store.
 */
import { type Activity, DAY_MS, effectiveState, type EffectiveState, type Lang, nextBoundary, type Org } from '../../core';
import { userKey } from '../runtime';
import type { Store, UserKey } from '../store/types';
import { assemble } from './activities';
import { contextOf, type UserDocs } from './context';

/** How far ahead activities are looked at for the state and its return-time chain. */
export const HORIZON_MS = 60 * DAY_MS;

/** What the scheduler needs of one extension: its state, the activities it came from, the language callers hear. */
export interface ExtensionState {
  state: EffectiveState | null;
  activities: Activity[];
  org: Org;
  language: Lang;
  /** The language callers hear `s` in, for a state at another instant (the winner's owner's Språk). */
  languageOf(s: EffectiveState | null): Lang;
}

/**
 * The effective states of many extensions at `at`, from one read of everything they depend on
 * (Store.loadExtensions): every activity of every user linked to each extension, in the
 * horizon, with ids `<oid>/<id>`. What callers hear is in the language of the person whose
 * activity wins (SPEC 10), not the organisation's default.
 *
 * `store` may be a transaction: the scheduler locks the rows it recomputes and reads here in the
 * same transaction. `org` is passed in, not read here: on SQLite the transaction holds the one
 * connection, so the caller reads it before the transaction begins. `readDocs` is told each
 * user's settings and profile documents as read (the Service keeps them for its contexts).
 */
export async function computeStates(
  store: Store,
  org: Org,
  extensions: readonly string[],
  at: number,
  readDocs?: (user: UserKey, docs: UserDocs) => void,
): Promise<Map<string, ExtensionState>> {
  const window = { from: at - DAY_MS, to: at + HORIZON_MS };
  const snap = await store.loadExtensions(extensions, window.from, window.to);
  const byUser = <R extends UserKey>(rows: R[]) => {
    const m = new Map<string, R[]>();
    for (const r of rows) {
      const k = userKey(r);
      const list = m.get(k);
      if (list) list.push(r);
      else m.set(k, [r]);
    }
    return m;
  };
  const docs = new Map<string, UserDocs>();
  for (const d of snap.docs) {
    const k = userKey(d);
    const e = docs.get(k) ?? { settings: null, profile: null };
    if (d.kind === 'settings' || d.kind === 'profile') e[d.kind] = d.value;
    docs.set(k, e);
  }
  const [bookings, manual, rules] = [byUser(snap.bookings), byUser(snap.activities), byUser(snap.recurring)];
  const per = new Map<string, { activities: Activity[]; languages: Map<string, Lang> }>();
  for (const e of extensions) per.set(e, { activities: [], languages: new Map() });
  for (const user of snap.users) {
    const entry = user.extension === null ? undefined : per.get(user.extension);
    if (!entry) continue;
    const k = userKey(user);
    const d = docs.get(k) ?? { settings: null, profile: null };
    readDocs?.(user, d);
    const ctx = contextOf(user, org, d);
    entry.languages.set(user.oid, ctx.settings.language);
    for (const v of assemble(ctx, bookings.get(k) ?? [], manual.get(k) ?? [], rules.get(k) ?? [], window)) {
      entry.activities.push({ ...v, id: `${user.oid}/${v.id}` });
    }
  }
  const out = new Map<string, ExtensionState>();
  for (const [extension, { activities, languages }] of per) {
    const state = effectiveState(activities, at, org.catalog);
    const languageOf = (s: EffectiveState | null): Lang => {
      const owner = s === null ? undefined : s.activityId.slice(0, s.activityId.indexOf('/'));
      return (owner !== undefined ? languages.get(owner) : undefined) ?? org.settings.language;
    };
    out.set(extension, { state, activities, org, language: languageOf(state), languageOf });
  }
  return out;
}

/** The extension's states at its next `count` boundaries after `now`. */
export function timeline(x: ExtensionState, now: number, count: number): { at: number; state: EffectiveState | null }[] {
  const next: { at: number; state: EffectiveState | null }[] = [];
  for (let t = nextBoundary(x.activities, now); t !== null && next.length < count; t = nextBoundary(x.activities, t)) {
    next.push({ at: t, state: effectiveState(x.activities, t, x.org.catalog) });
  }
  return next;
}
