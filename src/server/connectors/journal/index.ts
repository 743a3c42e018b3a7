/**
 * The embedded default when no switch is configured: each delivered state is recorded in the
 * database, so `npm start` works on its own and an admin can see what the switch would have
 * received (GET /api/v1/admin/switch).
 */
import type { Store } from '../../store/types';
import { type Delivery, type DeliveryResult, defineConnector, type SwitchConnector } from '../types';

export class JournalConnector implements SwitchConnector {
  readonly name = 'journal';
  /** A database write: claims on its deliveries lapse quickly after a crash. */
  readonly timeoutMs = 1_000;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A burst is written a batch at a time, each in one transaction (issue 16). */
  readonly batchSize = 500;

  async apply(d: Delivery): Promise<DeliveryResult> {
    await this.store.appendJournal({ extension: d.extension, version: d.version, state: d.state, at: this.clock() });
    return { ok: true };
  }

  async applyBatch(ds: Delivery[]): Promise<DeliveryResult[]> {
    const at = this.clock();
    await this.store.transaction(async (tx) => {
      for (const d of ds) await tx.appendJournal({ extension: d.extension, version: d.version, state: d.state, at });
    });
    return ds.map(() => ({ ok: true as const }));
  }
}

/** The registry's entry (CONNECTOR=journal, the default): no settings of its own. */
export const JOURNAL = defineConnector({
  env: {},
  settings: () => ({ name: 'journal' as const }),
  create: (_settings, { store, clock }) => new JournalConnector(store, clock),
});
