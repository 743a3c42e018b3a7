/** The scheduler and outbox with a fake clock, fake timers and a fake connector (issue 4, first steps). */
import type { Delivery, DeliveryResult, SwitchConnector } from '../../../src/server/connectors/types';
import { backoffMs, BACKOFF_CAP_MS, Scheduler } from '../../../src/server/scheduler';
import { Service } from '../../../src/server/service';
import * as states from '../../../src/server/service/states';
import { openStore } from '../../../src/server/store/open';
import type { Store } from '../../../src/server/store/types';
import { FakeTimers } from '../../helpers/fake-timers';

const TID = '11111111-1111-1111-1111-111111111111';
const MIN = 60_000;

class FakeConnector implements SwitchConnector {
  readonly name = 'fake';
  received: (Delivery & { at: number })[] = [];
  answers: DeliveryResult[] = [];
  constructor(private readonly clock: { now: number }) {}
  async apply(d: Delivery): Promise<DeliveryResult> {
    this.received.push({ ...d, at: this.clock.now });
    return this.answers.shift() ?? { ok: true, status: 200 };
  }
}

let store: Store;
let clock: { now: number };
let timers: FakeTimers;
let connector: FakeConnector;
let service: Service;
let scheduler: Scheduler;

beforeEach(async () => {
  store = await openStore(':memory:');
  clock = { now: Date.parse('2026-11-24T10:00:00Z') };
  timers = new FakeTimers(clock);
  connector = new FakeConnector(clock);
  service = new Service(store, () => clock.now, 'Europe/Stockholm');
  scheduler = new Scheduler({ service, store, connector, clock: () => clock.now, timers, random: () => 0.5, coalesceMs: 0 });
  await store.linkUser({ tid: TID, oid: 'anna' }, { extension: '1021', shared: false }, clock.now);
});
afterEach(async () => {
  await scheduler.stop();
  await store.close();
});

/** Starts the scheduler; at start-up the switch is told the state that holds now (none here). */
async function startClean() {
  await scheduler.start();
  await scheduler.idle();
  expect(connector.received).toEqual([expect.objectContaining({ extension: '1021', version: 1, state: null })]);
  connector.received = [];
}

async function book(id: string, from: number, to: number, subject = 'NP/L: Lunch') {
  const user = (await store.getUser({ tid: TID, oid: 'anna' }))!;
  const ctx = await service.context(user);
  await service.putBooking(ctx, id, { subject, start: new Date(from).toISOString(), end: new Date(to).toISOString() });
}

test('a booking that started a minute ago diverts at once and clears at its end; deleting clears at once', async () => {
  await startClean();
  await book('b1', clock.now - MIN, clock.now + 2 * MIN);
  scheduler.changed('1021');
  await timers.advance(clock.now, scheduler);
  expect(connector.received).toHaveLength(1);
  expect(connector.received[0]).toMatchObject({ extension: '1021', version: 2, state: { code: 'L', mex: 0, reasonCode: 0, returnTime: '1102' } });

  const end = clock.now + 2 * MIN;
  await timers.advance(end - 1, scheduler);
  expect(connector.received).toHaveLength(1);
  await timers.advance(end, scheduler);
  expect(connector.received).toHaveLength(2);
  expect(connector.received[1]).toMatchObject({ version: 3, state: null, at: end });

  await book('b2', clock.now, clock.now + 30 * MIN, 'NP/M: Möte');
  scheduler.changed('1021');
  await timers.advance(clock.now, scheduler);
  expect(connector.received.at(-1)).toMatchObject({ version: 4, state: { code: 'M' } });
  const user = (await store.getUser({ tid: TID, oid: 'anna' }))!;
  await service.deleteBooking(user, 'b2');
  scheduler.changed('1021');
  await timers.advance(clock.now, scheduler);
  expect(connector.received.at(-1)).toMatchObject({ version: 5, state: null });
  expect(await store.getSwitchState('1021')).toMatchObject({ version: 5, deliveredVersion: 5 });
});

test('start-up recomputes every extension: the switch gets what holds now, nothing stale', async () => {
  await book('b1', clock.now - 60 * MIN, clock.now - 30 * MIN);
  await book('b2', clock.now - MIN, clock.now + 60 * MIN, 'NP/M: Möte');
  await scheduler.start();
  await scheduler.idle();
  expect(connector.received.map((d) => (d.state as { code: string } | null)?.code ?? null)).toEqual(['M']);
});

test('transient failures are retried with growing gaps; the newest state wins; nothing older after newer', async () => {
  await startClean();
  connector.answers = [
    { ok: false, permanent: false, error: 'the receiver answered 503', status: 503 },
    { ok: false, permanent: false, error: 'the receiver answered 503', status: 503 },
    { ok: false, permanent: false, error: 'the receiver answered 503', status: 503 },
  ];
  await book('b1', clock.now, clock.now + 60 * MIN);
  scheduler.changed('1021');
  await timers.advance(clock.now, scheduler);
  // While the switch is failing, the booking changes: only the newest version goes out.
  await book('b2', clock.now, clock.now + 120 * MIN, 'NP/T: Ärende');
  scheduler.changed('1021');
  await timers.advance(clock.now + 10 * MIN, scheduler);
  const attempts = connector.received.map((d) => ({ v: d.version, at: d.at }));
  const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at).filter((g) => g > 0);
  for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
  const versions = attempts.map((a) => a.v);
  expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  const last = connector.received.at(-1)!;
  expect(last.state).toMatchObject({ code: 'T' });
  expect(await store.getSwitchState('1021')).toMatchObject({ deliveredVersion: last.version, attempts: 0, lastError: null });
});

test('a permanent failure is recorded and not retried, until an admin asks or the state changes', async () => {
  await startClean();
  connector.answers = [{ ok: false, permanent: true, error: 'the receiver answered 400', status: 400 }];
  await book('b1', clock.now, clock.now + 60 * MIN);
  scheduler.changed('1021');
  await timers.advance(clock.now + 30 * MIN, scheduler);
  expect(connector.received).toHaveLength(1);
  expect(await store.getSwitchState('1021')).toMatchObject({ failedVersion: 2, lastError: 'the receiver answered 400' });
  expect(await store.retryDelivery('1021')).toBe(true);
  await scheduler.runDue();
  await scheduler.idle();
  expect(connector.received).toHaveLength(2);
  expect(await store.getSwitchState('1021')).toMatchObject({ deliveredVersion: 2 });
});

test('08:00 every working day diverts at 08:00 local on both sides of the DST switch', async () => {
  clock.now = Date.parse('2026-10-22T12:00:00Z');
  const user = (await store.getUser({ tid: TID, oid: 'anna' }))!;
  const ctx = await service.context(user);
  await service.createActivity(ctx, { key: 'M', from: '2026-10-23T06:00:00Z', to: '2026-10-23T07:00:00Z', recurrence: { repeat: 'everyWorkingDay', until: null } });
  await scheduler.start();
  await timers.advance(Date.parse('2026-10-27T12:00:00Z'), scheduler);
  const starts = connector.received.filter((d) => d.state !== null).map((d) => new Date(d.at).toISOString());
  // Friday 23 Oct (summer time, 06:00Z), Monday 26 and Tuesday 27 Oct (winter time, 07:00Z).
  expect(starts).toEqual(['2026-10-23T06:00:00.000Z', '2026-10-26T07:00:00.000Z', '2026-10-27T07:00:00.000Z']);
});

/** Counts how often the state of each extension is computed (the scheduler computes them in its transaction). */
class CountingService extends Service {
  readonly computed = new Map<string, number>();
  constructor(...args: ConstructorParameters<typeof Service>) {
    super(...args);
    const compute = states.computeStates;
    jest.spyOn(states, 'computeStates').mockImplementation((...a: Parameters<typeof compute>) => {
      for (const e of a[2]) this.computed.set(e, (this.computed.get(e) ?? 0) + 1);
      return compute(...a);
    });
  }
}
afterEach(() => jest.restoreAllMocks());

test('a burst of changes is recomputed once per extension', async () => {
  const counted = new CountingService(store, () => clock.now, 'Europe/Stockholm');
  const counting = new Scheduler({ service: counted, store, connector, clock: () => clock.now, timers, coalesceMs: 100 });
  await scheduler.stop();
  scheduler = counting;
  await startClean();
  counted.computed.clear();
  await book('b1', clock.now, clock.now + 60 * MIN);
  const burst = [counting.changed('1021'), counting.changed('1021'), counting.changed('1021', '1021')];
  await timers.advance(clock.now + 100, scheduler);
  await Promise.all(burst);
  expect(counted.computed).toEqual(new Map([['1021', 1]]));
  expect(connector.received).toEqual([expect.objectContaining({ version: 2, state: expect.objectContaining({ code: 'L' }) })]);
});

test('backoff doubles with jitter, is capped at 5 minutes, and honours Retry-After', () => {
  expect(backoffMs(0, () => 0.5)).toBe(1_000);
  expect(backoffMs(3, () => 0.5)).toBe(8_000);
  expect(backoffMs(3, () => 0)).toBe(6_400);
  expect(backoffMs(3, () => 1)).toBe(9_600);
  expect(backoffMs(30, () => 1)).toBe(BACKOFF_CAP_MS);
  expect(backoffMs(0, () => 0.5, 30_000)).toBe(30_000);
  expect(backoffMs(0, () => 0.5, 3_600_000)).toBe(BACKOFF_CAP_MS);
});

test('callers hear the language of the person whose activity wins, not the organisation default', async () => {
  await store.linkUser({ tid: TID, oid: 'erik' }, { extension: '1021', shared: false }, clock.now);
  const erik = (await store.getUser({ tid: TID, oid: 'erik' }))!;
  await service.putSettings(erik, { language: 'en' });
  await startClean();
  await service.putBooking(await service.context(erik), 'e1', { subject: 'NP/M: Board', start: new Date(clock.now - MIN).toISOString(), end: new Date(clock.now + 30 * MIN).toISOString() });
  scheduler.changed('1021');
  await timers.advance(clock.now, scheduler);
  expect(connector.received.at(-1)).toMatchObject({ state: { code: 'M', language: 'en', label: 'In a meeting', spoken: expect.stringMatching(/meeting/i) } });

  // Anna's own lunch ends later, so it wins (SPEC 9): now Swedish, her language.
  await book('a1', clock.now, clock.now + 45 * MIN);
  scheduler.changed('1021');
  await timers.advance(clock.now, scheduler);
  expect(connector.received.at(-1)).toMatchObject({ state: { code: 'L', language: 'sv', label: 'Lunch' } });
});

/** A switch that takes batches (issue 16): records each call's items; `fail` decides an item's result. */
class FakeBatchConnector extends FakeConnector {
  readonly batchSize = 3;
  calls: string[][] = [];
  fail: (d: Delivery) => DeliveryResult | undefined = () => undefined;
  async applyBatch(ds: Delivery[]): Promise<DeliveryResult[]> {
    this.calls.push(ds.map((d) => d.extension));
    return ds.map((d) => {
      this.received.push({ ...d, at: clock.now });
      return this.fail(d) ?? { ok: true, status: 200 };
    });
  }
  override async apply(d: Delivery): Promise<DeliveryResult> {
    this.calls.push([d.extension]);
    this.received.push({ ...d, at: clock.now });
    return this.fail(d) ?? { ok: true, status: 200 };
  }
}

test('batches: at most batchSize per call; a failed item is retried alone with its backoff, the others are delivered once', async () => {
  const batch = new FakeBatchConnector(clock);
  await scheduler.stop();
  scheduler = new Scheduler({ service, store, connector: batch, clock: () => clock.now, timers, random: () => 0.5, coalesceMs: 0, concurrency: 1 });
  const exts = ['1022', '1023', '1024', '1025', '1026'];
  for (const [i, e] of exts.entries()) await store.linkUser({ tid: TID, oid: `u${i}` }, { extension: e, shared: false }, clock.now);
  await scheduler.start();
  await scheduler.idle();
  // Start-up: six extensions told "no diversion", three to a call.
  expect(batch.calls.map((c) => c.length)).toEqual([3, 3]);
  batch.calls = [];
  batch.received = [];

  let failures = 1;
  batch.fail = (d) => (d.extension === '1024' && d.state !== null && failures-- > 0 ? { ok: false, permanent: false, error: 'the receiver answered 503', status: 503 } : undefined);
  const lunchStart = clock.now - MIN;
  for (const [i] of exts.entries()) {
    const user = (await store.getUser({ tid: TID, oid: `u${i}` }))!;
    await service.putBooking(await service.context(user), `l${i}`, { subject: 'NP/L: Lunch', start: new Date(lunchStart).toISOString(), end: new Date(lunchStart + 60 * MIN).toISOString() });
  }
  scheduler.changed(...exts);
  await timers.advance(clock.now, scheduler);
  expect(batch.calls.every((c) => c.length <= 3)).toBe(true);
  expect(batch.calls.flat().sort()).toEqual(exts);
  expect(await store.getSwitchState('1024')).toMatchObject({ deliveredVersion: 1, attempts: 1, lastError: 'the receiver answered 503' });
  for (const e of exts.filter((x) => x !== '1024')) expect(await store.getSwitchState(e)).toMatchObject({ deliveredVersion: 2 });

  // The retry, after its backoff (1 s at attempt 0 with this jitter): 1024 alone.
  batch.calls = [];
  await timers.advance(clock.now + 999, scheduler);
  expect(batch.calls).toEqual([]);
  await timers.advance(clock.now + 1, scheduler);
  expect(batch.calls).toEqual([['1024']]);
  expect(await store.getSwitchState('1024')).toMatchObject({ deliveredVersion: 2, attempts: 0, lastError: null });
  expect(batch.received.filter((d) => d.extension !== '1024')).toHaveLength(4);
});

test('a batch the connector throws on, or answers with the wrong count, fails every item (retryable)', async () => {
  const batch = new FakeBatchConnector(clock);
  await scheduler.stop();
  scheduler = new Scheduler({ service, store, connector: batch, clock: () => clock.now, timers, random: () => 0.5, coalesceMs: 0 });
  await store.linkUser({ tid: TID, oid: 'u1' }, { extension: '1022', shared: false }, clock.now);
  batch.applyBatch = async (ds) => {
    batch.calls.push(ds.map((d) => d.extension));
    return [];
  };
  await scheduler.start();
  await scheduler.idle();
  expect(batch.calls).toEqual([['1021', '1022']]);
  for (const e of ['1021', '1022']) expect(await store.getSwitchState(e)).toMatchObject({ deliveredVersion: 0, attempts: 1, lastError: 'the connector answered 0 results for 2 deliveries' });
  batch.applyBatch = async () => {
    throw new Error('switch on fire');
  };
  // The retry after 1 s (attempt 0's backoff with this jitter) meets the fire.
  await timers.advance(clock.now + 1_000, scheduler);
  expect(batch.calls).toHaveLength(1);
  for (const e of ['1021', '1022']) expect(await store.getSwitchState(e)).toMatchObject({ deliveredVersion: 0, attempts: 2, lastError: 'switch on fire' });
});
