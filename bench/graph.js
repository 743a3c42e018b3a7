#!/usr/bin/env node
/**
 * bench:graph — calendar sync against the fake Graph (test/helpers/fake-graph.ts) on 127.0.0.1:
 * USERS mailboxes with BOOKINGS bookings each; prints the time and requests of a full initial
 * sync (with one subscription per user, validated over HTTP as Graph does), of an incremental
 * round with 1% of the bookings changed, and the time from a change notification to the switch
 * connector receiving the new state. SQLite file in a temporary folder. Asserts nothing.
 * Usage: npm run bench:graph [-- --users 2000 --bookings 20 --notifications 10]
 * The endpoint is the built one (dist/); the fake Graph is test-only code, not built into dist,
 * so it is transpiled from the tests' copy at start (lib.js's loadTestHelper).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { loadTestHelper, waitingConnector } = require('./lib');

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

async function main() {
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
