/**
 * Manual and quick activities (table activities). Calendar activities are derived from bookings,
 * recurring ones from rules (recurring.ts).
 */
import type { Selectable } from 'kysely';
import type { ActivitiesTable } from '../schema';
import type { ActivitiesRepository, ActivityRow, UserKey } from '../types';
import { Repository, type UserSet, bool, count, int01, num, numOrNull } from './common';

function toActivity(r: Selectable<ActivitiesTable>): ActivityRow {
  return {
    tid: r.tid,
    oid: r.oid,
    id: r.id,
    source: r.source as ActivityRow['source'],
    key: r.key,
    mode: r.mode as ActivityRow['mode'],
    number: r.number,
    from: num(r.from),
    to: numOrNull(r.to),
    text: r.text,
    operatorOnly: bool(r.operator_only),
    createdAt: num(r.created_at),
  };
}

export class ActivitiesRepo extends Repository implements ActivitiesRepository {
  async insertActivity(row: ActivityRow): Promise<void> {
    await this.db
      .insertInto('activities')
      .values({
        id: row.id,
        tid: row.tid,
        oid: row.oid,
        source: row.source,
        key: row.key,
        mode: row.mode,
        number: row.number,
        from: row.from,
        to: row.to,
        text: row.text,
        operator_only: int01(row.operatorOnly),
        created_at: row.createdAt,
      })
      .execute();
  }

  async getActivity(k: UserKey, id: string): Promise<ActivityRow | null> {
    const r = await this.db
      .selectFrom('activities')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toActivity(r) : null;
  }

  async deleteActivity(k: UserKey, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('activities').where('tid', '=', k.tid).where('oid', '=', k.oid).where('id', '=', id).executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }

  async listActivities(k: UserKey, from: number, to: number): Promise<ActivityRow[]> {
    const rows = await this.db
      .selectFrom('activities')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('from', '<', to)
      .where((eb) => eb.or([eb('to', 'is', null), eb('to', '>', from)]))
      .orderBy('from')
      .orderBy('id')
      .execute();
    return rows.map(toActivity);
  }

  // -- For the composition (kysely-store.ts) -----------------------------------------------------

  /** listActivities for many users at once. */
  async listOf(users: UserSet, from: number, to: number): Promise<ActivityRow[]> {
    const rows = await this.db
      .selectFrom('activities')
      .selectAll()
      .where('oid', 'in', users.oids)
      .where('tid', 'in', users.tids)
      .where('from', '<', to)
      .where((eb) => eb.or([eb('to', 'is', null), eb('to', '>', from)]))
      .orderBy('from')
      .orderBy('id')
      .execute();
    return rows.filter((r) => users.has(r)).map(toActivity);
  }

  async deleteAllOf(k: UserKey): Promise<void> {
    await this.db.deleteFrom('activities').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
  }

  /** Retention: activities that ended before `before` (an open end never does); returns how many. */
  async purgeEndedBefore(before: number): Promise<number> {
    const r = await this.db.deleteFrom('activities').where('to', 'is not', null).where('to', '<', before).executeTakeFirst();
    return count(r.numDeletedRows);
  }
}
