/**
 * One endpoint process per SQLite file (issue 4): the scheduler assumes it is the only one
 * delivering, and SQLite is not made for several writers on a network share. The lock is an
 * exclusive SQLite lock on a small file beside the database, held for the life of the process:
 * the operating system drops it when the process ends, also on `kill -9`, so a crash never
 * leaves a stale lock behind (unlike a pid file). Other commands (`token`) still open the database.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { createPrivateFile, makePrivateDir, writePrivateFile } from './private-files';

export interface ProcessLock {
  readonly path: string;
  release(): void;
}

/** Thrown when another process holds the lock; the message says what to do. */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}

/** Takes the lock for `databasePath` or throws DatabaseInUseError naming the holder. */
export function holdSqliteLock(databasePath: string): ProcessLock {
  const path = `${databasePath}-endpoint.lock`;
  const info = `${path}.pid`;
  // Taken before the store opens (and creates the folder) on a first start. Folder 0700 and lock
  // file 0600 (its -journal gets the same mode from SQLite), whatever the umask (issue 10).
  makePrivateDir(dirname(path));
  createPrivateFile(path);
  const db = new SqliteDatabase(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in EXCLUSIVE mode it is kept after the commit.
    db.exec('CREATE TABLE IF NOT EXISTS holder (at INTEGER); DELETE FROM holder; INSERT INTO holder VALUES (1)');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY' || (e as { code?: string }).code === 'SQLITE_LOCKED') {
      let holder = 'another process';
      try {
        const h = JSON.parse(readFileSync(info, 'utf8')) as { pid?: number; since?: string };
        if (typeof h.pid === 'number') holder = `process ${h.pid}${h.since ? ` (running since ${h.since})` : ''}`;
      } catch {
        // No or unreadable pid file: the generic wording will do.
      }
      throw new DatabaseInUseError(
        `The SQLite database ${databasePath} is already used by ${holder}: one endpoint process per SQLite file. Stop that one first, or use PostgreSQL (DATABASE_URL=postgres://…) to run several processes.`,
      );
    }
    throw e;
  }
  // For the message a second process prints; the lock itself is the SQLite lock above.
  writePrivateFile(info, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  let held = true;
  return {
    path,
    release: () => {
      if (!held) return;
      held = false;
      rmSync(info, { force: true });
      db.close();
    },
  };
}
