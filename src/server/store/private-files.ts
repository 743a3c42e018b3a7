/**
 * The data folder holds names, phone numbers and message texts (issue 10): what the endpoint
 * creates there is for its own user only, folders 0700 and files 0600, whatever the umask
 * (a mode given to mkdir/open is masked by the umask, so the mode is set again after creating).
 * SQLite gives the -wal, -shm and -journal files the mode of their database file, so creating
 * the database file 0600 before SQLite opens it makes those private too.
 *
 * What exists already is left as it is: `checkPrivate` reports what is open to other users, one
 * warning per path, and the endpoint keeps running.
 */
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** File modes mean little on Windows (Node maps them to the read-only flag): no chmod, no warnings. */
const posix = process.platform !== 'win32';

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

/**
 * `mkdir -p dir` where every folder it creates is 0700. Folders that exist already keep their
 * mode (`checkPrivate` warns about them).
 */
export function makePrivateDir(dir: string): void {
  const target = resolve(dir);
  const first = mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined || !posix) return;
  // mkdirSync returns the first folder it created; it and every folder below it down to target are new.
  let created = resolve(first);
  chmodSync(created, PRIVATE_DIR_MODE);
  const rest = target.slice(created.length).split(sep).filter((p) => p !== '');
  for (const part of rest) {
    created = join(created, part);
    chmodSync(created, PRIVATE_DIR_MODE);
  }
}

/**
 * Creates `file` empty with mode 0600 when it does not exist yet (its folder must exist). Returns
 * whether it created it; an existing file is left as it is.
 */
export function createPrivateFile(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (e) {
    if (isErrno(e, 'EEXIST')) return false;
    throw e;
  }
  try {
    if (posix) fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Writes `file` whole (created or truncated) and makes it 0600: for files the endpoint rewrites. */
export function writePrivateFile(file: string, data: string): void {
  const fd = openSync(file, 'w', PRIVATE_FILE_MODE);
  try {
    if (posix) fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** `0755`, `0644`, `2775`: the permission bits as ls and chmod write them. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The one-line warning for a path whose group or other bits are set. */
export function wideWarning(path: string, mode: number, isDir: boolean): string {
  const who = (mode & 0o044) !== 0 ? 'readable by other users' : (mode & 0o022) !== 0 ? 'writable by other users' : 'open to other users';
  return `kalenderkoppling: warning: ${path} is ${who} (mode ${formatMode(mode)}); chmod ${isDir ? '700' : '600'} ${shellQuote(path)}`;
}

export interface CheckOptions {
  /** Check only the entries of `dir` whose name passes (the folder itself is always checked). */
  only?: (name: string) => boolean;
  /** Paths already warned about (shared between calls): each path is named once. */
  seen?: Set<string>;
}

/**
 * Warns about `dir` and the files and folders directly in it when their group or other bits are
 * set, one `warn` call per path; returns the paths warned about. A missing folder is no warning
 * (nothing has been created yet); symbolic links are skipped (their own mode means nothing).
 */
export function checkPrivate(dir: string, warn: (message: string) => void, options: CheckOptions = {}): string[] {
  if (!posix) return [];
  const seen = options.seen ?? new Set<string>();
  const warned: string[] = [];
  const check = (path: string): void => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return; // gone meanwhile, or not ours to read: nothing to say
    }
    if (!(st.isFile() || st.isDirectory()) || (st.mode & 0o077) === 0 || seen.has(path)) return;
    seen.add(path);
    warned.push(path);
    warn(wideWarning(path, st.mode, st.isDirectory()));
  };
  const root = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    check(root);
    return warned;
  }
  check(root);
  for (const name of names.sort()) if (!options.only || options.only(name)) check(join(root, name));
  return warned;
}

/**
 * The check at start-up: the data folder and everything in it, and, when the SQLite database
 * lives elsewhere, its folder and the database's own files there (`<db>`, `<db>-wal`, `<db>-shm`,
 * `<db>-endpoint.lock`, …), not unrelated files that share the folder.
 */
export function checkDataFolders(dataDir: string, databaseFile: string | null, warn: (message: string) => void): string[] {
  const seen = new Set<string>();
  const warned = checkPrivate(dataDir, warn, { seen });
  if (databaseFile !== null) {
    const base = basename(databaseFile);
    warned.push(...checkPrivate(dirname(resolve(databaseFile)), warn, { seen, only: (n) => n === base || n.startsWith(`${base}-`) }));
  }
  return warned;
}
