/** Calendar sync through Microsoft Graph (table calendar_sync, issue 6): per user, delta link and subscription. */
import type { Selectable } from 'kysely';
import type { CalendarSyncTable } from '../schema';
import type { CalendarSyncRepository, CalendarSyncRow, UserKey } from '../types';
import { Repository, num, numOrNull, patchColumns } from './common';

export function toCalendarSync(r: Selectable<CalendarSyncTable>): CalendarSyncRow {
  return {
    tid: r.tid,
    oid: r.oid,
    deltaLink: r.delta_link,
    windowStart: numOrNull(r.window_start),
    windowEnd: numOrNull(r.window_end),
    lastSuccessAt: numOrNull(r.last_success_at),
    lastError: r.last_error,
    lastErrorAt: numOrNull(r.last_error_at),
    lagMs: numOrNull(r.lag_ms),
    subscriptionId: r.subscription_id,
    subscriptionExpiresAt: numOrNull(r.subscription_expires_at),
    clientState: r.client_state,
    updatedAt: num(r.updated_at),
  };
}

const COLUMNS: Record<keyof Omit<CalendarSyncRow, 'tid' | 'oid' | 'updatedAt'>, Exclude<keyof CalendarSyncTable, 'tid' | 'oid' | 'updated_at'>> = {
  deltaLink: 'delta_link',
  windowStart: 'window_start',
  windowEnd: 'window_end',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  lastErrorAt: 'last_error_at',
  lagMs: 'lag_ms',
  subscriptionId: 'subscription_id',
  subscriptionExpiresAt: 'subscription_expires_at',
  clientState: 'client_state',
};

export class CalendarSyncRepo extends Repository implements CalendarSyncRepository {
  async getCalendarSync(k: UserKey): Promise<CalendarSyncRow | null> {
    const r = await this.db.selectFrom('calendar_sync').selectAll().where('tid', '=', k.tid).where('oid', '=', k.oid).executeTakeFirst();
    return r ? toCalendarSync(r) : null;
  }

  async listCalendarSync(): Promise<CalendarSyncRow[]> {
    const rows = await this.db.selectFrom('calendar_sync').selectAll().orderBy('tid').orderBy('oid').execute();
    return rows.map(toCalendarSync);
  }

  async patchCalendarSync(k: UserKey, patch: Partial<Omit<CalendarSyncRow, 'tid' | 'oid' | 'updatedAt'>>, now: number): Promise<CalendarSyncRow> {
    const { set, blank } = patchColumns(patch, COLUMNS);
    const cols = { ...set, updated_at: now } as Partial<Omit<CalendarSyncTable, 'tid' | 'oid'>>;
    const r = await this.db
      .insertInto('calendar_sync')
      .values({ ...blank, ...cols, tid: k.tid, oid: k.oid, updated_at: now })
      .onConflict((oc) => oc.columns(['tid', 'oid']).doUpdateSet(cols))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCalendarSync(r);
  }

  async findCalendarSubscription(subscriptionId: string): Promise<CalendarSyncRow | null> {
    const r = await this.db.selectFrom('calendar_sync').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst();
    return r ? toCalendarSync(r) : null;
  }

  // -- For the composition (kysely-store.ts) -----------------------------------------------------

  async deleteOf(k: UserKey): Promise<void> {
    await this.db.deleteFrom('calendar_sync').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
  }
}
