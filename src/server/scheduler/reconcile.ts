/**
 * Reconciliation (SPEC 11, issue 15): for a connector that can read the switch back
 * (`SwitchConnector.readBack`), compare what the switch holds with the delivered desired states
 * and deliver again what differs, so a switch that lost its state (a restarted Kamailio starts
 * with an empty table) is back in step without anyone acting. Runs at start, every
 * RECONCILE_SECONDS and when the connector reconnects; passes never overlap.
 *
 * Only extensions with a switch_state row whose current version is delivered are compared
 * (a pending or failing delivery is the outbox's business and is not sent twice):
 * - desired state non-null, the switch holds another version or nothing → deliver again;
 * - desired state null, the switch holds an entry of ours → deliver again (the delete);
 * - entries the connector does not recognise as its own, and extensions without a row, are
 *   never touched (readBack leaves foreign entries out; rows are what we compare from).
 * "Deliver again" marks the row undelivered (Store.markForRedelivery), so the outbox sends the
 * current version with its usual claims, retries and backoff.
 */
import type { SwitchConnector } from '../connectors/types';
import type { Log, Timers } from '../runtime';
import type { Store } from '../store/types';

export interface ReconcileSettings {
  /** Milliseconds between passes; 0: reconciliation is off (RECONCILE_SECONDS=0). */
  intervalMs: number;
  /** After each pass that read the switch: how many states were marked to be delivered again (a metric). */
  onPass?: (r: ReconcileResult) => void;
}

export interface ReconcileResult {
  /** Entries of ours the switch holds. */
  held: number;
  /** Extensions marked to be delivered again. */
  resent: number;
}

export interface ReconcilerOptions {
  store: Store;
  connector: SwitchConnector;
  timers: Timers;
  log: Log;
  settings: ReconcileSettings;
  /** Starts the deliveries that became due (Scheduler.runDue). */
  deliver: () => unknown;
}

/** Which extensions to deliver again, given the rows and what the switch holds (pure; see the header). */
export function toResend(
  rows: readonly { extension: string; version: number; deliveredVersion: number; state: unknown }[],
  held: ReadonlyMap<string, number>,
): { extension: string; version: number }[] {
  const out: { extension: string; version: number }[] = [];
  for (const r of rows) {
    if (r.deliveredVersion !== r.version) continue;
    const holds = held.get(r.extension);
    const differs = r.state === null ? holds !== undefined : holds !== r.version;
    if (differs) out.push({ extension: r.extension, version: r.version });
  }
  return out;
}

export class Reconciler {
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private started = false;

  constructor(private readonly o: ReconcilerOptions) {}

  /** Whether this connector and these settings reconcile at all. */
  static enabled(connector: SwitchConnector, settings: ReconcileSettings | undefined): settings is ReconcileSettings {
    return settings !== undefined && settings.intervalMs > 0 && typeof connector.readBack === 'function';
  }

  /** The first pass now (not awaited by the scheduler's start), then every interval and on reconnect. */
  start(): Promise<void> {
    if (this.started) return this.run();
    this.started = true;
    this.o.connector.onReconnect?.(() => {
      this.o.log.info({ connector: this.o.connector.name }, 'switch reachable again; reconciling');
      void this.run();
    });
    return this.run();
  }

  /** Runs a pass now, or, when one is under way, once more after it. Resolves when done. */
  run(): Promise<void> {
    if (!this.started || this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = null;
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
      this.arm();
    });
    return this.running;
  }

  /** Waits for the pass under way, if any (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = null;
      void this.run();
    }, this.o.settings.intervalMs);
  }

  /** One comparison; a failure is logged (never with phone numbers) and the next tick tries again. */
  private async pass(): Promise<ReconcileResult | null> {
    const { store, connector, log } = this.o;
    try {
      // The rows first, then the switch: a delivery recorded in between makes the row's version
      // newer than the one compared, and markForRedelivery skips it (at worst one harmless re-send).
      const rows = await store.listSwitchStates();
      const held = await connector.readBack!();
      const marked = await store.markForRedelivery(toResend(rows, held));
      const result = { held: held.size, resent: marked };
      if (marked > 0) {
        log.info({ connector: connector.name, held: held.size, resent: marked }, 'reconciliation: states differing on the switch are delivered again');
        await this.o.deliver();
      }
      this.o.settings.onPass?.(result);
      return result;
    } catch (err) {
      log.warn({ connector: connector.name, err: { message: (err as Error).message } }, 'reconciliation failed; trying again at the next interval');
      return null;
    }
  }
}

/** The reconciler for the scheduler, started; null when the connector cannot read back or it is off. */
export function startReconciler(o: Omit<ReconcilerOptions, 'settings'> & { settings?: ReconcileSettings }): Reconciler | null {
  if (!Reconciler.enabled(o.connector, o.settings)) return null;
  const r = new Reconciler({ ...o, settings: o.settings });
  void r.start();
  return r;
}
