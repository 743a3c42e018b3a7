#!/usr/bin/env node
/**
 * bench:api — autocannon against PUT /api/v1/me/bookings/{id} with valid development tokens on
 * SQLite, and in the same run against a bare Fastify PUT route; prints both throughputs, their
 * ratio and p99 latency. Each server runs in its own process on 127.0.0.1. Asserts nothing.
 * Usage: npm run bench:api [-- --seconds 10 --connections 20 --users 50 --profile --soon]
 * --soon: the bookings start within the next hours, each user's first within 5 minutes, so
 * every recompute also computes a pending transition (issue 16); without it they are in the past
 * of 2026-12 (as the rows before issue 16 were measured).
 * --profile: the endpoint runs under the V8 CPU profiler; afterwards the share of CPU time by
 * where it is spent (our modules by folder, libraries by package, Node's internals, GC, idle).
 */
const { fork } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
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
const PROFILE = process.argv.includes('--profile');
const SOON = process.argv.includes('--soon');

function start(kind, env, execArgv = []) {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'api-server.js'), [kind], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'kk-prof-')) : null;
  const endpoint = await start('endpoint', env, profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
  let n = 0;
  const base = SOON ? Date.now() - 86_400_000 : Date.parse('2026-11-24T07:00:00Z');
  const soon = Date.now() + 60_000;
  const real = await run({
    url: `http://127.0.0.1:${endpoint.port}`,
    requests: [
      {
        method: 'PUT',
        setupRequest: (req) => {
          const i = n++;
          const start = SOON ? soon + (i % 2000) * 6_000 : base + (i % 500) * 1800_000;
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
  await new Promise((resolve) => {
    endpoint.child.once('exit', resolve);
    endpoint.child.kill('SIGTERM');
  });

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
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) printProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')));
    rmSync(profileDir, { recursive: true, force: true });
  }
}

/** Self time of a V8 CPU profile, grouped: our code by folder, libraries by package. */
function printProfile(profile) {
  const group = (frame) => {
    const url = frame.url || '';
    if (!url) return frame.functionName ? `(${frame.functionName.replace(/[()]/g, '')})` : '(native)';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1];
    const own = /dist\/((?:server|core|cli)(?:\/[^/]+)?)/.exec(url);
    if (own) return own[1].replace(/\.js$/, '');
    if (url.startsWith('node:')) return 'node internals';
    return url;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const g = group(byId.get(id).callFrame);
    self.set(g, (self.get(g) ?? 0) + dt);
  });
  console.log('\nwhere the endpoint spent its time (self time, share of the run):');
  for (const [g, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${((t / total) * 100).toFixed(1).padStart(5)}%  ${g}`);
}

main().catch((e) => {
  console.error(`bench:api failed: ${e.message}`);
  process.exit(1);
});
