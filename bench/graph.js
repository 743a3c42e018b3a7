#!/usr/bin/env node
/**
 * bench:graph — calendar sync against the fake Graph (test/helpers/fake-graph.ts) on 127.0.0.1:
 * USERS mailboxes with BOOKINGS bookings each; prints the time and requests of a full initial
 * sync (with one subscription per user, validated over HTTP as Graph does), of an incremental
 * round with 1% of the bookings changed, and the time from a change notification to the switch
 * connector receiving the new state. SQLite file in a temporary folder. Asserts nothing.
 * With --pg <url> (an empty PostgreSQL database) --processes N (issue 18): N endpoint processes
 * (`kalenderkoppling serve`, webhook connector to a receiver here) behind a loopback balancer that
 * Graph's validation handshakes and notifications go through; the same three measurements, timed
 * by polling the database (and the receiver), and how many calendars each process reads.
 * Usage: npm run bench:graph [-- --users 2000 --bookings 20 --notifications 10 --pg postgres://… (empty database) --processes 1]
 * The endpoint is the built one (dist/); the fake Graph is test-only code, not built into dist,
 * so it is transpiled from the tests' copy at start (lib.js's loadTestHelper).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { cpus } = require('node:os');
const lib = require('./lib');
const { loadTestHelper, serveListening, stop, waitingConnector } = lib;

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const USERS = arg('users', 2000);
const BOOKINGS = arg('bookings', 20);
const NOTIFICATIONS = arg('notifications', 10);
const TID = '11111111-1111-1111-1111-111111111111';
const CLIENT = '22222222-2222-2222-2222-222222222222';
const SECRET = 'bench-secret';
const DAY = 86_400_000;

const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const PG = lib.arg('pg', null);
const PROCESSES_ARG = lib.arg('processes', null);

/** A wrong invocation or database: printed as one line, no stack. */
class Refused extends Error {}

async function main() {
  if (PROCESSES_ARG !== null && PG === null) throw new Refused('--processes needs --pg <postgres url> (an empty database; one process per SQLite file)');
  if (PG !== null) {
    if (!/^postgres(ql)?:\/\//i.test(PG)) throw new Refused('--pg needs a postgres:// URL of an empty database');
    const n = PROCESSES_ARG === null ? 1 : Number(PROCESSES_ARG);
    if (!Number.isInteger(n) || n < 1) throw new Refused('--processes needs a whole number, 1 or more');
    return mainPg(PG, n);
  }
  return mainSqlite();
}

async function mainSqlite() {
  const { FakeGraph, freeLoopbackPort } = loadTestHelper('fake-graph.ts');
  const { loadConfig } = require('../dist/server/config');
  const { buildApp } = require('../dist/server/app');
  const { openStore } = require('../dist/server/store/open');

  const dir = mkdtempSync(join(tmpdir(), 'kk-bench-graph-'));
  const graph = new FakeGraph({ tenant: TID, clientId: CLIENT, clientSecret: SECRET, validateSubscriptions: true });
  await graph.listen();
  const port = await freeLoopbackPort();
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: String(port),
    LOG_LEVEL: 'silent',
    ...graph.endpointEnv(port),
  });
  const store = await openStore(config.databaseUrl);

  // The switch: resolves a waiter when its extension gets the state it wants.
  const connector = waitingConnector();

  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  const codes = ['L', 'M', 'T', 'K', 'GF'];
  for (let u = 0; u < USERS; u++) {
    const oid = `user-${u}`;
    await store.linkUser({ tid: TID, oid }, { extension: String(10000 + u), shared: false }, now);
    for (let b = 0; b < BOOKINGS; b++) {
      const start = today + (b + 1) * DAY + 9 * 3_600_000;
      graph.put(oid, { id: `${oid}-ev-${b}`, subject: `NP/${codes[b % codes.length]}: Bokning ${b}`, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), location: 'Rum 1' });
    }
  }

  const app = await buildApp({ config, store, verifier: { verify: async () => { throw new Error('no sign-in in the bench'); } }, logger: process.env.BENCH_LOG ? { level: 'info' } : false, connector });
  await app.listen({ port, host: '127.0.0.1' });
  await app.scheduler.start();
  const sync = app.calendar;

  const count = () => ({ ...graph.requests });
  const diff = (a, b) => Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - a[k]]));

  let before = count();
  let t = performance.now();
  const initial = await sync.runAll();
  const initialMs = performance.now() - t;
  const initialReq = diff(before, count());
  const failed = initial.filter((r) => !r.ok).length;
  const stored = initial.reduce((n, r) => n + r.stored, 0);
  await app.scheduler.drained();

  // 1% of the bookings change (moved by an hour), spread over the users.
  const changes = Math.max(1, Math.round((USERS * BOOKINGS) / 100));
  for (let i = 0; i < changes; i++) {
    const u = (i * 97) % USERS;
    const b = i % BOOKINGS;
    const start = today + (b + 1) * DAY + 10 * 3_600_000;
    graph.put(`user-${u}`, { id: `user-${u}-ev-${b}`, subject: `NP/M: Flyttad ${b}`, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() });
  }
  before = count();
  t = performance.now();
  const incremental = await sync.runAll();
  const incrementalMs = performance.now() - t;
  const incrementalReq = diff(before, count());
  const incStored = incremental.reduce((n, r) => n + r.stored, 0);
  await app.scheduler.drained();

  // Notification → switch: a booking that is in force now appears; the fake posts the notification.
  const latencies = [];
  for (let i = 0; i < NOTIFICATIONS; i++) {
    const u = (i * 131) % USERS;
    const oid = `user-${u}`;
    const code = ['S', 'Sj', 'VAB', 'TR', 'K'][i % 5];
    graph.put(oid, { id: `${oid}-now-${i}`, subject: `NP/${code}:`, start: new Date(Date.now() - 60_000).toISOString(), end: new Date(Date.now() + (i + 2) * 3_600_000).toISOString() });
    const arrived = connector.waitFor(String(10000 + u), code);
    const t0 = performance.now();
    const status = await graph.notify(oid);
    if (status !== 202) throw new Error(`notification answered ${status}`);
    latencies.push((await arrived) - t0);
  }
  latencies.sort((a, b) => a - b);

  console.log(`bench:graph — ${USERS} users × ${BOOKINGS} bookings, fake Graph and endpoint on 127.0.0.1, SQLite file, Node ${process.version}`);
  console.log(`  initial sync (with subscriptions): ${secs(initialMs)}; ${stored} bookings stored, ${failed} users failed; requests: ${initialReq.total} (delta ${initialReq.delta}, subscriptions ${initialReq.subscriptions}, token ${initialReq.token}) + ${USERS} validation handshakes`);
  console.log(`  incremental round, ${changes} bookings changed (1%): ${secs(incrementalMs)}; ${incStored} stored; requests: ${incrementalReq.total} (delta ${incrementalReq.delta}, subscriptions ${incrementalReq.subscriptions}, token ${incrementalReq.token})`);
  console.log(`  notification → switch (${latencies.length} runs): median ${latencies[Math.floor(latencies.length / 2)].toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms`);

  await app.close();
  await store.close();
  await graph.close();
  rmSync(dir, { recursive: true, force: true });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => xs[Math.floor(xs.length / 2)];

/** Polls `done` (async) every `everyMs` until it is true; throws `what` after `timeoutMs`. */
async function until(done, { everyMs, timeoutMs, what }) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (await done()) return performance.now();
    if (performance.now() > end) throw new Error(`timed out after ${secs(timeoutMs)}: ${what()}`);
    await sleep(everyMs);
  }
}

async function mainPg(url, PROCESSES) {
  const { FakeGraph, freeLoopbackPort } = loadTestHelper('fake-graph.ts');
  const { startReceiver } = loadTestHelper('switch-receiver.ts');
  const { startBalancer } = loadTestHelper('balancer.ts');
  const { openStore, redactDatabaseUrl } = require('../dist/server/store/open');
  const { belongsTo } = require('../dist/server/calendar/leases');
  const { Client } = require('pg');

  // Migrates an empty database; refuses one in use.
  const store = await openStore(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  const q = async (text, values) => (await db.query(text, values)).rows;
  const [{ n: existing }] = await q('select count(*)::int as n from users');
  if (existing > 0) {
    await db.end();
    await store.close();
    throw new Refused(`${redactDatabaseUrl(url)} already has ${existing} users: give --pg an empty database`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'kk-bench-graph-'));
  const graph = new FakeGraph({ tenant: TID, clientId: CLIENT, clientSecret: SECRET, validateSubscriptions: true });
  await graph.listen();
  const receiver = await startReceiver();
  const balancer = await startBalancer();
  const children = [];
  const closeAll = async () => {
    await Promise.all(children.map((c) => stop(c.child)));
    await db.end().catch(() => undefined);
    await receiver.close();
    await balancer.close();
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const tails = () => children.map((c) => `--- endpoint ${c.child.pid} (${c.url}), last of its output:\n${c.output().slice(-3000)}`).join('\n');

  try {
    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    const codes = ['L', 'M', 'T', 'K', 'GF'];
    let t = performance.now();
    const CHUNK = 500;
    for (let from = 0; from < USERS; from += CHUNK) {
      await store.transaction(async (tx) => {
        for (let u = from; u < Math.min(USERS, from + CHUNK); u++) await tx.linkUser({ tid: TID, oid: `user-${u}` }, { extension: String(10000 + u), shared: false }, now);
      });
    }
    await store.close();
    for (let u = 0; u < USERS; u++) {
      const oid = `user-${u}`;
      for (let b = 0; b < BOOKINGS; b++) {
        const start = today + (b + 1) * DAY + 9 * 3_600_000;
        graph.put(oid, { id: `${oid}-ev-${b}`, subject: `NP/${codes[b % codes.length]}: Bokning ${b}`, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), location: 'Rum 1' });
      }
    }
    const seedMs = performance.now() - t;

    // The ports are chosen before spawning and the balancer knows them all from the start: a
    // process's first round (started right as it listens) makes subscriptions whose validation
    // handshake comes back through the balancer, possibly before this process has read the
    // child's "listening" line. The balancer skips a backend that is not listening yet.
    const ports = [];
    while (ports.length < PROCESSES) {
      const p = await freeLoopbackPort();
      if (!ports.includes(p)) ports.push(p);
    }
    balancer.backends.push(...ports.map((p) => `http://127.0.0.1:${p}`));
    const env = (port) => ({
      DATABASE_URL: url,
      DATA_DIR: dir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      CONNECTOR: 'webhook',
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: receiver.secret,
      ...graph.endpointEnv(port),
      GRAPH_NOTIFICATION_URL: `${balancer.url}/api/v1/graph/notifications`,
    });

    const count = () => ({ ...graph.requests });
    const diff = (a, b) => Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - a[k]]));
    const reqs = (r) => `requests: ${r.total} (delta ${r.delta}, subscriptions ${r.subscriptions}, token ${r.token})`;
    const perProcess = async () => {
      const rows = await q("select l.owner, p.pid, count(*)::int as n from sync_leases l left join endpoint_processes p on p.owner = l.owner where l.source = 'graph' group by l.owner, p.pid order by l.owner");
      const held = rows.reduce((n, r) => n + r.n, 0);
      return `${rows.map((r) => `process ${r.pid ?? r.owner}: ${r.n}`).join(', ') || 'none'}${held === USERS ? '' : ` (${held} of ${USERS} leases held)`}`;
    };

    // 1. Initial sync: every booking stored and a subscription per user.
    const total = USERS * BOOKINGS;
    let before = count();
    const t0 = performance.now();
    await Promise.all(
      ports.map(async (port) => {
        const c = await serveListening(env(port));
        children.push(c);
        if (c.url !== `http://127.0.0.1:${port}`) throw new Error(`endpoint ${c.child.pid} listens on ${c.url}, not on port ${port}`);
      }),
    );
    const tListening = performance.now();
    let stored = 0;
    const tInitial = await until(
      async () => {
        [{ n: stored }] = await q('select count(*)::int as n from bookings');
        return stored >= total && graph.subscriptions.size >= USERS;
      },
      { everyMs: 100, timeoutMs: 10 * 60_000, what: () => `${stored} / ${total} bookings, ${graph.subscriptions.size} / ${USERS} subscriptions` },
    );
    const initialReq = diff(before, count());
    const initialHits = [...balancer.hits.values()].reduce((a, b) => a + b, 0);
    const readInitial = await perProcess();

    // The processes' spread settles (a process that found the others not yet alive took every
    // lease; the next heartbeats hand each its share), then Graph goes quiet for a second.
    const settleFrom = performance.now();
    let misplaced = -1;
    await until(
      async () => {
        const alive = (await q('select owner from endpoint_processes where heartbeat_at > $1', [Date.now() - 40_000])).map((r) => r.owner);
        const leases = await q("select tid, oid, owner from sync_leases where source = 'graph'");
        misplaced = USERS - leases.filter((l) => belongsTo(alive, 'graph', { tid: l.tid, oid: l.oid }) === l.owner).length;
        return alive.length === PROCESSES && misplaced === 0;
      },
      { everyMs: 200, timeoutMs: 90_000, what: () => `${misplaced} leases not yet with their process` },
    );
    const settledMs = performance.now() - settleFrom;
    let last = -1;
    await until(
      async () => {
        const n = graph.requests.total;
        const quiet = n === last;
        last = n;
        return quiet;
      },
      { everyMs: 1_000, timeoutMs: 60_000, what: () => 'the fake Graph kept getting requests' },
    );
    const readSettled = await perProcess();

    // 2. 1% of the bookings change (moved by an hour), spread over the users; one notification per user, through the balancer.
    const changes = Math.max(1, Math.round((USERS * BOOKINGS) / 100));
    const moved = { oids: [], starts: [] };
    const changedUsers = new Set();
    for (let i = 0; i < changes; i++) {
      const u = (i * 97) % USERS;
      const b = i % BOOKINGS;
      const start = today + (b + 1) * DAY + 10 * 3_600_000;
      graph.put(`user-${u}`, { id: `user-${u}-ev-${b}`, subject: `NP/M: Flyttad ${b}`, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() });
      moved.oids.push(`user-${u}`);
      moved.starts.push(String(start));
      changedUsers.add(`user-${u}`);
    }
    before = count();
    t = performance.now();
    const statuses = await Promise.all([...changedUsers].map((oid) => graph.notify(oid)));
    const refused = statuses.filter((s) => s !== 202);
    if (refused.length > 0) throw new Error(`${refused.length} notifications not answered 202 (e.g. ${refused[0]})`);
    let arrived = 0;
    const tChanged = await until(
      async () => {
        [{ n: arrived }] = await q('select count(*)::int as n from bookings b join unnest($1::text[], $2::bigint[]) as m(oid, start) on b.tid = $3 and b.oid = m.oid and b.start = m.start', [moved.oids, moved.starts, TID]);
        return arrived >= changes;
      },
      { everyMs: 100, timeoutMs: 5 * 60_000, what: () => `${arrived} / ${changes} moved bookings stored` },
    );
    const changedMs = tChanged - t;
    const changedReq = diff(before, count());
    await sleep(1_000); // the rounds' last requests (and deliveries) end

    // 3. Notification → switch: a booking that is in force now appears; the fake posts the notification (through the balancer).
    const latencies = [];
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const u = (i * 131) % USERS;
      const oid = `user-${u}`;
      const ext = String(10000 + u);
      const code = ['S', 'Sj', 'VAB', 'TR', 'K'][i % 5];
      graph.put(oid, { id: `${oid}-now-${i}`, subject: `NP/${code}:`, start: new Date(Date.now() - 60_000).toISOString(), end: new Date(Date.now() + (i + 2) * 3_600_000).toISOString() });
      const t1 = performance.now();
      const status = await graph.notify(oid);
      if (status !== 202) throw new Error(`notification answered ${status}`);
      const at = await until(async () => receiver.acknowledged.get(ext)?.code === code, { everyMs: 5, timeoutMs: 60_000, what: () => `extension ${ext} not acknowledged with ${code} (has ${JSON.stringify(receiver.acknowledged.get(ext) ?? null)})` });
      latencies.push(at - t1);
    }
    latencies.sort((a, b) => a - b);
    const readEnd = await perProcess();
    const hits = ports.map((p) => `process ${children.find((c) => c.url.endsWith(`:${p}`)).child.pid}: ${balancer.hits.get(`http://127.0.0.1:${p}`) ?? 0}`).join(', ');
    const logged = children.map((c) => ({ pid: c.child.pid, lines: c.output().split('\n').filter((l) => /"level":(40|50|60)/.test(l) || (l.trim() !== '' && !l.startsWith('{') && !/^(Kalenderkoppling endpoint | {2}\w)/.test(l))) }));

    console.log(`bench:graph — ${USERS} users × ${BOOKINGS} bookings, fake Graph on 127.0.0.1, ${PROCESSES} endpoint process(es) behind a loopback balancer, PostgreSQL (${redactDatabaseUrl(url)}), ${cpus().length} cores, ${cpus()[0].model}, Node ${process.version}`);
    console.log(`  seeded ${USERS} users and the fake's ${total} events in ${secs(seedMs)}; processes listening ${secs(tListening - t0)} after spawning`);
    console.log(`  initial sync (with subscriptions): ${secs(tInitial - t0)} from spawning, ${secs(tInitial - tListening)} from all listening; ${stored} bookings stored, ${graph.subscriptions.size} subscriptions; ${reqs(initialReq)} + ${initialHits} validation handshakes through the balancer`);
    console.log(`  calendars read per process (sync_leases) when the initial sync was done: ${readInitial}`);
    console.log(`  leases on their rendezvous process ${secs(settledMs)} after that: ${readSettled}`);
    console.log(`  1% changed, ${changes} bookings of ${changedUsers.size} users, one notification per user through the balancer: ${secs(changedMs)} until all stored; ${reqs(changedReq)}`);
    console.log(`  notification → switch (${latencies.length} runs): median ${median(latencies).toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms`);
    console.log(`  calendars read per process at the end: ${readEnd}; balancer requests per process: ${hits}`);
    console.log(`  endpoint warnings/errors (and other output past the start-up lines): ${logged.map((l) => `process ${l.pid}: ${l.lines.length}`).join(', ')}`);
    for (const l of logged) for (const line of l.lines.slice(-5)) console.log(`    ${l.pid}: ${line.slice(0, 400)}`);
  } catch (err) {
    if (children.length > 0) process.stderr.write(`${tails()}\n`);
    throw err;
  } finally {
    await closeAll();
  }
}

main().catch((err) => {
  if (err instanceof Refused) process.stderr.write(`bench:graph: ${err.message}\n`);
  else console.error(err);
  process.exit(1);
});
