#!/usr/bin/env node
/**
 * bench:api — autocannon against PUT /api/v1/me/bookings/{id} with valid development tokens on
 * SQLite, and in the same run against a bare Fastify PUT route; prints both throughputs, their
 * ratio and p99 latency. Each server runs in its own process on 127.0.0.1. Asserts nothing.
 * Usage: npm run bench:api [-- --seconds 10 --connections 20 --users 50]
 */
const { fork } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 20);
const USERS = arg('users', 50);

function start(kind, env) {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'api-server.js'), [kind], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

function run(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ duration: SECONDS, connections: CONNECTIONS, pipelining: 1, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-bench-'));
  const env = { DATA_DIR: dataDir };
  const { devToken } = require('../dist/cli/token');
  process.stdout.write(`preparing ${USERS} users with development tokens…\n`);
  const tokens = [];
  for (let i = 0; i < USERS; i++) tokens.push(await devToken(['--user', `bench${i}`, '--extension', String(2000 + i)], { ...process.env, ...env }));

  const endpoint = await start('endpoint', env);
  let n = 0;
  const base = Date.parse('2026-11-24T07:00:00Z');
  const real = await run({
    url: `http://127.0.0.1:${endpoint.port}`,
    requests: [
      {
        method: 'PUT',
        setupRequest: (req) => {
          const i = n++;
          const start = base + (i % 500) * 1800_000;
          return {
            ...req,
            path: `/api/v1/me/bookings/AAMkBench${i % 2000}`,
            headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              subject: i % 3 ? 'NP/L: Lunch' : 'NP/M: Möte',
              start: new Date(start).toISOString(),
              end: new Date(start + 3600_000).toISOString(),
              showAs: 'busy',
              lastModified: new Date(base + i * 1000).toISOString(),
            }),
          };
        },
      },
    ],
  });
  endpoint.child.kill('SIGTERM');

  const bare = await start('bare', env);
  const plain = await run({
    url: `http://127.0.0.1:${bare.port}`,
    requests: [{ method: 'PUT', path: '/bare/x', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'NP/L: Lunch', start: '2026-11-24T11:00:00Z' }) }],
  });
  bare.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });

  const line = (name, r) =>
    `${name.padEnd(34)} ${Math.round(r.requests.average).toLocaleString('en-US').padStart(8)} req/s   p50 ${r.latency.p50} ms   p99 ${r.latency.p99} ms   errors ${r.errors}   non-2xx ${r.non2xx}`;
  console.log(`node ${process.version}, ${cpus()[0].model}, ${cpus().length} cores; ${SECONDS} s each, ${CONNECTIONS} connections`);
  console.log(line('PUT /api/v1/me/bookings/{id}', real));
  console.log(line('bare Fastify PUT', plain));
  console.log(`ratio: ${((real.requests.average / plain.requests.average) * 100).toFixed(1)}% of the bare route's throughput`);
}

main().catch((e) => {
  console.error(`bench:api failed: ${e.message}`);
  process.exit(1);
});
