/**
 * Calendar sync through Microsoft Graph (issue 6): for every linked user, rounds of
 * calendarView/delta over a window from yesterday to GRAPH_WINDOW_DAYS ahead, each event fed
 * through Service.putBooking (the add-in's path, same booking id) and each @removed through
 * deleteBooking. The delta link is stored only after the round's bookings are; 410 starts over;
 * a new day starts over with a new window. Polling every GRAPH_POLL_SECONDS is the safety net;
 * change notifications (when GRAPH_NOTIFICATION_URL is set) trigger a user's round within a
 * second. One failing mailbox is recorded for that user and never stops the others.
 * Several processes on one PostgreSQL share the mailboxes (issue 18, leases.ts): a process reads
 * only the users whose lease it holds, every request ends before the lease could lapse, and a
 * notification received by another process is handled where the lease is.
 */
import { timingSafeEqual } from 'node:crypto';
import { DAY_MS, ValidationError } from '../../core';
import { type Log, realTimers, silentLog, type Timers, userKey, userOfKey } from '../runtime';
import type { Service, UserContext } from '../service';
import type { CalendarSyncRow, Store, UserKey, UserRow } from '../store/types';
import type { GraphConfig } from './config';
import { describe, GraphClient, GraphError, Limiter, type Fetch, type Sleep } from './graph-client';
import { type CalendarStatus, calendarStatus } from './status';
import { LeaseLost, MIN_REQUEST_MS, type SyncLeases, soloLeases } from './leases';
import { SyncWorker } from './worker';
import { Subscriptions } from './subscriptions';
export type { CalendarStatus } from './status';
export { RENEW_BEFORE_MS, SUBSCRIPTION_MINUTES } from './subscriptions';
import { GOOGLE_ID_PREFIX } from './google/mapping';
import { eventToSnapshot, type GraphEvent } from './mapping';


export interface CalendarSyncOptions {
  config: GraphConfig;
  service: Service;
  store: Store;
  clock: () => number;
  fetch?: Fetch;
  sleep?: Sleep;
  timers?: Timers;
  /** Notifications arriving within this many ms start one round per user. Default 500. */
  coalesceMs?: number;
  /** Prefer: odata.maxpagesize. Default 100. */
  pageSize?: number;
  log?: Log;
  /** The process's leases (issue 18); default: this process reads every user (one process). */
  leases?: SyncLeases;
}

export interface RoundResult {
  oid: string;
  ok: boolean;
  full: boolean;
  stored: number;
  removed: number;
  skipped: number;
  error?: string;
}

/** The window a round reads: from the start of yesterday (UTC) to GRAPH_WINDOW_DAYS after today. */
export function syncWindow(now: number, days: number): { start: number; end: number } {
  const start = Math.floor(now / DAY_MS) * DAY_MS - DAY_MS;
  return { start, end: start + (days + 1) * DAY_MS };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class CalendarSync {
  readonly client: GraphClient;
  private readonly subscriptions: Subscriptions;
  private readonly log: Log;
  private readonly pageSize: number;
  private readonly worker: SyncWorker;
  readonly leases: SyncLeases;
  /** Rounds run so far, by outcome (the benchmark and tests read them). */
  readonly counts = { rounds: 0, failed: 0, full: 0 };
  /** Issue 14: awaited after each user's successful round (the mailer sends that user's due mails). */
  afterRound: ((user: UserRow) => Promise<void>) | null = null;

  constructor(private readonly o: CalendarSyncOptions) {
    this.client = new GraphClient({ config: o.config, fetch: o.fetch, sleep: o.sleep, clock: o.clock });
    this.log = o.log ?? silentLog;
    this.pageSize = o.pageSize ?? 100;
    this.worker = new SyncWorker({ timers: o.timers ?? realTimers, log: this.log, coalesceMs: o.coalesceMs ?? 500, describe });
    this.subscriptions = new Subscriptions({ client: this.client, store: o.store, config: o.config, clock: o.clock, log: this.log });
    this.leases = o.leases ?? soloLeases({ store: o.store, clock: o.clock, timers: o.timers ?? realTimers, log: this.log });
    this.leases.register({
      name: 'graph',
      reads: (u) => this.reads(u),
      busy: (u) => this.worker.busy(userKey(u)),
      handle: (u, kind, at) => this.handle(u, kind, at),
      gained: (users) => {
        for (const u of users) void this.track(this.gain(u));
      },
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    return this.worker.track(p);
  }

  /** Starts polling: a first round at once (not awaited: the endpoint serves meanwhile), then every GRAPH_POLL_SECONDS. */
  start(): void {
    this.worker.startPolling(() => this.runAll(), this.o.config.pollSeconds * 1000, 'calendar');
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Resolves when no round, notification or subscription work is in flight. */
  idle(): Promise<void> {
    return this.worker.idle();
  }

  /** Whether calendar sync reads this user: linked to an extension, in the configured tenant. */
  reads(u: UserRow): boolean {
    return Boolean(u.extension) && u.tid.toLowerCase() === this.o.config.tenantId;
  }

  /** The users calendar sync reads. */
  async users(): Promise<UserRow[]> {
    return (await this.o.store.listUsers()).filter((u) => this.reads(u));
  }

  /** One round for every linked user (and their subscriptions, when notifications are on). */
  async runAll(): Promise<RoundResult[]> {
    const started = this.o.clock();
    const [all, rows] = await Promise.all([this.users(), this.o.store.listCalendarSync()]);
    // With several processes, each reads the users whose lease it holds (leases.ts).
    const users = all.filter((u) => this.leases.holds('graph', u, MIN_REQUEST_MS));
    const byKey = new Map(rows.map((r) => [userKey(r), r]));
    // Rounds wait on the database as much as on Graph: more rounds than request slots keep both busy
    // (Graph requests stay capped at GRAPH_MAX_CONCURRENCY by the client).
    const limiter = new Limiter(this.o.config.maxConcurrency * 4);
    const results = await Promise.all(
      users.map((u) =>
        limiter.run(async () => {
          // The rows were just read: a round need not read them again (2 queries fewer per user).
          const row = byKey.get(userKey(u)) ?? null;
          if (this.o.config.notificationUrl) await this.ensureSubscription(u, row).catch(() => undefined);
          return this.syncUser(u, started, { user: u, row });
        }),
      ),
    );
    const failed = results.filter((r) => !r.ok).length;
    this.log.info({ users: users.length, failed, ms: this.o.clock() - started }, 'calendar poll round');
    return results;
  }

  /**
   * Reads one user's calendar again from the start (the admin console's "Synka om"): after any
   * round under way, the delta link is dropped and a full round starts. False when the user is
   * not one calendar sync reads (unknown, not linked, another tenant).
   */
  async resync(k: UserKey): Promise<boolean> {
    const user = await this.o.store.getUser(k);
    if (!user?.extension || user.tid.toLowerCase() !== this.o.config.tenantId) return false;
    // Done by the process reading this user (it may be another one).
    await this.leases.dispatch('graph', user, 'resync', this.o.clock());
    return true;
  }

  /** A user this process has just taken over (leases.ts): their subscription, then a round at once. */
  private async gain(k: UserKey): Promise<void> {
    const user = await this.o.store.getUser(k);
    if (!user?.extension || user.tid.toLowerCase() !== this.o.config.tenantId) return;
    if (this.o.config.notificationUrl) await this.ensureSubscription(user).catch(() => undefined);
    await this.syncUser(user);
  }

  /**
   * A request for a user this process reads (leases.ts dispatches it here, from this process or
   * another): a notification's lifecycle event, a change, or the admin console's resync.
   */
  private handle(user: UserKey, kind: string, at: number): void {
    const run = async () => {
      switch (kind) {
        case 'reauthorizationRequired': {
          const row = await this.o.store.getCalendarSync(user);
          if (row) await this.subscriptions.renew(row).catch(() => undefined);
          break;
        }
        case 'resync':
        case 'missed':
          // Read again from the start (missed: notifications were lost), after any round under way.
          await this.worker.current(userKey(user));
          await this.o.store.patchCalendarSync(user, { deltaLink: null }, this.o.clock());
          this.notify(user, at);
          break;
        case 'subscriptionRemoved': {
          await this.o.store.patchCalendarSync(user, { subscriptionId: null, subscriptionExpiresAt: null, clientState: null }, this.o.clock());
          const u = await this.o.store.getUser(user);
          if (u?.extension) await this.ensureSubscription(u).catch(() => undefined);
          this.notify(user, at);
          break;
        }
        default:
          this.notify(user, at);
      }
    };
    void this.track(run().catch((err) => this.log.warn({ oid: user.oid, kind, error: describe(err) }, 'calendar notification not handled')));
  }

  /** A round for one user; rounds of one user never overlap (a request during one runs once more after it). */
  syncUser(user: UserRow, triggeredAt = this.o.clock(), known?: { user: UserRow; row: CalendarSyncRow | null }): Promise<RoundResult> {
    // The rows read by runAll serve the first run only; a run again reads them afresh.
    return this.worker.serial(userKey(user), triggeredAt, (t, first) => this.round(user, t, first ? known : undefined));
  }

  private async round(user: UserRow, triggeredAt: number, known?: { user: UserRow; row: CalendarSyncRow | null }): Promise<RoundResult> {
    const result: RoundResult = { oid: user.oid, ok: false, full: false, stored: 0, removed: 0, skipped: 0 };
    // Another process reads this user now (its lease moved): nothing to do here.
    if (!this.leases.holds('graph', user, MIN_REQUEST_MS)) return { ...result, error: 'lease held elsewhere' };
    this.counts.rounds++;
    try {
      const fresh = known ? known.user : await this.o.store.getUser(user);
      if (!fresh?.extension) return { ...result, ok: true };
      const ctx = await this.o.service.context(fresh);
      const row = known ? known.row : await this.o.store.getCalendarSync(user);
      const window = syncWindow(this.o.clock(), this.o.config.windowDays);
      let deltaLink: string;
      const resumable = row?.deltaLink && row.windowStart === window.start && row.windowEnd === window.end;
      try {
        result.full = !resumable;
        deltaLink = await this.readDelta(ctx, resumable ? (row.deltaLink as string) : this.initialUrl(user.oid, window), result, window);
      } catch (err) {
        // The delta link expired or Graph lost the sync state: start over (a full round).
        if (!(err instanceof GraphError && err.status === 410) || !resumable) throw err;
        this.log.info({ oid: user.oid, status: 410, code: err.code }, 'calendar delta link expired; starting over');
        result.full = true;
        deltaLink = await this.readDelta(ctx, this.initialUrl(user.oid, window), result, window);
      }
      // The link is stored only while the lease holds: a process that lost it leaves it to the new holder.
      if (!this.leases.holds('graph', user, 1_000)) throw new LeaseLost('graph', user);
      const now = this.o.clock();
      await this.o.store.patchCalendarSync(user, { deltaLink, windowStart: window.start, windowEnd: window.end, lastSuccessAt: now, lastError: null, lastErrorAt: null, lagMs: Math.max(0, now - triggeredAt) }, now);
      if (result.full) this.counts.full++;
      result.ok = true;
      if (result.stored + result.removed + result.skipped > 0 || result.full) {
        this.log.info({ oid: user.oid, full: result.full, stored: result.stored, removed: result.removed, skipped: result.skipped }, 'calendar synced');
      }
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.log.info({ oid: user.oid }, 'calendar lease lapsed during a round; left to the process that holds it');
        return { ...result, error: 'lease lost' };
      }
      this.counts.failed++;
      result.error = describe(err);
      const status = err instanceof GraphError ? err.status : undefined;
      this.log.warn({ oid: user.oid, status, code: err instanceof GraphError ? err.code : undefined, error: result.error }, 'calendar sync failed');
      const now = this.o.clock();
      await this.o.store.patchCalendarSync(user, { lastError: result.error, lastErrorAt: now }, now).catch(() => undefined);
    }
    if (result.ok && this.afterRound) await this.afterRound(user).catch(() => undefined);
    return result;
  }

  private initialUrl(oid: string, window: { start: number; end: number }): string {
    const q = new URLSearchParams({ startDateTime: new Date(window.start).toISOString(), endDateTime: new Date(window.end).toISOString() });
    return `${this.o.config.baseUrl}/users/${encodeURIComponent(oid)}/calendarView/delta?${q.toString()}`;
  }

  /**
   * Follows nextLinks to the deltaLink, storing each page's changes as it goes. A full round
   * (a new window, or after 410) ends by removing the user's stored bookings in the window that
   * Graph no longer has: only a full round sees everything, and a lost delta state hides deletions.
   */
  private async readDelta(ctx: UserContext, url: string, result: RoundResult, window: { start: number; end: number }): Promise<string> {
    const user = ctx.user;
    const seen = result.full ? new Set<string>() : null;
    const masters = new Set<string>();
    const withBody = ctx.settings.messageFields.body;
    // calendarView/delta takes no $select (it returns whole events); we keep only the snapshot.
    const prefer = [`outlook.timezone="UTC"`, `odata.maxpagesize=${this.pageSize}`, ...(withBody ? ['outlook.body-content-type="text"'] : [])].join(', ');
    for (let next: string | null = url; next !== null; ) {
      const res = await this.client.request(user.oid, 'GET', next, { headers: { prefer }, deadline: () => this.leases.deadline('graph', user) });
      const body = res.body as { value?: unknown; '@odata.nextLink'?: unknown; '@odata.deltaLink'?: unknown } | null;
      if (!body || !Array.isArray(body.value)) throw new GraphError(res.status, 'invalidResponse', 'Graph answered without a value list');
      for (const item of body.value as GraphEvent[]) {
        if (typeof item?.id !== 'string' || item.id === '') {
          result.skipped++;
          continue;
        }
        if (item['@removed']) {
          await this.o.service.deleteBooking(user, item.id);
          result.removed++;
          continue;
        }
        // A series master is not an occurrence: calendarView gives the occurrences themselves.
        if (item.type === 'seriesMaster') continue;
        try {
          await this.o.service.putBooking(ctx, item.id, eventToSnapshot(item, { body: withBody }), { source: 'graph' });
          seen?.add(item.id);
          if (typeof item.seriesMasterId === 'string') masters.add(item.seriesMasterId);
          result.stored++;
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          seen?.add(item.id);
          result.skipped++;
        }
      }
      // The add-in pushes a series once, under its master id, with Office.js's pattern; Graph's
      // expanded occurrences (with their exceptions) replace it, so it never counts twice.
      for (const id of masters) if (await this.o.store.getBooking(user, id)) await this.o.service.deleteBooking(user, id);
      masters.clear();
      if (typeof body['@odata.nextLink'] === 'string') next = body['@odata.nextLink'];
      else if (typeof body['@odata.deltaLink'] === 'string') {
        if (seen) {
          for (const b of await this.o.store.listBookings(user, window.start, window.end)) {
            // Google's bookings (issue 17) are Google sync's to remove, not Graph's.
            if (!seen.has(b.bookingId) && !b.recurrence && !b.bookingId.startsWith(GOOGLE_ID_PREFIX)) {
              await this.o.service.deleteBooking(user, b.bookingId);
              result.removed++;
            }
          }
        }
        return body['@odata.deltaLink'];
      } else throw new GraphError(res.status, 'invalidResponse', 'Graph answered without a nextLink or deltaLink');
    }
    throw new GraphError(0, 'invalidResponse', 'unreachable');
  }

  // -----------------------------------------------------------------------------------------------
  // Change notifications

  /** A change for this user: a round within `coalesceMs` (several notifications, one round). */
  notify(user: UserKey, at = this.o.clock()): void {
    this.worker.gather(userKey(user), at, (batch) =>
      Promise.all(
        batch.map(async ([k, t]) => {
          const u = await this.o.store.getUser(userOfKey(k));
          if (u?.extension) await this.syncUser(u, t);
        }),
      ),
    );
  }

  /**
   * Graph's notifications (resource and lifecycle) for POST /api/v1/graph/notifications. Each
   * must name a subscription we created and carry its clientState; others are refused.
   */
  async handleNotifications(items: unknown[]): Promise<{ accepted: number; refused: number }> {
    let accepted = 0;
    let refused = 0;
    for (const item of items) {
      const n = item as { subscriptionId?: unknown; clientState?: unknown; lifecycleEvent?: unknown } | null;
      const id = typeof n?.subscriptionId === 'string' ? n.subscriptionId : null;
      const row = id ? await this.o.store.findCalendarSubscription(id) : null;
      if (!row?.clientState || typeof n?.clientState !== 'string' || !sameSecret(n.clientState, row.clientState)) {
        refused++;
        continue;
      }
      accepted++;
      // Handled by the process that reads this user (here, or over the bus; leases.ts).
      const kind = typeof n.lifecycleEvent === 'string' ? n.lifecycleEvent : 'change';
      await this.leases.dispatch('graph', { tid: row.tid, oid: row.oid }, kind, this.o.clock());
    }
    return { accepted, refused };
  }

  /** Creates the user's subscription, or renews it when it expires within a day (subscriptions.ts). */
  ensureSubscription(user: UserRow, known?: CalendarSyncRow | null): Promise<void> {
    // Only by the process holding the user's lease, which keeps it until this is done (issue 18):
    // two processes making one user's subscription at once would leave one with a stale secret.
    if (!this.leases.holds('graph', user, MIN_REQUEST_MS)) return Promise.resolve();
    return this.worker.busyWith(userKey(user), () => this.subscriptions.ensure(user, known));
  }

  // -----------------------------------------------------------------------------------------------

  /** Per linked user: how sync is going (GET /api/v1/admin/calendar). */
  async status(): Promise<CalendarStatus[]> {
    const [users, rows, leases] = await Promise.all([this.users(), this.o.store.listCalendarSync(), this.leases.view()]);
    return calendarStatus(users, rows, this.o.clock(), (u) => leases.holder('graph', u).owner);
  }
}
