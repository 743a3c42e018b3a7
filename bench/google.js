#!/usr/bin/env node
/**
 * bench:google (issue 17) — Google calendar sync against the fake Google
 * (test/helpers/fake-google.ts) on 127.0.0.1, through Google's own client libraries: USERS
 * Workspace users with EVENTS events each; prints the time and requests of a full initial sync
 * (with one push channel per user), of the sync after 1% of the events changed (Google pushes
 * each change and a poll round follows, as when the endpoint runs), and the time from a change
 * in Google to the switch connector receiving the new state (the fake posts the push message
 * itself). SQLite file in a temporary folder. Asserts nothing.
 * Usage: npm run bench:google [-- --users 2000 --events 20 --notifications 10]
 */
const { generateKeyPairSync } = require('node:crypto');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { arg, dist, log, loadTestHelper, waitingConnector } = require('./lib');

const USERS = Number(arg('users', 2000));
const EVENTS = Number(arg('events', 20));
const NOTIFICATIONS = Number(arg('notifications', 10));
const DOMAIN = 'bench.example';
const CLIENT_EMAIL = 'bench@kalenderkoppling.iam.gserviceaccount.com';
const TID = '11111111-1111-1111-1111-111111111111';
const DAY = 86_400_000;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function main() {
  const { startFakeGoogle } = loadTestHelper('fake-google.ts');
  const { loadConfig } = dist('server/config');
  const { buildApp } = dist('server/app');
  const { openStore } = dist('server/store/open');

  const dir = mkdtempSync(join(tmpdir(), 'kk-bench-google-'));
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const keyFile = join(dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: CLIENT_EMAIL, private_key: keys.privateKey }), { mode: 0o600 });
  const google = await startFakeGoogle({ clientEmail: CLIENT_EMAIL, publicKeyPem: keys.publicKey, domain: DOMAIN });
  const port = await freePort();
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: String(port),
    LOG_LEVEL: 'silent',
    GOOGLE_SERVICE_ACCOUNT_FILE: keyFile,
    GOOGLE_DOMAIN: DOMAIN,
    GOOGLE_API_URL: google.url,
    GOOGLE_TOKEN_URL: google.tokenUrl,
    GOOGLE_NOTIFICATION_URL: `http://127.0.0.1:${port}/api/v1/google/notifications`,
  });
  const store = await openStore(config.databaseUrl);

  // The switch: resolves a waiter when its extension gets the state it wants.
  const connector = waitingConnector();

  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  const codes = ['L', 'M', 'T', 'K', 'GF'];
  const email = (u) => `user${u}@${DOMAIN}`;
  const at = (b, hour) => ({ dateTime: new Date(today + (b + 1) * DAY + hour * 3_600_000).toISOString() });
  for (let u = 0; u < USERS; u++) {
    await store.linkUser({ tid: TID, oid: `user-${u}` }, { extension: String(10000 + u), shared: false, mail: email(u) }, now);
    for (let b = 0; b < EVENTS; b++) google.put(email(u), { id: `u${u}ev${b}`, summary: `NP/${codes[b % codes.length]}: Bokning ${b}`, start: at(b, 9), end: at(b, 10), location: 'Rum 1' });
  }

  const app = await buildApp({ config, store, verifier: { verify: async () => { throw new Error('no sign-in in the bench'); } }, logger: process.env.BENCH_LOG ? { level: 'info' } : false, connector });
  await app.listen({ port, host: '127.0.0.1' });
  await app.scheduler.start();
  const sync = app.google;
  const requests = () => google.requests.length;
  const kinds = (from) => {
    const r = google.requests.slice(from);
    return { list: r.filter((q) => q.path.endsWith('/events')).length, watch: r.filter((q) => q.path.endsWith('/watch')).length, token: r.filter((q) => q.path === '/token').length };
  };

  let before = requests();
  let t = performance.now();
  const initial = await sync.runAll();
  await sync.idle();
  const initialMs = performance.now() - t;
  const initialReq = kinds(before);
  const failed = initial.filter((r) => !r.ok).length;
  const stored = initial.reduce((n, r) => n + r.stored, 0);
  await app.scheduler.drained();

  // 1% of the events change (moved by an hour), spread over the users; Google pushes each change.
  const changes = Math.max(1, Math.round((USERS * EVENTS) / 100));
  before = requests();
  t = performance.now();
  for (let i = 0; i < changes; i++) {
    const u = (i * 97) % USERS;
    const b = i % EVENTS;
    google.put(email(u), { id: `u${u}ev${b}`, summary: `NP/M: Flyttad ${b}`, start: at(b, 10), end: at(b, 11) });
  }
  await sync.runAll();
  await sync.idle();
  const incrementalMs = performance.now() - t;
  const incrementalReq = kinds(before);
  await app.scheduler.drained();

  // Change → switch: an event in force now appears in Google; the fake posts the push message.
  const latencies = [];
  for (let i = 0; i < NOTIFICATIONS; i++) {
    const u = (i * 131) % USERS;
    const code = ['S', 'Sj', 'VAB', 'TR', 'K'][i % 5];
    const arrived = connector.waitFor(String(10000 + u), code);
    const t0 = performance.now();
    google.put(email(u), { id: `u${u}now${i}`, summary: `NP/${code}:`, start: { dateTime: new Date(Date.now() - 60_000).toISOString() }, end: { dateTime: new Date(Date.now() + (i + 2) * 3_600_000).toISOString() } });
    latencies.push((await arrived) - t0);
  }
  latencies.sort((a, b) => a - b);

  log(`bench:google — ${USERS} users × ${EVENTS} events, fake Google and endpoint on 127.0.0.1, SQLite file, Node ${process.version}`);
  log(`  initial sync (with push channels): ${secs(initialMs)}; ${stored} bookings stored, ${failed} users failed; requests: ${initialReq.list} events.list, ${initialReq.watch} watch, ${initialReq.token} token`);
  log(`  1% changed (${changes} events, pushed, then a poll round): ${secs(incrementalMs)}; requests: ${incrementalReq.list} events.list, ${incrementalReq.token} token`);
  log(`  change in Google → switch (${latencies.length} runs): median ${latencies[Math.floor(latencies.length / 2)].toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms`);

  await app.close();
  await store.close();
  await google.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
