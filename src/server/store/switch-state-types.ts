/**
 * The switch-state part of the store's contract (types.ts re-exports it): per extension, the
 * desired state, its delivery, and the transition computed ahead of its next boundary.
 */

/** The state an extension will be in at `at` (its next boundary), computed ahead, and the boundary after it. */
export interface PendingTransition {
  at: number;
  state: unknown | null;
  next: number | null;
}

/** One recompute's result, as putDesiredStates stores it. */
export interface DesiredInput {
  extension: string;
  state: unknown | null;
  nextBoundary: number | null;
  now: number;
  pending?: PendingTransition | null;
}

/**
 * Per extension: the desired switch state (SPEC 11) with a version that only grows, the next
 * instant it must be recomputed, and how far delivery to the switch has come. One row per
 * extension makes delivery level-triggered: only the newest state is ever sent.
 */
export interface SwitchStateRow {
  extension: string;
  version: number;
  /** The SPEC 11 state (null: no diversion). */
  state: unknown | null;
  nextBoundary: number | null;
  computedAt: number;
  deliveredVersion: number;
  deliveredAt: number | null;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  /** The version a permanent failure was recorded for; it is not retried. */
  failedVersion: number | null;
  /** The process delivering now (see claimDeliveries), and until when its claim holds. */
  claimedBy: string | null;
  claimedUntil: number | null;
  /** The state computed ahead for nextBoundary (issue 16), or null. */
  pending: PendingTransition | null;
}

export type DeliveryRecord = { ok: true; at: number } | { ok: false; permanent: boolean; error: string; nextAttemptAt: number | null };

/** Desired switch states and their delivery: the scheduler and the outbox. */
export interface SwitchStateRepository {
  getSwitchState(extension: string): Promise<SwitchStateRow | null>;
  listSwitchStates(): Promise<SwitchStateRow[]>;
  /** The extensions that have a row, sorted (start-up reads only these: 200,000 full rows are hundreds of MB). */
  listSwitchStateExtensions(): Promise<string[]>;
  /**
   * Stores a freshly computed desired state, its next boundary and the pending transition (the
   * state at that boundary, when computed ahead; null clears it). The version grows only when the
   * state differs from the stored one (compared as JSON); returns the version now in force.
   */
  putDesiredState(extension: string, state: unknown | null, nextBoundary: number | null, now: number, pending?: PendingTransition | null): Promise<{ version: number; changed: boolean }>;
  /** putDesiredState for many extensions in one transaction; results in the same order. */
  putDesiredStates(items: readonly DesiredInput[]): Promise<{ version: number; changed: boolean }[]>;
  /**
   * Extensions to recompute: those whose next boundary has come without a pending transition
   * for it, and (aheadMs > 0) those whose next boundary is within aheadMs and has none yet.
   */
  dueForRecompute(now: number, aheadMs?: number): Promise<string[]>;
  /**
   * At the instant (issue 16): every row whose next boundary has come and holds a pending
   * transition for it takes that state (the version grows when it differs) and the boundary
   * after it, in one statement per slice, without reading any input. `exclude`: extensions whose inputs
   * changed meanwhile (they are recomputed instead). At most `limit` rows (default 1000), earliest
   * boundary first; returns how many were promoted (call again while it is `limit`).
   */
  promotePending(now: number, exclude?: readonly string[], limit?: number): Promise<number>;
  /**
   * When the scheduler must wake next after `after`: the earliest boundary, retry or lapsing
   * claim, and (aheadMs > 0) the moment the first boundary beyond the horizon comes within it.
   */
  nextWake(after: number, aheadMs?: number): Promise<number | null>;
  /**
   * Rows whose newest version is not delivered yet, not failed for good, due for an attempt, and
   * not claimed by a process (or whose claim has lapsed).
   */
  dueForDelivery(now: number, limit: number): Promise<SwitchStateRow[]>;
  /**
   * Claims up to `limit` rows that dueForDelivery would return for `owner` until `now + leaseMs`,
   * and returns them. On PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED, so several
   * processes claiming at once never get the same extension: each state is delivered by one
   * process at a time. A claim ends with recordDelivery, or lapses (a process that died).
   */
  claimDeliveries(now: number, limit: number, owner: string, leaseMs: number): Promise<SwitchStateRow[]>;
  /** Ends claims: those of `owner`, or every claim (start-up on SQLite, where one process runs). */
  releaseClaims(owner?: string): Promise<number>;
  /**
   * Records how delivering `version` went; a success never moves deliveredVersion backwards.
   * With `owner`, also ends that owner's claim on the extension.
   */
  recordDelivery(extension: string, version: number, outcome: DeliveryRecord, owner?: string): Promise<void>;
  /** recordDelivery for many, in one transaction. */
  recordDeliveries(items: readonly { extension: string; version: number; outcome: DeliveryRecord }[], owner?: string): Promise<void>;
  /** Admin: try the current version again now, also after a permanent failure. */
  retryDelivery(extension: string): Promise<boolean>;
  /** Reconciliation: deliver these current, delivered versions again (others skipped); returns how many. */
  markForRedelivery(items: readonly { extension: string; version: number }[]): Promise<number>;
}
