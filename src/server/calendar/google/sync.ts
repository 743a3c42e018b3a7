/**
 * Calendar sync through Google Calendar (issue 17), beside Graph's: for every linked user with an
 * address in GOOGLE_DOMAIN, rounds of events.list (singleEvents=true) over the same window as
 * Graph's (yesterday to GOOGLE_WINDOW_DAYS ahead), paging with pageToken and keeping the
 * nextSyncToken for the next round, each event fed through Service.putBooking under its own id
 * namespace (`google:<event id>`), each cancelled one through deleteBooking. The sync token is
 * stored only after the round's bookings are; 410 starts over; a new day starts over with a new
 * window. Polling every GOOGLE_POLL_SECONDS. One failing user is recorded for that user and never
 * stops the others. With GOOGLE_NOTIFICATION_URL set, each user also has a push channel
 * (events.watch, renewed a day before it ends): Google's message names the channel and carries
 * its secret token, and starts that user's round within `coalesceMs`. Several processes on one
 * PostgreSQL share the users by leases as Graph's sync does (issue 18, ../leases.ts).
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DAY_MS, ValidationError } from '../../../core';
import { type Log, realTimers, silentLog, type Timers, userKey, userOfKey } from '../../runtime';
import type { Service, UserContext } from '../../service';
import type { GoogleSyncRow, Store, UserKey, UserRow } from '../../store/types';
import { Limiter, type Sleep } from '../graph-client';
import { syncWindow } from '../sync';
import { LeaseLost, MIN_REQUEST_MS, type SyncLeases, soloLeases } from '../leases';
import { SyncWorker } from '../worker';
import { GoogleClient, GoogleError } from './client';
import type { GoogleConfig } from './config';
import { GOOGLE_ID_PREFIX, googleBookingId, googleEventToSnapshot } from './mapping';

export interface GoogleSyncOptions {
  config: GoogleConfig;
  service: Service;
  store: Store;
  clock: () => number;
  sleep?: Sleep;
  timers?: Timers;
  /** events.list maxResults. Default 250 (Google's default; at most 2,500). */
  pageSize?: number;
  /** Push messages arriving within this many ms start one round per user. Default 500. */
  coalesceMs?: number;
  log?: Log;
  /** The process's leases (issue 18); default: this process reads every user (one process). */
  leases?: SyncLeases;
}

export interface GoogleRoundResult {
  oid: string;
  ok: boolean;
  full: boolean;
  stored: number;
  removed: number;
  skipped: number;
  error?: string;
}

/** The user's Workspace address: their e-mail, else their user principal name, in the domain. */
export function googleAddress(user: Pick<UserRow, 'mail' | 'upn'>, domain: string): string | null {
  for (const a of [user.mail, user.upn]) {
    const v = a?.trim().toLowerCase();
    if (v && v.endsWith(`@${domain}`)) return v;
  }
  return null;
}

/** Per user Google sync reads, for the admin console (GET /api/v1/admin/calendar's `google`). */
export interface GoogleStatus {
  oid: string;
  extension: string | null;
  email: string | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lagSeconds: number | null;
  lastRoundLagMs: number | null;
  channelActive: boolean;
  channelExpiresAt: number | null;
  /** The process reading this user's calendar now (issue 18; null: none holds the lease at the moment). */
  process: string | null;
}

/** A channel is replaced this long before Google ends it. */
export const CHANNEL_RENEW_BEFORE_MS = DAY_MS;

/** What a push message was: a channel's first `sync`, a change (`accepted`), or not ours. */
export type PushOutcome = 'sync' | 'accepted' | 'unknown' | 'refused';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function describe(err: unknown): string {
  if (err instanceof GoogleError) return err.summary;
  if (err instanceof ValidationError) return `invalid ${err.field}`;
  return (err as Error)?.name ?? 'error';
}

export class GoogleCalendarSync {
  readonly client: GoogleClient;
  private readonly log: Log;
  private readonly pageSize: number;
  private readonly worker: SyncWorker;
  readonly leases: SyncLeases;
  /** Rounds run so far, by outcome (the benchmark and tests read them). */
  readonly counts = { rounds: 0, failed: 0, full: 0 };

  constructor(private readonly o: GoogleSyncOptions) {
    this.client = new GoogleClient({ config: o.config, sleep: o.sleep });
    this.log = o.log ?? silentLog;
    this.pageSize = o.pageSize ?? 250;
    this.worker = new SyncWorker({ timers: o.timers ?? realTimers, log: this.log, coalesceMs: o.coalesceMs ?? 500, describe });
    this.leases = o.leases ?? soloLeases({ store: o.store, clock: o.clock, timers: o.timers ?? realTimers, log: this.log });
    this.leases.register({
      name: 'google',
      reads: (u) => this.reads(u),
      busy: (u) => this.worker.busy(userKey(u)),
      handle: (u, kind, at) => this.handle(u, kind, at),
      gained: (users) => {
        for (const u of users) void this.worker.track(this.gain(u));
      },
    });
  }

  /** Starts polling: a first round at once (not awaited: the endpoint serves meanwhile), then every GOOGLE_POLL_SECONDS. */
  start(): void {
    this.worker.startPolling(() => this.runAll(), this.o.config.pollSeconds * 1000, 'google calendar');
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Resolves when no round is in flight or gathering. */
  idle(): Promise<void> {
    return this.worker.idle();
  }

  /** Whether Google sync reads this user: linked to an extension, with an address in GOOGLE_DOMAIN. */
  reads(u: UserRow): boolean {
    return Boolean(u.extension) && googleAddress(u, this.o.config.domain) !== null;
  }

  /** The users Google sync reads. */
  async users(): Promise<UserRow[]> {
    return (await this.o.store.listUsers()).filter((u) => this.reads(u));
  }

  /** One round for every user it reads. */
  async runAll(): Promise<GoogleRoundResult[]> {
    const started = this.o.clock();
    const [all, rows] = await Promise.all([this.users(), this.o.store.listGoogleSync()]);
    // With several processes, each reads the users whose lease it holds (../leases.ts).
    const users = all.filter((u) => this.leases.holds('google', u, MIN_REQUEST_MS));
    const byKey = new Map(rows.map((r) => [userKey(r), r]));
    // More rounds than request slots keep both Google and the database busy (the client caps requests).
    const limiter = new Limiter(this.o.config.maxConcurrency * 4);
    const results = await Promise.all(
      users.map((u) =>
        limiter.run(async () => {
          const row = byKey.get(userKey(u)) ?? null;
          if (this.o.config.notificationUrl) await this.ensureChannel(u, row);
          return this.syncUser(u, started, row);
        }),
      ),
    );
    const failed = results.filter((r) => !r.ok).length;
    this.log.info({ users: users.length, failed, ms: this.o.clock() - started }, 'google calendar poll round');
    return results;
  }

  /** A round for one user; rounds of one user never overlap (a request during one runs once more after it). */
  syncUser(user: UserRow, triggeredAt = this.o.clock(), known?: GoogleSyncRow | null): Promise<GoogleRoundResult> {
    return this.worker.serial(userKey(user), triggeredAt, (t, first) => this.round(user, t, first ? known : undefined));
  }

  private async round(user: UserKey, triggeredAt: number, known?: GoogleSyncRow | null): Promise<GoogleRoundResult> {
    const result: GoogleRoundResult = { oid: user.oid, ok: false, full: false, stored: 0, removed: 0, skipped: 0 };
    if (!this.leases.holds('google', user, MIN_REQUEST_MS)) return { ...result, error: 'lease held elsewhere' };
    this.counts.rounds++;
    try {
      const fresh = await this.o.store.getUser(user);
      const email = fresh?.extension ? googleAddress(fresh, this.o.config.domain) : null;
      if (!fresh || !email) return { ...result, ok: true };
      const ctx = await this.o.service.context(fresh);
      const row = known !== undefined ? known : await this.o.store.getGoogleSync(user);
      const window = syncWindow(this.o.clock(), this.o.config.windowDays);
      const resumable = !!row?.syncToken && row.email === email && row.windowStart === window.start && row.windowEnd === window.end;
      let syncToken: string;
      try {
        result.full = !resumable;
        syncToken = await this.read(ctx, email, resumable ? row.syncToken! : null, result, window);
      } catch (err) {
        // Google dropped the sync state (410 fullSyncRequired): start over with a full round.
        if (!(err instanceof GoogleError && err.status === 410) || !resumable) throw err;
        this.log.info({ oid: user.oid, status: 410 }, 'google sync token expired; starting over');
        result.full = true;
        syncToken = await this.read(ctx, email, null, result, window);
      }
      if (!this.leases.holds('google', user, 1_000)) throw new LeaseLost('google', user);
      const now = this.o.clock();
      await this.o.store.patchGoogleSync(user, { email, syncToken, windowStart: window.start, windowEnd: window.end, lastSuccessAt: now, lastError: null, lastErrorAt: null, lagMs: Math.max(0, now - triggeredAt) }, now);
      if (result.full) this.counts.full++;
      result.ok = true;
      if (result.stored + result.removed + result.skipped > 0 || result.full) {
        this.log.info({ oid: user.oid, full: result.full, stored: result.stored, removed: result.removed, skipped: result.skipped }, 'google calendar synced');
      }
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.log.info({ oid: user.oid }, 'google calendar lease lapsed during a round; left to the process that holds it');
        return { ...result, error: 'lease lost' };
      }
      this.counts.failed++;
      result.error = describe(err);
      this.log.warn({ oid: user.oid, status: err instanceof GoogleError ? err.status : undefined, error: result.error }, 'google calendar sync failed');
      const now = this.o.clock();
      await this.o.store.patchGoogleSync(user, { lastError: result.error, lastErrorAt: now }, now).catch(() => undefined);
    }
    return result;
  }

  /**
   * Reads one user's calendar again from the start (the admin console's "Synka om"): after any
   * round under way, the sync token is dropped and a full round starts. False when Google sync
   * does not read that user (unknown, not linked, no address in the domain).
   */
  async resync(k: UserKey): Promise<boolean> {
    const user = await this.o.store.getUser(k);
    if (!user?.extension || !googleAddress(user, this.o.config.domain)) return false;
    // Done by the process reading this user (it may be another one).
    await this.leases.dispatch('google', user, 'resync', this.o.clock());
    return true;
  }

  /** A user this process has just taken over (../leases.ts): their channel, then a round at once. */
  private async gain(k: UserKey): Promise<void> {
    const user = await this.o.store.getUser(k);
    if (!user?.extension || !googleAddress(user, this.o.config.domain)) return;
    if (this.o.config.notificationUrl) await this.ensureChannel(user, await this.o.store.getGoogleSync(user));
    await this.syncUser(user);
  }

  /** A request for a user this process reads (from this process or, over the bus, another): a change or a resync. */
  private handle(user: UserKey, kind: string, at: number): void {
    if (kind !== 'resync') return this.notify(user, at);
    const run = async () => {
      await this.worker.current(userKey(user));
      await this.o.store.patchGoogleSync(user, { syncToken: null }, this.o.clock());
      this.notify(user, at);
    };
    void this.worker.track(run().catch((err) => this.log.warn({ oid: user.oid, error: describe(err) }, 'google resync not started')));
  }

  /** Per user it reads: how sync is going (the admin console's Kalendersynk). */
  async status(): Promise<GoogleStatus[]> {
    const [users, rows, leases] = await Promise.all([this.users(), this.o.store.listGoogleSync(), this.leases.view()]);
    const byKey = new Map(rows.map((r) => [userKey(r), r]));
    const now = this.o.clock();
    return users.map((u) => {
      const r = byKey.get(userKey(u));
      return {
        oid: u.oid,
        extension: u.extension,
        email: googleAddress(u, this.o.config.domain),
        lastSuccessAt: r?.lastSuccessAt ?? null,
        lastError: r?.lastError ?? null,
        lastErrorAt: r?.lastErrorAt ?? null,
        lagSeconds: r?.lastSuccessAt != null ? Math.max(0, Math.round((now - r.lastSuccessAt) / 1000)) : null,
        lastRoundLagMs: r?.lagMs ?? null,
        channelActive: Boolean(r?.channelId && (r.channelExpiresAt ?? 0) > now),
        channelExpiresAt: r?.channelExpiresAt ?? null,
        process: leases.holder('google', u).owner,
      };
    });
  }

  // -----------------------------------------------------------------------------------------------
  // Push channels (events.watch)

  /**
   * Opens the user's push channel when there is none (or it was for another address), or a new
   * one when it ends within a day, then stops the old one. A failure is logged; polling goes on.
   */
  async ensureChannel(user: UserRow, row: GoogleSyncRow | null): Promise<void> {
    const address = this.o.config.notificationUrl;
    const email = googleAddress(user, this.o.config.domain);
    if (!address || !email) return;
    const now = this.o.clock();
    if (row?.channelId && row.email === email && (row.channelExpiresAt ?? 0) - now > CHANNEL_RENEW_BEFORE_MS) return;
    // Only by the process holding the user's lease, which keeps it until this is done (issue 18).
    if (!this.leases.holds('google', user, MIN_REQUEST_MS)) return;
    await this.worker.busyWith(userKey(user), async () => {
      try {
        const channel = { id: randomUUID(), token: randomBytes(24).toString('base64url'), address };
        const opened = await this.client.watch(email, channel);
        await this.o.store.patchGoogleSync(user, { email, channelId: channel.id, channelResourceId: opened.resourceId, channelToken: channel.token, channelExpiresAt: opened.expiration }, this.o.clock());
        if (row?.channelId && row.channelResourceId && row.email) await this.client.stop(row.email, { id: row.channelId, resourceId: row.channelResourceId });
      } catch (err) {
        this.log.warn({ oid: user.oid, error: describe(err) }, 'google push channel not opened; polling goes on');
      }
    });
  }

  /**
   * A push message (POST /api/v1/google/notifications): it must name a channel we opened and
   * carry its token. A change starts the user's round; a channel's first `sync` message only
   * says it is open.
   */
  async handlePush(m: { channelId: string; token: string | null; state: string }): Promise<PushOutcome> {
    const row = await this.o.store.findGoogleChannel(m.channelId);
    if (!row) return 'unknown';
    if (!row.channelToken || m.token === null || !sameSecret(m.token, row.channelToken)) return 'refused';
    if (m.state === 'sync') return 'sync';
    // Handled by the process that reads this user (here, or over the bus).
    await this.leases.dispatch('google', row, 'change', this.o.clock());
    return 'accepted';
  }

  /** A change for this user: a round within `coalesceMs` (several messages, one round). */
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

  // -----------------------------------------------------------------------------------------------

  /**
   * Reads every page (a full round over the window, or the changes since `syncToken`), storing
   * each page's events as it goes, and returns the nextSyncToken. A full round ends by removing
   * the user's Google bookings in the window that Google no longer has (only a full round sees
   * everything). Bookings from Outlook (the add-in, Graph) are never touched here.
   */
  private async read(ctx: UserContext, email: string, syncToken: string | null, result: GoogleRoundResult, window: { start: number; end: number }): Promise<string> {
    const user = ctx.user;
    const seen = syncToken === null ? new Set<string>() : null;
    const opts = { zone: ctx.org.calendar.zone, location: ctx.settings.messageFields.location, body: ctx.settings.messageFields.body };
    const base = syncToken !== null ? { syncToken } : { timeMin: new Date(window.start).toISOString(), timeMax: new Date(window.end).toISOString() };
    for (let pageToken: string | undefined; ; ) {
      const page = await this.client.listEvents(email, { ...base, pageToken, maxResults: this.pageSize }, () => this.leases.deadline('google', user));
      for (const e of page.items) {
        if (typeof e?.id !== 'string' || e.id === '') {
          result.skipped++;
          continue;
        }
        const id = googleBookingId(e.id);
        if (e.status === 'cancelled') {
          if (await this.o.store.getBooking(user, id)) {
            await this.o.service.deleteBooking(user, id);
            result.removed++;
          }
          continue;
        }
        seen?.add(id);
        try {
          await this.o.service.putBooking(ctx, id, googleEventToSnapshot(e, opts));
          result.stored++;
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          result.skipped++;
        }
      }
      if (page.nextPageToken) {
        pageToken = page.nextPageToken;
        continue;
      }
      if (!page.nextSyncToken) throw new GoogleError(200, 'invalidResponse', 'Google answered without a nextPageToken or nextSyncToken');
      if (seen) {
        for (const b of await this.o.store.listBookings(user, window.start, window.end)) {
          if (b.bookingId.startsWith(GOOGLE_ID_PREFIX) && !seen.has(b.bookingId)) {
            await this.o.service.deleteBooking(user, b.bookingId);
            result.removed++;
          }
        }
      }
      return page.nextSyncToken;
    }
  }
}
