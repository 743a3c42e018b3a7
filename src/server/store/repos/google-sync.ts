/** Calendar sync through Google Calendar (table google_sync, issue 17): per user, sync token and push channel. */
import type { Selectable } from 'kysely';
import type { GoogleSyncTable } from '../schema';
import type { GoogleSyncRepository, GoogleSyncRow, UserKey } from '../types';
import { Repository, num, numOrNull, patchColumns } from './common';

export function toGoogleSync(r: Selectable<GoogleSyncTable>): GoogleSyncRow {
  return {
    tid: r.tid,
    oid: r.oid,
    email: r.email,
    syncToken: r.sync_token,
    windowStart: numOrNull(r.window_start),
    windowEnd: numOrNull(r.window_end),
    lastSuccessAt: numOrNull(r.last_success_at),
    lastError: r.last_error,
    lastErrorAt: numOrNull(r.last_error_at),
    lagMs: numOrNull(r.lag_ms),
    channelId: r.channel_id,
    channelResourceId: r.channel_resource_id,
    channelToken: r.channel_token,
    channelExpiresAt: numOrNull(r.channel_expires_at),
    updatedAt: num(r.updated_at),
  };
}

const COLUMNS: Record<keyof Omit<GoogleSyncRow, 'tid' | 'oid' | 'updatedAt'>, Exclude<keyof GoogleSyncTable, 'tid' | 'oid' | 'updated_at'>> = {
  email: 'email',
  syncToken: 'sync_token',
  windowStart: 'window_start',
  windowEnd: 'window_end',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  lastErrorAt: 'last_error_at',
  lagMs: 'lag_ms',
  channelId: 'channel_id',
  channelResourceId: 'channel_resource_id',
  channelToken: 'channel_token',
  channelExpiresAt: 'channel_expires_at',
};

export class GoogleSyncRepo extends Repository implements GoogleSyncRepository {
  async getGoogleSync(k: UserKey): Promise<GoogleSyncRow | null> {
    const r = await this.db.selectFrom('google_sync').selectAll().where('tid', '=', k.tid).where('oid', '=', k.oid).executeTakeFirst();
    return r ? toGoogleSync(r) : null;
  }

  async listGoogleSync(): Promise<GoogleSyncRow[]> {
    const rows = await this.db.selectFrom('google_sync').selectAll().orderBy('tid').orderBy('oid').execute();
    return rows.map(toGoogleSync);
  }

  async patchGoogleSync(k: UserKey, patch: Partial<Omit<GoogleSyncRow, 'tid' | 'oid' | 'updatedAt'>>, now: number): Promise<GoogleSyncRow> {
    const { set, blank } = patchColumns(patch, COLUMNS);
    const cols = { ...set, updated_at: now } as Partial<Omit<GoogleSyncTable, 'tid' | 'oid'>>;
    const r = await this.db
      .insertInto('google_sync')
      .values({ ...blank, ...cols, tid: k.tid, oid: k.oid, updated_at: now })
      .onConflict((oc) => oc.columns(['tid', 'oid']).doUpdateSet(cols))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGoogleSync(r);
  }

  async findGoogleChannel(channelId: string): Promise<GoogleSyncRow | null> {
    const r = await this.db.selectFrom('google_sync').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    return r ? toGoogleSync(r) : null;
  }

  // -- For the composition (kysely-store.ts) -----------------------------------------------------

  async deleteOf(k: UserKey): Promise<void> {
    await this.db.deleteFrom('google_sync').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
  }
}
