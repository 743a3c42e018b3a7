/** The journal connector (the embedded default): one entry per delivery; a batch in one transaction (issue 16). */
import { JournalConnector } from '../../../src/server/connectors/journal';
import type { Delivery } from '../../../src/server/connectors/types';
import { openStore } from '../../../src/server/store/open';
import type { Store } from '../../../src/server/store/types';

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(() => store.close());

const d = (extension: string, version: number): Delivery => ({ extension, version, state: null, sentAt: '2026-12-03T11:00:00.000Z' });

test('a batch: every entry, with one time, newest first in the journal', async () => {
  const j = new JournalConnector(store, () => Date.parse('2026-12-03T12:00:00Z'));
  expect(j.batchSize).toBeGreaterThan(1);
  expect(await j.applyBatch([d('1021', 2), d('1022', 5), d('1023', 1)])).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  const entries = await store.listJournal(10);
  expect(entries.map((e) => `${e.extension}:${e.version}`).sort()).toEqual(['1021:2', '1022:5', '1023:1']);
  expect(new Set(entries.map((e) => e.at))).toEqual(new Set([Date.parse('2026-12-03T12:00:00Z')]));
});

test('a batch is one transaction: when one write fails, none is kept and the call throws (the outbox retries all)', async () => {
  const j = new JournalConnector(store);
  const real = store.transaction.bind(store);
  jest.spyOn(store, 'transaction').mockImplementation((fn) =>
    real(async (tx) => {
      let n = 0;
      const append = tx.appendJournal.bind(tx);
      tx.appendJournal = async (e) => {
        if (++n === 2) throw new Error('disk full');
        return append(e);
      };
      return fn(tx);
    }),
  );
  await expect(j.applyBatch([d('1021', 2), d('1022', 5)])).rejects.toThrow('disk full');
  jest.restoreAllMocks();
  expect(await store.listJournal(10)).toEqual([]);
});
