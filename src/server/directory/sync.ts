/**
 * Linking users to extensions from the directory (issue 13): the users Graph lists (or a group's),
 * each one's extension from DIRECTORY_EXTENSION_ATTRIBUTE, compared with the store (plan.ts);
 * unless a dry run, the links written through the Service in one transaction. A daily run at
 * DIRECTORY_SYNC_AT (ORG_TIME_ZONE) applies, and the last result is kept in memory for the admin
 * view. Logs only counts. Not yet: several endpoint processes agreeing on one daily run (each
 * runs it; a second run finds everything unchanged).
 */
import { addDays, atLocal, localDateOf, parseClock } from '../../core';
import { describe } from '../calendar/graph-client';
import { type Log, realTimers, silentLog, type Timers } from '../runtime';
import type { Service } from '../service';
import type { DirectoryAttribute, DirectoryConfig } from './config';
import type { GraphDirectory } from './graph-directory';
import { type DirectoryChange, type DirectoryPlan, type DirectorySkip, planDirectorySync, selectFor } from './plan';

export type { DirectoryChange, DirectorySkip, SkipReason } from './plan';

export interface DirectorySyncResult {
  attribute: DirectoryAttribute;
  /** When the run started (epoch ms). */
  ranAt: number;
  dryRun: boolean;
  summary: DirectoryPlan['summary'];
  changes: DirectoryChange[];
  skipped: DirectorySkip[];
}

export interface DirectoryStatus {
  /** Whether linking from the directory is configured (DIRECTORY_EXTENSION_ATTRIBUTE). */
  enabled: boolean;
  attribute: DirectoryAttribute | null;
  digits: number;
  syncAt: string | null;
  lastRun: DirectorySyncResult | null;
}

export interface DirectorySyncOptions {
  config: DirectoryConfig;
  /** GRAPH_TENANT_ID: the tenant whose users the directory lists. */
  tenantId: string;
  orgTimeZone: string;
  directory: Pick<GraphDirectory, 'listUsers'>;
  service: Pick<Service, 'listUsers' | 'applyDirectoryLinks'>;
  clock: () => number;
  timers?: Timers;
  log?: Log;
  /**
   * With several processes (issue 18): takes the daily run due at `due` for this process; false
   * when another process has it (each daily run happens once). Default: always this process.
   */
  claimRun?: (due: number) => Promise<boolean>;
}

/** One run: read, compare, and (unless `dryRun`) write. Throws GraphError when Graph fails; nothing is written then. */
export async function runDirectorySync(o: DirectorySyncOptions, opts: { dryRun: boolean }): Promise<DirectorySyncResult> {
  const attribute = o.config.attribute;
  if (!attribute) throw new Error('DIRECTORY_EXTENSION_ATTRIBUTE is not set');
  const ranAt = o.clock();
  const [graphUsers, users] = await Promise.all([o.directory.listUsers([selectFor(attribute)], o.config.groupId), o.service.listUsers()]);
  const stored = users.filter((u) => u.tid.toLowerCase() === o.tenantId.toLowerCase());
  const plan = planDirectorySync(o.tenantId, graphUsers, stored, attribute, o.config.digits);
  if (!opts.dryRun && plan.writes.length > 0) await o.service.applyDirectoryLinks(plan.writes);
  return { attribute, ranAt, dryRun: opts.dryRun, summary: plan.summary, changes: plan.changes, skipped: plan.skipped };
}

/** The first instant after `after` at which the local clock in `zone` shows `hhmm` (DST-correct). */
export function nextDailyRun(after: number, hhmm: string, zone: string): number {
  const minutes = parseClock(hhmm, 'DIRECTORY_SYNC_AT');
  const today = localDateOf(after, zone);
  for (let d = 0; d < 3; d++) {
    const at = atLocal(addDays(today, d), minutes, zone);
    if (at > after) return at;
  }
  throw new Error('no next run'); // unreachable: a local day is at most 25 hours
}

/** Waking at least hourly keeps the daily run on time when the clock jumps (suspend, NTP). */
const MAX_SLEEP_MS = 3_600_000;

export class DirectorySync {
  private readonly timers: Timers;
  private readonly log: Log;
  private last: DirectorySyncResult | null = null;
  /** Runs one after another: the daily run and an admin's never interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private timer: unknown = null;
  private nextAt: number | null = null;

  constructor(private readonly o: DirectorySyncOptions) {
    this.timers = o.timers ?? realTimers;
    this.log = o.log ?? silentLog;
  }

  get enabled(): boolean {
    return this.o.config.attribute !== null;
  }

  status(): DirectoryStatus {
    const c = this.o.config;
    return { enabled: this.enabled, attribute: c.attribute, digits: c.digits, syncAt: c.syncAt, lastRun: this.last };
  }

  /** When the daily run is due next; null: stopped, or no daily run configured. */
  get nextRunAt(): number | null {
    return this.nextAt;
  }

  /** A run after any in progress; its result becomes the last run. Throws when linking from the directory is off. */
  run(opts: { dryRun: boolean }): Promise<DirectorySyncResult> {
    if (!this.enabled) return Promise.reject(new Error('DIRECTORY_EXTENSION_ATTRIBUTE is not set'));
    const p = this.queue.then(async () => {
      const started = this.o.clock();
      const r = await runDirectorySync(this.o, opts);
      this.last = r;
      this.log.info({ dryRun: r.dryRun, ...r.summary, ms: this.o.clock() - started }, 'directory sync done');
      return r;
    });
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Starts the daily run (when DIRECTORY_SYNC_AT and the attribute are set); nothing runs at once. */
  start(): void {
    if (this.running || !this.enabled || !this.o.config.syncAt) return;
    this.running = true;
    this.nextAt = nextDailyRun(this.o.clock(), this.o.config.syncAt, this.o.orgTimeZone);
    this.arm();
  }

  /** Stops the daily run and waits for a run in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
    await this.queue;
  }

  private arm(): void {
    if (!this.running || this.nextAt === null) return;
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, this.nextAt - this.o.clock()));
    this.timer = this.timers.setTimeout(() => this.wake(), wait);
  }

  private wake(): void {
    this.timer = null;
    if (!this.running || this.nextAt === null) return;
    if (this.o.clock() < this.nextAt) return this.arm();
    // The next one counts from the one due, so a clock a little behind never runs it twice a day.
    const due = this.nextAt;
    this.nextAt = nextDailyRun(Math.max(this.o.clock(), due), this.o.config.syncAt!, this.o.orgTimeZone);
    void (this.o.claimRun ?? (async () => true))(due)
      .then(async (mine) => {
        if (mine) await this.run({ dryRun: false });
        else this.log.info({ due }, 'daily directory run done by another process');
      })
      .catch((err: unknown) => this.log.error({ err: { type: describe(err) } }, 'directory sync failed'))
      .finally(() => this.arm());
  }
}
