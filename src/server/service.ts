/**
 * The endpoint's use cases, free of HTTP: settings, profiles, quick choices, bookings (stored
 * minimised, SPEC 12), activities from all four sources, and the effective state of an
 * extension. Routes call this; the scheduler calls `extensionState`.
 */
import { randomUUID } from 'node:crypto';
import {
  type Activity,
  activityFromResolution,
  type Booking,
  buildOrg,
  cleanText,
  formatInstant,
  type CalendarSettings,
  type ContactProfile,
  effectiveState,
  type EffectiveState,
  type Lang,
  expandOfficeRecurrence,
  expandRecurringRule,
  FORWARD_KEY,
  isObject,
  type Forwarding,
  localDateOf,
  mergeProfile,
  mergeSettings,
  nextBoundary,
  normalisePhoneNumber,
  type Org,
  parseActivityKey,
  parseBooking,
  parseForwarding,
  parseInstant,
  parseLocalDate,
  parseOfficeRecurrence,
  parseSubject,
  type RecurringRule,
  type Repeat,
  type Resolution,
  resolveBooking,
  suggestEnd,
  ValidationError,
  validateRecurringRule,
} from '../core';
import { NotFoundError, NotLinkedError } from './errors';
import type { ActivityRow, BookingRow, JournalEntry, PutBookingOutcome, RecurringRow, Store, SwitchStateRow, UserKey, UserRow } from './store/types';

export type Clock = () => number;

/** How far ahead activities are looked at for the state and its return-time chain. */
export const HORIZON_MS = 60 * 86_400_000;
const DAY_MS = 86_400_000;
export const MAX_QUICK = 8;
const TEXT_MAX = 200;
/** How far ahead of the server's clock a booking's lastModified may be (clock skew). */
const LAST_MODIFIED_AHEAD_MS = 5 * 60_000;

export interface UserContext {
  user: UserRow;
  org: Org;
  settings: CalendarSettings;
  profile: ContactProfile;
}

/** What the scheduler needs of one extension: its state, the activities it came from, the language callers hear. */
export interface ExtensionState {
  state: EffectiveState | null;
  activities: Activity[];
  org: Org;
  language: Lang;
}

export interface QuickChoice {
  key: string;
  /** Minutes, "nextWorkingDay", "untilFurtherNotice", or "standard" (the code's standard length). */
  length: { minutes: number } | 'nextWorkingDay' | 'untilFurtherNotice' | 'standard';
  forwarding: Forwarding | null;
  text: string | null;
}

export interface ActivityView {
  id: string;
  source: Activity['source'];
  key: string;
  forwarding: Forwarding;
  from: number;
  to: number | null;
  text: string | null;
  operatorOnly: boolean;
  dismissed: boolean;
  /** For calendar activities: the booking they come from. For recurring ones: the rule. */
  bookingId?: string;
  ruleId?: string;
}

function optionalText(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new ValidationError(field, 'must be a text');
  // Issue 10: no control, bidi-override or invisible characters reach colleagues or the switch.
  const t = cleanText(v).trim();
  if (t.length > TEXT_MAX) throw new ValidationError(field, `must be at most ${TEXT_MAX} characters`);
  return t === '' ? null : t;
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

const userKey = (k: UserKey) => `${k.tid}\u0000${k.oid}`;

/**
 * SPEC 12: no subjects, bodies, locations or phone numbers in logs; callers log ids and codes.
 * Users, their settings and profiles and the organisation are cached for `cacheMs` (5 s): changes
 * made through this process apply at once, changes made by another process within that time.
 */
export class Service {
  /** Told which extensions may have a new desired state (the scheduler listens). */
  onChange: ((extensions: string[]) => void) | null = null;
  private orgCache: { at: number; updatedAt: number | null; org: Org } | null = null;
  private readonly users: TtlCache<UserRow>;
  private readonly docs: TtlCache<{ settings: unknown; profile: unknown }>;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    private readonly orgTimeZone: string,
    private readonly cacheMs = 5_000,
  ) {
    this.users = new TtlCache(cacheMs, clock);
    this.docs = new TtlCache(cacheMs, clock);
  }

  private notify(...extensions: (string | null | undefined)[]): void {
    const list = extensions.filter((e): e is string => typeof e === 'string' && e !== '');
    if (list.length > 0) this.onChange?.(list);
  }

  // ---------------------------------------------------------------------------------------------
  // Organisation and user context

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
    this.notify(...(await this.store.listExtensions()));
  }

  /** Records the sign-in and returns the user row (linked or not). */
  async signIn(k: UserKey, displayName: string | null): Promise<UserRow> {
    const key = userKey(k);
    const cached = this.users.get(key);
    if (cached && (displayName === null || cached.displayName === displayName)) return cached;
    const existing = cached ?? (await this.store.getUser(k));
    const row = existing && (displayName === null || existing.displayName === displayName) ? existing : await this.store.touchUser(k, displayName, this.clock());
    this.users.set(key, row);
    return row;
  }

  async linkUser(k: UserKey, link: { extension: string; shared: boolean; displayName?: string | null }): Promise<UserRow> {
    const before = await this.store.getUser(k);
    const row = await this.store.linkUser(k, link, this.clock());
    this.users.delete(userKey(k));
    this.notify(before?.extension, row.extension);
    return row;
  }

  async deleteUser(k: UserKey): Promise<boolean> {
    const before = await this.store.getUser(k);
    const gone = await this.store.deleteUser(k);
    this.users.delete(userKey(k));
    this.docs.delete(userKey(k));
    this.notify(before?.extension);
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
    return this.makeContext(user, org, docs);
  }

  private makeContext(user: UserRow, org: Org, docs: { settings: unknown; profile: unknown }): UserContext {
    return {
      user,
      org,
      // Stored documents were valid when saved; an org change can make a stored defaultCode
      // unknown, so re-validate leniently by falling back to the org defaults.
      settings: this.safeSettings(docs.settings, org),
      profile: this.safeProfile(docs.profile, org),
    };
  }

  private safeSettings(doc: unknown, org: Org): CalendarSettings {
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

  private safeProfile(doc: unknown, org: Org): ContactProfile {
    try {
      return mergeProfile(doc, org.profile);
    } catch {
      return org.profile;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Settings, profile, quick choices

  async putSettings(user: UserRow, input: unknown): Promise<CalendarSettings> {
    const org = await this.org();
    const merged = mergeSettings(input, org.settings, org.catalog); // validates
    await this.store.putDoc(user, 'settings', input ?? {}, this.clock());
    this.docs.delete(userKey(user));
    this.notify(user.extension);
    return merged;
  }

  async putProfile(user: UserRow, input: unknown): Promise<ContactProfile> {
    const org = await this.org();
    const merged = mergeProfile(input, org.profile);
    await this.store.putDoc(user, 'profile', input ?? {}, this.clock());
    this.docs.delete(userKey(user));
    this.notify(user.extension);
    return merged;
  }

  async getQuick(user: UserRow): Promise<QuickChoice[]> {
    const doc = await this.store.getDoc(user, 'quick');
    return Array.isArray(doc) ? (doc as QuickChoice[]) : [];
  }

  async putQuick(user: UserRow, input: unknown): Promise<QuickChoice[]> {
    const org = await this.org();
    if (!Array.isArray(input)) throw new ValidationError('quick', 'must be a list of quick choices');
    if (input.length > MAX_QUICK) throw new ValidationError('quick', `holds at most ${MAX_QUICK} quick choices ("Du kan max skapa åtta stycken snabbval"); got ${input.length}`);
    const choices = input.map((q, i) => parseQuickChoice(q, org, `quick[${i}]`));
    await this.store.putDoc(user, 'quick', choices, this.clock());
    return choices;
  }

  async activateQuick(ctx: UserContext, index: number): Promise<ActivityView> {
    const choices = await this.getQuick(ctx.user);
    const q = choices[index];
    if (!q) throw new NotFoundError(`Quick choice ${index}`);
    const from = this.clock();
    const code = q.key === FORWARD_KEY ? null : ctx.org.catalog.find(q.key) ?? null;
    let to: number | null;
    if (q.length === 'untilFurtherNotice') to = null;
    else if (q.length === 'nextWorkingDay') to = ctx.org.calendar.nextWorkingDayStart(from);
    else if (q.length === 'standard') to = suggestEnd(code, from, ctx.org.calendar);
    else to = from + q.length.minutes * 60_000;
    return this.createActivity(ctx, { key: q.key, forwarding: q.forwarding ?? undefined, from, to, text: q.text }, 'quick');
  }

  // ---------------------------------------------------------------------------------------------
  // Bookings

  preview(ctx: UserContext, input: unknown): Resolution {
    return resolveBooking(parseBooking(input), this.resolveContext(ctx));
  }

  private resolveContext(ctx: UserContext) {
    return { settings: ctx.settings, profile: ctx.profile, shared: ctx.user.shared, catalog: ctx.org.catalog };
  }

  /**
   * Stores a booking snapshot (idempotent, ordered by lastModified) and returns what it resolves
   * to. Only the code part of the subject is kept, and text fields only as the user's message
   * fields ask for them, never for a private booking (SPEC 12).
   */
  async putBooking(ctx: UserContext, bookingId: string, input: unknown): Promise<{ outcome: PutBookingOutcome; resolution: Resolution }> {
    checkBookingId(bookingId);
    if (isObject(input) && input.id !== undefined && input.id !== null && input.id !== bookingId) {
      throw new ValidationError('id', 'must match the booking id in the path');
    }
    const booking = parseBooking(input);
    // A lastModified from the future would make every later real update "stale" for ever.
    if (booking.lastModified !== null && booking.lastModified > this.clock() + LAST_MODIFIED_AHEAD_MS) {
      throw new ValidationError('booking.lastModified', `must not be more than ${LAST_MODIFIED_AHEAD_MS / 60_000} minutes ahead of the server's clock (${formatInstant(this.clock())})`);
    }
    const recurrence = isObject(input) && input.recurrence != null ? parseOfficeRecurrence(input.recurrence) : null;
    const row = minimise(ctx, booking, bookingId, this.clock());
    const outcome = await this.store.putBooking({ ...row, recurrence });
    const resolution = resolveBooking(booking, this.resolveContext(ctx));
    if (outcome !== 'stale') this.notify(ctx.user.extension);
    return { outcome, resolution };
  }

  async deleteBooking(user: UserRow, bookingId: string): Promise<void> {
    checkBookingId(bookingId);
    // Idempotent: deleting what is already gone is success (STYLE 5).
    if (await this.store.deleteBooking(user, bookingId)) this.notify(user.extension);
  }

  // ---------------------------------------------------------------------------------------------
  // Activities

  async listActivities(ctx: UserContext, from: number, to: number): Promise<ActivityView[]> {
    if (!(to > from)) throw new ValidationError('to', 'must be later than from');
    if (to - from > 366 * DAY_MS) throw new ValidationError('to', 'the window may span at most 366 days');
    const [bookings, manual, rules] = await Promise.all([
      this.store.listBookings(ctx.user, from, to),
      this.store.listActivities(ctx.user, from, to),
      this.store.listRecurring(ctx.user),
    ]);
    return this.assemble(ctx, bookings, manual, rules, { from, to });
  }

  /** A user's activities in a window from their stored bookings, activities and rules. */
  private assemble(ctx: UserContext, bookings: BookingRow[], manual: ActivityRow[], rules: RecurringRow[], window: { from: number; to: number }): ActivityView[] {
    const out: ActivityView[] = [];
    for (const b of bookings) out.push(...this.calendarActivities(ctx, b, window));
    for (const a of manual) out.push(viewOfRow(a));
    for (const r of rules) out.push(...recurringActivities(ctx, r, window));
    out.sort((x, y) => x.from - y.from || (x.id < y.id ? -1 : 1));
    return out;
  }

  private calendarActivities(ctx: UserContext, b: BookingRow & { recurrence?: unknown }, window: { from: number; to: number }): ActivityView[] {
    const booking = bookingOfRow(b);
    const r = resolveBooking(booking, this.resolveContext(ctx));
    const base = activityFromResolution(`cal:${b.bookingId}`, r);
    if (!base) return [];
    const dismissed = b.dismissedVersion !== null;
    const view = (id: string, from: number, to: number): ActivityView => ({
      ...base,
      id,
      from,
      to,
      text: base.text ?? null,
      operatorOnly: false,
      dismissed,
      bookingId: b.bookingId,
    });
    if (b.recurrence) {
      const duration = b.end - b.start;
      const occurrences = expandOfficeRecurrence(parseOfficeRecurrence(b.recurrence), window, ctx.org.calendar.zone);
      return occurrences.map((o) => view(`cal:${b.bookingId}:${o.start}`, o.start, o.start + (o.end - o.start || duration)));
    }
    return [view(base.id, b.start, b.end)];
  }

  async createActivity(ctx: UserContext, input: unknown, source: 'manual' | 'quick' = 'manual'): Promise<ActivityView> {
    if (!isObject(input)) throw new ValidationError('activity', 'must be an object');
    const org = ctx.org;
    const { key, code } = parseActivityKey(input.key, org.catalog, 'key');
    const group: keyof ContactProfile = code ? code.group : 'forward';
    const from = input.from === undefined || input.from === null ? this.clock() : typeof input.from === 'number' ? input.from : parseInstant(input.from, 'from');
    let forwarding: Forwarding;
    const profileForwarding = ctx.profile[group];
    if (input.forwarding === undefined || input.forwarding === null) forwarding = profileForwarding;
    else forwarding = parseForwarding(input.forwarding, 'forwarding', profileForwarding, false);
    if (key === FORWARD_KEY && forwarding.mode !== 'number') throw new ValidationError('forwarding.mode', 'must be "number" for Vidarekoppla');
    if (forwarding.mode === 'number' && !forwarding.number) {
      throw new ValidationError('forwarding.number', 'is required: Vidarekoppla / Till nummer needs a number, here or in your contact profile');
    }
    // A shared extension never closes (SPEC 2: delad anknytning is always soft).
    if (ctx.user.shared) forwarding = { mode: 'none', number: null };
    const text = optionalText(input.text, 'text');
    if (input.operatorOnly !== undefined && typeof input.operatorOnly !== 'boolean') throw new ValidationError('operatorOnly', 'must be true or false');
    const operatorOnly = input.operatorOnly === true;

    let to: number | null;
    if (input.to === null) to = null;
    else if (input.to === undefined) to = suggestEnd(code, from, org.calendar);
    else to = typeof input.to === 'number' ? input.to : parseInstant(input.to, 'to');
    const now = this.clock();

    if (input.recurrence !== undefined && input.recurrence !== null) {
      if (source !== 'manual') throw new ValidationError('recurrence', 'is only for manual activities');
      const rule = parseRecurrenceInput(input.recurrence, from, to, org.calendar.zone);
      const row: RecurringRow = {
        tid: ctx.user.tid,
        oid: ctx.user.oid,
        id: randomUUID(),
        key,
        mode: forwarding.mode,
        number: forwarding.number,
        firstStart: rule.firstStart,
        firstEnd: rule.firstEnd,
        repeat: rule.repeat,
        until: rule.until,
        endsNextWorkingDay: rule.endsNextWorkingDay,
        text,
        operatorOnly,
        exceptions: [],
        createdAt: now,
      };
      await this.store.insertRecurring(row);
      this.notify(ctx.user.extension);
      return { ...recurringRuleView(row), from: rule.firstStart, to: rule.endsNextWorkingDay ? org.calendar.nextWorkingDayStart(rule.firstStart) : rule.firstEnd };
    }

    if (to !== null && to <= from) throw new ValidationError('to', 'must be later than from');
    const row: ActivityRow = {
      tid: ctx.user.tid,
      oid: ctx.user.oid,
      id: randomUUID(),
      source,
      key,
      mode: forwarding.mode,
      number: forwarding.number,
      from,
      to,
      text,
      operatorOnly,
      createdAt: now,
    };
    await this.store.insertActivity(row);
    this.notify(ctx.user.extension);
    return viewOfRow(row);
  }

  /**
   * Deletes an activity. A calendar one is dismissed for its booking version and the calendar
   * item is left alone (SPEC 8.4); a recurring occurrence becomes an exception of its rule; a
   * rule id (`rec:<rule>`) removes the whole rule.
   */
  async deleteActivity(user: UserRow, id: string): Promise<void> {
    await this.removeActivity(user, id);
    this.notify(user.extension);
  }

  private async removeActivity(user: UserRow, id: string): Promise<void> {
    if (id.startsWith('cal:')) {
      const bookingId = id.slice(4).replace(/:\d+$/, '');
      if (!(await this.store.dismissBooking(user, bookingId))) throw new NotFoundError('The activity');
      return;
    }
    if (id.startsWith('rec:')) {
      const [, ruleId, start] = id.split(':');
      const rule = ruleId ? await this.store.getRecurring(user, ruleId) : null;
      if (!rule) throw new NotFoundError('The activity');
      if (start === undefined) await this.store.deleteRecurring(user, rule.id);
      else await this.store.setRecurringExceptions(user, rule.id, [...new Set([...rule.exceptions, Number(start)])]);
      return;
    }
    if (!(await this.store.deleteActivity(user, id))) throw new NotFoundError('The activity');
  }

  // ---------------------------------------------------------------------------------------------
  // Effective state

  /** The effective state of an extension at `at`, and the language callers hear it in. */
  async extensionState(extension: string, at = this.clock()): Promise<ExtensionState> {
    return (await this.extensionStates([extension], at)).get(extension)!;
  }

  /**
   * The effective states of many extensions at `at`, from one read of everything they depend
   * on (Store.loadExtensions): every activity of every user linked to each extension, in the
   * horizon, with ids `<oid>/<id>`. What callers hear is in the language of the person whose
   * activity wins (SPEC 10), not the organisation's default.
   */
  async extensionStates(extensions: readonly string[], at = this.clock(), within?: { store: Store; org: Org }): Promise<Map<string, ExtensionState>> {
    // `within`: read in the caller's transaction (the scheduler locks the rows it recomputes),
    // with the organisation read before it began (SQLite's one connection is the transaction's).
    const org = within?.org ?? (await this.org());
    const window = { from: at - DAY_MS, to: at + HORIZON_MS };
    const snap = await (within?.store ?? this.store).loadExtensions(extensions, window.from, window.to);
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
    const docs = new Map<string, { settings: unknown; profile: unknown }>();
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
      this.docs.set(k, d);
      const ctx = this.makeContext(user, org, d);
      entry.languages.set(user.oid, ctx.settings.language);
      for (const v of this.assemble(ctx, bookings.get(k) ?? [], manual.get(k) ?? [], rules.get(k) ?? [], window)) {
        entry.activities.push({ ...v, id: `${user.oid}/${v.id}` });
      }
    }
    const out = new Map<string, ExtensionState>();
    for (const [extension, { activities, languages }] of per) {
      const state = effectiveState(activities, at, org.catalog);
      const owner = state === null ? undefined : state.activityId.slice(0, state.activityId.indexOf('/'));
      out.set(extension, { state, activities, org, language: (owner !== undefined ? languages.get(owner) : undefined) ?? org.settings.language });
    }
    return out;
  }

  /** The state now and at each of the next `count` boundaries. */
  async stateTimeline(extension: string, count = 5) {
    const now = this.clock();
    const { state, activities, org } = await this.extensionState(extension, now);
    const next: { at: number; state: EffectiveState | null }[] = [];
    for (let t = nextBoundary(activities, now); t !== null && next.length < count; t = nextBoundary(activities, t)) {
      next.push({ at: t, state: effectiveState(activities, t, org.catalog) });
    }
    return { now, state, next, org };
  }

  // ---------------------------------------------------------------------------------------------
  // Admin views: users, deliveries to the switch, the journal connector

  listUsers(): Promise<UserRow[]> {
    return this.store.listUsers();
  }

  /** Whether the switch has an extension's current state (null: nothing computed yet). */
  getDelivery(extension: string): Promise<SwitchStateRow | null> {
    return this.store.getSwitchState(extension);
  }

  listDeliveries(): Promise<SwitchStateRow[]> {
    return this.store.listSwitchStates();
  }

  /** Deliver an extension's current state again; false when the extension has no state. */
  retryDelivery(extension: string): Promise<boolean> {
    return this.store.retryDelivery(extension);
  }

  /** The last `limit` states the journal connector recorded. */
  listJournal(limit: number): Promise<JournalEntry[]> {
    return this.store.listJournal(limit);
  }

  /** Retention (SPEC 12): purge what ended more than `days` ago. */
  async purge(days: number) {
    const before = this.clock() - days * DAY_MS;
    const org = await this.org();
    return this.store.purge(before, localDateOf(before, org.calendar.zone));
  }
}

// -----------------------------------------------------------------------------------------------

const BOOKING_ID_MAX = 512;

function checkBookingId(id: string): void {
  if (id.length === 0 || id.length > BOOKING_ID_MAX || /[\u0000-\u001f]/.test(id)) {
    throw new ValidationError('bookingId', `must be 1 to ${BOOKING_ID_MAX} printable characters`);
  }
}

/** SPEC 12: keep only the code part of the subject, and text only where the user's message fields ask for it. */
function minimise(ctx: UserContext, b: Booking, bookingId: string, now: number): Omit<BookingRow, 'dismissedVersion'> {
  const parsed = parseSubject(b.subject, ctx.org.catalog);
  const isPrivate = b.sensitivity === 'private' || b.sensitivity === 'confidential';
  const mf = ctx.settings.messageFields;
  // Stored without control, bidi-override or invisible characters (issue 10).
  const keep = (want: boolean, text: string) => {
    const clean = want && !isPrivate ? cleanText(text).trim() : '';
    return clean !== '' ? clean : null;
  };
  return {
    tid: ctx.user.tid,
    oid: ctx.user.oid,
    bookingId,
    lastModified: b.lastModified,
    prefix: b.subject.slice(0, parsed.prefixEnd).trim(),
    rest: keep(mf.subject, b.subject.slice(parsed.prefixEnd).trim()),
    location: keep(mf.location, b.location),
    body: keep(mf.body, b.body),
    start: b.start,
    end: b.end,
    isAllDay: b.isAllDay,
    sensitivity: b.sensitivity,
    showAs: b.showAs,
    isCancelled: b.isCancelled,
    responseStatus: b.responseStatus,
    updatedAt: now,
  };
}

function bookingOfRow(b: BookingRow): Booking {
  const subject = b.rest ? (b.prefix ? `${b.prefix} ${b.rest}` : b.rest) : b.prefix;
  return {
    id: b.bookingId,
    subject,
    start: b.start,
    end: b.end,
    isAllDay: b.isAllDay,
    location: b.location ?? '',
    body: b.body ?? '',
    sensitivity: b.sensitivity as Booking['sensitivity'],
    showAs: b.showAs as Booking['showAs'],
    isCancelled: b.isCancelled,
    responseStatus: b.responseStatus as Booking['responseStatus'],
    lastModified: b.lastModified,
  };
}

function viewOfRow(a: ActivityRow): ActivityView {
  return {
    id: a.id,
    source: a.source,
    key: a.key,
    forwarding: { mode: a.mode, number: a.number },
    from: a.from,
    to: a.to,
    text: a.text,
    operatorOnly: a.operatorOnly,
    dismissed: false,
  };
}

function recurringRuleView(r: RecurringRow): ActivityView {
  return {
    id: `rec:${r.id}`,
    source: 'recurring',
    key: r.key,
    forwarding: { mode: r.mode, number: r.number },
    from: r.firstStart,
    to: r.firstEnd,
    text: r.text,
    operatorOnly: r.operatorOnly,
    dismissed: false,
    ruleId: r.id,
  };
}

function recurringActivities(ctx: UserContext, r: RecurringRow, window: { from: number; to: number }): ActivityView[] {
  const rule: RecurringRule = {
    firstStart: r.firstStart,
    firstEnd: r.firstEnd,
    repeat: r.repeat as Repeat,
    until: r.until,
    endsNextWorkingDay: r.endsNextWorkingDay,
  };
  const skip = new Set(r.exceptions);
  return expandRecurringRule(rule, window, ctx.org.calendar)
    .filter((o) => !skip.has(o.start))
    .map((o) => ({ ...recurringRuleView(r), id: `rec:${r.id}:${o.start}`, from: o.start, to: o.end }));
}

function parseRecurrenceInput(input: unknown, from: number, to: number | null, zone: string): RecurringRule {
  if (!isObject(input)) throw new ValidationError('recurrence', 'must be an object like {"repeat": "everyWorkingDay", "until": null}');
  let repeat: Repeat;
  if (input.repeat === 'everyWorkingDay' || input.repeat === 'everyDay') repeat = { kind: input.repeat };
  else if (isObject(input.repeat) && typeof input.repeat.weeks === 'number') repeat = { kind: 'weekly', weeks: input.repeat.weeks as 1 };
  else throw new ValidationError('recurrence.repeat', 'must be "everyWorkingDay", "everyDay" or {"weeks": 1..6}');
  const until = input.until === undefined || input.until === null ? null : parseLocalDate(input.until, 'recurrence.until');
  if (input.endsNextWorkingDay !== undefined && typeof input.endsNextWorkingDay !== 'boolean') {
    throw new ValidationError('recurrence.endsNextWorkingDay', 'must be true or false');
  }
  const endsNextWorkingDay = input.endsNextWorkingDay === true;
  if (!endsNextWorkingDay && to === null) throw new ValidationError('to', 'is required for a recurring activity (or set recurrence.endsNextWorkingDay)');
  const rule: RecurringRule = { firstStart: from, firstEnd: to ?? from, repeat, until, endsNextWorkingDay };
  try {
    validateRecurringRule(rule, 'rule', zone);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const field = e.field.replace(/^rule\.firstEnd$/, 'to').replace(/^rule\.firstStart$/, 'from').replace(/^rule\./, 'recurrence.');
    throw new ValidationError(field, e.detail);
  }
  return rule;
}

function parseQuickChoice(q: unknown, org: Org, field: string): QuickChoice {
  if (!isObject(q)) throw new ValidationError(field, 'must be an object like {"key": "L", "length": "standard"}');
  const { key } = parseActivityKey(q.key, org.catalog, `${field}.key`);
  let length: QuickChoice['length'];
  const l = q.length ?? 'standard';
  if (l === 'nextWorkingDay' || l === 'untilFurtherNotice' || l === 'standard') length = l;
  else if (isObject(l) && Number.isInteger(l.minutes) && (l.minutes as number) >= 1 && (l.minutes as number) <= 7 * 24 * 60) {
    length = { minutes: l.minutes as number };
  } else throw new ValidationError(`${field}.length`, 'must be "standard", "nextWorkingDay", "untilFurtherNotice" or {"minutes": 1..10080}');
  if (key === FORWARD_KEY && length === 'standard') length = 'untilFurtherNotice';
  let forwarding: Forwarding | null = null;
  if (q.forwarding !== undefined && q.forwarding !== null) {
    forwarding = parseForwarding(q.forwarding, `${field}.forwarding`, undefined, true);
    if (key === FORWARD_KEY && forwarding.mode !== 'number') throw new ValidationError(`${field}.forwarding.mode`, 'must be "number" for Vidarekoppla');
  }
  if (forwarding?.number) forwarding.number = normalisePhoneNumber(forwarding.number, `${field}.forwarding.number`);
  return { key, length, forwarding, text: optionalText(q.text, `${field}.text`) };
}
