/**
 * Changes made through one process reach the other processes' schedulers at once (issue 18):
 * every extension a change touches is sent over the bus (store/bus.ts), gathered for one turn of
 * the event loop, and each other process recomputes it as if the change had been made there. So
 * a booking pushed to process A that starts in a second is on time even when A dies before its
 * own recompute, or process B holds the delivery claims; and B's next wake-up includes the new
 * boundary. A recompute of an unchanged state changes nothing (its version stays), so the
 * recompute in both processes is harmless; it costs one recompute per process per change.
 */
import type { Log } from '../runtime';
import { BUS_PAYLOAD_MAX, type Bus, type BusMessage } from '../store/bus';

/** Extensions per message: at most 32 characters each (with JSON quoting) stays under the payload limit. */
const PER_MESSAGE = Math.floor((BUS_PAYLOAD_MAX - 200) / 35);

export class ChangeRelay {
  private readonly gathered = new Set<string>();
  private scheduled = false;
  private readonly unsubscribe: () => void;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: { bus: Bus; owner: string; log: Log; recompute: (extensions: string[]) => void },
  ) {
    this.unsubscribe = o.bus.subscribe((m: BusMessage) => {
      if (m.topic !== 'changed' || m.from === o.owner || !Array.isArray(m.extensions)) return;
      const exts = m.extensions.filter((e): e is string => typeof e === 'string' && e !== '');
      if (exts.length > 0) o.recompute(exts);
    });
  }

  /** Extensions changed here: told to the others within a turn of the event loop. */
  changed(extensions: readonly string[]): void {
    for (const e of extensions) if (e) this.gathered.add(e);
    if (this.scheduled || this.gathered.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const all = [...this.gathered].filter((e) => e.length <= 32);
      this.gathered.clear();
      for (let i = 0; i < all.length; i += PER_MESSAGE) {
        const extensions = all.slice(i, i + PER_MESSAGE);
        this.sending = this.sending
          .then(() => this.o.bus.publish({ topic: 'changed', from: this.o.owner, extensions }))
          // Lost: the others see it at their next wake-up (at most the scheduler's longest sleep).
          .catch((err: Error) => this.o.log.warn({ extensions: extensions.length, err: { message: err.message } }, 'telling the other processes of a change failed'));
      }
    });
  }

  /** Stops listening and waits for what is being sent. */
  async stop(): Promise<void> {
    this.unsubscribe();
    await this.sending;
  }
}
