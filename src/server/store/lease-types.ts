/**
 * The calendar leases' part of the Store contract (issue 18; repos/leases.ts), apart from
 * types.ts: which process reads which user's calendar, and the processes' heartbeats.
 */

/** A user as types.ts's UserKey (tenant and object id), spelt out here: types.ts imports this file. */
type UserKey = { tid: string; oid: string };

/** Who reads a user's calendar from one source (issue 18): a process, until `expiresAt`. */
export interface SyncLease {
  tid: string;
  oid: string;
  source: string;
  owner: string;
  expiresAt: number;
}

/** An endpoint process on this database (issue 18): its name in claims and leases, and its last heartbeat. */
export interface EndpointProcess {
  owner: string;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
}

/**
 * Calendar sync shared by several processes (issue 18, repos/leases.ts). A lease is taken only
 * when it is free, lapsed or already the taker's, atomically per row, so one process holds it.
 */
export interface LeasesRepository {
  /** Records the process as alive at `now` (the first call also sets its start). */
  heartbeatProcess(p: { owner: string; host: string; pid: number }, now: number): Promise<void>;
  /** The processes whose last heartbeat is at or after `since`, by name. */
  listProcesses(since: number): Promise<EndpointProcess[]>;
  /** Forgets a process (at its stop), or every process silent since before `before`. */
  removeProcesses(which: { owner: string } | { before: number }): Promise<number>;
  /** Extends every lease `owner` holds of these sources to `until`; returns them. */
  renewLeases(owner: string, sources: readonly string[], until: number): Promise<SyncLease[]>;
  /** Takes these users' leases of `source` for `owner` until `until` where free, lapsed (at `now`) or its own; returns those taken. */
  claimLeases(source: string, users: readonly UserKey[], owner: string, now: number, until: number): Promise<UserKey[]>;
  /** Gives up `owner`'s leases: all, of one source, or of these users of it. */
  releaseLeases(owner: string, source?: string, users?: readonly UserKey[]): Promise<number>;
  /** Deletes the leases of `source` (any owner) that lapsed before `before`. */
  purgeLeases(source: string, before: number): Promise<number>;
  getLease(source: string, k: UserKey): Promise<SyncLease | null>;
  listLeases(source?: string): Promise<SyncLease[]>;
}
