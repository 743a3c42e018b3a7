/**
 * What the endpoint's parts share at run time, defined once: injected timers (tests step them
 * across boundaries and DST), the logger shape the background workers are given, and the key
 * a user is known by in the process's maps and caches.
 */
import type { UserKey } from './store/types';

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** Node's timers, unref'd: a pending wake-up never keeps the process alive. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A logger as pino's (the app's) is called: fields first, then the message. SPEC 12: ids and codes only. */
export interface Log {
  info: (o: object, m: string) => void;
  warn: (o: object, m: string) => void;
  error: (o: object, m: string) => void;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A user's key in maps and caches: tenant and object id, joined by a character neither contains. */
export const userKey = (k: UserKey): string => `${k.tid}\u0000${k.oid}`;

/** The user a `userKey` was made from. */
export function userOfKey(key: string): UserKey {
  const [tid, oid] = key.split('\u0000') as [string, string];
  return { tid, oid };
}
