/**
 * What the admin console pages through (issue 13): users found by name, UPN, e-mail or extension,
 * deliveries (filtered to the failed ones), and the rows that go with one page of users. Every
 * list is ordered and counted in the database, so 5,000 users never travel at once.
 */
import { sql } from 'kysely';
import type { AdminListsRepository, CalendarSyncRow, DeliveryPageQuery, Page, SwitchStateRow, UserKey, UserPageQuery, UserRow } from '../types';
import { toCalendarSync } from './calendar-sync';
import { Repository, count, num } from './common';
import { escapeLike, searchFold } from './search';
import { toSwitchState } from './switch-state';
import { toUser } from './users';

/** Not delivered and the last attempt failed: retrying with backoff, or failed for good. */
const UNDELIVERED_WITH_ERROR = sql<boolean>`(version > delivered_version and last_error is not null)`;

export class AdminListsRepo extends Repository implements AdminListsRepository {
  async pageUsers(query: UserPageQuery): Promise<Page<UserRow>> {
    const q = query.q.trim();
    let base = this.db.selectFrom('users');
    if (query.linked === 'linked') base = base.where('extension', 'is not', null);
    if (query.linked === 'unlinked') base = base.where('extension', 'is', null);
    if (q !== '') {
      const name = `%${escapeLike(searchFold(q))}%`;
      const login = `%${escapeLike(q.toLowerCase())}%`;
      const ext = `${escapeLike(q)}%`;
      base = base.where((eb) =>
        eb.or([
          sql<boolean>`search_name like ${name} escape '\\'`,
          sql<boolean>`upn like ${login} escape '\\'`,
          sql<boolean>`mail like ${login} escape '\\'`,
          sql<boolean>`extension like ${ext} escape '\\'`,
        ]),
      );
    }
    // "C" ordering on PostgreSQL, as SQLite's binary one: both dialects page alike.
    const byName = this.dialect === 'postgres' ? sql`search_name collate "C"` : sql`search_name`;
    const [total, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      base
        .selectAll()
        .orderBy(sql`case when search_name is null then 1 else 0 end`)
        .orderBy(byName)
        .orderBy('tid')
        .orderBy('oid')
        .offset(query.offset)
        .limit(query.limit)
        .execute(),
    ]);
    return { total: num(total.n as number), items: rows.map(toUser) };
  }

  async pageSwitchStates(query: DeliveryPageQuery): Promise<Page<SwitchStateRow>> {
    let base = this.db.selectFrom('switch_state');
    if (query.extension) base = base.where('extension', 'like', `${escapeLike(query.extension)}%`);
    if (query.failed) base = base.where(UNDELIVERED_WITH_ERROR);
    const [total, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      base.selectAll().orderBy('extension').offset(query.offset).limit(query.limit).execute(),
    ]);
    return { total: num(total.n as number), items: rows.map(toSwitchState) };
  }

  async switchStatesFor(extensions: readonly string[]): Promise<SwitchStateRow[]> {
    const wanted = [...new Set(extensions)];
    const out: SwitchStateRow[] = [];
    for (let i = 0; i < wanted.length; i += 400) {
      const rows = await this.db.selectFrom('switch_state').selectAll().where('extension', 'in', wanted.slice(i, i + 400)).execute();
      out.push(...rows.map(toSwitchState));
    }
    return out;
  }

  async calendarSyncFor(users: readonly UserKey[]): Promise<CalendarSyncRow[]> {
    const out: CalendarSyncRow[] = [];
    for (let i = 0; i < users.length; i += 400) {
      const chunk = users.slice(i, i + 400);
      const rows = await this.db
        .selectFrom('calendar_sync')
        .selectAll()
        .where((eb) => eb.or(chunk.map((k) => eb.and([eb('tid', '=', k.tid), eb('oid', '=', k.oid)]))))
        .execute();
      out.push(...rows.map(toCalendarSync));
    }
    return out;
  }

  async retryFailedDeliveries(): Promise<string[]> {
    const rows = await this.db
      .updateTable('switch_state')
      .set({ failed_version: null, next_attempt_at: null, attempts: 0 })
      .where(UNDELIVERED_WITH_ERROR)
      .returning('extension')
      .execute();
    return rows.map((r) => r.extension).sort();
  }

  async countFailedDeliveries(): Promise<number> {
    const r = await this.db.selectFrom('switch_state').select((eb) => eb.fn.countAll().as('n')).where(UNDELIVERED_WITH_ERROR).executeTakeFirstOrThrow();
    return count(Number(r.n));
  }
}
