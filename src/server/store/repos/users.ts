/** Users and their extensions (table users), and their per-user documents (user_docs). */
import { type Selectable, sql } from 'kysely';
import type { UsersTable } from '../schema';
import type { DocKind, ExtensionsSnapshot, UserKey, UserLogin, UserRow, UsersRepository } from '../types';
import { Repository, type UserSet, bool, count, int01, num, toJson } from './common';
import { escapeLike, searchFold } from './search';

const folded = (name: string | null | undefined) => (name === null || name === undefined ? null : searchFold(name));
/** UPNs and e-mail addresses are compared without case: stored lowercased. */
export const lower = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? null : v.trim().toLowerCase());

export function toUser(r: Selectable<UsersTable>): UserRow {
  return {
    tid: r.tid,
    oid: r.oid,
    displayName: r.display_name,
    upn: r.upn ?? null,
    mail: r.mail ?? null,
    extension: r.extension,
    shared: bool(r.shared),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export class UsersRepo extends Repository implements UsersRepository {
  private userRows(k: UserKey) {
    return this.db.selectFrom('users').selectAll().where('tid', '=', k.tid).where('oid', '=', k.oid);
  }

  async getUser(k: UserKey): Promise<UserRow | null> {
    const r = await this.userRows(k).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  /** A null display name, UPN or e-mail keeps the stored one (a token without a name claim does not erase it). */
  async touchUser(k: UserKey, displayName: string | null, now: number, login: UserLogin = {}): Promise<UserRow> {
    const r = await this.db
      .insertInto('users')
      .values({
        tid: k.tid,
        oid: k.oid,
        display_name: displayName,
        search_name: folded(displayName),
        upn: lower(login.upn),
        mail: lower(login.mail),
        extension: null,
        shared: 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['tid', 'oid']).doUpdateSet((eb) => ({
          display_name: eb.fn.coalesce(eb.ref('excluded.display_name'), eb.ref('users.display_name')),
          search_name: eb.fn.coalesce(eb.ref('excluded.search_name'), eb.ref('users.search_name')),
          upn: eb.fn.coalesce(eb.ref('excluded.upn'), eb.ref('users.upn')),
          mail: eb.fn.coalesce(eb.ref('excluded.mail'), eb.ref('users.mail')),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(r);
  }

  /**
   * Users of tenant `tid` whose UPN or e-mail is one of `logins` (compared lowercased), in chunks
   * so that thousands fit the databases' parameter limits.
   */
  async findUsersByLogin(tid: string, logins: readonly string[]): Promise<UserRow[]> {
    const wanted = [...new Set(logins.map((l) => lower(l)).filter((l): l is string => l !== null))];
    const out: UserRow[] = [];
    for (let i = 0; i < wanted.length; i += 400) {
      const chunk = wanted.slice(i, i + 400);
      const rows = await this.db
        .selectFrom('users')
        .selectAll()
        .where('tid', '=', tid)
        .where((eb) => eb.or([eb('upn', 'in', chunk), eb('mail', 'in', chunk)]))
        .execute();
      out.push(...rows.map(toUser));
    }
    return out;
  }

  async listUsers(): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('tid').orderBy('oid').execute();
    return rows.map(toUser);
  }

  /** An absent or null displayName, UPN or e-mail keeps the stored one. */
  async linkUser(k: UserKey, link: { extension: string; shared: boolean; displayName?: string | null } & UserLogin, now: number): Promise<UserRow> {
    const r = await this.db
      .insertInto('users')
      .values({
        tid: k.tid,
        oid: k.oid,
        display_name: link.displayName ?? null,
        search_name: folded(link.displayName),
        upn: lower(link.upn),
        mail: lower(link.mail),
        extension: link.extension,
        shared: int01(link.shared),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['tid', 'oid']).doUpdateSet((eb) => ({
          display_name: eb.fn.coalesce(eb.ref('excluded.display_name'), eb.ref('users.display_name')),
          search_name: eb.fn.coalesce(eb.ref('excluded.search_name'), eb.ref('users.search_name')),
          upn: eb.fn.coalesce(eb.ref('excluded.upn'), eb.ref('users.upn')),
          mail: eb.fn.coalesce(eb.ref('excluded.mail'), eb.ref('users.mail')),
          extension: eb.ref('excluded.extension'),
          shared: eb.ref('excluded.shared'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(r);
  }

  /** Takes the user off their extension (not shared any more); throws when there is no such user. */
  async unlinkUser(k: UserKey, now: number): Promise<UserRow> {
    const r = await this.db
      .updateTable('users')
      .set({ extension: null, shared: 0, updated_at: now })
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(r);
  }

  async usersOnExtension(extension: string): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('extension', '=', extension).orderBy('tid').orderBy('oid').execute();
    return rows.map(toUser);
  }

  /**
   * Colleagues (Kollegor): linked users whose display name contains `q` (without case and
   * accents) or whose extension starts with `q`, by name (then extension), at most `limit`.
   * Users without an extension are not listed.
   */
  async searchUsers(q: string, limit: number): Promise<UserRow[]> {
    const name = `%${escapeLike(searchFold(q))}%`;
    const ext = `${escapeLike(q.trim())}%`;
    // "C" ordering on PostgreSQL, as SQLite's binary one: both dialects pick the same `limit`.
    const byName = this.dialect === 'postgres' ? sql`search_name collate "C"` : sql`search_name`;
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('extension', 'is not', null)
      .where((eb) => eb.or([sql<boolean>`search_name like ${name} escape '\\'`, sql<boolean>`extension like ${ext} escape '\\'`]))
      .orderBy(sql`case when search_name is null then 1 else 0 end`)
      .orderBy(byName)
      .orderBy('extension')
      .orderBy('tid')
      .orderBy('oid')
      .limit(limit)
      .execute();
    return rows.map(toUser);
  }

  async listExtensions(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('extension')
      .distinct()
      .where('extension', 'is not', null)
      .orderBy('extension')
      .$narrowType<{ extension: string }>()
      .execute();
    return rows.map((r) => r.extension);
  }

  // -- Per-user documents ------------------------------------------------------------------------

  async getDoc(k: UserKey, kind: DocKind): Promise<unknown | null> {
    const r = await this.db
      .selectFrom('user_docs')
      .select('value')
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r ? (JSON.parse(r.value) as unknown) : null;
  }

  async putDoc(k: UserKey, kind: DocKind, value: unknown, now: number): Promise<void> {
    await this.db
      .insertInto('user_docs')
      .values({ tid: k.tid, oid: k.oid, kind, value: toJson(value, `The ${kind} document`), updated_at: now })
      .onConflict((oc) =>
        oc.columns(['tid', 'oid', 'kind']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }

  // -- For the composition (kysely-store.ts) -----------------------------------------------------

  /** The users linked to any of these extensions. */
  async onExtensions(extensions: readonly string[]): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('extension', 'in', [...new Set(extensions)]).orderBy('tid').orderBy('oid').execute();
    return rows.map(toUser);
  }

  /** These users' documents of these kinds. */
  async docsOf(users: UserSet, kinds: DocKind[]): Promise<ExtensionsSnapshot['docs']> {
    const rows = await this.db.selectFrom('user_docs').select(['tid', 'oid', 'kind', 'value']).where('oid', 'in', users.oids).where('tid', 'in', users.tids).where('kind', 'in', kinds).execute();
    return rows.filter((d) => users.has(d)).map((d) => ({ tid: d.tid, oid: d.oid, kind: d.kind as DocKind, value: JSON.parse(d.value) as unknown }));
  }

  async deleteDocsOf(k: UserKey): Promise<void> {
    await this.db.deleteFrom('user_docs').where('tid', '=', k.tid).where('oid', '=', k.oid).execute();
  }

  /** The user's own row only (Store.deleteUser removes what is theirs first). */
  async deleteUserRow(k: UserKey): Promise<boolean> {
    const r = await this.db.deleteFrom('users').where('tid', '=', k.tid).where('oid', '=', k.oid).executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }
}
