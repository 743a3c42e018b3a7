/**
 * Issue 10: the data folder holds names, phone numbers and message texts. What the endpoint
 * creates there is private to its user, folder 0700 and files 0600, whatever the umask; an
 * existing folder or file open to other users is a warning per path at start, and the endpoint
 * runs on.
 *
 * The real process runs under `sh -c 'umask …; exec node dist/cli/index.js …'` (compile first);
 * the functions of private-files.ts run here, with this process's umask changed for the call.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../../../src/server/store/open';
import {
  checkDataFolders,
  checkPrivate,
  createPrivateFile,
  formatMode,
  makePrivateDir,
  wideWarning,
  writePrivateFile,
} from '../../../src/server/store/private-files';
import { holdSqliteLock } from '../../../src/server/store/sqlite-lock';
import { cliCommand, type Endpoint, startEndpoint, stopEndpoint, waitFor } from '../../helpers/endpoint';

const posix = process.platform !== 'win32';
const maybe = posix ? describe : describe.skip;

const mode = (p: string) => statSync(p).mode & 0o777;
const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Every entry of `dir` with its mode, e.g. { '.': '0700', 'kalenderkoppling.sqlite': '0600' }. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': formatMode(mode(dir)) };
  for (const name of readdirSync(dir)) out[name] = formatMode(mode(join(dir, name)));
  return out;
}

/** Runs `fn` with this process's umask set to `mask`, then puts the old one back. */
function withUmask<T>(mask: number, fn: () => T): T {
  const old = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

async function withUmaskAsync<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const old = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

// ---------------------------------------------------------------------------------------------
// The real process under a given umask

function cliUnder(umask: string, args: string[], env: Record<string, string>) {
  const [command, argv] = cliCommand(args, umask);
  const r = spawnSync(command, argv, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Served = Endpoint;
/** `serve` under `umask`; resolves at its "listening on" line. */
const serveUnder = (umask: string, env: Record<string, string>) => startEndpoint({ PORT: '0', ...env }, { umask });
const stop = (s: Served) => stopEndpoint(s);

function token(umask: string, env: Record<string, string>, ...args: string[]): string {
  const r = cliUnder(umask, ['token', ...args], env);
  expect(r).toMatchObject({ status: 0, stderr: '' });
  return r.stdout.trim();
}

/** A booking that holds now: the scheduler and the store write, so the WAL is in use. */
async function book(url: string, bearer: string, id: string): Promise<void> {
  const body = { subject: 'NP/L: Lunch', start: new Date(Date.now() - 60_000).toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() };
  const res = await fetch(`${url}/api/v1/me/bookings/${id}`, { method: 'PUT', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

const warningLines = (out: string) => out.split('\n').filter((l) => l.startsWith('kalenderkoppling: warning:'));

maybe('the real process', () => {
  const running: Served[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await stop(s);
  });

  test.each(['000', '022'])('a fresh serve under umask %s creates its data folder 0700 and every file in it 0600', async (umask) => {
    const dataDir = join(fresh('kk-perm-'), 'data');
    const env = { DATA_DIR: dataDir };
    const server = await serveUnder(umask, env);
    running.push(server);
    const anna = token(umask, env, '--user', 'anna', '--extension', '1021');
    await book(server.url, anna, 'x');
    const files = modes(dataDir);
    // The database with its write-ahead log and shared memory, the lock with its journal and pid file, the key.
    expect(Object.keys(files).sort()).toEqual(
      expect.arrayContaining(['dev-signing-key.json', 'kalenderkoppling.sqlite', 'kalenderkoppling.sqlite-wal', 'kalenderkoppling.sqlite-shm', 'kalenderkoppling.sqlite-endpoint.lock', 'kalenderkoppling.sqlite-endpoint.lock.pid']),
    );
    const { '.': folder, ...rest } = files;
    expect(folder).toBe('0700');
    expect(rest).toEqual(Object.fromEntries(Object.keys(rest).map((n) => [n, '0600'])));
    expect(warningLines(server.output())).toEqual([]);
    expect(await stop(running.pop()!)).toBe(0);
  }, 60_000);

  test('a first `token` under umask 000 creates the data folder 0700, the key and the database 0600', () => {
    const dataDir = join(fresh('kk-perm-'), 'data');
    token('000', { DATA_DIR: dataDir }, '--user', 'anna', '--extension', '1021');
    const files = modes(dataDir);
    expect(files).toMatchObject({ '.': '0700', 'dev-signing-key.json': '0600', 'kalenderkoppling.sqlite': '0600' });
    expect(Object.values(files).filter((m) => m !== '0600' && m !== '0700')).toEqual([]);
    // Without --extension no database is opened (as with PostgreSQL): the key's folder is still private.
    const keyOnly = join(fresh('kk-perm-'), 'a', 'data');
    token('000', { DATA_DIR: keyOnly }, '--user', 'anna');
    expect(modes(keyOnly)).toEqual({ '.': '0700', 'dev-signing-key.json': '0600' });
    expect(mode(dirname(keyOnly))).toBe(0o700);
  });

  test('DATABASE_URL in another folder: that folder too is created 0700 with the database files 0600', async () => {
    const root = fresh('kk-perm-');
    const env = { DATA_DIR: join(root, 'data'), DATABASE_URL: join(root, 'db', 'kk.sqlite') };
    const server = await serveUnder('000', env);
    running.push(server);
    await book(server.url, token('000', env, '--user', 'anna', '--extension', '1021'), 'y');
    const db = modes(join(root, 'db'));
    expect(db).toMatchObject({ '.': '0700', 'kk.sqlite': '0600', 'kk.sqlite-wal': '0600', 'kk.sqlite-shm': '0600', 'kk.sqlite-endpoint.lock': '0600', 'kk.sqlite-endpoint.lock.pid': '0600' });
    expect(Object.entries(db).filter(([n, m]) => n !== '.' && m !== '0600')).toEqual([]);
    expect(modes(join(root, 'data'))).toEqual({ '.': '0700', 'dev-signing-key.json': '0600' });
  }, 60_000);

  test('an existing folder 0755 with a file 0644: one warning naming each path and its mode, and the endpoint starts', async () => {
    const dataDir = join(fresh('kk-perm-'), 'data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const notes = join(dataDir, 'notes.txt');
    writeFileSync(notes, 'x');
    chmodSync(notes, 0o644);
    const server = await serveUnder('022', { DATA_DIR: dataDir });
    running.push(server);
    expect(await waitFor(() => warningLines(server.output()).length >= 2, 5_000)).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const lines = warningLines(server.output());
    expect(lines).toEqual([
      `kalenderkoppling: warning: ${dataDir} is readable by other users (mode 0755); chmod 700 ${dataDir}`,
      `kalenderkoppling: warning: ${notes} is readable by other users (mode 0644); chmod 600 ${notes}`,
    ]);
    // Left as they were (a warning, not a change behind the administrator's back); new files are private.
    expect(mode(dataDir)).toBe(0o755);
    expect(mode(notes)).toBe(0o644);
    expect(mode(join(dataDir, 'kalenderkoppling.sqlite'))).toBe(0o600);
    expect(await stop(running.pop()!)).toBe(0);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// private-files.ts

maybe('private-files', () => {
  test.each([['000', 0o000], ['022', 0o022], ['077', 0o077]])('makePrivateDir creates every missing folder 0700 under umask %s, and leaves existing ones as they are', (_, mask) => {
    const root = fresh('kk-pf-');
    chmodSync(root, 0o755);
    const leaf = join(root, 'a', 'b', 'c');
    withUmask(mask, () => makePrivateDir(leaf));
    expect([mode(join(root, 'a')), mode(join(root, 'a', 'b')), mode(leaf)]).toEqual([0o700, 0o700, 0o700]);
    expect(mode(root)).toBe(0o755);
    withUmask(mask, () => makePrivateDir(leaf)); // exists: nothing to do, no error
    chmodSync(leaf, 0o755);
    withUmask(mask, () => makePrivateDir(leaf));
    expect(mode(leaf)).toBe(0o755);
  });

  test('createPrivateFile creates an empty file 0600 under umask 000; an existing file keeps its mode and content', () => {
    const dir = fresh('kk-pf-');
    const file = join(dir, 'f');
    expect(withUmask(0, () => createPrivateFile(file))).toBe(true);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('');
    const other = join(dir, 'g');
    writeFileSync(other, 'kept');
    chmodSync(other, 0o644);
    expect(withUmask(0, () => createPrivateFile(other))).toBe(false);
    expect(mode(other)).toBe(0o644);
    expect(readFileSync(other, 'utf8')).toBe('kept');
  });

  test('writePrivateFile writes the whole file 0600, also over an existing wider one', () => {
    const file = join(fresh('kk-pf-'), 'pid');
    withUmask(0, () => writePrivateFile(file, 'first, longer'));
    expect(mode(file)).toBe(0o600);
    chmodSync(file, 0o666);
    withUmask(0, () => writePrivateFile(file, 'second'));
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('second');
  });

  test('formatMode and wideWarning', () => {
    expect(formatMode(0o40755)).toBe('0755');
    expect(formatMode(0o100600)).toBe('0600');
    expect(formatMode(0o2770)).toBe('2770');
    expect(wideWarning('/srv/kk/data', 0o40755, true)).toBe('kalenderkoppling: warning: /srv/kk/data is readable by other users (mode 0755); chmod 700 /srv/kk/data');
    expect(wideWarning('/srv/kk/a b', 0o100620, false)).toBe("kalenderkoppling: warning: /srv/kk/a b is writable by other users (mode 0620); chmod 600 '/srv/kk/a b'");
    expect(wideWarning('/d', 0o40710, true)).toBe('kalenderkoppling: warning: /d is open to other users (mode 0710); chmod 700 /d');
  });

  test('checkPrivate: one warning per wide path (the folder, files, subfolders), none for private ones; a missing folder is no warning', () => {
    const dir = fresh('kk-pf-');
    const ok = join(dir, 'ok');
    const wide = join(dir, 'wide');
    const groupOnly = join(dir, 'group');
    const sub = join(dir, 'sub');
    writeFileSync(ok, '');
    chmodSync(ok, 0o600);
    writeFileSync(wide, '');
    chmodSync(wide, 0o644);
    writeFileSync(groupOnly, '');
    chmodSync(groupOnly, 0o640);
    mkdirSync(sub);
    chmodSync(sub, 0o750);
    symlinkSync('/etc/passwd', join(dir, 'link'));
    const warn = jest.fn();
    expect(checkPrivate(dir, warn)).toEqual([groupOnly, sub, wide]);
    expect(warn.mock.calls.map(([m]) => m)).toEqual([
      `kalenderkoppling: warning: ${groupOnly} is readable by other users (mode 0640); chmod 600 ${groupOnly}`,
      `kalenderkoppling: warning: ${sub} is readable by other users (mode 0750); chmod 700 ${sub}`,
      `kalenderkoppling: warning: ${wide} is readable by other users (mode 0644); chmod 600 ${wide}`,
    ]);
    chmodSync(dir, 0o755);
    expect(checkPrivate(dir, () => undefined)[0]).toBe(dir);
    expect(checkPrivate(join(dir, 'missing'), warn)).toEqual([]);
  });

  test('checkDataFolders: a database in another folder is checked with its own files only; each path is named once', () => {
    const root = fresh('kk-pf-');
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const dbDir = join(root, 'shared');
    mkdirSync(dbDir);
    chmodSync(dbDir, 0o755);
    for (const [name, m] of [['kk.sqlite', 0o644], ['kk.sqlite-wal', 0o644], ['kk.sqlite-endpoint.lock', 0o600], ['unrelated.txt', 0o644], ['kk.sqlite.bak', 0o644]] as const) {
      writeFileSync(join(dbDir, name), '');
      chmodSync(join(dbDir, name), m);
    }
    const warn = jest.fn();
    expect(checkDataFolders(dataDir, join(dbDir, 'kk.sqlite'), warn)).toEqual([dbDir, join(dbDir, 'kk.sqlite'), join(dbDir, 'kk.sqlite-wal')]);
    expect(warn).toHaveBeenCalledTimes(3);
    // The database inside the data folder (the default): the folder once, not twice.
    chmodSync(dataDir, 0o755);
    const twice = jest.fn();
    expect(checkDataFolders(dataDir, join(dataDir, 'kalenderkoppling.sqlite'), twice)).toEqual([dataDir]);
    expect(twice).toHaveBeenCalledTimes(1);
    // PostgreSQL: only the data folder.
    expect(checkDataFolders(dataDir, null, () => undefined)).toEqual([dataDir]);
    expect(checkDataFolders(join(root, 'none'), null, () => undefined)).toEqual([]);
  });

  test('openStore under umask 000: folder 0700; the database, its -wal and -shm 0600 (SQLite copies the database file\'s mode)', async () => {
    const dir = join(fresh('kk-pf-'), 'nested', 'db');
    const file = join(dir, 'kk.sqlite');
    const store = await withUmaskAsync(0, () => openStore(file));
    try {
      await store.linkUser({ tid: 't', oid: 'anna' }, { extension: '1021', shared: false, displayName: 'Anna' }, Date.now());
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(modes(dir)).toEqual({ '.': '0700', 'kk.sqlite': '0600', 'kk.sqlite-wal': '0600', 'kk.sqlite-shm': '0600' });
      expect(mode(dirname(dir))).toBe(0o700);
    } finally {
      await store.close();
    }
  });

  test('SQLite gives -wal and -shm the mode of an existing database file (what createPrivateFile relies on)', () => {
    const dir = fresh('kk-pf-');
    const file = join(dir, 'plain.sqlite');
    withUmask(0, () => createPrivateFile(file));
    const db = withUmask(0, () => new SqliteDatabase(file));
    try {
      withUmask(0, () => {
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      });
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    } finally {
      db.close();
    }
  });

  test('holdSqliteLock under umask 000: the lock, its journal and its pid file 0600', () => {
    const dir = join(fresh('kk-pf-'), 'data');
    const lock = withUmask(0, () => holdSqliteLock(join(dir, 'kk.sqlite')));
    try {
      const files = modes(dir);
      // The lock database stays in EXCLUSIVE mode, so its rollback journal stays too.
      expect(files).toMatchObject({ '.': '0700', 'kk.sqlite-endpoint.lock': '0600', 'kk.sqlite-endpoint.lock-journal': '0600', 'kk.sqlite-endpoint.lock.pid': '0600' });
      expect(Object.entries(files).filter(([n, m]) => n !== '.' && m !== '0600')).toEqual([]);
    } finally {
      lock.release();
    }
  });
});
