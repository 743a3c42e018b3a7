/**
 * The Store over Kysely: one implementation for SQLite and PostgreSQL, composed of one repository
 * per thing stored (repos/), all on the same Kysely: the database, or one transaction. What spans
 * several repositories is here: reading a burst of extensions, deleting a user with everything
 * theirs, retention, transactions, and the PostgreSQL advisory locks.
 */
import { type Kysely, sql } from 'kysely';
import { type Bus, soloBus } from './bus';
import { ActivitiesRepo } from './repos/activities';
import { AdminListsRepo } from './repos/admin-lists';
import { BookingMailRepo } from './repos/booking-mail';
import { BookingsRepo } from './repos/bookings';
import { CalendarSyncRepo } from './repos/calendar-sync';
import { GoogleSyncRepo } from './repos/google-sync';
import { LeasesRepo } from './repos/leases';
import type { Dialect, UserSet } from './repos/common';
import { JournalRepo } from './repos/journal';
import { OrgRepo } from './repos/org';
import { RecurringRepo } from './repos/recurring';
import { SwitchStateRepo } from './repos/switch-state';
import { UsersRepo } from './repos/users';
import type { Database } from './schema';
import type {
  ActivityRow,
  DeliveryPageQuery,
  UserPageQuery,
  BookingRow,
  CalendarSyncRow,
  GoogleSyncRow,
  DeliveryRecord,
  DesiredInput,
  PendingTransition,
  DocKind,
  ExtensionsSnapshot,
  JournalEntry,
  PurgeResult,
  RecurringRow,
  Store,
  UserKey,
  UserLogin,
} from './types';

/** How long readiness waits for the database. */
const PING_TIMEOUT_MS = 2_000;

/** The first key of this application's PostgreSQL advisory locks ("KK"), apart from others'. */
const ADVISORY_NAMESPACE = 0x4b4b;

export class KyselyStore implements Store {
  private readonly switchStates: SwitchStateRepo;
  private readonly journal: JournalRepo;
  private readonly users: UsersRepo;
  private readonly org: OrgRepo;
  private readonly bookings: BookingsRepo;
  private readonly bookingMail: BookingMailRepo;
  private readonly activities: ActivitiesRepo;
  private readonly recurring: RecurringRepo;
  private readonly calendarSync: CalendarSyncRepo;
  private readonly googleSync: GoogleSyncRepo;
  private readonly leases: LeasesRepo;
  private readonly lists: AdminListsRepo;

  /**
   * @param db the database, or a transaction (then every method runs in it, and transaction()
   *   reuses it instead of nesting).
   */
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    /** Messages to the other processes on this database (bus.ts); none on SQLite. */
    readonly bus: Bus = soloBus,
  ) {
    this.switchStates = new SwitchStateRepo(db, dialect);
    this.journal = new JournalRepo(db, dialect);
    this.users = new UsersRepo(db, dialect);
    this.org = new OrgRepo(db, dialect);
    this.bookings = new BookingsRepo(db, dialect);
    this.bookingMail = new BookingMailRepo(db, dialect);
    this.activities = new ActivitiesRepo(db, dialect);
    this.recurring = new RecurringRepo(db, dialect);
    this.calendarSync = new CalendarSyncRepo(db, dialect);
    this.googleSync = new GoogleSyncRepo(db, dialect);
    this.leases = new LeasesRepo(db, dialect);
    this.lists = new AdminListsRepo(db, dialect);
  }

  /** Runs `fn` atomically: on this store when it is a transaction, else on one over a new transaction. */
  private atomically<T>(fn: (tx: KyselyStore) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? fn(this) : this.db.transaction().execute((trx) => fn(new KyselyStore(trx, this.dialect, this.bus)));
  }

  // -- Desired switch states and delivery (repos/switch-state.ts) --------------------------------

  getSwitchState(extension: string) { return this.switchStates.getSwitchState(extension); }
  listSwitchStates() { return this.switchStates.listSwitchStates(); }
  listSwitchStateExtensions() { return this.switchStates.listSwitchStateExtensions(); }
  putDesiredState(extension: string, state: unknown | null, nextBoundary: number | null, now: number, pending?: PendingTransition | null) { return this.switchStates.putDesiredState(extension, state, nextBoundary, now, pending); }
  putDesiredStates(items: readonly DesiredInput[]) { return this.switchStates.putDesiredStates(items); }
  dueForRecompute(now: number, aheadMs?: number) { return this.switchStates.dueForRecompute(now, aheadMs); }
  promotePending(now: number, exclude?: readonly string[], limit?: number) { return this.switchStates.promotePending(now, exclude, limit); }
  nextWake(after: number, aheadMs?: number) { return this.switchStates.nextWake(after, aheadMs); }
  dueForDelivery(now: number, limit: number) { return this.switchStates.dueForDelivery(now, limit); }
  claimDeliveries(now: number, limit: number, owner: string, leaseMs: number) { return this.switchStates.claimDeliveries(now, limit, owner, leaseMs); }
  releaseClaims(owner?: string) { return this.switchStates.releaseClaims(owner); }
  recordDelivery(extension: string, version: number, outcome: DeliveryRecord, owner?: string) { return this.switchStates.recordDelivery(extension, version, outcome, owner); }
  recordDeliveries(items: readonly { extension: string; version: number; outcome: DeliveryRecord }[], owner?: string) { return this.switchStates.recordDeliveries(items, owner); }
  retryDelivery(extension: string) { return this.switchStates.retryDelivery(extension); }
  markForRedelivery(items: readonly { extension: string; version: number }[]) { return this.switchStates.markForRedelivery(items); }

  async lockSwitchStates(extensions: readonly string[]): Promise<void> {
    if (this.dialect !== 'postgres' || extensions.length === 0) return;
    if (!this.db.isTransaction) throw new Error('lockSwitchStates() needs a transaction');
    // Advisory locks, not FOR UPDATE: they also cover extensions that have no row yet. Taken in
    // extension order (the sorted subquery), ended by the transaction's end.
    await sql`select count(pg_advisory_xact_lock(${ADVISORY_NAMESPACE}, hashtext(e))) from (select unnest(${[...extensions]}::text[]) as e order by 1) s`.execute(this.db);
    // And the rows themselves: a promotion of pending transitions (one UPDATE, no advisory
    // locks) then either finishes before this recompute reads its clock and inputs, or waits
    // and sees the state and pending transition this recompute writes (issue 16).
    await this.db.selectFrom('switch_state').select('extension').where('extension', 'in', [...extensions]).orderBy('extension').forUpdate().execute();
  }

  // -- The admin console's lists (repos/admin-lists.ts) -------------------------------------------

  pageUsers(query: UserPageQuery) { return this.lists.pageUsers(query); }
  pageSwitchStates(query: DeliveryPageQuery) { return this.lists.pageSwitchStates(query); }
  switchStatesFor(extensions: readonly string[]) { return this.lists.switchStatesFor(extensions); }
  calendarSyncFor(users: readonly UserKey[]) { return this.lists.calendarSyncFor(users); }
  retryFailedDeliveries() { return this.lists.retryFailedDeliveries(); }
  countFailedDeliveries() { return this.lists.countFailedDeliveries(); }

  // -- Journal (repos/journal.ts) ----------------------------------------------------------------

  appendJournal(entry: JournalEntry) { return this.journal.appendJournal(entry); }
  listJournal(limit: number, extension?: string) { return this.journal.listJournal(limit, extension); }

  // -- Users, extensions and per-user documents (repos/users.ts) ---------------------------------

  getUser(k: UserKey) { return this.users.getUser(k); }
  touchUser(k: UserKey, displayName: string | null, now: number, login?: UserLogin) { return this.users.touchUser(k, displayName, now, login); }
  findUsersByLogin(tid: string, logins: readonly string[]) { return this.users.findUsersByLogin(tid, logins); }
  unlinkUser(k: UserKey, now: number) { return this.users.unlinkUser(k, now); }
  listUsers() { return this.users.listUsers(); }
  linkUser(k: UserKey, link: { extension: string; shared: boolean; displayName?: string | null } & UserLogin, now: number) { return this.users.linkUser(k, link, now); }
  usersOnExtension(extension: string) { return this.users.usersOnExtension(extension); }
  searchUsers(q: string, limit: number) { return this.users.searchUsers(q, limit); }
  listExtensions() { return this.users.listExtensions(); }
  getDoc(k: UserKey, kind: DocKind) { return this.users.getDoc(k, kind); }
  putDoc(k: UserKey, kind: DocKind, value: unknown, now: number) { return this.users.putDoc(k, kind, value, now); }

  async deleteUser(k: UserKey): Promise<boolean> {
    return this.atomically(async (tx) => {
      await tx.users.deleteDocsOf(k);
      await tx.bookings.deleteAllOf(k);
      await tx.activities.deleteAllOf(k);
      await tx.recurring.deleteAllOf(k);
      await tx.calendarSync.deleteOf(k);
      await tx.googleSync.deleteOf(k);
      return tx.users.deleteUserRow(k);
    });
  }

  async loadExtensions(extensions: readonly string[], from: number, to: number): Promise<ExtensionsSnapshot> {
    const empty: ExtensionsSnapshot = { users: [], docs: [], bookings: [], activities: [], recurring: [] };
    if (extensions.length === 0) return empty;
    const users = await this.users.onExtensions(extensions);
    if (users.length === 0) return empty;
    // oid IN … AND tid IN … may also match another tenant's user with the same oid: keep exact pairs.
    const wanted = new Set(users.map((u) => `${u.tid}\n${u.oid}`));
    const set: UserSet = {
      oids: [...new Set(users.map((u) => u.oid))],
      tids: [...new Set(users.map((u) => u.tid))],
      has: (r) => wanted.has(`${r.tid}\n${r.oid}`),
    };
    const [docs, bookings, activities, recurring] = await Promise.all([
      this.users.docsOf(set, ['settings', 'profile']),
      this.bookings.listOf(set, from, to),
      this.activities.listOf(set, from, to),
      this.recurring.listOf(set),
    ]);
    return { users, docs, bookings, activities, recurring };
  }

  // -- Organisation (repos/org.ts) ---------------------------------------------------------------

  getOrg() { return this.org.getOrg(); }
  putOrg(value: unknown, now: number) { return this.org.putOrg(value, now); }

  // -- Bookings (repos/bookings.ts) --------------------------------------------------------------

  getBooking(k: UserKey, bookingId: string) { return this.bookings.getBooking(k, bookingId); }
  putBooking(row: Omit<BookingRow, 'dismissedVersion'>) { return this.bookings.putBooking(row); }
  deleteBooking(k: UserKey, bookingId: string) { return this.bookings.deleteBooking(k, bookingId); }
  listBookings(k: UserKey, from: number, to: number, opts?: { series?: boolean }) { return this.bookings.listBookings(k, from, to, opts); }
  dismissBooking(k: UserKey, bookingId: string) { return this.bookings.dismissBooking(k, bookingId); }

  // -- Mail about bookings that will not divert (repos/booking-mail.ts) --------------------------

  markMailDue(k: UserKey, bookingId: string, version: number) { return this.bookingMail.markMailDue(k, bookingId, version); }
  dueMails(limit: number, k?: UserKey) { return this.bookingMail.dueMails(limit, k); }
  settleMail(k: UserKey, bookingId: string, version: number, sent: boolean) { return this.bookingMail.settleMail(k, bookingId, version, sent); }

  // -- Manual and quick activities (repos/activities.ts) -----------------------------------------

  insertActivity(row: ActivityRow) { return this.activities.insertActivity(row); }
  getActivity(k: UserKey, id: string) { return this.activities.getActivity(k, id); }
  deleteActivity(k: UserKey, id: string) { return this.activities.deleteActivity(k, id); }
  listActivities(k: UserKey, from: number, to: number) { return this.activities.listActivities(k, from, to); }

  // -- Recurring rules (repos/recurring.ts) ------------------------------------------------------

  insertRecurring(row: RecurringRow) { return this.recurring.insertRecurring(row); }
  getRecurring(k: UserKey, id: string) { return this.recurring.getRecurring(k, id); }
  listRecurring(k: UserKey) { return this.recurring.listRecurring(k); }
  setRecurringExceptions(k: UserKey, id: string, exceptions: number[]) { return this.recurring.setRecurringExceptions(k, id, exceptions); }
  deleteRecurring(k: UserKey, id: string) { return this.recurring.deleteRecurring(k, id); }

  // -- Calendar sync through Microsoft Graph (repos/calendar-sync.ts) ----------------------------

  getCalendarSync(k: UserKey) { return this.calendarSync.getCalendarSync(k); }
  listCalendarSync() { return this.calendarSync.listCalendarSync(); }
  patchCalendarSync(k: UserKey, patch: Partial<Omit<CalendarSyncRow, 'tid' | 'oid' | 'updatedAt'>>, now: number) { return this.calendarSync.patchCalendarSync(k, patch, now); }
  findCalendarSubscription(subscriptionId: string) { return this.calendarSync.findCalendarSubscription(subscriptionId); }

  // -- Google calendar sync (repos/google-sync.ts) -------------------------------------------------

  getGoogleSync(k: UserKey) { return this.googleSync.getGoogleSync(k); }
  listGoogleSync() { return this.googleSync.listGoogleSync(); }
  patchGoogleSync(k: UserKey, patch: Partial<Omit<GoogleSyncRow, 'tid' | 'oid' | 'updatedAt'>>, now: number) { return this.googleSync.patchGoogleSync(k, patch, now); }
  findGoogleChannel(channelId: string) { return this.googleSync.findGoogleChannel(channelId); }

  // -- Calendar sync shared by several processes (repos/leases.ts) ---------------------------------

  heartbeatProcess(p: { owner: string; host: string; pid: number }, now: number) { return this.leases.heartbeatProcess(p, now); }
  listProcesses(since: number) { return this.leases.listProcesses(since); }
  removeProcesses(which: { owner: string } | { before: number }) { return this.leases.removeProcesses(which); }
  renewLeases(owner: string, sources: readonly string[], until: number) { return this.leases.renewLeases(owner, sources, until); }
  claimLeases(source: string, users: readonly UserKey[], owner: string, now: number, until: number) { return this.leases.claimLeases(source, users, owner, now, until); }
  releaseLeases(owner: string, source?: string, users?: readonly UserKey[]) { return this.leases.releaseLeases(owner, source, users); }
  purgeLeases(source: string, before: number) { return this.leases.purgeLeases(source, before); }
  getLease(source: string, k: UserKey) { return this.leases.getLease(source, k); }
  listLeases(source?: string) { return this.leases.listLeases(source); }

  // -- Retention ---------------------------------------------------------------------------------

  async purge(before: number, beforeDate: string): Promise<PurgeResult> {
    return this.atomically(async (tx) => {
      const bookings = await tx.bookings.purgeEndedBefore(before);
      const activities = await tx.activities.purgeEndedBefore(before);
      const recurring = await tx.recurring.purgeEndedBefore(beforeDate);
      const journal = await tx.journal.purgeBefore(before);
      return { bookings, activities, recurring, journal };
    });
  }

  // -- Plumbing ----------------------------------------------------------------------------------

  /**
   * Runs `fn` with a store bound to one transaction: committed when `fn` resolves, rolled back
   * when it throws. Inside, `tx.transaction()` reuses the same transaction. On SQLite the one
   * connection is held for the whole transaction, so `fn` must use `tx`, not this store, or it
   * waits for itself.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.atomically(fn);
  }

  /**
   * Whether the database answers within `timeoutMs` (readiness, issue 18: a process that lost its
   * database must leave the load balancer soon, not when the pool's connect timeout ends).
   */
  async ping(timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    const answered = sql`select 1`.execute(this.db).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.db.isTransaction) throw new Error('close() is not for a transaction; close the store that opened it');
    await this.bus.close();
    await this.db.destroy();
  }
}
