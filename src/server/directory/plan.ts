/**
 * What a directory sync would change, computed without I/O: each directory user's extension from
 * the configured attribute, compared with the users stored. New links and moved links are
 * changes; nobody is ever unlinked. An extension several people would end up on is skipped as
 * `duplicate` unless all of them are already marked shared (delad anknytning) in the store.
 */
import type { UserRow } from '../store/types';
import type { DirectoryAttribute } from './config';
import { directoryUser, type GraphUser } from './graph-directory';
import type { DirectoryUser } from './types';

export type SkipReason = 'noValue' | 'malformed' | 'duplicate';

export interface DirectoryChange {
  oid: string;
  displayName: string | null;
  upn: string | null;
  before: string | null;
  after: string;
}

export interface DirectorySkip {
  oid: string;
  upn: string | null;
  reason: SkipReason;
}

/** What the Service writes for one user: a link (with the directory's names), or only the names. */
export interface DirectoryWrite {
  key: { tid: string; oid: string };
  displayName: string | null;
  upn: string | null;
  mail: string | null;
  link: { extension: string; shared: boolean } | null;
}

export interface DirectoryPlan {
  summary: { linked: number; changed: number; unchanged: number; skipped: number };
  changes: DirectoryChange[];
  skipped: DirectorySkip[];
  writes: DirectoryWrite[];
}

/** The Graph $select field an attribute is read from. */
export function selectFor(attribute: DirectoryAttribute): string {
  return attribute.startsWith('extensionAttribute') ? 'onPremisesExtensionAttributes' : attribute;
}

/** The attribute's value on a user; for businessPhones the first number given. */
export function attributeValue(u: GraphUser, attribute: DirectoryAttribute): string | null {
  let v: unknown;
  if (attribute === 'businessPhones') v = Array.isArray(u.businessPhones) ? u.businessPhones.find((p) => typeof p === 'string' && p.trim() !== '') : null;
  else if (attribute.startsWith('extensionAttribute')) v = (u.onPremisesExtensionAttributes as Record<string, unknown> | null | undefined)?.[attribute];
  else v = u[attribute];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** Digits and what phone numbers are written with: spaces, +, -, parentheses, dots. */
const PHONE_LIKE = /^[0-9\s+\-\u2010-\u2013().]+$/u;

/**
 * The extension a value gives: with `digits` 0 all its digits (2–15 of them), with N its last N
 * ("+46 8 508 01021" → "1021" with 4). Letters or other signs make it malformed.
 */
export function extensionOf(value: string | null, digits: number): { extension: string } | { reason: 'noValue' | 'malformed' } {
  if (value === null) return { reason: 'noValue' };
  if (!PHONE_LIKE.test(value)) return { reason: 'malformed' };
  const all = value.replace(/\D/g, '');
  if (digits === 0) return all.length >= 2 && all.length <= 15 ? { extension: all } : { reason: 'malformed' };
  return all.length >= digits ? { extension: all.slice(-digits) } : { reason: 'malformed' };
}

interface Computed {
  user: DirectoryUser;
  stored: UserRow | null;
  extension: string;
}

/** `stored`: the users of the directory's tenant `tid`. */
export function planDirectorySync(tid: string, graphUsers: readonly GraphUser[], stored: readonly UserRow[], attribute: DirectoryAttribute, digits: number): DirectoryPlan {
  const storedByOid = new Map(stored.map((u) => [u.oid.toLowerCase(), u]));
  const skipped: DirectorySkip[] = [];
  const computed: Computed[] = [];
  const seen = new Set<string>();
  for (const g of graphUsers) {
    const user = directoryUser(g);
    if (seen.has(user.oid)) continue;
    seen.add(user.oid);
    const x = extensionOf(attributeValue(g, attribute), digits);
    if ('reason' in x) skipped.push({ oid: user.oid, upn: user.upn, reason: x.reason });
    else computed.push({ user, stored: storedByOid.get(user.oid) ?? null, extension: x.extension });
  }

  // Who would be on each extension afterwards: the directory's users for it, and the stored users
  // on it whom the directory does not move elsewhere (a link made by hand stays).
  const moving = new Set(computed.filter((c) => c.stored?.extension && c.stored.extension !== c.extension).map((c) => c.user.oid));
  const byExtension = new Map<string, Computed[]>();
  for (const c of computed) byExtension.set(c.extension, [...(byExtension.get(c.extension) ?? []), c]);

  const changes: DirectoryChange[] = [];
  const writes: DirectoryWrite[] = [];
  const summary = { linked: 0, changed: 0, unchanged: 0, skipped: 0 };
  const linked = new Set<string>();
  for (const [extension, group] of byExtension) {
    const oids = new Set(group.map((c) => c.user.oid));
    const others = stored.filter((u) => u.extension === extension && !oids.has(u.oid.toLowerCase()) && !moving.has(u.oid.toLowerCase()));
    const holders = [...group.map((c) => c.stored), ...others];
    if (holders.length > 1 && !holders.every((h) => h?.shared)) {
      for (const c of group) skipped.push({ oid: c.user.oid, upn: c.user.upn, reason: 'duplicate' });
      continue;
    }
    for (const c of group) {
      const before = c.stored?.extension ?? null;
      if (before === extension) {
        summary.unchanged++;
        continue;
      }
      if (before === null) summary.linked++;
      else summary.changed++;
      linked.add(c.user.oid);
      changes.push({ oid: c.user.oid, displayName: c.user.displayName, upn: c.user.upn, before, after: extension });
      writes.push({ key: { tid: c.stored?.tid ?? tid, oid: c.stored?.oid ?? c.user.oid }, ...names(c.user), link: { extension, shared: c.stored?.shared ?? false } });
    }
  }

  // Users already stored get the directory's name, UPN and e-mail, whatever their outcome; users
  // the directory knows but this endpoint does not are not stored for that alone.
  for (const g of graphUsers) {
    const user = directoryUser(g);
    const s = storedByOid.get(user.oid);
    if (!s || linked.has(user.oid)) continue;
    if ((user.displayName && user.displayName !== s.displayName) || (user.upn && user.upn !== s.upn) || (user.mail && user.mail !== s.mail)) {
      linked.add(user.oid);
      writes.push({ key: { tid: s.tid, oid: s.oid }, ...names(user), link: null });
    }
  }

  summary.skipped = skipped.length;
  const byName = (a: { upn: string | null; oid: string }, b: { upn: string | null; oid: string }) => (a.upn ?? '\uffff').localeCompare(b.upn ?? '\uffff') || a.oid.localeCompare(b.oid);
  return { summary, changes: changes.sort(byName), skipped: skipped.sort(byName), writes };
}

const names = (u: DirectoryUser) => ({ displayName: u.displayName, upn: u.upn, mail: u.mail });
