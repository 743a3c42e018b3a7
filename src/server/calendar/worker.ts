/**
 * What both calendar syncs (Graph's sync.ts, Google's google/sync.ts) run in the background:
 * work tracked so `idle()` and `stop()` can wait for it; a poll loop (a round at once, then one
 * every interval after the previous ended); per-user rounds that never overlap (a request during
 * one runs it once more after it); other per-user work that keeps a user busy (a subscription
 * being made: issue 18 keeps the user's lease until it is stored); and changes gathered for
 * `coalesceMs` into one batch.
 */
import type { Log, Timers } from '../runtime';

export class SyncWorker {
  private readonly work = new Set<Promise<unknown>>();
  private running = false;
  private stopped = false;
  private pollTimer: unknown = null;
  private coalesceTimer: unknown = null;
  private releaseCoalesce: (() => void) | null = null;
  private readonly due = new Map<string, number>();
  private readonly perUser = new Map<string, { again: boolean; triggeredAt: number; done: Promise<unknown> }>();
  /** Per user: how many pieces of `busyWith` work are in flight. */
  private readonly holding = new Map<string, number>();

  constructor(private readonly o: { timers: Timers; log: Log; coalesceMs: number; describe: (err: unknown) => string }) {}

  /** `p` counts as work in flight until it settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.work.add(p);
    void p.finally(() => this.work.delete(p)).catch(() => undefined);
    return p;
  }

  /** Resolves when no work is in flight (gathering changes counts). */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  /** Starts polling: `round` at once (not awaited), then every `everyMs` after the previous one ended. */
  startPolling(round: () => Promise<unknown>, everyMs: number, what: string): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    const tick = () => {
      this.pollTimer = null;
      void this.track(
        round()
          .catch((err) => this.o.log.error({ err: { type: this.o.describe(err) } }, `${what} poll round failed`))
          .finally(() => {
            if (this.running) this.pollTimer = this.o.timers.setTimeout(tick, everyMs);
          }),
      );
    };
    tick();
  }

  /**
   * One user's round, never two at once: during one, a request marks it to run once more (from
   * the earliest trigger) and gets the result of the last run.
   */
  serial<R>(key: string, triggeredAt: number, run: (triggeredAt: number, first: boolean) => Promise<R>): Promise<R> {
    const current = this.perUser.get(key);
    if (current) {
      current.again = true;
      current.triggeredAt = Math.min(current.triggeredAt, triggeredAt);
      return current.done as Promise<R>;
    }
    const entry = { again: false, triggeredAt, done: null as unknown as Promise<R> };
    entry.done = (async () => {
      try {
        let last = await run(triggeredAt, true);
        while (entry.again) {
          entry.again = false;
          last = await run(entry.triggeredAt, false);
        }
        return last;
      } finally {
        this.perUser.delete(key);
      }
    })();
    this.perUser.set(key, entry);
    return this.track(entry.done);
  }

  /** The user's round under way, if any (to wait for before starting over). */
  current(key: string): Promise<unknown> | undefined {
    return this.perUser.get(key)?.done;
  }

  /** Runs `fn` as work of `key` outside its rounds: `busy(key)` holds until it settles. */
  busyWith<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.holding.set(key, (this.holding.get(key) ?? 0) + 1);
    const release = () => {
      const n = (this.holding.get(key) ?? 1) - 1;
      if (n > 0) this.holding.set(key, n);
      else this.holding.delete(key);
    };
    return this.track(fn().finally(release));
  }

  /** Whether `key` has a round or other work under way (issue 18: its lease is then kept). */
  busy(key: string): boolean {
    return this.perUser.has(key) || this.holding.has(key);
  }

  /** A change for `key` at `at`: within `coalesceMs`, `fire` gets every key gathered, with its earliest time. */
  gather(key: string, at: number, fire: (batch: [string, number][]) => Promise<unknown>): void {
    if (this.stopped) return;
    this.due.set(key, Math.min(this.due.get(key) ?? at, at));
    if (this.coalesceTimer !== null) return;
    const go = () => {
      this.coalesceTimer = null;
      const batch = [...this.due.entries()];
      this.due.clear();
      void this.track(fire(batch));
    };
    if (this.o.coalesceMs <= 0) return go();
    let release = () => undefined as void;
    void this.track(new Promise<void>((resolve) => (release = resolve)));
    this.releaseCoalesce = release;
    this.coalesceTimer = this.o.timers.setTimeout(() => {
      this.releaseCoalesce = null;
      go();
      release();
    }, this.o.coalesceMs);
  }

  /** Stops polling and gathering, then waits for the work in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.pollTimer !== null) this.o.timers.clearTimeout(this.pollTimer);
    if (this.coalesceTimer !== null) this.o.timers.clearTimeout(this.coalesceTimer);
    this.pollTimer = null;
    this.coalesceTimer = null;
    this.due.clear();
    this.releaseCoalesce?.();
    this.releaseCoalesce = null;
    await this.idle();
  }
}
