/**
 * The real process over loopback HTTP: `kalenderkoppling serve` on its defaults (SQLite file,
 * development sign-in), a token from `kalenderkoppling token`, data kept across a SIGTERM restart.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli';
import { startEndpoint as serve, stopEndpoint, waitFor } from '../helpers/endpoint';

const stop = (e: Awaited<ReturnType<typeof serve>>) => stopEndpoint(e);

const tokenFor = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnCli(['token', ...args], env);
  expect(r.status).toBe(0);
  return r.stdout.trim();
};

function spawnCli(args: string[], env: Record<string, string>) {
  const { spawnSync } = jest.requireActual<typeof import('node:child_process')>('node:child_process');
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('serve on its defaults, sign in with a development token, keep data across a graceful restart', async () => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-serve-')), PORT: '0' };
  const anna = tokenFor(env, '--user', 'anna', '--name', 'Anna A', '--extension', '1021');
  const admin = tokenFor(env, '--user', 'boss', '--admin');
  let server = await serve(env);
  const h = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });

  const start = new Date(Date.now() - 60_000).toISOString();
  const end = new Date(Date.now() + 120_000).toISOString();
  const put = await fetch(`${server.url}/api/v1/me/bookings/loopback-1`, { method: 'PUT', headers: h(anna), body: JSON.stringify({ subject: 'NP/L: Lunch', start, end }) });
  expect(put.status).toBe(200);
  expect((await put.json()).outcome).toBe('created');
  const state = await (await fetch(`${server.url}/api/v1/me/state`, { headers: h(anna) })).json();
  expect(state.state).toMatchObject({ key: 'L', mex: 0 });
  expect((await fetch(`${server.url}/api/v1/admin/users`, { headers: h(admin) })).status).toBe(200);
  // The embedded journal connector received the diversion: what the switch would have got.
  let journal: { extension: string; state: { code: string } | null }[] = [];
  for (let i = 0; i < 50 && !journal.some((e) => e.state?.code === 'L'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    journal = (await (await fetch(`${server.url}/api/v1/admin/switch`, { headers: h(admin) })).json()).entries;
  }
  expect(journal).toEqual(expect.arrayContaining([expect.objectContaining({ extension: '1021', state: expect.objectContaining({ code: 'L' }) })]));
  expect((await fetch(`${server.url}/api/v1/me/state`, { headers: h('garbage') })).status).toBe(401);
  expect(server.output()).toContain(`${server.url}/docs`);

  expect(await stop(server)).toBe(0);
  server = await serve(env);
  const again = await (await fetch(`${server.url}/api/v1/me/state`, { headers: h(anna) })).json();
  expect(again.state).toMatchObject({ key: 'L' });
  expect(await stop(server)).toBe(0);
}, 60_000);

test('the first start creates its data folder (npm start in a fresh clone)', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'kk-serve-')), 'data');
  const server = await serve({ DATA_DIR: dataDir, PORT: '0' });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(await stop(server)).toBe(0);
}, 60_000);

test('development sign-in refuses to listen beyond loopback, in one line naming HOST', () => {
  const r = spawnCli(['serve'], { HOST: '0.0.0.0', DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-serve-')) });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/HOST must be a loopback address/);
});

test('a port in use is a one-line error', async () => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-serve-')), PORT: '0' };
  const first = await serve(env);
  const port = new URL(first.url).port;
  const r = spawnCli(['serve'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-serve-')), PORT: port });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/cannot start: .*EADDRINUSE/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  await stop(first);
}, 60_000);

test('a second endpoint on the same SQLite file refuses to start, naming the first; after a kill -9 it starts', async () => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-serve-')), PORT: '0' };
  const first = await serve(env);
  const r = spawnCli(['serve'], env);
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(`already used by process ${first.child.pid}`);
  expect(r.stderr).toMatch(/one endpoint process per SQLite file.*PostgreSQL/);
  // The command line still works beside the running endpoint.
  expect(spawnCli(['token', '--user', 'someone', '--extension', '1030'], env).status).toBe(0);
  // The operating system ends the lock with the process, so a crash leaves nothing stale.
  await stopEndpoint(first, 'SIGKILL');
  const second = await serve(env);
  expect(await stop(second)).toBe(0);
}, 60_000);

test('token: usage errors and Entra mode are one-line errors', () => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-tok-')) };
  expect(spawnCli(['token'], env)).toMatchObject({ status: 2, stderr: expect.stringMatching(/token needs --user/) });
  expect(spawnCli(['token', '--user', 'a b'], env)).toMatchObject({ status: 2 });
  expect(spawnCli(['token', '--user', 'x', '--extension', 'abc'], env)).toMatchObject({ status: 2, stderr: expect.stringMatching(/--extension/) });
  const entra = { ...env, AUTH_MODE: 'entra', ENTRA_TENANT_IDS: '72f988bf-86f1-41af-91ab-2d7cd011db47', ENTRA_AUDIENCE: 'api://x' };
  expect(spawnCli(['token', '--user', 'x'], entra)).toMatchObject({ status: 2, stderr: expect.stringMatching(/development sign-in only/) });
});

// Issue 19: a supervisor may send SIGTERM the moment it reads "listening"; the handler must be there.
test('a SIGTERM sent the moment "listening" appears is a graceful stop, every time', async () => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-serve-')), PORT: '0' };
  const codes: (number | null)[] = [];
  for (let i = 0; i < 5; i++) {
    const server = await serve(env);
    codes.push(await stop(server));
  }
  expect(codes).toEqual([0, 0, 0, 0, 0]);
}, 90_000);

test('a SIGTERM during start-up stops it cleanly: exit 0, the database closed and the lock released', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-serve-'));
  const env = { DATA_DIR: dataDir, PORT: '0' };
  for (let i = 0; i < 3; i++) {
    // "starting" is printed once the signal handlers are installed, before the database opens.
    const starting = await serve(env, { ready: /endpoint starting/ });
    expect(await stop(starting)).toBe(0);
    expect(starting.output()).not.toMatch(/Error|killed by timeout/);
    // Closed, not half-open: no write-ahead log or lock holder left behind.
    expect(readdirSync(dataDir).filter((f) => f.endsWith('-wal') || f.endsWith('.pid'))).toEqual([]);
  }
  // And the next start finds a sound database and a free lock.
  const next = await serve(env);
  expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
  expect(await stop(next)).toBe(0);
}, 90_000);

test('npm start passes SIGTERM on to the endpoint: no server is left running', async () => {
  const { spawn } = jest.requireActual<typeof import('node:child_process')>('node:child_process');
  const root = join(__dirname, '..', '..');
  const npm = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-npm-')), PORT: '0', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  expect(await waitFor(() => /listening on http/.test(out), 30_000)).toBe(true);
  const pid = Number(/endpoint starting \(process (\d+)/.exec(out)?.[1]);
  expect(pid).toBeGreaterThan(0);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    expect(alive()).toBe(true);
    npm.kill('SIGTERM');
    expect(await waitFor(() => !alive(), 15_000)).toBe(true);
    await exited;
  } finally {
    if (alive()) process.kill(pid, 'SIGKILL');
  }
}, 60_000);

// The embedding API (bench scripts, tests): stop() right after a change, with nothing else keeping
// the process alive. Its coalescing timer is unref'd, so a stop that waited for it let Node exit
// half-way through closing: no "stopped", the database never closed.
test('startServer().stop() right after a change finishes closing, though its coalescing timer is unref’d', () => {
  const { spawnSync } = jest.requireActual<typeof import('node:child_process')>('node:child_process');
  const dist = join(__dirname, '..', '..', 'dist', 'server');
  const script = `
    const { loadConfig } = require(${JSON.stringify(join(dist, 'config'))});
    const { startServer } = require(${JSON.stringify(join(dist, 'main'))});
    (async () => {
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: process.env.DATA_DIR, LOG_LEVEL: 'silent' });
      const server = await startServer(config);
      const dev = await fetch(server.url + '/addin/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'anna', extension: '1021' }) });
      const { token } = await dev.json();
      const start = new Date(Date.now() - 60000).toISOString(), end = new Date(Date.now() + 3600000).toISOString();
      const r = await fetch(server.url + '/api/v1/me/bookings/b1', { method: 'PUT', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'NP/L: Lunch', start, end }) });
      console.log('put', r.status);
      await server.stop();
      console.log('stopped');
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-stop-'));
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 });
  expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: 'put 200\nstopped\n', stderr: '' });
  expect(readdirSync(dataDir).filter((f) => f.endsWith('-wal') || f.endsWith('.pid'))).toEqual([]);
}, 40_000);
