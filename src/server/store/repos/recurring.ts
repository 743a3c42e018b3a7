/** Recurring rules (table recurring), with the starts of the occurrences the user deleted. */
import type { Selectable } from 'kysely';
import type { RecurringTable } from '../schema';
import type { RecurringRepository, RecurringRow, UserKey } from '../types';
import { Repository, type UserSet, bool, count, int01, num, toJson } from './common';

function toRecurring(r: Selectable<RecurringTable>): RecurringRow {
  return {
    tid: r.tid,
    oid: r.oid,
    id: r.id,
    key: r.key,
    mode: r.mode as RecurringRow['mode'],
    number: r.number,
    firstStart: num(r.first_start),
    firstEnd: num(r.first_end),
    repeat: JSON.parse(r.repeat),
    until: r.until,
    endsNextWorkingDay: bool(r.ends_next_working_day),
    text: r.text,
    operatorOnly: bool(r.operator_only),
    exceptions: JSON.parse(r.exceptions) as number[],
    createdAt: num(r.created_at),
  };
}

export class RecurringRepo extends Repository implements RecurringRepository {
  async insertRecurring(row: RecurringRow): Promise<void> {
    await this.db
      .insertInto('recurring')
      .values({
        id: row.id,
        tid: row.tid,
        oid: row.oid,
        key: row.key,
        mode: row.mode,
        number: row.number,
        first_start: row.firstStart,
        first_end: row.firstEnd,
        repeat: toJson(row.repeat, 'The repeat'),
        until: row.until,
        ends_next_working_day: int01(row.endsNextWorkingDay),
        text: row.text,
        operator_only: int01(row.operatorOnly),
        exceptions: toJson(row.exceptions, 'The exceptions'),
        created_at: row.createdAt,
      })
      .execute();
  }

  async getRecurring(k: UserKey, id: string): Promise<RecurringRow | null> {
    const r = await this.db
      .selectFrom('recurring')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? toRecurring(r) : null;
  }

  async listRecurring(k: UserKey): Promise<RecurringRow[]> {
    const rows = await this.db
      .selectFrom('recurring')
      .selectAll()
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .orderBy('first_start')
      .orderBy('id')
      .execute();
    return rows.map(toRecurring);
  }

  async setRecurringExceptions(k: UserKey, id: string, exceptions: number[]): Promise<boolean> {
    const r = await this.db
      .updateTable('recurring')
      .set({ exceptions: toJson(exceptions, 'The exceptions') })
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('id', '=', id)
      .executeTakeFirst();
    return count(r.numUpdatedRows) > 0;
  }

  async deleteRecurring(k: UserKey, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('recurring').where('tid', '=', k.tid).where('oid', '=', k.oid).where('id', '=', id).executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }

  // -- For the composition (kysely-store.ts) -----------------------------------------------------

  /** listRecurring for many users at once. */
  async listOf(users: UserSet): Promise<RecurringRow[]> {
    const rows = await this.db.selectFrom('recurring').selectAll().where('oid', 'in', users.oids).where('tid', 'in', users.tids).orderBy('first_start').orderBy('id').execute();
    return rows.filter((r) => users.has(r)).map(toRecurring);
  }

  async deleteAllOf(k: UserKey): Promise<void> {
    await this.db.deleteFrom('recurring').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
  }

  /** Retention: rules whose last date (inclusive, YYYY-MM-DD) is before `beforeDate`; returns how many. */
  async purgeEndedBefore(beforeDate: string): Promise<number> {
    const r = await this.db.deleteFrom('recurring').where('until', 'is not', null).where('until', '<', beforeDate).executeTakeFirst();
    return count(r.numDeletedRows);
  }
}
