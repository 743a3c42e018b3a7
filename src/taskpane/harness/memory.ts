/**
 * An in-memory Appointment port: the browser harness and the component tests use it in place of
 * Outlook. Behaves like compose mode (organizer) or read mode (attendee).
 */
import type { AppointmentPort, ItemMode, ItemSnapshot } from '../port';
import { ItemError } from '../port';

export type HarnessItem = Omit<ItemSnapshot, 'itemId' | 'recurrence'> & { itemId?: string | null; recurrence?: Record<string, unknown> | null };

export class MemoryAppointment implements AppointmentPort {
  private item: ItemSnapshot;
  private listeners = new Set<() => void>();
  saves = 0;
  /** The booking ids openItem was asked to open, in order (the browser tests read them). */
  readonly opened: string[] = [];

  constructor(initial: HarnessItem) {
    this.item = { itemId: null, recurrence: null, ...initial };
  }

  get mode(): ItemMode {
    return this.item.mode;
  }

  async read(): Promise<ItemSnapshot> {
    return { ...this.item };
  }

  async setSubject(subject: string): Promise<void> {
    if (this.item.mode !== 'organizer') throw new ItemError('ReadOnly', 'Only the organizer can change the subject.');
    this.item = { ...this.item, subject };
  }

  async saveAndGetRestId(): Promise<string> {
    this.saves += 1;
    if (!this.item.itemId) this.item = { ...this.item, itemId: `AAMkHarness${Date.now().toString(36)}` };
    return this.item.itemId as string;
  }

  async restId(): Promise<string | null> {
    return this.item.itemId;
  }

  async openItem(bookingId: string): Promise<void> {
    this.opened.push(bookingId);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Test and harness hook: replace fields; time or recurrence changes fire the change listeners. */
  set(patch: Partial<HarnessItem>): void {
    const timeChanged = patch.start !== undefined || patch.end !== undefined || patch.recurrence !== undefined;
    this.item = { ...this.item, ...patch } as ItemSnapshot;
    if (timeChanged) this.listeners.forEach((l) => l());
  }

  get(): ItemSnapshot {
    return { ...this.item };
  }
}

/** The harness appointment's start: the next full hour after `now` (08:20 → 09:00, 09:00 → 10:00). */
export function nextFullHour(now: number): number {
  const d = new Date(now);
  d.setMinutes(0, 0, 0);
  return d.getTime() + 3_600_000;
}
