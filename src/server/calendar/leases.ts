/**
 * Calendar sync shared by the endpoint processes on one PostgreSQL (issue 18): each user's
 * calendar, per source (Graph, Google), is read by the one process holding its lease.
 *
 * - Every HEARTBEAT_MS a process records itself alive, renews the leases it holds (to now +
 *   LEASE_MS) and spreads the users over the processes alive: each user belongs to the live
 *   process with the highest hash of (process, source, user) (rendezvous hashing: when a process
 *   joins or leaves, only its share moves). It takes the free or lapsed leases of the users that
 *   belong to it and gives up those that belong to another (never during their round).
 * - A process that dies stops renewing: its leases lapse after LEASE_MS and its heartbeat falls
 *   silent as long, and the survivors take its users at their next heartbeat, within a minute.
 *   A process that loses the database cannot renew either, and stops reading (below).
 * - A lease is used only while it holds: a request to the calendar service must end (it is
 *   aborted) before the lease lapses, and none starts with less than MIN_REQUEST_MS left, so a
 *   delta link or sync token is never used by two processes at once (clocks agree to well under
 *   a second: NTP). The lease is checked again before a round's link is stored.
 * - A notification or a resync for a user arrives at any process (load balancer): it is handled
 *   where the lease is, sent there over the bus (store/bus.ts), or, when the lease is free,
 *   taken by the receiving process.
 * - A process that starts, or gives leases up, says so over the bus: the others spread the users
 *   again within a fraction of a second instead of at their next heartbeat, so a user given up
 *   is taken by the process it belongs to at once and is never left unread for long.
 * - Gaining a user (at start, a takeover) starts its round at once: notifications sent to a dead
 *   holder are lost, and the round reads what changed since its last delta link.
 *
 * On SQLite there is one process (sqlite-lock.ts): it holds every lease, nothing is stored.
 */
import { hostname } from 'node:os';
import { DAY_MS } from '../../core';
import type { Log, Timers } from '../runtime';
import { userKey, userOfKey } from '../runtime';
import type { BusMessage } from '../store/bus';
import type { EndpointProcess, Store, SyncLease, UserKey, UserRow } from '../store/types';

/** How long a lease holds without renewal. */
export const LEASE_MS = 40_000;
/** How often a process renews its leases and spreads the users. */
export const HEARTBEAT_MS = 10_000;
/** No request to a calendar service starts with less lease than this left. */
export const MIN_REQUEST_MS = 5_000;
/** How soon a heartbeat follows another process's joining or giving leases up. */
const SOON_MS = 200;
/** Processes silent this long are forgotten (the admin console lists the others). */
const FORGET_AFTER_MS = 24 * 3_600_000;

export type SyncSourceName = 'graph' | 'google';

/** What a sync (calendar/sync.ts, google/sync.ts) gives the leases. */
export interface LeaseSource {
  name: SyncSourceName;
  /** Whether it reads this user's calendar (of the users stored; one list serves every source). */
  reads(user: UserRow): boolean;
  /** Whether the user's round or other work is under way here (its lease is then kept until it ends). */
  busy(user: UserKey): boolean;
  /** A request for this user (a notification's kind, or 'resync') to act on here. */
  handle(user: UserKey, kind: string, at: number): void;
  /** Users this process has just taken: read them now. */
  gained(users: UserKey[]): void;
}

/** The lease of a user as the admin console shows it. */
export interface LeaseView {
  owner: string | null;
  expiresAt: number | null;
}

export interface SyncLeasesOptions {
  store: Store;
  /** This process's name (the scheduler's owner, so one name per process everywhere). */
  owner: string;
  clock: () => number;
  timers: Timers;
  log: Log;
  leaseMs?: number;
  heartbeatMs?: number;
  /** Whether other processes may share the database (default: on PostgreSQL); false holds every lease without storing any. */
  shared?: boolean;
}

/**
 * The rendezvous hash: 32-bit FNV-1a, then murmur3's final mix (FNV alone spreads names that
 * differ only in their last characters, as `user-1` … `user-20`, unevenly). Fast, and the same in
 * every process.
 */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The process a user of a source belongs to, among `owners` (rendezvous hashing). */
export function belongsTo(owners: readonly string[], source: string, user: UserKey): string | null {
  let best: string | null = null;
  let bestScore = -1;
  const key = `${source}\u0000${userKey(user)}`;
  for (const o of owners) {
    const score = hash32(`${o}\u0000${key}`);
    if (score > bestScore || (score === bestScore && best !== null && o < best)) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

export class SyncLeases {
  readonly shared: boolean;
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly sources = new Map<string, LeaseSource>();
  /** Per source: the users whose lease this process holds, and until when. */
  private readonly held = new Map<string, Map<string, number>>();
  private timer: unknown = null;
  private running = false;
  private beat: Promise<void> | null = null;
  /** A heartbeat asked for (heartbeat()) while one ran: it follows that one. */
  private nextBeat: Promise<void> | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  /** During the first heartbeat: users taken are read by the first poll round, not as gained. */
  private quiet = false;
  /** A heartbeat was asked for while one ran. */
  private beatAgain = false;
  /** Heartbeats so far, and the last one's outcome (tests and the admin console read them). */
  readonly counts = { beats: 0, failed: 0, gained: 0, released: 0 };
  private readonly startedAt: number;

  constructor(private readonly o: SyncLeasesOptions) {
    this.shared = o.shared ?? o.store.dialect === 'postgres';
    this.owner = o.owner;
    this.leaseMs = o.leaseMs ?? LEASE_MS;
    this.heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
    this.startedAt = o.clock();
  }

  register(source: LeaseSource): void {
    this.sources.set(source.name, source);
    this.held.set(source.name, new Map());
  }

  /** Whether this process may read the user's calendar of `source` now (with `marginMs` of lease left). */
  holds(source: SyncSourceName, user: UserKey, marginMs = 0): boolean {
    if (!this.shared) return true;
    const until = this.held.get(source)?.get(userKey(user));
    return until !== undefined && until - this.o.clock() > marginMs;
  }

  /** The instant a request for the user must have ended by (Infinity on SQLite); throws when too little lease is left. */
  deadline(source: SyncSourceName, user: UserKey): number {
    if (!this.shared) return Infinity;
    const until = this.held.get(source)?.get(userKey(user)) ?? 0;
    if (until - this.o.clock() < MIN_REQUEST_MS) throw new LeaseLost(source, user);
    return until - 1_000;
  }

  /**
   * Starts the heartbeat: the first at once and awaited, so the first poll round (started next)
   * reads the users it took; so those are not reported as gained.
   */
  async start(): Promise<void> {
    if (this.running || !this.shared) return;
    this.running = true;
    this.unsubscribe = this.o.store.bus.subscribe((m) => this.onMessage(m));
    this.quiet = true;
    try {
      await this.heartbeat();
    } finally {
      this.quiet = false;
    }
    // The others give up this process's share at once, not at their next heartbeat.
    await this.announce('joined');
  }

  /** Tells the other processes to spread the users again now (a process joined, leases were given up). */
  private async announce(event: 'joined' | 'released'): Promise<void> {
    await this.o.store.bus.publish({ topic: 'leases', from: this.owner, event }).catch((err: Error) => this.o.log.warn({ err: { message: err.message } }, 'telling the other processes of a lease change failed'));
  }

  /** A heartbeat soon (another process joined or gave leases up); one already under way runs once more. */
  private soon(): void {
    if (!this.running) return;
    if (this.beat) {
      this.beatAgain = true;
      return;
    }
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = null;
      void this.heartbeat();
    }, SOON_MS);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await (this.nextBeat ?? this.beat);
    if (!this.shared) return;
    // Another process may take them now instead of when they lapse.
    for (const m of this.held.values()) m.clear();
    for (const source of this.sources.keys()) await this.o.store.releaseLeases(this.owner, source).catch(() => undefined);
    await this.o.store.removeProcesses({ owner: this.owner }).catch(() => undefined);
    // The others spread the users over themselves now, not at their next heartbeat.
    await this.announce('released');
  }

  /**
   * One heartbeat now (tests call it; it also runs every heartbeatMs). One under way may have
   * read the processes alive before what the caller waits for (another process stopping), so a
   * fresh one follows it and the promise is that one's.
   */
  heartbeat(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.beat) {
      return (this.nextBeat ??= this.beat.then(() => {
        this.nextBeat = null;
        return this.heartbeat();
      }));
    }
    this.beat = this.runBeat().finally(() => {
      this.beat = null;
      if (this.running && this.shared) {
        if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
        const again = this.beatAgain;
        this.beatAgain = false;
        this.timer = this.o.timers.setTimeout(() => {
          this.timer = null;
          void this.heartbeat();
        }, again ? SOON_MS : this.heartbeatMs);
      }
    });
    return this.beat;
  }

  private async runBeat(): Promise<void> {
    const { store, log } = this.o;
    this.counts.beats++;
    let released = false;
    try {
      const now = this.o.clock();
      const until = now + this.leaseMs;
      await store.heartbeatProcess({ owner: this.owner, host: hostname(), pid: process.pid }, now);
      const renewed = await store.renewLeases(this.owner, [...this.sources.keys()], until);
      // What the database says this process holds (a lease taken away, e.g. after this process
      // stalled past its lapse, is dropped here).
      for (const m of this.held.values()) m.clear();
      for (const l of renewed) this.held.get(l.source)?.set(userKey(l), until);
      const alive = (await store.listProcesses(now - this.leaseMs)).map((p) => p.owner);
      if (!alive.includes(this.owner)) alive.push(this.owner);
      const stored = await store.listUsers();
      for (const source of this.sources.values()) {
        const mine = this.held.get(source.name)!;
        const users = stored.filter((u) => source.reads(u));
        const want: UserKey[] = [];
        const wanted = new Set<string>();
        for (const u of users) {
          if (belongsTo(alive, source.name, u) !== this.owner) continue;
          wanted.add(userKey(u));
          if (!mine.has(userKey(u))) want.push(u);
        }
        const release = [...mine.keys()].filter((k) => !wanted.has(k) && !source.busy(userOfKey(k))).map(userOfKey);
        if (release.length > 0) {
          for (const u of release) mine.delete(userKey(u));
          await store.releaseLeases(this.owner, source.name, release);
          this.counts.released += release.length;
          log.info({ source: source.name, users: release.length }, 'calendar leases given up to another process');
          released = true;
        }
        if (want.length > 0) {
          const taken = await store.claimLeases(source.name, want, this.owner, now, until);
          for (const u of taken) mine.set(userKey(u), until);
          if (taken.length > 0) {
            this.counts.gained += taken.length;
            log.info({ source: source.name, users: taken.length }, 'calendar leases taken');
            if (!this.quiet) source.gained(taken);
          }
        }
      }
      if (now - FORGET_AFTER_MS > 0) await store.removeProcesses({ before: now - FORGET_AFTER_MS });
      // The processes they belong to take them now rather than at their next heartbeat.
      if (released) await this.announce('released');
    } catch (err) {
      this.counts.failed++;
      log.warn({ err: { message: (err as Error).message } }, 'calendar lease heartbeat failed; leases lapse unless renewed');
    }
  }

  /**
   * A request for a user's sync (a notification, a resync) received by this process: handled
   * here when this process holds the lease or takes it (free or lapsed), else sent to the holder.
   */
  async dispatch(source: SyncSourceName, user: UserKey, kind: string, at: number): Promise<void> {
    const s = this.sources.get(source);
    if (!s) return;
    if (this.holds(source, user, MIN_REQUEST_MS)) return s.handle(user, kind, at);
    const now = this.o.clock();
    const lease = await this.o.store.getLease(source, user);
    if (!lease || lease.expiresAt <= now || lease.owner === this.owner) {
      const taken = await this.o.store.claimLeases(source, [user], this.owner, now, now + this.leaseMs);
      if (taken.length > 0) {
        this.held.get(source)!.set(userKey(user), now + this.leaseMs);
        return s.handle(user, kind, at);
      }
    }
    await this.o.store.bus.publish({ topic: 'sync', from: this.owner, source, tid: user.tid, oid: user.oid, kind, at });
  }

  private onMessage(m: BusMessage): void {
    if (m.from === this.owner) return;
    if (m.topic === 'leases') return this.soon();
    if (m.topic !== 'sync') return;
    const source = m.source as SyncSourceName;
    const user = { tid: String(m.tid), oid: String(m.oid) };
    // Only the holder acts; a lease that moved since was read afresh by its new holder's round.
    if (this.sources.has(source) && this.holds(source, user)) this.sources.get(source)!.handle(user, String(m.kind), Number(m.at) || this.o.clock());
  }

  /**
   * Who reads which calendar, for the admin console: per source and user the process holding the
   * lease now (null: none; on SQLite always this one), and the processes alive.
   */
  async view(): Promise<{ holder: (source: SyncSourceName, user: UserKey) => LeaseView; processes: EndpointProcess[] }> {
    const now = this.o.clock();
    if (!this.shared) {
      const self: EndpointProcess = { owner: this.owner, host: hostname(), pid: process.pid, startedAt: this.startedAt, heartbeatAt: now };
      return { holder: () => ({ owner: this.owner, expiresAt: null }), processes: [self] };
    }
    const [leases, processes] = await Promise.all([this.o.store.listLeases(), this.o.store.listProcesses(now - this.leaseMs)]);
    const live = new Map(leases.filter((l: SyncLease) => l.expiresAt > now).map((l) => [`${l.source}\u0000${userKey(l)}`, { owner: l.owner, expiresAt: l.expiresAt }]));
    return { holder: (source, user) => live.get(`${source}\u0000${userKey(user)}`) ?? { owner: null, expiresAt: null }, processes };
  }
}

/**
 * The daily directory run due at `due` (issue 18): taken by the first process to claim it (a
 * lease of source 'directory' kept two days, so a process whose clock runs late cannot take it
 * again); the runs whose lease has lapsed are forgotten then, so the rows do not pile up.
 */
export async function claimDailyRun(store: Store, owner: string, now: number, due: number): Promise<boolean> {
  const taken = await store.claimLeases('directory', [{ tid: 'daily', oid: String(due) }], owner, now, due + 2 * DAY_MS);
  if (taken.length > 0) await store.purgeLeases('directory', now);
  return taken.length > 0;
}

/** The leases of a process alone on its database (and of a sync built without any): it holds every lease, stores none. */
export function soloLeases(o: Pick<SyncLeasesOptions, 'store' | 'clock' | 'timers' | 'log'>): SyncLeases {
  return new SyncLeases({ ...o, owner: 'this-process', shared: false });
}

/** A request refused because this process no longer holds the user's lease (another may). */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
  constructor(
    readonly source: string,
    user: UserKey,
  ) {
    super(`the ${source} calendar lease of ${user.oid} is not held by this process`);
  }
}
