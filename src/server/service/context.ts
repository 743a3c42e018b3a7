/**
 * The organisation and the signed-in user's context: who they are, their extension, and their
 * settings and profile merged with the organisation's. Users, their settings and profiles and
 * the organisation are cached for `cacheMs` (5 s): changes made through this process apply at
 * once, changes made by another process within that time.
 */
import { buildOrg, type CalendarSettings, type ContactProfile, isObject, mergeProfile, mergeSettings, type Org, ValidationError } from '../../core';
import { NotLinkedError } from '../errors';
import { userKey } from '../runtime';
import type { Store, UserKey, UserLogin, UserRow } from '../store/types';

export type Clock = () => number;

/** Tells the scheduler which extensions may have a new desired state (Service.onChange). */
export type Changed = (...extensions: (string | null | undefined)[]) => void;

/** What every use case is given: the store it writes through, the clock, the contexts, and who to tell. */
export interface Deps {
  store: Store;
  clock: Clock;
  contexts: Contexts;
  changed: Changed;
}

export interface UserContext {
  user: UserRow;
  org: Org;
  settings: CalendarSettings;
  profile: ContactProfile;
}

/** A user's settings and profile documents as stored (null: none). */
export interface UserDocs {
  settings: unknown;
  profile: unknown;
}

/** A small time-bounded cache; the oldest entries go first when it is full. */
class TtlCache<V> {
  private readonly map = new Map<string, { value: V; at: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: Clock,
    private readonly max = 50_000,
  ) {}
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.now() - e.at >= this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, { value, at: this.now() });
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

export class Contexts {
  private orgCache: { at: number; updatedAt: number | null; org: Org } | null = null;
  private readonly users: TtlCache<UserRow>;
  private readonly docs: TtlCache<UserDocs>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly orgTimeZone: string,
    private readonly cacheMs: number,
    private readonly changed: Changed,
  ) {
    this.users = new TtlCache(cacheMs, clock);
    this.docs = new TtlCache(cacheMs, clock);
  }

  async org(): Promise<Org> {
    const now = this.clock();
    if (this.orgCache && now - this.orgCache.at < this.cacheMs) return this.orgCache.org;
    const row = await this.store.getOrg();
    const org = this.buildOrgWithDefaults(row?.value);
    this.orgCache = { at: now, updatedAt: row?.updatedAt ?? null, org };
    return org;
  }

  /** The environment's ORG_TIME_ZONE is the default an admin's organisation document overrides. */
  buildOrgWithDefaults(value: unknown): Org {
    const doc = isObject(value) ? value : {};
    return buildOrg({ timeZone: this.orgTimeZone, ...doc });
  }

  async getOrgDoc(): Promise<{ value: unknown; updatedAt: number | null }> {
    const row = await this.store.getOrg();
    return { value: row?.value ?? {}, updatedAt: row?.updatedAt ?? null };
  }

  async putOrgDoc(value: unknown): Promise<void> {
    if (!isObject(value)) throw new ValidationError('org', 'must be an object');
    this.buildOrgWithDefaults(value); // validates, naming the field
    await this.store.putOrg(value, this.clock());
    this.orgCache = null;
    this.changed(...(await this.store.listExtensions()));
  }

  /** Records the sign-in and returns the user row (linked or not). */
  async signIn(k: UserKey, displayName: string | null, login: UserLogin = {}): Promise<UserRow> {
    const key = userKey(k);
    const same = (u: UserRow) =>
      (displayName === null || u.displayName === displayName) && (!login.upn || u.upn === login.upn.toLowerCase()) && (!login.mail || u.mail === login.mail.toLowerCase());
    const cached = this.users.get(key);
    if (cached && same(cached)) return cached;
    const existing = cached ?? (await this.store.getUser(k));
    const row = existing && same(existing) ? existing : await this.store.touchUser(k, displayName, this.clock(), login);
    this.users.set(key, row);
    return row;
  }

  async linkUser(k: UserKey, link: { extension: string; shared: boolean; displayName?: string | null } & UserLogin): Promise<UserRow> {
    const before = await this.store.getUser(k);
    const row = await this.store.linkUser(k, link, this.clock());
    this.users.delete(userKey(k));
    this.changed(before?.extension, row.extension);
    return row;
  }

  async deleteUser(k: UserKey): Promise<boolean> {
    const before = await this.store.getUser(k);
    const gone = await this.store.deleteUser(k);
    this.users.delete(userKey(k));
    this.docs.delete(userKey(k));
    this.changed(before?.extension);
    return gone;
  }

  /** The context of a linked user; NotLinkedError (403) otherwise. */
  async context(user: UserRow): Promise<UserContext> {
    if (!user.extension) throw new NotLinkedError();
    const org = await this.org();
    const key = userKey(user);
    let docs = this.docs.get(key);
    if (!docs) {
      const [settings, profile] = await Promise.all([this.store.getDoc(user, 'settings'), this.store.getDoc(user, 'profile')]);
      docs = { settings, profile };
      this.docs.set(key, docs);
    }
    return contextOf(user, org, docs);
  }

  /** Documents just read elsewhere (the states of extensions): the next context need not read them. */
  rememberDocs(k: UserKey, docs: UserDocs): void {
    this.docs.set(userKey(k), docs);
  }

  /** A user's settings or profile changed in this process: the next context reads them again. */
  forgetDocs(k: UserKey): void {
    this.docs.delete(userKey(k));
  }

  /** A user's row changed in this process (linked, unlinked, imported): the next sign-in reads it again. */
  forgetUser(k: UserKey): void {
    this.users.delete(userKey(k));
  }
}

/** A user's context from their stored documents. */
export function contextOf(user: UserRow, org: Org, docs: UserDocs): UserContext {
  return {
    user,
    org,
    // Stored documents were valid when saved; an org change can make a stored defaultCode
    // unknown, so re-validate leniently by falling back to the org defaults.
    settings: safeSettings(docs.settings, org),
    profile: safeProfile(docs.profile, org),
  };
}

function safeSettings(doc: unknown, org: Org): CalendarSettings {
  try {
    return mergeSettings(doc, org.settings, org.catalog);
  } catch {
    const { defaultCode: _drop, ...rest } = isObject(doc) ? doc : {};
    try {
      return mergeSettings(rest, org.settings, org.catalog);
    } catch {
      return org.settings;
    }
  }
}

function safeProfile(doc: unknown, org: Org): ContactProfile {
  try {
    return mergeProfile(doc, org.profile);
  } catch {
    return org.profile;
  }
}
