/**
 * Scheduler and delivery outbox (SPEC 9, 11): per extension, the desired switch state with a
 * version that only grows and its next boundary; a timer wakes at the earliest boundary or retry
 * (never by polling every extension), recomputes what is due, and delivers the newest version of
 * each extension through the connector, with exponential backoff and jitter for transient
 * failures. The clock and timers are injected: tests step them across boundaries and DST.
 * Not yet: claiming work across several processes on PostgreSQL (FOR UPDATE SKIP LOCKED), and
 * refusing a second process on one SQLite file.
 */
import { nextBoundary } from '../../core';
import { type SwitchConnector, switchState } from '../connectors/types';
import type { Service } from '../service';
import type { Store } from '../store/types';

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

export interface SchedulerOptions {
  service: Service;
  store: Store;
  connector: SwitchConnector;
  clock: () => number;
  timers?: Timers;
  /** Deliveries in flight at once. */
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
  log?: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };
}

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** Exponential backoff with ±20% jitter, capped at 5 minutes; a Retry-After is a floor. */
export function backoffMs(attempts: number, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts, 20));
  const jittered = Math.min(BACKOFF_CAP_MS, Math.round(exp * (0.8 + 0.4 * random())));
  return Math.max(jittered, Math.min(BACKOFF_CAP_MS, retryAfterMs ?? 0));
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class Scheduler {
  private readonly timers: Timers;
  private readonly concurrency: number;
  private readonly maxSleepMs: number;
  private readonly random: () => number;
  private readonly log: NonNullable<SchedulerOptions['log']>;
  private timer: unknown = null;
  private running = false;
  private stopped = false;
  private pass: Promise<void> | null = null;
  private again = false;
  private readonly inFlight = new Set<string>();
  private readonly pending = new Set<string>();
  private flush: Promise<void> | null = null;
  private readonly deliveries = new Set<Promise<void>>();

  constructor(private readonly o: SchedulerOptions) {
    this.timers = o.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.concurrency = o.concurrency ?? 8;
    this.maxSleepMs = o.maxSleepMs ?? 60_000;
    this.random = o.random ?? Math.random;
    this.log = o.log ?? silent;
  }

  /** On start-up every extension is recomputed: the switch gets the state that holds now, not a replay. */
  async start(): Promise<void> {
    this.running = true;
    const linked = await this.o.store.listExtensions();
    const known = (await this.o.store.listSwitchStates()).map((r) => r.extension);
    for (const ext of new Set([...linked, ...known])) await this.recompute(ext);
    await this.runDue();
  }

  async stop(): Promise<void> {
    await this.flush;
    this.stopped = true;
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
    await Promise.all([...this.deliveries]);
  }

  /** Recomputes one extension's desired state now; returns its version and whether it changed. */
  async recompute(extension: string): Promise<{ version: number; changed: boolean }> {
    const now = this.o.clock();
    const { state, activities, org } = await this.o.service.extensionState(extension, now);
    const desired = switchState(state, now, org.calendar.zone, org.settings.language);
    const result = await this.o.store.putDesiredState(extension, desired, nextBoundary(activities, now), now);
    if (result.changed) this.log.info({ extension, version: result.version, code: desired?.code ?? null }, 'desired state changed');
    return result;
  }

  /** Something changed for these extensions (a booking, an activity, settings): apply it soon. */
  changed(...extensions: (string | null | undefined)[]): Promise<void> {
    if (!this.running) return Promise.resolve();
    for (const e of extensions) if (typeof e === 'string' && e !== '') this.pending.add(e);
    if (this.flush) return this.flush;
    const coalesceMs = this.o.coalesceMs ?? 250;
    const p: Promise<void> = new Promise<void>((resolve) => {
      const go = () => {
        const run = this.recomputePending();
        // Running work is tracked with the deliveries, so idle() and stop() wait for it.
        this.deliveries.add(run);
        void run.finally(() => this.deliveries.delete(run));
        resolve(run);
      };
      if (coalesceMs > 0) this.timers.setTimeout(go, coalesceMs);
      else go();
    }).finally(() => {
      this.flush = null;
    });
    this.flush = p;
    return p;
  }

  private async recomputePending(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const batch = [...this.pending];
      this.pending.clear();
      for (const ext of batch) {
        try {
          await this.recompute(ext);
        } catch (err) {
          this.log.error({ extension: ext, err: { message: (err as Error).message } }, 'recompute failed');
        }
        // Let waiting requests in between: a large batch must not stall the API.
        await new Promise<void>((r) => setImmediate(r));
      }
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
      do {
        this.again = false;
        try {
          const now = this.o.clock();
          for (const ext of await this.o.store.dueForRecompute(now)) await this.recompute(ext);
          await this.startDeliveries();
        } catch (err) {
          this.log.error({ err: { message: (err as Error).message } }, 'scheduler pass failed');
        }
        // A delivery that ended while sleep() was reading the next wake asked for another pass
        // (runDue saw this pass still running): honour it instead of sleeping up to maxSleepMs.
        if (!this.again) await this.sleep();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  /** Waits until every recompute and delivery started so far has finished (tests use this). */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0 || this.pass) {
      await Promise.all([...this.deliveries, this.pass]);
    }
  }

  /** Also waits for changes still gathering (with real timers: at most coalesceMs). */
  async drained(): Promise<void> {
    while (this.flush || this.deliveries.size > 0 || this.pass) {
      await Promise.all([this.flush, ...this.deliveries, this.pass]);
    }
  }

  private async startDeliveries(): Promise<void> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const rows = await this.o.store.dueForDelivery(this.o.clock(), free + this.inFlight.size);
    for (const row of rows) {
      if (this.inFlight.size >= this.concurrency) break;
      // One delivery per extension at a time: a newer version waits for the one in flight, so an
      // older version is never acknowledged after a newer one.
      if (this.inFlight.has(row.extension)) continue;
      this.inFlight.add(row.extension);
      const p = this.deliver(row.extension, row.version, row.state, row.attempts).finally(() => {
        this.inFlight.delete(row.extension);
        this.deliveries.delete(p);
        if (!this.stopped) void this.runDue();
      });
      this.deliveries.add(p);
    }
  }

  private async deliver(extension: string, version: number, state: unknown, attempts: number): Promise<void> {
    const sentAt = new Date(this.o.clock()).toISOString();
    let result;
    try {
      result = await this.o.connector.apply({ extension, version, state: state as never, sentAt });
    } catch (err) {
      result = { ok: false as const, permanent: false, error: (err as Error).message };
    }
    const now = this.o.clock();
    if (result.ok) {
      await this.o.store.recordDelivery(extension, version, { ok: true, at: now });
      this.log.info({ extension, version, connector: this.o.connector.name }, 'state delivered');
      return;
    }
    const nextAttemptAt = result.permanent ? null : now + backoffMs(attempts, this.random, result.retryAfterMs);
    await this.o.store.recordDelivery(extension, version, { ok: false, permanent: result.permanent, error: result.error, nextAttemptAt });
    (result.permanent ? this.log.error : this.log.warn)({ extension, version, error: result.error, permanent: result.permanent }, 'delivery failed');
  }

  private async sleep(): Promise<void> {
    if (this.stopped || !this.running) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    const now = this.o.clock();
    // What is due now was handled by this pass or is in flight (whose end starts a new pass).
    const wake = await this.o.store.nextWake(now);
    const ms = Math.max(0, Math.min(this.maxSleepMs, wake === null ? this.maxSleepMs : wake - now));
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.runDue();
    }, ms);
  }
}
