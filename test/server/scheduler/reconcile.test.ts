/**
 * Reconciliation (issue 15, scheduler/reconcile.ts): the scheduler compares what a read-back
 * connector's switch holds with the delivered desired states and delivers again what differs.
 * A journal-like fake switch (a map the connector writes and reads back), the fake clock and
 * timers of the scheduler tests, and the store on SQLite and PostgreSQL.
 */
import type { Delivery, DeliveryResult, SwitchConnector } from '../../../src/server/connectors/types';
import type { Log } from '../../../src/server/runtime';
import { Scheduler } from '../../../src/server/scheduler';
import type { ReconcileResult } from '../../../src/server/scheduler/reconcile';
import { Service } from '../../../src/server/service';
import { openStore } from '../../../src/server/store/open';
import type { Store } from '../../../src/server/store/types';
import { IN_CI, postgresAvailability, throwawaySchema } from '../../helpers/postgres';
import { FakeTimers } from '../../helpers/fake-timers';

const TID = '11111111-1111-1111-1111-111111111111';
const MIN = 60_000;
const { unavailable } = postgresAvailability('Reconciliation on PostgreSQL');

/** A switch that keeps what it is told, like the journal, and can be read back. */
class FakeSwitch implements SwitchConnector {
  readonly name = 'fake-switch';
  /** extension → what the switch holds; `ours: false` is an entry someone else put there. */
  held = new Map<string, { version: number; ours: boolean }>();
  received: Delivery[] = [];
  answers: DeliveryResult[] = [];
  readBacks = 0;
  readBackFails = 0;
  private listeners: (() => void)[] = [];
  async apply(d: Delivery): Promise<DeliveryResult> {
    this.received.push(d);
    const a = this.answers.shift() ?? { ok: true };
    if (a.ok) {
      if (d.state === null) this.held.delete(d.extension);
      else this.held.set(d.extension, { version: d.version, ours: true });
    }
    return a;
  }
  async readBack(): Promise<Map<string, number>> {
    this.readBacks++;
    if (this.readBackFails > 0) {
      this.readBackFails--;
      throw new Error('reading back the table failed: Kamailio unreachable');
    }
    return new Map([...this.held].filter(([, v]) => v.ours).map(([e, v]) => [e, v.version]));
  }
  onReconnect(l: () => void): void {
    this.listeners.push(l);
  }
  reconnect(): void {
    for (const l of this.listeners) l();
  }
}

const dialects: [string, boolean, () => Promise<{ store: Store; done: () => Promise<void> }>][] = [
  ['sqlite', false, async () => {
    const store = await openStore(':memory:');
    return { store, done: () => store.close() };
  }],
  ['postgres', unavailable !== null && !IN_CI, async () => {
    if (unavailable !== null) throw new Error(`PostgreSQL is required in CI (CI=true): ${unavailable}`);
    const schema = await throwawaySchema('kk_reconcile_test');
    const store = await openStore(schema.url);
    return { store, done: async () => { await store.close(); await schema.drop(); } };
  }],
];

describe.each(dialects)('%s', (_name, skip, open) => {
  const t = skip ? test.skip : test;
  let store: Store;
  let done: () => Promise<void>;
  let clock: { now: number };
  let timers: FakeTimers;
  let sw: FakeSwitch;
  let service: Service;
  let scheduler: Scheduler;
  let passes: ReconcileResult[];
  let logs: { level: string; o: object; m: string }[];

  const log: Log = {
    info: (o, m) => logs.push({ level: 'info', o, m }),
    warn: (o, m) => logs.push({ level: 'warn', o, m }),
    error: (o, m) => logs.push({ level: 'error', o, m }),
  };
  const make = (intervalMs = MIN) =>
    new Scheduler({ service, store, connector: sw, clock: () => clock.now, timers, random: () => 0.5, coalesceMs: 0, log, reconcile: { intervalMs, onPass: (r) => passes.push(r) } });
  /** Waits until the reconciler and the outbox have nothing left to do. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await scheduler.reconciler?.idle();
      await scheduler.idle();
    }
  };
  const reconcile = async () => {
    await scheduler.reconciler!.run();
    await settle();
  };
  async function book(oid: string, id: string, from: number, to: number, subject = 'NP/L: Lunch') {
    const user = (await store.getUser({ tid: TID, oid }))!;
    await service.putBooking(await service.context(user), id, { subject, start: new Date(from).toISOString(), end: new Date(to).toISOString() });
  }

  beforeEach(async () => {
    if (skip) return;
    ({ store, done } = await open());
    clock = { now: Date.parse('2026-11-24T10:00:00Z') };
    timers = new FakeTimers(clock);
    sw = new FakeSwitch();
    passes = [];
    logs = [];
    service = new Service(store, () => clock.now, 'Europe/Stockholm');
    for (const [oid, extension] of [['anna', '1021'], ['bo', '1022'], ['cia', '1023']] as const) await store.linkUser({ tid: TID, oid }, { extension, shared: false }, clock.now);
    // 1021 and 1022 at lunch for two hours; 1023 not diverted.
    await book('anna', 'b1', clock.now - MIN, clock.now + 120 * MIN);
    await book('bo', 'b1', clock.now - MIN, clock.now + 120 * MIN);
    scheduler = make();
  });
  afterEach(async () => {
    if (skip) return;
    await scheduler.stop();
    await done();
  });

  /** Starts; the outbox delivers version 1 of each extension, the start's pass finds all in step. */
  async function startInStep() {
    await scheduler.start();
    await settle();
    expect(sw.received.map((d) => [d.extension, d.version, d.state === null])).toEqual(
      expect.arrayContaining([
        ['1021', 1, false],
        ['1022', 1, false],
        ['1023', 1, true],
      ]),
    );
    // The start's pass ran; what it found in flight it left to the outbox.
    expect(sw.readBacks).toBeGreaterThanOrEqual(1);
    await reconcile();
    expect(passes.at(-1)).toEqual({ held: 2, resent: 0 });
    sw.received = [];
  }

  t('an emptied switch (a restarted Kamailio) gets every non-null state again, and nothing else', async () => {
    await startInStep();
    sw.held.clear();
    await reconcile();
    expect(sw.received.map((d) => [d.extension, d.version]).sort()).toEqual([
      ['1021', 1],
      ['1022', 1],
    ]);
    expect(passes.at(-1)).toEqual({ held: 0, resent: 2 });
    expect(await store.getSwitchState('1021')).toMatchObject({ version: 1, deliveredVersion: 1 });
    expect(logs.find((l) => l.m.startsWith('reconciliation:'))?.o).toEqual({ connector: 'fake-switch', held: 0, resent: 2 });
    // In step again: the next pass sends nothing.
    sw.received = [];
    await reconcile();
    expect(sw.received).toEqual([]);
  });

  t('within RECONCILE_SECONDS without anyone acting', async () => {
    await startInStep();
    sw.held.clear();
    const start = clock.now;
    await timers.advance(start + MIN - 1, settle);
    expect(sw.received).toEqual([]);
    await timers.advance(start + MIN, settle);
    expect(sw.received.map((d) => d.extension).sort()).toEqual(['1021', '1022']);
  });

  t('a differing version is sent again; a null desired with an entry of ours is deleted', async () => {
    await startInStep();
    sw.held.set('1021', { version: 7, ours: true });
    sw.held.set('1023', { version: 4, ours: true });
    await reconcile();
    expect(sw.received.map((d) => [d.extension, d.version, d.state === null]).sort()).toEqual([
      ['1021', 1, false],
      ['1023', 1, true],
    ]);
    expect(sw.held.get('1021')).toEqual({ version: 1, ours: true });
    expect(sw.held.has('1023')).toBe(false);
  });

  t('entries not ours, and extensions without a row, are never touched', async () => {
    await startInStep();
    sw.held.set('1023', { version: 9, ours: false });
    sw.held.set('1099', { version: 3, ours: true });
    sw.held.set('1022', { version: 9, ours: false });
    await reconcile();
    // 1022: a foreign entry is, for us, no entry: our state is sent (it overwrites it, as any delivery would).
    expect(sw.received.map((d) => d.extension)).toEqual(['1022']);
    expect(sw.held.get('1023')).toEqual({ version: 9, ours: false });
    expect(sw.held.get('1099')).toEqual({ version: 3, ours: true });
    expect(await store.getSwitchState('1099')).toBeNull();
  });

  t('a pending delivery is left to the outbox, not sent twice', async () => {
    await startInStep();
    sw.answers = [{ ok: false, permanent: false, error: 'the switch answered 503' }];
    await service.deleteBooking((await store.getUser({ tid: TID, oid: 'anna' }))!, 'b1');
    await scheduler.changed('1021');
    await settle();
    expect(sw.received.map((d) => [d.extension, d.version])).toEqual([['1021', 2]]);
    sw.received = [];
    sw.held.clear();
    await reconcile();
    // 1022 again; 1021's version 2 waits for its retry (1 s backoff at attempt 0, 2 s now).
    expect(sw.received.map((d) => [d.extension, d.version])).toEqual([['1022', 1]]);
    await timers.advance(clock.now + 5_000, settle);
    expect(sw.received.map((d) => [d.extension, d.version])).toEqual([
      ['1022', 1],
      ['1021', 2],
    ]);
    expect(await store.getSwitchState('1021')).toMatchObject({ version: 2, deliveredVersion: 2 });
  });

  t('a reconnect triggers a pass at once', async () => {
    await startInStep();
    sw.held.clear();
    const before = sw.readBacks;
    sw.reconnect();
    await settle();
    expect(sw.readBacks).toBe(before + 1);
    expect(sw.received.map((d) => d.extension).sort()).toEqual(['1021', '1022']);
    expect(logs.some((l) => l.m.includes('reachable again'))).toBe(true);
  });

  t('a failing read-back is logged without phone numbers and tried again at the next interval', async () => {
    await startInStep();
    sw.held.clear();
    sw.readBackFails = 1;
    const start = clock.now;
    await reconcile();
    expect(sw.received).toEqual([]);
    const warn = logs.find((l) => l.level === 'warn' && l.m.startsWith('reconciliation failed'));
    expect(warn?.o).toEqual({ connector: 'fake-switch', err: { message: 'reading back the table failed: Kamailio unreachable' } });
    await timers.advance(start + MIN, settle);
    expect(sw.received.map((d) => d.extension).sort()).toEqual(['1021', '1022']);
  });

  t('passes never overlap: requests during a pass run one more after it', async () => {
    await startInStep();
    let inside = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    let entered: () => void = () => undefined;
    const original = sw.readBack.bind(sw);
    sw.readBack = async () => {
      inside++;
      most = Math.max(most, inside);
      entered();
      await new Promise<void>((r) => waiting.push(r));
      inside--;
      return original();
    };
    const inRead = () => new Promise<void>((r) => (entered = r));
    const before = passes.length;
    let reading = inRead();
    const first = scheduler.reconciler!.run();
    await reading;
    void scheduler.reconciler!.run();
    void scheduler.reconciler!.run();
    reading = inRead();
    waiting.shift()!();
    await reading;
    waiting.shift()!();
    await first;
    await settle();
    expect(most).toBe(1);
    expect(passes.length - before).toBe(2);
  });

  t('RECONCILE_SECONDS=0: off, the switch is never read back', async () => {
    scheduler = make(0);
    await scheduler.start();
    await settle();
    expect(scheduler.reconciler).toBeNull();
    sw.held.clear();
    sw.received = [];
    sw.reconnect();
    await timers.advance(clock.now + 10 * MIN, settle);
    expect(sw.readBacks).toBe(0);
    expect(sw.received).toEqual([]);
  });
});
