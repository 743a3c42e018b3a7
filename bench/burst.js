#!/usr/bin/env node
/**
 * bench:burst (issue 4) — N extensions (default 50,000) whose lunch starts at the same instant.
 * Seeds a SQLite file (or PostgreSQL with --pg <url>) as a running installation would be: users
 * linked, a lunch booking each, and the switch already told "no diversion". Then starts the real
 * endpoint (`kalenderkoppling serve`, webhook connector) in its own process against a receiver
 * in this process, and measures from the lunch instant until the receiver has acknowledged all N
 * diversions, plus the endpoint's peak memory (VmHWM). Prints numbers; asserts nothing.
 * --batch N sets WEBHOOK_BATCH_SIZE (issue 16): the receiver then answers each item of a batch.
 * --processes 2 (with --pg, an empty database) runs two endpoint processes sharing the work.
 * Usage: npm run bench:burst [-- --extensions 50000 --lead 40 --concurrency 16 --batch 1 --pg postgres://… --processes 1]
 */
const { createHmac } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:http');
const { cpus, tmpdir } = require('node:os');
const { join } = require('node:path');
const { arg, fmt, log, seedLunch, serve, stop, vmHwmMb } = require('./lib');

const N = Number(arg('extensions', 50_000));
const LEAD_S = Number(arg('lead', 40));
const CONCURRENCY = arg('concurrency', '16');
const BATCH = arg('batch', '1');
const PROCESSES = Number(arg('processes', 1));
const PG = arg('pg', '');
const SECRET = 'bench-burst-secret-0123456789';

function receiver() {
  const state = { acked: 0, requests: 0, firstAt: 0, lastAt: 0, bad: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      const raw = Buffer.concat(chunks);
      if (req.headers['x-kalenderkoppling-signature'] !== `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`) {
        state.bad++;
        res.writeHead(401).end();
        return;
      }
      const body = JSON.parse(raw.toString('utf8'));
      const items = Array.isArray(body) ? body : [body];
      for (const d of items) {
        if (d.state && d.state.code === 'L') {
          state.acked++;
          state.lastAt = Date.now();
          if (!state.firstAt) state.firstAt = state.lastAt;
        }
      }
      if (!Array.isArray(body)) return void res.writeHead(200).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: items.map((d) => ({ idempotencyKey: d.idempotencyKey, status: 200 })) }));
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, state, url: `http://127.0.0.1:${server.address().port}/switch` })));
}

async function main() {
  if (PROCESSES > 1 && !PG) throw new Error('--processes above 1 needs --pg (one process per SQLite file)');
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-burst-'));
  const databaseUrl = PG || join(dataDir, 'kalenderkoppling.sqlite');
  log(`bench:burst — ${N} extensions, lunch at one instant; ${PG ? 'PostgreSQL' : 'SQLite'}; delivery concurrency ${CONCURRENCY}; batch size ${BATCH}; ${PROCESSES} endpoint process(es); ${cpus().length} cores, ${cpus()[0].model}, Node ${process.version}`);
  const lunchAt = Date.now() + LEAD_S * 1000 + Math.ceil(N / 1000) * 1000;
  const seedMs = await seedLunch(databaseUrl, { n: N, lunchAt, extension: (i) => String(100_000 + i) });
  log(`seeded in ${fmt(seedMs)}`);
  const r = await receiver();
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', CONNECTOR: 'webhook', WEBHOOK_URL: r.url, WEBHOOK_SECRET: SECRET, DELIVERY_CONCURRENCY: CONCURRENCY, WEBHOOK_BATCH_SIZE: BATCH };
  const started = Date.now();
  const children = await Promise.all(Array.from({ length: PROCESSES }, () => serve(env)));
  const startMs = Date.now() - started;
  const hwm = () => Math.max(...children.map((c) => vmHwmMb(c.pid)));
  log(`endpoint started (every extension recomputed) in ${fmt(startMs)}; peak memory so far ${hwm().toFixed(0)} MB`);
  if (Date.now() >= lunchAt) log(`WARNING: the start took past the lunch instant; run with a larger --lead`);
  else log(`lunch starts in ${fmt(lunchAt - Date.now())}`);
  let peak = 0;
  const watch = setInterval(() => {
    peak = Math.max(peak, hwm());
  }, 250);
  const deadline = lunchAt + 10 * 60_000;
  let lastShown = 0;
  while (r.state.acked < N && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 100));
    if (Date.now() - lastShown >= 2_000 && Date.now() > lunchAt) {
      lastShown = Date.now();
      log(`  ${fmt(Date.now() - lunchAt)} after the lunch instant: ${r.state.acked} / ${N} acknowledged`);
    }
  }
  clearInterval(watch);
  peak = Math.max(peak, hwm());
  const total = r.state.lastAt - lunchAt;
  log('');
  log(`acknowledged:            ${r.state.acked} / ${N} (receiver requests ${r.state.requests}, bad signatures ${r.state.bad})`);
  log(`first diversion:         ${fmt(r.state.firstAt - lunchAt)} after the lunch instant`);
  log(`all ${N} diversions:   ${fmt(total)} after the lunch instant (aim: under 15 s)`);
  log(`throughput:              ${Math.round(r.state.acked / (total / 1000))} states/s`);
  log(`endpoint peak memory:    ${peak.toFixed(0)} MB (VmHWM of the largest process; aim: under 500 MB)`);
  await Promise.all(children.map(stop));
  r.server.close();
  if (!PG) rmSync(dataDir, { recursive: true, force: true });
  if (r.state.acked < N) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench:burst failed: ${e.message}\n`);
  process.exit(1);
});
