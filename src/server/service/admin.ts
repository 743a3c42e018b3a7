/**
 * What admins look at and do beyond users and the organisation (context.ts): deliveries to the
 * switch, the journal connector, and retention.
 */
import { DAY_MS, localDateOf } from '../../core';
import type { JournalEntry, SwitchStateRow, UserRow } from '../store/types';
import type { Deps } from './context';

export class AdminViews {
  constructor(private readonly d: Pick<Deps, 'store' | 'clock' | 'contexts'>) {}

  listUsers(): Promise<UserRow[]> {
    return this.d.store.listUsers();
  }

  /** Whether the switch has an extension's current state (null: nothing computed yet). */
  getDelivery(extension: string): Promise<SwitchStateRow | null> {
    return this.d.store.getSwitchState(extension);
  }

  listDeliveries(): Promise<SwitchStateRow[]> {
    return this.d.store.listSwitchStates();
  }

  /** Deliver an extension's current state again; false when the extension has no state. */
  retryDelivery(extension: string): Promise<boolean> {
    return this.d.store.retryDelivery(extension);
  }

  /** The last `limit` states the journal connector recorded. */
  listJournal(limit: number, extension?: string): Promise<JournalEntry[]> {
    return this.d.store.listJournal(limit, extension);
  }

  /** Retention (SPEC 12): purge what ended more than `days` ago. */
  async purge(days: number) {
    const before = this.d.clock() - days * DAY_MS;
    const org = await this.d.contexts.org();
    return this.d.store.purge(before, localDateOf(before, org.calendar.zone));
  }
}
