/**
 * The delivery outbox (SPEC 11): claims due deliveries from the store, sends them through the
 * connector with at most `concurrency` requests in flight, records successes in batches and
 * failures with backoff. One delivery per extension at a time, across processes too: a claimed
 * extension is not offered again until its delivery is recorded, so a newer version waits for
 * the one in flight and an older version is never acknowledged after a newer one.
 *
 * A connector with `applyBatch` and `batchSize` > 1 (issue 16) gets up to `batchSize`
 * deliveries per request; each item's result is recorded on its own, so a failed item is retried
 * alone (with its own backoff) and never holds up the others.
 */
import type { Delivery, DeliveryResult, SwitchConnector } from '../connectors/types';
import type { Log } from '../runtime';
import type { Store, SwitchStateRow } from '../store/types';

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/** Successful deliveries recorded together at most (one transaction). */
const ACK_BATCH = 256;

/** Exponential backoff with ±20% jitter, capped at 5 minutes; a Retry-After is a floor. */
export function backoffMs(attempts: number, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts, 20));
  const jittered = Math.min(BACKOFF_CAP_MS, Math.round(exp * (0.8 + 0.4 * random())));
  return Math.max(jittered, Math.min(BACKOFF_CAP_MS, retryAfterMs ?? 0));
}

export const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export interface OutboxOptions {
  store: Store;
  connector: SwitchConnector;
  clock: () => number;
  random: () => number;
  log: Log;
  /** Requests in flight at once (each carries one delivery, or one batch). */
  concurrency: number;
  owner: string;
  leaseMs: number;
  /** Work started here, for the scheduler's idle() and stop(). */
  track(p: Promise<void>): void;
  stopped(): boolean;
  /** After a failure: its retry time must be in the scheduler's next wake-up. */
  failed(): void;
}

export class Outbox {
  private readonly batchSize: number;
  /** Extensions being delivered by this process. */
  private readonly inFlight = new Set<string>();
  private requests = 0;
  /** Claimed by this process and waiting for a free request slot. */
  private readonly queue: SwitchStateRow[] = [];
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  /** Successes not recorded yet. */
  private acks: { extension: string; version: number; at: number }[] = [];
  private ackWrite: Promise<void> | null = null;

  constructor(private readonly o: OutboxOptions) {
    const size = o.connector.applyBatch ? (o.connector.batchSize ?? 1) : 1;
    this.batchSize = Math.max(1, Math.floor(size));
  }

  /** Whether anything is still starting or waiting to be recorded (idle() loops on it). */
  busy(): boolean {
    return this.pumping !== null || this.acks.length > 0 || this.ackWrite !== null;
  }

  /** What to wait for before looking again. */
  waits(): Promise<unknown>[] {
    return [this.pumping, this.ackWrite].filter((p) => p !== null);
  }

  /** Fills the free request slots: from the rows this process has claimed, claiming more when they run out. */
  pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        try {
          while (!this.o.stopped() && this.requests < this.o.concurrency) {
            if (this.queue.length === 0) {
              // Up to one round ahead: claims must not lapse while they wait here.
              const rows = await this.o.store.claimDeliveries(this.o.clock(), 2 * (this.o.concurrency - this.requests) * this.batchSize, this.o.owner, this.o.leaseMs);
              if (rows.length === 0) break;
              this.queue.push(...rows);
            }
            const batch = this.takeBatch();
            if (batch.length > 0) this.launch(batch);
          }
        } catch (err) {
          this.o.log.error({ err: { message: (err as Error).message } }, 'starting deliveries failed');
        }
      } while (this.pumpAgain && !this.o.stopped());
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  /**
   * Up to batchSize queued rows that may go now. A row whose extension is already being
   * delivered here (its claim lapsed under a very slow switch), or whose claim lapsed while it
   * waited, is left for the next claim. Never two rows of one extension in one batch.
   */
  private takeBatch(): SwitchStateRow[] {
    const batch: SwitchStateRow[] = [];
    const now = this.o.clock();
    while (batch.length < this.batchSize && this.queue.length > 0) {
      const row = this.queue.shift()!;
      if (this.inFlight.has(row.extension) || (row.claimedUntil !== null && row.claimedUntil <= now)) continue;
      this.inFlight.add(row.extension);
      batch.push(row);
    }
    return batch;
  }

  private launch(rows: SwitchStateRow[]): void {
    this.requests++;
    const p = this.deliver(rows).finally(() => {
      this.requests--;
      for (const r of rows) this.inFlight.delete(r.extension);
      if (!this.o.stopped()) void this.pump();
    });
    this.o.track(p);
  }

  private async deliver(rows: SwitchStateRow[]): Promise<void> {
    const sentAt = new Date(this.o.clock()).toISOString();
    const deliveries: Delivery[] = rows.map((r) => ({ extension: r.extension, version: r.version, state: r.state as never, sentAt }));
    const results = await this.send(deliveries);
    const now = this.o.clock();
    const failures: { row: SwitchStateRow; result: Extract<DeliveryResult, { ok: false }> }[] = [];
    rows.forEach((row, i) => {
      const result = results[i]!;
      if (result.ok) this.ack(row.extension, row.version, now);
      else failures.push({ row, result });
    });
    if (rows.length === 1 && failures.length === 0) this.o.log.info({ extension: rows[0]!.extension, version: rows[0]!.version, connector: this.o.connector.name }, 'state delivered');
    else if (failures.length < rows.length) this.o.log.info({ delivered: rows.length - failures.length, connector: this.o.connector.name }, 'states delivered');
    if (failures.length === 0) return;
    await this.o.store.recordDeliveries(
      failures.map(({ row, result }) => ({
        extension: row.extension,
        version: row.version,
        outcome: { ok: false as const, permanent: result.permanent, error: result.error, nextAttemptAt: result.permanent ? null : now + backoffMs(row.attempts, this.o.random, result.retryAfterMs) },
      })),
      this.o.owner,
    );
    for (const { row, result } of failures) (result.permanent ? this.o.log.error : this.o.log.warn)({ extension: row.extension, version: row.version, error: result.error, permanent: result.permanent }, 'delivery failed');
    if (!this.o.stopped()) this.o.failed();
  }

  /** One result per delivery; a connector that throws, or answers a batch with the wrong count, fails them all (retryable). */
  private async send(deliveries: Delivery[]): Promise<DeliveryResult[]> {
    const c = this.o.connector;
    try {
      if (deliveries.length > 1 && c.applyBatch) {
        const results = await c.applyBatch(deliveries);
        if (results.length !== deliveries.length) throw new Error(`the connector answered ${results.length} results for ${deliveries.length} deliveries`);
        return results;
      }
      return [await c.apply(deliveries[0]!)];
    } catch (err) {
      return deliveries.map(() => ({ ok: false as const, permanent: false, error: (err as Error).message }));
    }
  }

  /** Records a success soon, together with others (the claim holds until then). */
  private ack(extension: string, version: number, at: number): void {
    this.acks.push({ extension, version, at });
    if (this.acks.length >= ACK_BATCH) {
      this.o.track(this.writeAcks());
    } else if (this.acks.length === 1) {
      this.o.track(yieldToEventLoop().then(() => this.writeAcks()));
    }
  }

  async writeAcks(): Promise<void> {
    while (this.ackWrite) await this.ackWrite;
    if (this.acks.length === 0) return;
    const batch = this.acks;
    this.acks = [];
    this.ackWrite = (async () => {
      try {
        // In extension order, as recomputes lock rows: two transactions never wait on each other in a circle.
        const sorted = [...batch].sort((x, y) => (x.extension < y.extension ? -1 : x.extension > y.extension ? 1 : x.version - y.version));
        await this.o.store.recordDeliveries(sorted.map((a) => ({ extension: a.extension, version: a.version, outcome: { ok: true as const, at: a.at } })), this.o.owner);
      } catch (err) {
        // Not recorded: the claims lapse and these states are sent again, which is harmless.
        this.o.log.error({ deliveries: batch.length, err: { message: (err as Error).message } }, 'recording deliveries failed');
      }
    })().finally(() => {
      this.ackWrite = null;
    });
    await this.ackWrite;
    // Freed claims: newer versions of these extensions may be waiting.
    if (!this.o.stopped()) void this.pump();
  }

  /** At stop: claimed but never started, freed for another process now rather than at the lapse. */
  async releaseQueued(): Promise<void> {
    if (this.queue.length === 0) return;
    this.queue.length = 0;
    await this.o.store.releaseClaims(this.o.owner);
  }
}
