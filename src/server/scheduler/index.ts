/**
 * Scheduler and delivery outbox (SPEC 9, 11): per extension, the desired switch state with a
 * version that only grows and its next boundary; a timer wakes at the earliest boundary or retry
 * (never by polling every extension), recomputes what is due, and delivers the newest version of
 * each extension through the connector, with exponential backoff and jitter for transient
 * failures. The clock and timers are injected: tests step them across boundaries and DST.
 * Several processes may share one PostgreSQL: each claims due deliveries for a lease (FOR UPDATE
 * SKIP LOCKED, see Store.claimDeliveries), so one state is delivered by one process at a time.
 * On SQLite one process runs (sqlite-lock.ts), so start-up ends whatever claims a crash left.
 *
 * For bursts (50,000 lunches at 12:00): the state that will hold at an extension's next
 * boundary is computed ahead, as soon as the boundary is within `precomputeMs` (a pending
 * transition, stored with the state); at the instant the pending states are promoted, 500 to a
 * statement, and delivered (outbox.ts) after each slice. Only extensions without one are
 * recomputed then, in chunks written in one transaction each, deliveries starting while later
 * chunks are computed. A crash before a success is recorded only means that state is sent
 * again, which is harmless (SPEC 11: level-triggered).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { effectiveState, nextBoundary } from '../../core';
import { type SwitchConnector, switchState } from '../connectors/types';
import { type Log, realTimers, silentLog, type Timers } from '../runtime';
import type { Service } from '../service';
import { computeStates, type ExtensionState } from '../service/states';
import type { Store } from '../store/types';
import { Outbox, yieldToEventLoop } from './outbox';
import { type ReconcileSettings, type Reconciler, startReconciler } from './reconcile';

export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffMs } from './outbox';

export interface SchedulerOptions {
  service: Service;
  store: Store;
  connector: SwitchConnector;
  clock: () => number;
  timers?: Timers;
  /** Requests to the switch in flight at once (a delivery, or a batch of them). */
  concurrency?: number;
  /** Longest sleep: also how soon changes made by another process are noticed. */
  maxSleepMs?: number;
  /**
   * Changes arriving within this many milliseconds are recomputed together, once per extension
   * (a burst of bookings costs one recompute, and a change still reaches the switch within a
   * second). 0: at once.
   */
  coalesceMs?: number;
  random?: () => number;
  /** This process's name in delivery claims (default: host, pid and a random part). */
  owner?: string;
  /**
   * How long a claim holds: longer than any delivery may take (default: twice the connector's
   * timeout plus 5 s). A process that dies mid-delivery holds its extensions this long.
   */
  leaseMs?: number;
  log?: Log;
  /** Read-back reconciliation (reconcile.ts, issue 15); absent or intervalMs 0: off. */
  reconcile?: ReconcileSettings;
  /**
   * How long before a boundary its state is computed ahead (issue 16; default 15 minutes, 0:
   * off, everything computed at the instant as before).
   */
  precomputeMs?: number;
}

export const PRECOMPUTE_MS = 15 * 60_000;
/** Pending transitions promoted per statement: delivering starts after the first slice. */
const PROMOTE_SLICE = 500;

/** Extensions recomputed and written together (one transaction) in a burst. */
const RECOMPUTE_CHUNK = 50;
export class Scheduler {
  private readonly timers: Timers;
  private readonly maxSleepMs: number;
  private readonly random: () => number;
  private readonly log: Log;
  readonly owner: string;
  private readonly leaseMs: number;
  private timer: unknown = null;
  private running = false;
  private stopped = false;
  private pass: Promise<void> | null = null;
  private again = false;
  private readonly pending = new Set<string>();
  private flush: Promise<void> | null = null;
  /** Runs the coalesced flush now instead of at its timer (stop() uses it: the timer is unref'd). */
  private flushNow: (() => void) | null = null;
  /** Work under way (recomputes, deliveries, recording): idle() and stop() wait for it. */
  private readonly deliveries = new Set<Promise<void>>();
  private readonly outbox: Outbox;
  private readonly precomputeMs: number;
  reconciler: Reconciler | null = null;

  constructor(private readonly o: SchedulerOptions) {
    this.timers = o.timers ?? realTimers;
    this.maxSleepMs = o.maxSleepMs ?? 60_000;
    this.precomputeMs = o.precomputeMs ?? PRECOMPUTE_MS;
    this.random = o.random ?? Math.random;
    this.log = o.log ?? silentLog;
    this.owner = o.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.leaseMs = o.leaseMs ?? 2 * (o.connector.timeoutMs ?? 10_000) + 5_000;
    this.outbox = new Outbox({
      store: o.store,
      connector: o.connector,
      clock: o.clock,
      random: this.random,
      log: this.log,
      concurrency: o.concurrency ?? 8,
      owner: this.owner,
      leaseMs: this.leaseMs,
      track: (p) => this.track(p),
      stopped: () => this.stopped,
      failed: () => void this.runDue(),
    });
  }

  /** On start-up every extension is recomputed: the switch gets the state that holds now, not a replay. */
  async start(): Promise<void> {
    this.running = true;
    // On SQLite this is the only process (the lock file sees to it): claims left by a crash end now.
    if (this.o.store.dialect === 'sqlite') await this.o.store.releaseClaims();
    const linked = await this.o.store.listExtensions();
    const known = await this.o.store.listSwitchStateExtensions();
    await this.recomputeMany([...new Set([...linked, ...known])]);
    await this.runDue();
    this.reconciler = startReconciler({ store: this.o.store, connector: this.o.connector, timers: this.timers, log: this.log, settings: this.o.reconcile, deliver: () => this.runDue() });
  }

  async stop(): Promise<void> {
    // A change coalescing right now is recomputed at once: its timer does not keep the process
    // alive, so waiting for it would let the process exit half-way through closing.
    this.flushNow?.();
    await this.flush;
    this.stopped = true;
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await Promise.all([this.pass, this.reconciler?.stop(), ...this.outbox.waits()]);
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
    await this.outbox.writeAcks();
    await this.outbox.releaseQueued();
  }

  /**
   * The SPEC 11 state of one extension at `now` and when to look again; and when that boundary
   * is within precomputeMs, the state at it, computed now from the same inputs exactly as it
   * would be at the instant (pendingEquivalence in the tests checks this), with the boundary after it.
   */
  private desired(extension: string, x: ExtensionState, now: number) {
    const zone = x.org.calendar.zone;
    const next = nextBoundary(x.activities, now);
    let pending = null;
    if (next !== null && this.precomputeMs > 0 && next - now <= this.precomputeMs) {
      const then = effectiveState(x.activities, next, x.org.catalog);
      pending = { at: next, state: switchState(then, next, zone, x.languageOf(then)), next: nextBoundary(x.activities, next) };
    }
    return { extension, state: switchState(x.state, now, zone, x.language), nextBoundary: next, now, pending };
  }

  /**
   * Recomputes extensions and stores their desired states: the rows are locked, the inputs read
   * and the states written in one transaction, so a recompute that read older bookings can never
   * overwrite one that read newer ones (several processes on PostgreSQL; every change is
   * followed by a recompute in the process that made it, which then sees it).
   */
  private async recomputeLocked(extensions: string[]): Promise<{ version: number; changed: boolean }[]> {
    // One order everywhere, so two processes locking overlapping sets cannot deadlock.
    const sorted = [...new Set(extensions)].sort();
    // The organisation is read before the transaction: the Service reads through its own store,
    // and on SQLite the transaction holds the one connection.
    const org = await this.o.service.org();
    const results = await this.o.store.transaction(async (tx) => {
      await tx.lockSwitchStates(sorted);
      const now = this.o.clock();
      const states = await computeStates(tx, org, sorted, now);
      return tx.putDesiredStates(sorted.map((ext) => this.desired(ext, states.get(ext)!, now)));
    });
    const byExt = new Map(sorted.map((e, i) => [e, results[i]!]));
    return extensions.map((e) => byExt.get(e)!);
  }

  /** Recomputes one extension's desired state now; returns its version and whether it changed. */
  async recompute(extension: string): Promise<{ version: number; changed: boolean }> {
    const [result] = await this.recomputeLocked([extension]);
    if (result!.changed) this.log.info({ extension, version: result!.version }, 'desired state changed');
    return result!;
  }

  /**
   * Recomputes many extensions: in chunks, each read in a few queries and written in one
   * transaction, starting deliveries after every chunk, so in a burst the first states reach
   * the switch while the rest are still being computed. When a chunk fails, its extensions are
   * done one by one, so one bad extension is logged and skipped and the others go on (STYLE 6).
   */
  private async recomputeMany(extensions: string[]): Promise<void> {
    for (let i = 0; i < extensions.length && !this.stopped; i += RECOMPUTE_CHUNK) {
      const chunk = extensions.slice(i, i + RECOMPUTE_CHUNK);
      try {
        const results = await this.recomputeLocked(chunk);
        const changed = results.filter((r) => r.changed).length;
        if (changed > 0) this.log.info({ extensions: chunk.length, changed }, 'desired states recomputed');
      } catch (err) {
        this.log.warn({ extensions: chunk.length, err: { message: (err as Error).message } }, 'recomputing a chunk failed; one by one');
        for (const ext of chunk) {
          try {
            await this.recompute(ext);
          } catch (e) {
            this.log.error({ extension: ext, err: { message: (e as Error).message } }, 'recompute failed');
          }
        }
      }
      if (this.running) await this.outbox.pump();
      // Let requests and answers in between chunks.
      await yieldToEventLoop();
    }
  }

  /** Something changed for these extensions (a booking, an activity, settings): apply it soon. */
  changed(...extensions: (string | null | undefined)[]): Promise<void> {
    if (!this.running) return Promise.resolve();
    for (const e of extensions) if (typeof e === 'string' && e !== '') this.pending.add(e);
    if (this.flush) return this.flush;
    const coalesceMs = this.o.coalesceMs ?? 250;
    const p: Promise<void> = new Promise<void>((resolve) => {
      let handle: unknown = null;
      const go = () => {
        if (this.flushNow !== go) return;
        this.flushNow = null;
        if (handle !== null) this.timers.clearTimeout(handle);
        const run = this.recomputePending();
        this.track(run);
        resolve(run);
      };
      this.flushNow = go;
      if (coalesceMs > 0) handle = this.timers.setTimeout(go, coalesceMs);
      else go();
    }).finally(() => {
      this.flush = null;
    });
    this.flush = p;
    return p;
  }

  private track(p: Promise<void>): void {
    this.deliveries.add(p);
    void p.finally(() => this.deliveries.delete(p));
  }

  private async recomputePending(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const batch = [...this.pending];
      this.pending.clear();
      await this.recomputeMany(batch);
    }
    await this.runDue();
  }

  /** Recomputes what is due and starts the due deliveries; then sleeps until the next wake. */
  runDue(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      // A request that comes while the pass computes its sleep is not lost: it runs the pass again.
      do {
        do {
          this.again = false;
          try {
            // First what was computed ahead: delivering starts before anything is recomputed.
            // Extensions with a change on its way are recomputed instead (their pending may be stale).
            let promoted = 0;
            for (let n = PROMOTE_SLICE; n === PROMOTE_SLICE && !this.stopped; promoted += n) {
              n = await this.o.store.promotePending(this.o.clock(), [...this.pending], PROMOTE_SLICE);
              if (n > 0) await this.outbox.pump();
              // Let the requests just started go out before the next slice (SQLite blocks the loop).
              await yieldToEventLoop();
            }
            if (promoted > 0) this.log.info({ extensions: promoted }, 'states computed ahead now in force');
            await this.recomputeMany(await this.o.store.dueForRecompute(this.o.clock(), this.precomputeMs));
            await this.outbox.pump();
          } catch (err) {
            this.log.error({ err: { message: (err as Error).message } }, 'scheduler pass failed');
          }
        } while (this.again && !this.stopped);
        await this.sleep();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  /** Waits until every recompute and delivery started so far has finished and been recorded (tests use this). */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0 || this.pass || this.outbox.busy()) {
      await Promise.all([...this.deliveries, this.pass, ...this.outbox.waits()]);
      await this.outbox.writeAcks();
    }
  }

  /** Also waits for changes still gathering (with real timers: at most coalesceMs). */
  async drained(): Promise<void> {
    while (this.flush || this.deliveries.size > 0 || this.pass || this.outbox.busy()) {
      await Promise.all([this.flush, ...this.deliveries, this.pass, ...this.outbox.waits()]);
      await this.idle();
    }
  }

  private async sleep(): Promise<void> {
    if (this.stopped || !this.running) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    const now = this.o.clock();
    // What is due now was handled by this pass or is in flight (whose end starts a new pass).
    const wake = await this.o.store.nextWake(now, this.precomputeMs);
    const ms = Math.max(0, Math.min(this.maxSleepMs, wake === null ? this.maxSleepMs : wake - now));
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.runDue();
    }, ms);
  }
}
