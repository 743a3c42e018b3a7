#!/usr/bin/env node
/**
 * bench:sip (issue 15) — the Kamailio diversion proxy of deploy/kamailio with the real endpoint.
 * 1. N extensions (default 1,000) whose lunch starts at one instant: the endpoint
 *    (`kalenderkoppling serve`, CONNECTOR=kamailio) sets N entries through Kamailio's JSON-RPC;
 *    measured from the lunch instant until Kamailio's htable.dump holds every one (polled every
 *    --poll ms, so times are that coarse).
 * 2. Calls per second Kamailio routes with the table full: a SIPp caller dials the N extensions
 *    in turn at each rate of --rates for --seconds each; SIPp as the announcement service answers
 *    (every extension is on Talad hänvisning) and SIPp as the PBX must get none. Per rate: calls
 *    answered, failed, the rate achieved and the mean INVITE → 200 time through the proxy.
 * Needs Debian's kamailio and sip-tester (sipp). Prints numbers; asserts nothing.
 * Usage: npm run bench:sip [-- --extensions 1000 --rates 250,500,1000,1500,2000 --seconds 5 --poll 20]
 */
const { spawn, spawnSync } = require('node:child_process');
const { createSocket } = require('node:dgram');
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { cpus, tmpdir } = require('node:os');
const { join } = require('node:path');
const { arg, fmt, log, seedLunch, serve, stop } = require('./lib');

const N = Number(arg('extensions', 1_000));
const RATES = String(arg('rates', '250,500,1000,1500,2000')).split(',').map(Number);
const SECONDS = Number(arg('seconds', 5));
const POLL_MS = Number(arg('poll', 20));
const LEAD_S = Number(arg('lead', 10));
const HOST = '127.0.0.1';
const ROOT = join(__dirname, '..');
const SIPP = join(ROOT, 'test', 'helpers', 'sipp');
const extension = (i) => String(4000 + i);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freeTcp = () => new Promise((res, rej) => {
  const s = createServer().once('error', rej).listen(0, HOST, () => {
    const { port } = s.address();
    s.close(() => res(port));
  });
});
const freeUdp = () => new Promise((res, rej) => {
  const s = createSocket('udp4').once('error', rej);
  s.bind(0, HOST, () => {
    const { port } = s.address();
    s.close(() => res(port));
  });
});

const children = new Set();
function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.output = () => out;
  return child;
}
const exited = (child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));
function killAll() {
  for (const c of children) {
    try {
      if (c.kamailioGroup) process.kill(-c.pid, 'SIGKILL');
      else c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** SIPp's last -trace_stat row as { column: value }. */
function lastStats(file) {
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0].split(';');
  const row = lines.at(-1).split(';');
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}

/** A SIPp UAS (the PBX or the announcement service) without a message log, counting in its stats file. */
async function uas(name, dir) {
  const port = await freeUdp();
  const stats = join(dir, `${name}.csv`);
  const child = start('sipp', ['-sf', join(SIPP, 'uas.xml'), '-i', HOST, '-p', String(port), '-nostdin', '-trace_stat', '-stf', stats, '-fd', '1', '-timeout', '600s']);
  await sleep(300);
  if (child.exitCode !== null) throw new Error(`SIPp ${name} exited: ${child.output()}`);
  return { child, hostport: `${HOST}:${port}`, answered: () => {
    const s = lastStats(stats);
    return Number(s['SuccessfulCall(C)'] ?? 0) + Number(s['CurrentCall'] ?? 0);
  } };
}

/** The INVITE → final answer times (ms) SIPp wrote with -trace_rtt (rows `date_ms;response_time_ms;rtd_no`), sorted. */
function responseTimes(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(';')[1])).filter(Number.isFinite).sort((a, b) => a - b);
}
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function rpc(url, method, params) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }), signal: AbortSignal.timeout(5_000) });
  return res.json();
}

/** extension → the value Kamailio holds, from htable.dump. */
async function dump(url) {
  const r = await rpc(url, 'htable.dump', ['kkdiv']);
  const held = new Map();
  for (const slot of r.result ?? []) for (const item of slot.slot ?? []) held.set(item.name, item.value);
  return held;
}

async function main() {
  for (const tool of ['kamailio', 'sipp']) {
    if (spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status !== 0) throw new Error(`${tool} is not installed (apt-get install -y kamailio sip-tester)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kk-bench-sip-'));
  log(`bench:sip — ${N} extensions through Kamailio (deploy/kamailio); ${cpus().length} cores, ${cpus()[0].model}, Node ${process.version}`);
  const pbx = await uas('pbx', dir);
  const announce = await uas('announce', dir);
  const sipPort = await freeTcp();
  const rpcPort = await freeTcp();
  const kamEnv = { ...process.env, KK_SIP_PORT: String(sipPort), KK_RPC_PORT: String(rpcPort), KK_LISTEN: HOST, KK_PBX: pbx.hostport, KK_ANNOUNCE: announce.hostport, KK_RUNTIME_DIR: join(dir, 'kamailio') };
  const kam = start(join(ROOT, 'deploy', 'kamailio', 'kk-kamailio'), [], { env: kamEnv, detached: true });
  kam.kamailioGroup = true;
  const rpcUrl = `http://${HOST}:${rpcPort}/RPC`;
  for (let t = Date.now(); ; await sleep(100)) {
    if (kam.exitCode !== null) throw new Error(`Kamailio exited: ${kam.output()}`);
    try {
      if (String((await rpc(rpcUrl, 'core.version')).result).startsWith('kamailio')) break;
    } catch {
      /* not yet */
    }
    if (Date.now() - t > 15_000) throw new Error(`Kamailio did not answer within 15 s: ${kam.output()}`);
  }
  const version = (await rpc(rpcUrl, 'core.version')).result;
  log(`${version}; SIP on ${HOST}:${sipPort}, JSON-RPC on ${rpcPort}`);

  // 1. N diversions at one instant.
  const databaseUrl = join(dir, 'kalenderkoppling.sqlite');
  const lunchAt = Date.now() + LEAD_S * 1000 + Math.ceil(N / 1000) * 2000;
  log(`seeded ${N} users with a lunch each in ${fmt(await seedLunch(databaseUrl, { n: N, lunchAt, extension }))}`);
  const endpoint = await serve({ DATA_DIR: dir, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', CONNECTOR: 'kamailio', KAMAILIO_RPC_URL: rpcUrl, ...(arg('concurrency') ? { DELIVERY_CONCURRENCY: arg('concurrency') } : {}) });
  if (Date.now() >= lunchAt) log('WARNING: the start took past the lunch instant; run with a larger --lead');
  const seen = new Map();
  while (Date.now() < lunchAt + 120_000 && seen.size < N) {
    const held = await dump(rpcUrl);
    const now = Date.now();
    for (const [ext, value] of held) if (!seen.has(ext) && value.split('|')[2] === 'spoken') seen.set(ext, now - lunchAt);
    if (seen.size < N) await sleep(Math.max(0, POLL_MS - (Date.now() - now)));
  }
  const times = [...seen.values()].sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  log('');
  log(`applied:              ${seen.size} / ${N} entries in Kamailio`);
  log(`first applied:        ${fmt(times[0])} after the lunch instant`);
  log(`half applied:         ${fmt(at(0.5))}`);
  log(`all ${N} applied:    ${fmt(times.at(-1))} after the lunch instant (polled every ${POLL_MS} ms)`);
  log(`throughput:           ${Math.round(seen.size / (times.at(-1) / 1000))} entries/s`);
  await stop(endpoint);

  // 2. Calls routed with the table full.
  const inf = join(dir, 'extensions.csv');
  writeFileSync(inf, `SEQUENTIAL\n${Array.from({ length: N }, (_, i) => extension(i)).join('\n')}\n`);
  log('');
  log(`calls with ${seen.size} entries in the table, ${SECONDS} s per rate (INVITE, 200, ACK, BYE, 200 through the proxy):`);
  log('(INVITE → 200 as SIPp times it, in whole milliseconds: 0 is under 1 ms)');
  log('  target/s  answered  failed  achieved/s  INVITE→200 p50 / p99  PBX got');
  let clean = 0;
  for (const rate of RATES) {
    const calls = rate * SECONDS;
    const stats = join(dir, `uac-${rate}.csv`);
    const port = await freeUdp();
    const pbxBefore = pbx.answered();
    const t0 = Date.now();
    const uac = start('sipp', [`${HOST}:${sipPort}`, '-sf', join(SIPP, 'uac.xml'), '-inf', inf, '-m', String(calls), '-r', String(rate), '-l', String(rate * 2), '-i', HOST, '-p', String(port), '-nostdin', '-trace_stat', '-stf', stats, '-fd', '1', '-trace_rtt', '-rtt_freq', '50', '-trace_err', '-error_file', join(dir, `uac-${rate}-errors.log`), '-timeout', `${SECONDS + 30}s`], { cwd: dir });
    await exited(uac);
    const wall = (Date.now() - t0) / 1000;
    const s = lastStats(stats);
    const ok = Number(s['SuccessfulCall(C)'] ?? 0);
    const failed = Number(s['FailedCall(C)'] ?? 0);
    const rtts = responseTimes(join(dir, `uac_${uac.pid}_rtt.csv`));
    if (process.env.BENCH_VERBOSE) log(JSON.stringify(Object.fromEntries(Object.entries(s).filter(([k, v]) => /Failed|Elapsed|Response|Retrans/.test(k) && v !== '0'))));
    await sleep(1_200);
    if (failed && process.env.BENCH_VERBOSE) process.stderr.write(`Kamailio's last output:\n${kam.output().slice(-3000)}\n`);
    if (failed === 0 && ok === calls) clean = Math.max(clean, rate);
    log(`  ${String(rate).padStart(8)}  ${String(ok).padStart(8)}  ${String(failed).padStart(6)}  ${String(Math.round(ok / wall)).padStart(10)}  ${(rtts.length ? `${quantile(rtts, 0.5)} / ${quantile(rtts, 0.99)} ms` : '?').padStart(20)}  ${pbx.answered() - pbxBefore}`);
  }
  await sleep(1_000);
  log(`highest rate with every call answered: ${clean ? `${clean} calls/s` : 'none'}; the announcement service answered ${announce.answered()} calls in all`);
  kam.kill('SIGTERM');
  try {
    process.kill(-kam.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  pbx.child.kill('SIGTERM');
  announce.child.kill('SIGTERM');
  await Promise.all([exited(kam), exited(pbx.child), exited(announce.child)]);
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  if (seen.size < N) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench:sip failed: ${e.message}\n`);
  killAll();
  process.exit(1);
});
