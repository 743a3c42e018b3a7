/**
 * The repository contract of the endpoint: everything the routes and the scheduler store, one
 * interface for SQLite and PostgreSQL. Instants are epoch milliseconds; JSON documents are
 * stored as text and returned parsed. Data minimisation (SPEC 12) is the caller's duty: the
 * store keeps exactly what it is given.
 */
import type { Bus } from './bus';
import type { LeasesRepository } from './lease-types';
import type { SwitchStateRepository, SwitchStateRow } from './switch-state-types';

export type { DeliveryRecord, DesiredInput, PendingTransition, SwitchStateRepository, SwitchStateRow } from './switch-state-types';
export type { EndpointProcess, LeasesRepository, SyncLease } from './lease-types';

/** A signed-in person: Entra tenant id + object id. */
export interface UserKey {
  tid: string;
  oid: string;
}

export interface UserRow extends UserKey {
  displayName: string | null;
  /** User principal name and e-mail, lowercased; null: not known yet. */
  upn: string | null;
  mail: string | null;
  /** The extension (anknytning) the user is linked to; null: not linked yet. */
  extension: string | null;
  /** Delad anknytning: diversions are always soft. */
  shared: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A user's sign-in names as a token or the directory gives them; null or absent keeps the stored one. */
export interface UserLogin {
  upn?: string | null;
  mail?: string | null;
}

/** Per-user JSON documents: the user's own (partial) settings, profile, and quick choices. */
export type DocKind = 'settings' | 'profile' | 'quick';

/**
 * A booking as stored: never the whole subject. `prefix` is only the code part of the subject
 * (`NP/L:`, or a near miss such as `NP/L`), so the booking can be re-resolved when settings or
 * the catalog change; `rest`, `location` and `body` are kept only when the user's message fields
 * ask for them and the booking is not private (the caller decides).
 */
export interface BookingRow extends UserKey {
  bookingId: string;
  /** Graph / Office.js lastModified; null when the source gave none. */
  lastModified: number | null;
  prefix: string;
  rest: string | null;
  location: string | null;
  body: string | null;
  start: number;
  end: number;
  isAllDay: boolean;
  sensitivity: string;
  showAs: string;
  isCancelled: boolean;
  responseStatus: string;
  /**
   * SPEC 8.4: the lastModified of the version that was dismissed on the endpoint side (0 when
   * that version had none); null: not dismissed. A newer lastModified diverts again.
   */
  dismissedVersion: number | null;
  updatedAt: number;
  /** An Outlook series' Office.js recurrence pattern (the core's OfficeRecurrence); absent for single bookings. */
  recurrence?: unknown;
  /** Issue 14: the subject's near miss when stored (the core's NearMiss), which the kept prefix may not show; absent: none. */
  nearMiss?: { kind: string; key: string | null } | null;
}

/** Issue 14: a booking a mail is due for, and the version (its lastModified; 0 without one) the mail is for. */
export interface DueMail {
  booking: BookingRow;
  version: number;
}

export type PutBookingOutcome = 'created' | 'updated' | 'stale';

/** A manual or quick activity (calendar activities are derived from bookings, recurring ones from rules). */
export interface ActivityRow extends UserKey {
  id: string;
  source: 'manual' | 'quick';
  /** Catalog code key or `forward`. */
  key: string;
  mode: 'spoken' | 'none' | 'number';
  number: string | null;
  from: number;
  /** null: tills vidare. */
  to: number | null;
  text: string | null;
  operatorOnly: boolean;
  createdAt: number;
}

export interface RecurringRow extends UserKey {
  id: string;
  key: string;
  mode: 'spoken' | 'none' | 'number';
  number: string | null;
  firstStart: number;
  firstEnd: number;
  /** JSON of the core's Repeat: {"kind": "everyWorkingDay"} | {"kind": "everyDay"} | {"kind": "weekly", "weeks": n}. */
  repeat: unknown;
  /** Inclusive local date YYYY-MM-DD; null: tills vidare. */
  until: string | null;
  endsNextWorkingDay: boolean;
  text: string | null;
  operatorOnly: boolean;
  /** Starts (epoch ms) of occurrences the user deleted. */
  exceptions: number[];
  createdAt: number;
}

export interface OrgRow {
  /** The organisation document (the core's OrgInput), as an admin last saved it. */
  value: unknown;
  updatedAt: number;
}

export interface PurgeResult {
  bookings: number;
  activities: number;
  recurring: number;
  /** Journal entries (what the switch was sent) older than the cut-off. */
  journal: number;
}


export interface JournalEntry {
  extension: string;
  version: number;
  state: unknown | null;
  at: number;
}

export interface ExtensionsSnapshot {
  users: UserRow[];
  docs: { tid: string; oid: string; kind: DocKind; value: unknown }[];
  bookings: BookingRow[];
  activities: ActivityRow[];
  recurring: RecurringRow[];
}

/** Per user: calendar sync through Microsoft Graph (issue 6). Instants are epoch ms. */
export interface CalendarSyncRow extends UserKey {
  /** The @odata.deltaLink of the last complete round; null: the next round starts over. */
  deltaLink: string | null;
  /** The calendarView window the delta link belongs to. */
  windowStart: number | null;
  windowEnd: number | null;
  lastSuccessAt: number | null;
  /** Status code and Graph error code only; never personal data. */
  lastError: string | null;
  lastErrorAt: number | null;
  /** The last successful round: from what triggered it (poll or notification) to done. */
  lagMs: number | null;
  subscriptionId: string | null;
  subscriptionExpiresAt: number | null;
  /** The random secret Graph echoes in every notification of this subscription. */
  clientState: string | null;
  updatedAt: number;
}

/** Per user: calendar sync through Google Calendar (issue 17). Instants are epoch ms. */
export interface GoogleSyncRow extends UserKey {
  /** The Workspace address last read (lowercased). */
  email: string | null;
  /** The nextSyncToken of the last complete round; null: the next round starts over. */
  syncToken: string | null;
  /** The window the sync token's first round read. */
  windowStart: number | null;
  windowEnd: number | null;
  lastSuccessAt: number | null;
  /** Status code and Google's reason only; never personal data. */
  lastError: string | null;
  lastErrorAt: number | null;
  lagMs: number | null;
  /** The events.watch channel: its id, Google's resource id, the secret token Google echoes, its end. */
  channelId: string | null;
  channelResourceId: string | null;
  channelToken: string | null;
  channelExpiresAt: number | null;
  updatedAt: number;
}

/*
 * The repositories: one per thing stored, each implemented in repos/ over the same Kysely (the
 * database, or one transaction). Store composes them and adds what spans several (kysely-store.ts).
 */

/** What the switch was sent. */
export interface JournalRepository {
  appendJournal(entry: JournalEntry): Promise<void>;
  /** The newest `limit` entries, newest first; only those of extensions starting with `extension` when given. */
  listJournal(limit: number, extension?: string): Promise<JournalEntry[]>;
}

/** Users, their extensions, and their per-user documents. */
export interface UsersRepository {
  getUser(k: UserKey): Promise<UserRow | null>;
  /** Creates the user on first sign-in or refreshes the display name; never touches the link. */
  touchUser(k: UserKey, displayName: string | null, now: number, login?: UserLogin): Promise<UserRow>;
  /** Takes a user off their extension (and shared off); throws when there is no such user. */
  unlinkUser(k: UserKey, now: number): Promise<UserRow>;
  /** Users of a tenant whose UPN or e-mail is one of `logins` (any case). */
  findUsersByLogin(tid: string, logins: readonly string[]): Promise<UserRow[]>;
  listUsers(): Promise<UserRow[]>;
  /** Admin: link a user (created if unknown) to an extension. */
  linkUser(k: UserKey, link: { extension: string; shared: boolean; displayName?: string | null } & UserLogin, now: number): Promise<UserRow>;
  usersOnExtension(extension: string): Promise<UserRow[]>;
  /** Colleagues (Kollegor): linked users whose name contains `q` (case and accents ignored) or whose extension starts with it, by name. */
  searchUsers(q: string, limit: number): Promise<UserRow[]>;
  /** Every extension some user is linked to (the scheduler recomputes them all at start). */
  listExtensions(): Promise<string[]>;

  // Per-user documents
  getDoc(k: UserKey, kind: DocKind): Promise<unknown | null>;
  putDoc(k: UserKey, kind: DocKind, value: unknown, now: number): Promise<void>;
}

export interface OrgRepository {
  getOrg(): Promise<OrgRow | null>;
  putOrg(value: unknown, now: number): Promise<void>;
}

export interface BookingsRepository {
  getBooking(k: UserKey, bookingId: string): Promise<BookingRow | null>;
  /**
   * Idempotent upsert ordered by lastModified, atomically: a snapshot older than the stored one
   * changes nothing ('stale'); an equal or newer one replaces it. A newer lastModified clears
   * the dismissal; an equal one keeps it. A snapshot without lastModified always replaces.
   */
  putBooking(row: Omit<BookingRow, 'dismissedVersion'>): Promise<PutBookingOutcome>;
  deleteBooking(k: UserKey, bookingId: string): Promise<boolean>;
  /** Bookings whose [start, end) overlaps [from, to); `series`: also stored series whose first occurrence starts before `to` (later ones may fall in the window). */
  listBookings(k: UserKey, from: number, to: number, opts?: { series?: boolean }): Promise<BookingRow[]>;
  /** Marks the stored version dismissed. False when there is no such booking. */
  dismissBooking(k: UserKey, bookingId: string): Promise<boolean>;
}

/** Mail about a booking that will not divert (issue 14): one per booking version; a due mark outlives a restart. */
export interface BookingMailRepository {
  /** A mail is due for `version`, unless a mail was sent for it or a newer one; false when nothing changed. */
  markMailDue(k: UserKey, bookingId: string, version: number): Promise<boolean>;
  /** Bookings with a mail due, soonest first: one user's, or everyone's (the sweep at start). */
  dueMails(limit: number, k?: UserKey): Promise<DueMail[]>;
  /** The mail for `version` was sent (`sent`), or is not wanted any more: no mail is due for it or older ones again. */
  settleMail(k: UserKey, bookingId: string, version: number, sent: boolean): Promise<void>;
}

/** Manual and quick activities. */
export interface ActivitiesRepository {
  insertActivity(row: ActivityRow): Promise<void>;
  getActivity(k: UserKey, id: string): Promise<ActivityRow | null>;
  deleteActivity(k: UserKey, id: string): Promise<boolean>;
  /** Activities overlapping [from, to) (an open end overlaps everything after its start). */
  listActivities(k: UserKey, from: number, to: number): Promise<ActivityRow[]>;
}

export interface RecurringRepository {
  insertRecurring(row: RecurringRow): Promise<void>;
  getRecurring(k: UserKey, id: string): Promise<RecurringRow | null>;
  listRecurring(k: UserKey): Promise<RecurringRow[]>;
  setRecurringExceptions(k: UserKey, id: string, exceptions: number[]): Promise<boolean>;
  deleteRecurring(k: UserKey, id: string): Promise<boolean>;
}

/** Calendar sync through Microsoft Graph. */
export interface CalendarSyncRepository {
  getCalendarSync(k: UserKey): Promise<CalendarSyncRow | null>;
  listCalendarSync(): Promise<CalendarSyncRow[]>;
  /** Creates or updates a user's row with the given fields, atomically; returns the row now stored. */
  patchCalendarSync(k: UserKey, patch: Partial<Omit<CalendarSyncRow, 'tid' | 'oid' | 'updatedAt'>>, now: number): Promise<CalendarSyncRow>;
  findCalendarSubscription(subscriptionId: string): Promise<CalendarSyncRow | null>;
}

/** Calendar sync through Google Calendar (issue 17). */
export interface GoogleSyncRepository {
  getGoogleSync(k: UserKey): Promise<GoogleSyncRow | null>;
  listGoogleSync(): Promise<GoogleSyncRow[]>;
  /** Creates or updates a user's row with the given fields, atomically; returns the row now stored. */
  patchGoogleSync(k: UserKey, patch: Partial<Omit<GoogleSyncRow, 'tid' | 'oid' | 'updatedAt'>>, now: number): Promise<GoogleSyncRow>;
  findGoogleChannel(channelId: string): Promise<GoogleSyncRow | null>;
}

/** One page of a list, and how many there are in all. */
export interface Page<T> {
  total: number;
  items: T[];
}

export interface UserPageQuery {
  /** Part of a name (folded), UPN or e-mail, or the start of an extension; '' for all. */
  q: string;
  linked: 'any' | 'linked' | 'unlinked';
  offset: number;
  limit: number;
}

export interface DeliveryPageQuery {
  /** The start of an extension. */
  extension?: string;
  /** Only those not delivered whose last attempt failed. */
  failed: boolean;
  offset: number;
  limit: number;
}

/** The admin console's lists (repos/admin-lists.ts). */
export interface AdminListsRepository {
  /** Users by name (folded; nameless last), then tenant and oid. */
  pageUsers(query: UserPageQuery): Promise<Page<UserRow>>;
  /** Desired states by extension. */
  pageSwitchStates(query: DeliveryPageQuery): Promise<Page<SwitchStateRow>>;
  switchStatesFor(extensions: readonly string[]): Promise<SwitchStateRow[]>;
  calendarSyncFor(users: readonly UserKey[]): Promise<CalendarSyncRow[]>;
  /** Every delivery not made whose last attempt failed is tried again now; returns their extensions. */
  retryFailedDeliveries(): Promise<string[]>;
  countFailedDeliveries(): Promise<number>;
}

/** Every repository, and what spans several of them. */
export interface Store
  extends SwitchStateRepository,
    AdminListsRepository,
    JournalRepository,
    UsersRepository,
    OrgRepository,
    BookingsRepository,
    BookingMailRepository,
    ActivitiesRepository,
    RecurringRepository,
    CalendarSyncRepository,
    GoogleSyncRepository,
    LeasesRepository {
  readonly dialect: 'sqlite' | 'postgres';
  /** Messages to the other endpoint processes on this database (bus.ts; on SQLite there are none). */
  readonly bus: Bus;

  /**
   * Inside a transaction: locks these extensions (PostgreSQL: transaction-scoped advisory locks,
   * in extension order, also for extensions without a row yet) until it ends, so a recompute's read and write are not
   * interleaved with another process's recompute of the same extension. SQLite's transactions
   * already exclude each other.
   */
  lockSwitchStates(extensions: readonly string[]): Promise<void>;
  /** Removes the user and everything stored for them. Returns false when there was no such user. */
  deleteUser(k: UserKey): Promise<boolean>;
  /**
   * Everything the effective states of these extensions depend on, in a few queries (the
   * scheduler recomputes bursts of extensions this way): their users, those users' settings and
   * profile documents, and their bookings and activities overlapping [from, to) and recurring rules.
   */
  loadExtensions(extensions: readonly string[], from: number, to: number): Promise<ExtensionsSnapshot>;
  /**
   * Retention: removes bookings and activities that ended before `before`, rules whose last date
   * is over, and journal entries recorded before `before`.
   */
  purge(before: number, beforeDate: string): Promise<PurgeResult>;

  /** Runs `fn` in one transaction (serialised on SQLite). */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** True when the database answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
