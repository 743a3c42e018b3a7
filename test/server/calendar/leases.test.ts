/**
 * Calendar sync shared by processes (issue 18): the lease rows on SQLite and PostgreSQL, the bus
 * on PostgreSQL, and SyncLeases with two "processes" (two stores on one PostgreSQL schema, a
 * fake clock): the users spread, one holder at a time, a silent process's users taken over after
 * the lease lapses, spread again when it comes back, and a request dispatched to the holder.
 */
import { Client } from 'pg';
import { belongsTo, LEASE_MS, type LeaseSource, SyncLeases } from '../../../src/server/calendar/leases';
import { silentLog, userKey } from '../../../src/server/runtime';
import type { BusMessage, PgBus } from '../../../src/server/store/bus';
import { openStore } from '../../../src/server/store/open';
import type { Store, UserKey } from '../../../src/server/store/types';
import { waitFor } from '../../helpers/endpoint';
import { IN_CI, PG_URL, postgresAvailability, throwawaySchema } from '../../helpers/postgres';

const T0 = 1_795_500_000_000;
const u = (i: number): UserKey => ({ tid: 'tenant-1', oid: `user-${i}` });
const USERS = Array.from({ length: 60 }, (_, i) => u(i));

const pgSchema = () => throwawaySchema('kk_lease_test');

const pg = postgresAvailability('PostgreSQL lease tests');
const pgTest = pg.skip ? test.skip : test;
const requirePg = () => {
  if (pg.unavailable !== null && IN_CI) throw new Error(`PostgreSQL is required in CI (CI=true): ${pg.unavailable}`);
};

const dialects: [string, () => Promise<{ store: Store; done: () => Promise<void> }>][] = [
  ['sqlite', async () => {
    const store = await openStore(':memory:');
    return { store, done: () => store.close() };
  }],
];
if (!pg.skip) {
  dialects.push(['postgres', async () => {
    requirePg();
    const s = await pgSchema();
    const store = await openStore(s.url);
    return { store, done: async () => void (await store.close(), await s.drop()) };
  }]);
}

describe.each(dialects)('lease rows on %s', (_name, open) => {
  let store: Store;
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, done } = await open()));
  afterEach(async () => done());

  test('a lease is taken when free, lapsed or the taker\'s own, never from a live holder; renewed and released by its owner only', async () => {
    const [a, b, c] = [u(1), u(2), u(3)];
    expect(await store.claimLeases('graph', [a, b], 'A', T0, T0 + 40_000)).toEqual([a, b]);
    // B cannot take A's live leases, but takes the free one.
    expect(await store.claimLeases('graph', [a, b, c], 'B', T0 + 1_000, T0 + 41_000)).toEqual([c]);
    // The same users of another source are other leases.
    expect(await store.claimLeases('google', [a], 'B', T0 + 1_000, T0 + 41_000)).toEqual([a]);
    // A takes its own again (extends it).
    expect(await store.claimLeases('graph', [a], 'A', T0 + 2_000, T0 + 42_000)).toEqual([a]);
    expect(await store.getLease('graph', a)).toEqual({ source: 'graph', ...a, owner: 'A', expiresAt: T0 + 42_000 });

    // Renewal extends every lease of its owner, and only those.
    const renewed = await store.renewLeases('A', ['graph', 'google'], T0 + 50_000);
    expect(renewed.map((l) => `${l.source}:${l.oid}`).sort()).toEqual(['graph:user-1', 'graph:user-2']);
    expect((await store.getLease('graph', c))?.expiresAt).toBe(T0 + 41_000);

    // Lapsed: B takes A's user-2 once its lease has run out.
    expect(await store.claimLeases('graph', [b], 'B', T0 + 49_999, T0 + 90_000)).toEqual([]);
    expect(await store.claimLeases('graph', [b], 'B', T0 + 50_000, T0 + 90_000)).toEqual([b]);
    expect((await store.renewLeases('A', ['graph'], T0 + 60_000)).map((l) => l.oid)).toEqual(['user-1']);
    expect(await store.renewLeases('B', ['other'], T0 + 60_000)).toEqual([]);

    // Release: only the owner's, of one source or some users.
    expect(await store.releaseLeases('A', 'graph', [c])).toBe(0);
    expect(await store.releaseLeases('B', 'graph', [c])).toBe(1);
    expect(await store.releaseLeases('B')).toBe(2);
    expect((await store.listLeases()).map((l) => `${l.source}:${l.oid}:${l.owner}`)).toEqual(['graph:user-1:A']);
    expect(await store.releaseLeases('A', 'graph', [])).toBe(0);
    // Purged: the source's leases lapsed before the instant, whoever held them.
    expect(await store.purgeLeases('google', T0 + 60_001)).toBe(0);
    expect(await store.purgeLeases('graph', T0 + 60_000)).toBe(0);
    expect(await store.purgeLeases('graph', T0 + 60_001)).toBe(1);
    expect(await store.listLeases()).toEqual([]);
  });

  test('more users than one statement takes (slices of 500)', async () => {
    const many = Array.from({ length: 1_203 }, (_, i) => u(i));
    expect(await store.claimLeases('graph', many, 'A', T0, T0 + 40_000)).toHaveLength(1_203);
    expect(await store.claimLeases('graph', many, 'B', T0, T0 + 40_000)).toHaveLength(0);
    expect(await store.releaseLeases('A', 'graph', many.slice(0, 700))).toBe(700);
    expect(await store.claimLeases('graph', many, 'B', T0, T0 + 40_000)).toHaveLength(700);
  });

  test('processes: heartbeats, the live ones, forgotten at stop or when long silent', async () => {
    await store.heartbeatProcess({ owner: 'A', host: 'h1', pid: 11 }, T0);
    await store.heartbeatProcess({ owner: 'B', host: 'h2', pid: 22 }, T0);
    await store.heartbeatProcess({ owner: 'A', host: 'h1', pid: 11 }, T0 + 30_000);
    expect(await store.listProcesses(T0)).toEqual([
      { owner: 'A', host: 'h1', pid: 11, startedAt: T0, heartbeatAt: T0 + 30_000 },
      { owner: 'B', host: 'h2', pid: 22, startedAt: T0, heartbeatAt: T0 },
    ]);
    expect((await store.listProcesses(T0 + 1)).map((p) => p.owner)).toEqual(['A']);
    expect(await store.removeProcesses({ before: T0 + 1 })).toBe(1);
    expect(await store.removeProcesses({ owner: 'A' })).toBe(1);
    expect(await store.listProcesses(0)).toEqual([]);
  });
});

test('rendezvous: every user belongs to one of the processes, about evenly; a process leaving moves only its own users', () => {
  const users = Array.from({ length: 3_000 }, (_, i) => u(i));
  const three = ['h:1:aa', 'h:2:bb', 'h:3:cc'];
  const owners = users.map((x) => belongsTo(three, 'graph', x)!);
  for (const o of three) {
    const n = owners.filter((x) => x === o).length;
    expect(n).toBeGreaterThan(800);
    expect(n).toBeLessThan(1_200);
  }
  const two = three.slice(0, 2);
  users.forEach((x, i) => {
    const now = belongsTo(two, 'graph', x);
    if (owners[i] !== 'h:3:cc') expect(now).toBe(owners[i]);
    else expect(two).toContain(now);
  });
  expect(belongsTo([], 'graph', u(1))).toBeNull();
  // Names that differ only at their end (sequential ids, two processes) spread evenly too.
  for (const pair of [['proc-A', 'proc-B'], ['h:1:aa', 'h:2:aa']]) {
    const first = Array.from({ length: 200 }, (_, i) => u(i)).filter((x) => belongsTo(pair, 'graph', x) === pair[0]).length;
    expect(first).toBeGreaterThan(75);
    expect(first).toBeLessThan(125);
  }
});

describe('SyncLeases with two processes on one PostgreSQL', () => {
  let s: { url: string; drop: () => Promise<void> };
  let stores: Store[] = [];
  let now = T0;
  const clock = () => now;
  const timers = { setTimeout: () => null, clearTimeout: () => undefined };

  beforeEach(async () => {
    if (pg.skip) return;
    requirePg();
    s = await pgSchema();
    stores = [await openStore(s.url), await openStore(s.url)];
    now = T0;
    // The users the sources read (one unlinked user, read by none).
    for (const [i, x] of USERS.entries()) await stores[0]!.linkUser(x, { extension: String(1000 + i), shared: false }, T0);
    await stores[0]!.touchUser({ tid: 'tenant-1', oid: 'unlinked' }, null, T0);
  });
  afterEach(async () => {
    for (const st of stores) await st.close();
    stores = [];
    await s?.drop();
  });

  function process(name: string, store: Store) {
    const gained: string[] = [];
    const handled: string[] = [];
    const busy = new Set<string>();
    const leases = new SyncLeases({ store, owner: name, clock, timers, log: silentLog });
    const source: LeaseSource = {
      name: 'graph',
      reads: (x) => x.extension !== null,
      busy: (x) => busy.has(userKey(x)),
      handle: (x, kind) => void handled.push(`${x.oid}:${kind}`),
      gained: (xs) => void gained.push(...xs.map((x) => x.oid)),
    };
    leases.register(source);
    return { leases, gained, handled, busy, holds: () => USERS.filter((x) => leases.holds('graph', x)).map((x) => x.oid) };
  }

  pgTest('the users spread over both, never held by both; a silent process\'s users are taken after the lapse; spread again when it returns', async () => {
    const a = process('A', stores[0]!);
    const b = process('B', stores[1]!);
    await a.leases.start();
    // Alone: A holds everyone, and its first heartbeat reports none as gained (the first poll reads them).
    expect(a.holds()).toHaveLength(USERS.length);
    expect(a.gained).toEqual([]);
    now += 1_000;
    await b.leases.start();
    expect(b.holds()).toEqual([]);
    // A sees B alive and gives up B's share (one user in a round keeps its lease until it ends).
    const bShare = USERS.filter((x) => belongsTo(['A', 'B'], 'graph', x) === 'B').map((x) => x.oid);
    expect(bShare.length).toBeGreaterThan(15);
    a.busy.add(userKey({ tid: 'tenant-1', oid: bShare[0]! }));
    now += 10_000;
    await a.leases.heartbeat();
    await b.leases.heartbeat();
    expect(b.holds().sort()).toEqual(bShare.slice(1).sort());
    expect(b.gained.sort()).toEqual(bShare.slice(1).sort());
    expect(a.holds()).toHaveLength(USERS.length - bShare.length + 1);
    a.busy.clear();
    now += 10_000;
    await a.leases.heartbeat();
    await b.leases.heartbeat();
    expect(b.holds().sort()).toEqual(bShare.sort());
    const both = a.holds().filter((x) => b.holds().includes(x));
    expect(both).toEqual([]);
    expect(a.holds().length + b.holds().length).toBe(USERS.length);

    // B falls silent (its process died): nothing moves before its leases lapse, all of it after.
    now += LEASE_MS - 1_000;
    await a.leases.heartbeat();
    expect(a.holds()).toHaveLength(USERS.length - bShare.length);
    now += 2_000;
    await a.leases.heartbeat();
    expect(a.holds()).toHaveLength(USERS.length);
    expect(a.gained.sort()).toEqual(bShare.sort());
    // B's stale view: its next heartbeat learns it holds nothing.
    await b.leases.heartbeat();
    expect(b.holds()).toEqual([]);

    // A new process (B restarted under a new name) gets its share again within two heartbeats.
    const c = process('C', stores[1]!);
    await c.leases.start();
    now += 10_000;
    await a.leases.heartbeat();
    await b.leases.heartbeat();
    await c.leases.heartbeat();
    const alive = ['A', 'B', 'C'];
    const cShare = USERS.filter((x) => belongsTo(alive, 'graph', x) === 'C').map((x) => x.oid);
    expect(c.holds().sort()).toEqual(cShare.sort());
    expect(a.holds().filter((x) => c.holds().includes(x))).toEqual([]);
    // Stopping gives the leases up at once.
    await c.leases.stop();
    expect((await stores[0]!.listLeases('graph')).filter((l) => l.owner === 'C')).toEqual([]);
    await a.leases.stop();
    await b.leases.stop();
  });

  pgTest('a heartbeat asked for while one runs is a fresh one after it: it sees a process that stopped meanwhile', async () => {
    const a = process('A', stores[0]!);
    await a.leases.start();
    // B's first heartbeat after its start stalls once it has read the processes alive (A too).
    let stall = false;
    let reached = () => undefined as void;
    const atGate = new Promise<void>((r) => (reached = r));
    let open = () => undefined as void;
    const gate = new Promise<void>((r) => (open = r));
    const real = stores[1]!;
    const gated = new Proxy(real, {
      get(t, prop) {
        if (prop === 'listUsers' && stall) {
          return async () => {
            stall = false;
            reached();
            await gate;
            return t.listUsers();
          };
        }
        const v = Reflect.get(t, prop) as unknown;
        return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(t) : v;
      },
    });
    const b = process('B', gated);
    await b.leases.start();
    expect(b.holds().length).toBeLessThan(USERS.length);
    stall = true;
    const first = b.leases.heartbeat();
    await atGate;
    await a.leases.stop();
    const second = b.leases.heartbeat();
    open();
    await first;
    await second;
    expect(b.holds()).toHaveLength(USERS.length);
    await b.leases.stop();
    // Stopped: no heartbeat records it alive again.
    await b.leases.heartbeat();
    expect(await real.listProcesses(0)).toEqual([]);
  });

  pgTest('a request for a user is handled by the holder: here, over the bus from the other process, or by taking a free lease', async () => {
    const a = process('A', stores[0]!);
    const b = process('B', stores[1]!);
    await a.leases.start();
    await b.leases.start();
    const heard: BusMessage[] = [];
    stores[1]!.bus.subscribe((m) => heard.push(m));
    // The listeners connect (A's too: it must hear B's message).
    expect(await waitFor(() => stores.every((st) => st.bus.listening()), 5_000, 20)).toBe(true);
    const x = u(7);
    expect(a.leases.holds('graph', x)).toBe(true);
    // Received by B, which does not hold it: sent to A.
    await b.leases.dispatch('graph', x, 'change', now);
    await waitFor(() => a.handled.length > 0 && heard.some((m) => m.topic === 'sync'), 2_000, 20);
    expect(a.handled).toEqual(['user-7:change']);
    expect(b.handled).toEqual([]);
    // It went over the bus (B hears its own message too, and does not act on it).
    expect(heard.filter((m) => m.topic === 'sync').map((m) => [m.topic, m.from, m.oid, m.kind])).toEqual([['sync', 'B', 'user-7', 'change']]);
    // A free lease (A stopped and gave its leases up) is taken by the process that received the request.
    await a.leases.stop();
    // Stopping says so, for the others to take A's users at once.
    await waitFor(() => heard.some((m) => m.topic === 'leases' && m.event === 'released'), 2_000, 20);
    expect(heard.filter((m) => m.topic === 'leases' && m.event === 'released').map((m) => m.from)).toEqual(['A']);
    expect(a.leases.holds('graph', x)).toBe(false);
    await b.leases.dispatch('graph', x, 'resync', now);
    expect(b.handled).toEqual(['user-7:resync']);
    expect((await stores[0]!.getLease('graph', x))?.owner).toBe('B');
    expect(b.leases.holds('graph', x)).toBe(true);
    await b.leases.stop();
  });
});

pgTest('the bus: a message reaches the other store, not another installation\'s; a broken listening connection is opened again', async () => {
  requirePg();
  const [s1, s2] = [await pgSchema(), await pgSchema()];
  const [a, b, other] = [await openStore(s1.url), await openStore(s1.url), await openStore(s2.url)];
  try {
    const heardB: BusMessage[] = [];
    const heardOther: BusMessage[] = [];
    b.bus.subscribe((m) => heardB.push(m));
    other.bus.subscribe((m) => heardOther.push(m));
    const until = (ok: () => boolean) => waitFor(ok, 5_000, 20);
    expect(await until(() => b.bus.listening() && other.bus.listening())).toBe(true);
    await a.bus.publish({ topic: 'changed', from: 'A', extensions: ['1021'] });
    expect(await until(() => heardB.length === 1)).toBe(true);
    expect(heardB[0]).toEqual({ topic: 'changed', from: 'A', extensions: ['1021'] });
    // Another schema is another installation: its channel differs.
    await new Promise((r) => setTimeout(r, 200));
    expect(heardOther).toEqual([]);
    // The listening session is killed (a database restart, a network cut): it comes back.
    const admin = new Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      // Only this installation's listeners (other test files may be listening on theirs).
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1`, [`LISTEN ${(b.bus as PgBus).channel}`]);
    } finally {
      await admin.end();
    }
    expect(await until(() => !b.bus.listening())).toBe(true);
    expect(await until(() => b.bus.listening())).toBe(true);
    await a.bus.publish({ topic: 'changed', from: 'A', extensions: ['1022'] });
    expect(await until(() => heardB.length === 2)).toBe(true);
    expect(heardB[1]?.extensions).toEqual(['1022']);
    // Too big for one NOTIFY: refused with a clear error, nothing sent.
    await expect(a.bus.publish({ topic: 'changed', from: 'A', extensions: Array.from({ length: 2_000 }, (_, i) => String(10_000 + i)) })).rejects.toThrow(/over 7000/);
  } finally {
    for (const st of [a, b, other]) await st.close();
    await s1.drop();
    await s2.drop();
  }
});

test('on SQLite one process holds every lease without storing any', async () => {
  const store = await openStore(':memory:');
  try {
    const leases = new SyncLeases({ store, owner: 'solo', clock: () => T0, timers: { setTimeout: () => null, clearTimeout: () => undefined }, log: silentLog });
    expect(leases.shared).toBe(false);
    await leases.start();
    expect(leases.holds('graph', u(1))).toBe(true);
    expect(leases.deadline('graph', u(1))).toBe(Infinity);
    expect(await store.listLeases()).toEqual([]);
    expect((await leases.view()).holder('graph', u(1)).owner).toBe('solo');
  } finally {
    await store.close();
  }
});
