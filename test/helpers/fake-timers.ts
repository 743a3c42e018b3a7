/**
 * Timers on a fake clock for the scheduler's tests: `advance` moves the clock, firing the
 * timers due on the way in order, and lets the scheduler finish its work after each.
 */
import type { Scheduler } from '../../src/server/scheduler';

export class FakeTimers {
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  constructor(private readonly clock: { now: number }) {}
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.queue.push({ at: this.clock.now + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== id);
  };
  /** Moves the clock to `to`, firing timers in order on the way; after each, the scheduler goes idle (or `settle` resolves). */
  async advance(to: number, until: Scheduler | (() => Promise<void>)): Promise<void> {
    const settle = typeof until === 'function' ? until : () => until.idle();
    for (;;) {
      await settle();
      this.queue.sort((a, b) => a.at - b.at);
      const t = this.queue[0];
      if (!t || t.at > to) break;
      this.queue.shift();
      this.clock.now = Math.max(this.clock.now, t.at);
      t.fn();
    }
    this.clock.now = to;
    await settle();
  }
}
