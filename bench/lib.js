/**
 * What the benchmarks share (not shipped, not a test): arguments, output, a SQLite or
 * PostgreSQL store seeded as a running installation would be, the real endpoint as a child
 * process, and its peak memory.
 */
const { spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const TENANT = '00000000-0000-0000-0000-000000000000';

/** `--name value` from the command line, else `dflt`. */
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dist = (p) => require(join(__dirname, '..', 'dist', p));
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const log = (s) => process.stdout.write(`${s}\n`);

/** The process's peak resident memory (VmHWM) in MB, NaN when it cannot be read. */
function vmHwmMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * `n` users u0… linked to `extension(i)`, each with a one-hour lunch booking from `lunchAt`, and
 * the switch already told "no diversion" (version 1 delivered): as after a long steady run.
 * Returns the milliseconds it took.
 */
async function seedLunch(databaseUrl, { n, lunchAt, extension }) {
  const { openStore } = dist('server/store/open.js');
  const { Service } = dist('server/service/index.js');
  const store = await openStore(databaseUrl);
  const t0 = Date.now();
  const booking = { subject: 'NP/L: Lunch', start: new Date(lunchAt).toISOString(), end: new Date(lunchAt + 3_600_000).toISOString() };
  const CHUNK = 1_000;
  for (let from = 0; from < n; from += CHUNK) {
    await store.transaction(async (tx) => {
      const service = new Service(tx, Date.now, 'Europe/Stockholm');
      for (let i = from; i < Math.min(n, from + CHUNK); i++) {
        const ext = extension(i);
        const user = await service.linkUser({ tid: TENANT, oid: `u${i}` }, { extension: ext, shared: false });
        await service.putBooking(await service.context(user), `lunch-${i}`, booking);
        await tx.putDesiredState(ext, null, null, Date.now());
        await tx.recordDelivery(ext, 1, { ok: true, at: Date.now() });
      }
    });
    if ((from / CHUNK) % 10 === 9) log(`  seeded ${from + CHUNK} / ${n} (${fmt(Date.now() - t0)})`);
  }
  await store.close();
  return Date.now() - t0;
}

/** `kalenderkoppling serve` from dist/ with `env`; resolves with the child once it listens. */
const serve = (env) => serveListening(env).then((e) => e.child);

/**
 * `kalenderkoppling serve` from dist/ with `env`; resolves once the whole "listening on <url>" line has arrived, with
 * { child, url, output }: output() is what the child has written so far (stdout and stderr, the
 * last 500 kB or more), for reporting its warnings or a failure.
 */
function serveListening(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), join(__dirname, '..', 'dist', 'cli', 'index.js'), 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let url = null;
    const onData = (d) => {
      out += d.toString();
      if (out.length > 1_000_000) out = out.slice(-500_000);
      if (process.env.BENCH_VERBOSE) process.stderr.write(d);
      const m = url === null ? /listening on (http:\/\/\S+)\r?\n/.exec(out) : null;
      if (m) {
        url = m[1];
        resolve({ child, url, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      if (url === null) reject(new Error(`endpoint exited with ${code} before listening: ${out.slice(-2000)}`));
    });
  });
}

/** SIGTERM, then resolves when it has exited. */
function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    child.once('exit', res);
    child.kill('SIGTERM');
  });
}

/**
 * A test-only helper (test/helpers/<name>, e.g. the fake Graph or the fake Google) for a bench:
 * not built into dist/, so transpiled with the typescript package (types are not checked here;
 * tsc and the tests do that) into a temporary file under node_modules/.cache (so the project's
 * packages resolve from it), required, and the file removed.
 */
function loadTestHelper(name) {
  const ts = require('typescript');
  const source = join(__dirname, '..', 'test', 'helpers', name);
  const out = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: source,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  if (out.diagnostics && out.diagnostics.length > 0) {
    throw new Error(`${source}: ${out.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
  }
  const cache = join(__dirname, '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'kk-bench-'));
  try {
    const file = join(dir, name.replace(/\.ts$/, '.js'));
    writeFileSync(file, out.outputText);
    return require(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A switch connector for the calendar benches: `waitFor(extension, code)` resolves with
 * performance.now() when that extension gets a state with that code.
 */
function waitingConnector() {
  const waiters = [];
  return {
    name: 'bench',
    async apply(d) {
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w.extension === d.extension && d.state && d.state.code === w.code) {
          waiters.splice(i, 1);
          w.resolve(performance.now());
        }
      }
      return { ok: true, status: 200 };
    },
    waitFor: (extension, code) => new Promise((resolve) => waiters.push({ extension, code, resolve })),
  };
}

module.exports = { arg, dist, fmt, log, vmHwmMb, seedLunch, serve, serveListening, stop, loadTestHelper, waitingConnector };
