/**
 * The endpoint's use cases, free of HTTP: settings, profiles, quick choices, bookings (stored
 * minimised, SPEC 12), activities from all four sources, and the effective state of an
 * extension. Routes, calendar sync and main.ts call the Service; it hands each call to the
 * module of its use case:
 *
 * - context.ts: the organisation and the signed-in user's context, with the caches
 * - settings.ts: settings and contact profiles
 * - bookings.ts: bookings (add-in and calendar sync)
 * - problems.ts: bookings that will not divert (issue 14), for the pane and the mailer
 * - activities.ts, recurring.ts, quick.ts: manual, recurring and quick activities
 * - states.ts: the effective states of extensions (the scheduler calls computeStates itself,
 *   in its own transaction)
 * - admin.ts: deliveries, the journal, retention
 *
 * A module writes through the store and tells the scheduler through `onChange`; none calls
 * back into the Service.
 */
import type { CalendarSettings, ContactProfile, EffectiveState, Org, Resolution } from '../../core';
import type { DeliveryPageQuery, JournalEntry, Page, PutBookingOutcome, Store, SwitchStateRow, UserKey, UserLogin, UserPageQuery, UserRow } from '../store/types';
import { Activities, type ActivityView } from './activities';
import { AdminViews } from './admin';
import { AdminConsole, type ConsoleUser } from './admin-console';
import { Bookings, type PutOptions } from './bookings';
import { type Colleague, findColleagues } from './colleagues';
import { type Changed, type Clock, Contexts, type Deps, type UserContext } from './context';
import { type DueMailItem, Problems, type ProblemView } from './problems';
import { type QuickChoice, QuickChoices } from './quick';
import { SettingsProfiles } from './settings';
import { computeStates, type ExtensionState, timeline } from './states';
import { type ImportOptions, type ImportResult, runImport } from './user-import';

export type { ActivityView } from './activities';
export { type ConsoleUser, PAGE_MAX, pageBounds } from './admin-console';
export { COLLEAGUES_MAX, COLLEAGUE_QUERY_MIN, type Colleague } from './colleagues';
export type { Clock, UserContext } from './context';
export { MAX_QUICK, type QuickChoice } from './quick';
export type { PutOptions } from './bookings';
export { type DueMailItem, type MailFacts, PROBLEMS_MAX, type ProblemView } from './problems';
export { computeStates, type ExtensionState, HORIZON_MS } from './states';

/**
 * SPEC 12: no subjects, bodies, locations or phone numbers in logs; callers log ids and codes.
 * Users, their settings and profiles and the organisation are cached for `cacheMs` (5 s): changes
 * made through this process apply at once, changes made by another process within that time.
 */
export class Service {
  /** Told which extensions may have a new desired state (the scheduler listens). */
  onChange: ((extensions: string[]) => void) | null = null;
  private readonly contexts: Contexts;
  private readonly settings: SettingsProfiles;
  private readonly quick: QuickChoices;
  private readonly bookings: Bookings;
  private readonly problems: Problems;
  private readonly activities: Activities;
  private readonly admin: AdminViews;
  private readonly console: AdminConsole;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    orgTimeZone: string,
    cacheMs = 5_000,
    /** notifyMail: NOTIFY_MAIL=on (calendar sync marks mails due, issue 14). */
    opts: { notifyMail?: boolean } = {},
  ) {
    // onChange is set after construction (the app wires the scheduler to it): read it when telling.
    const changed: Changed = (...extensions) => this.notify(...extensions);
    this.contexts = new Contexts(store, clock, orgTimeZone, cacheMs, changed);
    const deps: Deps = { store, clock, contexts: this.contexts, changed };
    this.settings = new SettingsProfiles(deps);
    this.bookings = new Bookings(deps, opts.notifyMail ?? false);
    this.problems = new Problems(deps);
    this.activities = new Activities(deps);
    this.quick = new QuickChoices(deps, this.activities);
    this.admin = new AdminViews(deps);
    this.console = new AdminConsole(deps, (extensions, at) => this.extensionStates(extensions, at), orgTimeZone);
  }

  private notify(...extensions: (string | null | undefined)[]): void {
    const list = extensions.filter((e): e is string => typeof e === 'string' && e !== '');
    if (list.length > 0) this.onChange?.(list);
  }

  // ---------------------------------------------------------------------------------------------
  // Organisation and user context (context.ts)

  org(): Promise<Org> {
    return this.contexts.org();
  }

  /** The environment's ORG_TIME_ZONE is the default an admin's organisation document overrides. */
  buildOrgWithDefaults(value: unknown): Org {
    return this.contexts.buildOrgWithDefaults(value);
  }

  getOrgDoc(): Promise<{ value: unknown; updatedAt: number | null }> {
    return this.contexts.getOrgDoc();
  }

  putOrgDoc(value: unknown): Promise<void> {
    return this.contexts.putOrgDoc(value);
  }

  /** Records the sign-in and returns the user row (linked or not). */
  signIn(k: UserKey, displayName: string | null, login: UserLogin = {}): Promise<UserRow> {
    return this.contexts.signIn(k, displayName, login);
  }

  linkUser(k: UserKey, link: { extension: string; shared: boolean; displayName?: string | null } & UserLogin): Promise<UserRow> {
    return this.contexts.linkUser(k, link);
  }

  deleteUser(k: UserKey): Promise<boolean> {
    return this.contexts.deleteUser(k);
  }

  /** The context of a linked user; NotLinkedError (403) otherwise. */
  context(user: UserRow): Promise<UserContext> {
    return this.contexts.context(user);
  }

  // ---------------------------------------------------------------------------------------------
  // Settings, profile (settings.ts), quick choices (quick.ts)

  putSettings(user: UserRow, input: unknown): Promise<CalendarSettings> {
    return this.settings.putSettings(user, input);
  }

  putProfile(user: UserRow, input: unknown): Promise<ContactProfile> {
    return this.settings.putProfile(user, input);
  }

  /** Settings and profile in one transaction, both validated first (all or nothing). */
  putPreferences(user: UserRow, settings: unknown, profile: unknown): Promise<{ settings: CalendarSettings; profile: ContactProfile }> {
    return this.settings.putPreferences(user, settings, profile);
  }

  getQuick(user: UserRow): Promise<QuickChoice[]> {
    return this.quick.getQuick(user);
  }

  putQuick(user: UserRow, input: unknown): Promise<QuickChoice[]> {
    return this.quick.putQuick(user, input);
  }

  activateQuick(ctx: UserContext, index: number): Promise<ActivityView> {
    return this.quick.activateQuick(ctx, index);
  }

  // ---------------------------------------------------------------------------------------------
  // Bookings (bookings.ts)

  preview(ctx: UserContext, input: unknown): Resolution {
    return this.bookings.preview(ctx, input);
  }

  /**
   * Stores a booking snapshot (idempotent, ordered by lastModified) and returns what it resolves
   * to. Only the code part of the subject is kept, and text fields only as the user's message
   * fields ask for them, never for a private booking (SPEC 12). Calendar sync says
   * `source: 'graph'` (a mail about a booking that will not divert may be due, issue 14).
   */
  putBooking(ctx: UserContext, bookingId: string, input: unknown, opts: PutOptions = {}): Promise<{ outcome: PutBookingOutcome; resolution: Resolution }> {
    return this.bookings.putBooking(ctx, bookingId, input, opts);
  }

  // ---------------------------------------------------------------------------------------------
  // Bookings that will not divert (problems.ts, issue 14)

  /** The user's bookings in the coming 14 days that will not divert, and why. */
  listProblems(ctx: UserContext): Promise<{ from: number; to: number; problems: ProblemView[]; more: boolean }> {
    return this.problems.list(ctx);
  }

  /** Mails due (one user's, or everyone's), each checked again; `facts` null: drop it (settleMail, not sent). */
  dueMails(limit: number, k?: UserKey): Promise<DueMailItem[]> {
    return this.problems.dueMails(limit, k);
  }

  settleMail(k: UserKey, bookingId: string, version: number, sent: boolean): Promise<void> {
    return this.problems.settleMail(k, bookingId, version, sent);
  }

  deleteBooking(user: UserRow, bookingId: string): Promise<void> {
    return this.bookings.deleteBooking(user, bookingId);
  }

  // ---------------------------------------------------------------------------------------------
  // Activities (activities.ts, recurring.ts)

  listActivities(ctx: UserContext, from: number, to: number): Promise<ActivityView[]> {
    return this.activities.listActivities(ctx, from, to);
  }

  createActivity(ctx: UserContext, input: unknown, source: 'manual' | 'quick' = 'manual'): Promise<ActivityView> {
    return this.activities.createActivity(ctx, input, source);
  }

  /**
   * Deletes an activity. A calendar one is dismissed for its booking version and the calendar
   * item is left alone (SPEC 8.4); a recurring occurrence becomes an exception of its rule; a
   * rule id (`rec:<rule>`) removes the whole rule.
   */
  deleteActivity(user: UserRow, id: string): Promise<void> {
    return this.activities.deleteActivity(user, id);
  }

  // ---------------------------------------------------------------------------------------------
  // Effective state (states.ts)

  /** The effective state of an extension at `at`, and the language callers hear it in. */
  async extensionState(extension: string, at = this.clock()): Promise<ExtensionState> {
    return (await this.extensionStates([extension], at)).get(extension)!;
  }

  /**
   * The effective states of many extensions at `at`, read through this Service's store (see
   * computeStates; the scheduler calls that in its own transaction). The documents read refresh
   * the context cache.
   */
  async extensionStates(extensions: readonly string[], at = this.clock()): Promise<Map<string, ExtensionState>> {
    return computeStates(this.store, await this.org(), extensions, at, (user, docs) => this.contexts.rememberDocs(user, docs));
  }

  /**
   * Colleagues (Kollegor): linked users whose name contains `q` or whose extension starts with
   * it, at most 20 by name, each with their extension's state now (all computed in one go).
   */
  async colleagues(q: unknown): Promise<{ now: number; org: Org; colleagues: Colleague[]; more: boolean }> {
    const now = this.clock();
    const found = await findColleagues(this.store, q, (extensions) => this.extensionStates(extensions, now));
    return { now, org: found.org ?? (await this.org()), colleagues: found.colleagues, more: found.more };
  }

  /** The state now and at each of the next `count` boundaries. */
  async stateTimeline(extension: string, count = 5): Promise<{ now: number; state: EffectiveState | null; next: { at: number; state: EffectiveState | null }[]; org: Org }> {
    const now = this.clock();
    const x = await this.extensionState(extension, now);
    return { now, state: x.state, next: timeline(x, now, count), org: x.org };
  }

  // ---------------------------------------------------------------------------------------------
  // Admin views: users, deliveries to the switch, the journal connector (admin.ts)

  listUsers(): Promise<UserRow[]> {
    return this.admin.listUsers();
  }

  /** Whether the switch has an extension's current state (null: nothing computed yet). */
  getDelivery(extension: string): Promise<SwitchStateRow | null> {
    return this.admin.getDelivery(extension);
  }

  listDeliveries(): Promise<SwitchStateRow[]> {
    return this.admin.listDeliveries();
  }

  /** Deliver an extension's current state again; false when the extension has no state. */
  retryDelivery(extension: string): Promise<boolean> {
    return this.admin.retryDelivery(extension);
  }

  /** The last `limit` states the journal connector recorded (of extensions starting with `extension`). */
  listJournal(limit: number, extension?: string): Promise<JournalEntry[]> {
    return this.admin.listJournal(limit, extension);
  }

  // ---------------------------------------------------------------------------------------------
  // The admin console (admin-console.ts)

  /** A page of users, each with the state on their extension, its delivery and their calendar sync. */
  pageUsers(query: UserPageQuery): Promise<Page<ConsoleUser> & { now: number; org: Org }> {
    return this.console.pageUsers(query);
  }

  unlinkUser(k: UserKey): Promise<UserRow> {
    return this.console.unlinkUser(k);
  }

  pageDeliveries(query: DeliveryPageQuery): Promise<Page<SwitchStateRow>> {
    return this.console.pageDeliveries(query);
  }

  retryFailedDeliveries(): Promise<string[]> {
    return this.console.retryFailedDeliveries();
  }

  /** A sample booking under a draft organisation document (nothing saved). */
  previewOrg(draft: unknown, booking: unknown, settings?: unknown): { resolution: Resolution; language: 'sv' | 'en' } {
    return this.console.previewOrg(draft, booking, settings);
  }

  /** Retention (SPEC 12): purge what ended more than `days` ago. */
  purge(days: number): ReturnType<AdminViews['purge']> {
    return this.admin.purge(days);
  }

  /**
   * The CSV import of users and extensions (user-import.ts): every row classified; unless a dry
   * run, the good ones stored in one transaction. `admin.tid` is the tenant of object-id rows.
   */
  importUsers(admin: { tid: string }, csv: string, opts: ImportOptions): Promise<ImportResult> {
    return runImport({ store: this.store, clock: this.clock, contexts: this.contexts, changed: (...e) => this.notify(...e) }, admin, csv, opts);
  }

  /**
   * The directory sync's writes (src/server/directory/), all in one transaction: links made or
   * moved (never removed) and, for users already stored, the directory's name, UPN and e-mail
   * (null keeps the stored one). Then the scheduler is told every extension left or joined.
   */
  async applyDirectoryLinks(writes: readonly ({ key: UserKey; displayName: string | null; link: { extension: string; shared: boolean } | null } & UserLogin)[]): Promise<void> {
    const now = this.clock();
    const touched = await this.store.transaction(async (tx) => {
      const extensions: (string | null)[] = [];
      for (const w of writes) {
        const login = { upn: w.upn, mail: w.mail };
        if (!w.link) {
          await tx.touchUser(w.key, w.displayName, now, login);
          continue;
        }
        const before = await tx.getUser(w.key);
        await tx.linkUser(w.key, { ...w.link, displayName: w.displayName, ...login }, now);
        extensions.push(before?.extension ?? null, w.link.extension);
      }
      return extensions;
    });
    for (const w of writes) this.contexts.forgetUser(w.key);
    this.notify(...new Set(touched));
  }
}

// Row types the HTTP layer shapes into JSON, so it never imports the store.
export type { JournalEntry, SwitchStateRow, UserRow } from '../store/types';
