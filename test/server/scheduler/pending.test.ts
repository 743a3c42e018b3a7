/**
 * States computed before they are due (issue 16), with a fake clock: a boundary within the
 * horizon gets a pending transition, promoted at the instant without recomputing; changed or
 * deleted before the instant, it is recomputed; a crash between precompute and instant still
 * delivers once, on time; and (property) the state computed ahead equals the one computed at the
 * instant, over random bookings across the DST days.
 */
import fc from 'fast-check';
import { nextBoundary } from '../../../src/core';
import { type Delivery, type DeliveryResult, type SwitchConnector, switchState } from '../../../src/server/connectors/types';
import { Scheduler } from '../../../src/server/scheduler';
import { Service } from '../../../src/server/service';
import * as states from '../../../src/server/service/states';
import { openStore } from '../../../src/server/store/open';
import type { Store } from '../../../src/server/store/types';
import { FakeTimers } from '../../helpers/fake-timers';

const TID = '11111111-1111-1111-1111-111111111111';
const MIN = 60_000;
const ANNA = { tid: TID, oid: 'anna' };

class Recorder implements SwitchConnector {
  readonly name = 'recorder';
  received: (Delivery & { at: number })[] = [];
  constructor(private readonly clock: { now: number }) {}
  async apply(d: Delivery): Promise<DeliveryResult> {
    this.received.push({ ...d, at: this.clock.now });
    return { ok: true, status: 200 };
  }
}

let store: Store;
let clock: { now: number };
let timers: FakeTimers;
let connector: Recorder;
let service: Service;
let scheduler: Scheduler;
/** How often 1021's state was computed (every recompute goes through computeStates). */
let computed = 0;

function newScheduler(opts: { coalesceMs?: number; precomputeMs?: number } = {}) {
  return new Scheduler({ service, store, connector, clock: () => clock.now, timers, random: () => 0.5, coalesceMs: opts.coalesceMs ?? 0, precomputeMs: opts.precomputeMs });
}

beforeEach(async () => {
  store = await openStore(':memory:');
  clock = { now: Date.parse('2026-11-24T10:00:00Z') };
  timers = new FakeTimers(clock);
  connector = new Recorder(clock);
  service = new Service(store, () => clock.now, 'Europe/Stockholm');
  await store.linkUser(ANNA, { extension: '1021', shared: false }, clock.now);
  const compute = states.computeStates;
  computed = 0;
  jest.spyOn(states, 'computeStates').mockImplementation((...a: Parameters<typeof compute>) => {
    if (a[2].includes('1021')) computed++;
    return compute(...a);
  });
  scheduler = newScheduler();
});
afterEach(async () => {
  await scheduler.stop();
  await store.close();
  jest.restoreAllMocks();
});

async function book(id: string, from: number, to: number, subject = 'NP/L: Lunch') {
  const ctx = await service.context((await store.getUser(ANNA))!);
  await service.putBooking(ctx, id, { subject, start: new Date(from).toISOString(), end: new Date(to).toISOString() });
  void scheduler.changed('1021');
}

async function started() {
  await scheduler.start();
  await scheduler.idle();
  connector.received = [];
}

const code = (d: Delivery) => (d.state as { code: string } | null)?.code ?? null;

test('a boundary within 15 minutes is computed ahead; at the instant it is only promoted and delivered, on time', async () => {
  await started();
  const start = clock.now + 10 * MIN;
  await book('b1', start, start + 60 * MIN);
  await timers.advance(clock.now, scheduler);
  const row = (await store.getSwitchState('1021'))!;
  expect(row.state).toBeNull();
  expect(row.pending).toEqual({ at: start, state: expect.objectContaining({ code: 'L', returnTime: '1210' }), next: start + 60 * MIN });
  expect(connector.received).toEqual([]);

  const before = computed;
  await timers.advance(start, scheduler);
  expect(connector.received.map((d) => [code(d), d.at, d.version])).toEqual([['L', start, 2]]);
  // Not recomputed at the instant; the next boundary (the end, 60 min away) is not computed ahead yet.
  expect(computed).toBe(before);
  expect(await store.getSwitchState('1021')).toMatchObject({ version: 2, deliveredVersion: 2, nextBoundary: start + 60 * MIN, pending: null });
});

test('a boundary further away is computed ahead when it comes within the horizon, then delivered at its instant', async () => {
  await started();
  const start = clock.now + 60 * MIN;
  await book('b1', start, start + 30 * MIN);
  await timers.advance(clock.now, scheduler);
  expect((await store.getSwitchState('1021'))!.pending).toBeNull();
  await timers.advance(start - 15 * MIN - 1, scheduler);
  expect((await store.getSwitchState('1021'))!.pending).toBeNull();
  await timers.advance(start - 15 * MIN, scheduler);
  expect((await store.getSwitchState('1021'))!.pending).toMatchObject({ at: start, state: { code: 'L' } });
  expect(connector.received).toEqual([]);
  await timers.advance(start, scheduler);
  expect(connector.received.map((d) => [code(d), d.at])).toEqual([['L', start]]);
  // And the end, in turn: computed ahead 15 minutes before it, delivered at it.
  await timers.advance(start + 30 * MIN, scheduler);
  expect(connector.received.map((d) => [code(d), d.at])).toEqual([['L', start], [null, start + 30 * MIN]]);
});

test('changed before the instant: the pending transition is recomputed, and only the new state goes out', async () => {
  await started();
  const start = clock.now + 10 * MIN;
  await book('b1', start, start + 60 * MIN);
  await timers.advance(clock.now + 5 * MIN, scheduler);
  await book('b1', start, start + 60 * MIN, 'NP/M: Möte');
  await timers.advance(clock.now, scheduler);
  expect((await store.getSwitchState('1021'))!.pending).toMatchObject({ at: start, state: { code: 'M' } });
  await timers.advance(start, scheduler);
  expect(connector.received.map((d) => [code(d), d.at])).toEqual([['M', start]]);
});

test('deleted before the instant: nothing goes out at it', async () => {
  await started();
  const start = clock.now + 10 * MIN;
  await book('b1', start, start + 60 * MIN);
  await timers.advance(clock.now + 5 * MIN, scheduler);
  await service.deleteBooking((await store.getUser(ANNA))!, 'b1');
  void scheduler.changed('1021');
  await timers.advance(start + 90 * MIN, scheduler);
  expect(connector.received).toEqual([]);
  expect(await store.getSwitchState('1021')).toMatchObject({ version: 1, state: null, pending: null, nextBoundary: null });
});

test('a change still gathering at the instant: the stale pending state is not promoted; the new one goes out', async () => {
  await scheduler.stop();
  scheduler = newScheduler({ coalesceMs: 250 });
  await started();
  const start = clock.now + 10 * MIN;
  await book('b1', start, start + 60 * MIN);
  await timers.advance(clock.now + 250, scheduler);
  // 100 ms before the start the booking becomes a meeting; its recompute waits 250 ms.
  await timers.advance(start - 100, scheduler);
  await book('b1', start, start + 60 * MIN, 'NP/M: Möte');
  await timers.advance(start + 500, scheduler);
  expect(connector.received.map((d) => code(d))).toEqual(['M']);
  expect(connector.received[0]!.at).toBe(start + 150);
});

test('a crash between the precompute and the instant: the next process delivers once, on time', async () => {
  await started();
  const start = clock.now + 10 * MIN;
  await book('b1', start, start + 60 * MIN);
  await timers.advance(clock.now, scheduler);
  expect((await store.getSwitchState('1021'))!.pending).not.toBeNull();
  // The process dies: its timers never fire. Another starts two minutes later on the same database.
  const dead = scheduler;
  timers = new FakeTimers(clock);
  clock.now += 2 * MIN;
  scheduler = newScheduler();
  await scheduler.start();
  await timers.advance(start + 5 * MIN, scheduler);
  expect(connector.received.map((d) => [code(d), d.at])).toEqual([['L', start]]);
  await dead.stop();
});

test('precomputeMs 0: no pending transitions, everything computed at the instant as before', async () => {
  await scheduler.stop();
  scheduler = newScheduler({ precomputeMs: 0 });
  await started();
  const start = clock.now + 10 * MIN;
  await book('b1', start, start + 60 * MIN);
  await timers.advance(clock.now, scheduler);
  expect((await store.getSwitchState('1021'))!.pending).toBeNull();
  await timers.advance(start, scheduler);
  expect(connector.received.map((d) => [code(d), d.at])).toEqual([['L', start]]);
});

/** Random bookings of two people on one extension around a DST switch (SPEC 7), and a moment to look from. */
const DAYS = ['2026-03-28T22:00:00Z', '2026-10-24T22:00:00Z', '2026-11-24T23:00:00Z'].map(Date.parse);
const CODES = ['L', 'M', 'S', 'TF', 'GF', 'Sj'];
const arbBookings = fc.record({
  day: fc.constantFrom(...DAYS),
  now: fc.integer({ min: 0, max: 10 * 60 }),
  bookings: fc.array(fc.record({ who: fc.constantFrom('anna', 'erik'), start: fc.integer({ min: 0, max: 12 * 60 }), length: fc.integer({ min: 5, max: 26 * 60 }), code: fc.constantFrom(...CODES) }), { minLength: 1, maxLength: 5 }),
});

test('pendingEquivalence: the state computed ahead is the one computed at the instant (random bookings, DST days)', async () => {
  await scheduler.stop();
  jest.restoreAllMocks();
  await fc.assert(
    fc.asyncProperty(arbBookings, async ({ day, now, bookings }) => {
      const s = await openStore(':memory:');
      const t0 = day + now * MIN;
      const c = { now: t0 };
      const svc = new Service(s, () => c.now, 'Europe/Stockholm');
      await s.linkUser(ANNA, { extension: '1021', shared: false }, t0);
      await s.linkUser({ tid: TID, oid: 'erik' }, { extension: '1021', shared: false }, t0);
      await svc.putSettings((await s.getUser({ tid: TID, oid: 'erik' }))!, { language: 'en' });
      for (const [i, b] of bookings.entries()) {
        const ctx = await svc.context((await s.getUser({ tid: TID, oid: b.who }))!);
        await svc.putBooking(ctx, `b${i}`, { subject: `NP/${b.code}: x`, start: new Date(day + b.start * MIN).toISOString(), end: new Date(day + (b.start + b.length) * MIN).toISOString() });
      }
      // A horizon of two days: every next boundary is computed ahead.
      const sch = new Scheduler({ service: svc, store: s, connector: new Recorder(c), clock: () => c.now, timers: new FakeTimers(c), precomputeMs: 2 * 1440 * MIN });
      await sch.start();
      await sch.idle();
      const row = (await s.getSwitchState('1021'))!;
      await sch.stop();
      const org = await svc.org();
      // At the instant, from nothing but the store, as the scheduler computes without a pending transition.
      const at = row.nextBoundary;
      if (at === null) {
        expect(row.pending).toBeNull();
      } else {
        const x = (await states.computeStates(s, org, ['1021'], at)).get('1021')!;
        expect(row.pending).toEqual({ at, state: JSON.parse(JSON.stringify(switchState(x.state, at, org.calendar.zone, x.language))), next: nextBoundary(x.activities, at) });
      }
      await s.close();
    }),
    { numRuns: 150 },
  );
}, 120_000);
