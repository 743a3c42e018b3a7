/**
 * Desired switch states and their delivery (table switch_state, SPEC 11): what the scheduler
 * computes and the outbox delivers, one row per extension. The advisory locks of
 * Store.lockSwitchStates are in kysely-store.ts (they also cover extensions without a row).
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { DELIVERY_DUE_SQL } from '../migrations';
import type { Database, SwitchStateTable } from '../schema';
import type { DeliveryRecord, DesiredInput, PendingTransition, SwitchStateRepository, SwitchStateRow } from '../types';
import { Repository, count, num, numOrNull, toJson } from './common';

export function toSwitchState(r: Selectable<SwitchStateTable>): SwitchStateRow {
  return {
    extension: r.extension,
    version: num(r.version),
    state: JSON.parse(r.state) as unknown,
    nextBoundary: numOrNull(r.next_boundary),
    computedAt: num(r.computed_at),
    deliveredVersion: num(r.delivered_version),
    deliveredAt: numOrNull(r.delivered_at),
    attempts: num(r.attempts),
    nextAttemptAt: numOrNull(r.next_attempt_at),
    lastError: r.last_error,
    failedVersion: numOrNull(r.failed_version),
    claimedBy: r.claimed_by,
    claimedUntil: numOrNull(r.claimed_until),
    pending: r.pending_at === null || r.pending_state === null ? null : { at: num(r.pending_at), state: JSON.parse(r.pending_state) as unknown, next: numOrNull(r.pending_next) },
  };
}

/** The pending columns for `p` (all null without one). */
function pendingColumns(p: PendingTransition | null | undefined) {
  return p ? { pending_at: p.at, pending_state: toJson(p.state, 'The pending switch state'), pending_next: p.next } : { pending_at: null, pending_state: null, pending_next: null };
}

/** Each extension at most once (the set-based writes need that; otherwise they go one by one). */
function distinct(items: readonly { extension: string }[]): boolean {
  return new Set(items.map((i) => i.extension)).size === items.length;
}

/** The state changes at promotion (SQL over the old row: SET sees the values before the update). */
const PROMOTE_CHANGES = sql<boolean>`pending_state <> state`;

export class SwitchStateRepo extends Repository implements SwitchStateRepository {
  async getSwitchState(extension: string): Promise<SwitchStateRow | null> {
    const r = await this.db.selectFrom('switch_state').selectAll().where('extension', '=', extension).executeTakeFirst();
    return r ? toSwitchState(r) : null;
  }

  async listSwitchStates(): Promise<SwitchStateRow[]> {
    const rows = await this.db.selectFrom('switch_state').selectAll().orderBy('extension').execute();
    return rows.map(toSwitchState);
  }

  async listSwitchStateExtensions(): Promise<string[]> {
    const rows = await this.db.selectFrom('switch_state').select('extension').orderBy('extension').execute();
    return rows.map((r) => r.extension);
  }

  async putDesiredState(extension: string, state: unknown | null, nextBoundary: number | null, now: number, pending?: PendingTransition | null): Promise<{ version: number; changed: boolean }> {
    const text = toJson(state, 'The switch state');
    const ahead = pendingColumns(pending);
    return this.atomically(async (db) => {
      // On PostgreSQL several processes may recompute the same extension at a boundary: the row
      // lock makes the second one see the first one's state, so a change bumps the version once.
      const current = () => {
        const q = db.selectFrom('switch_state').select(['version', 'state']).where('extension', '=', extension);
        return (this.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
      };
      let row = await current();
      if (!row) {
        const inserted = await db
          .insertInto('switch_state')
          .values({ extension, version: 1, state: text, next_boundary: nextBoundary, computed_at: now, delivered_version: 0, delivered_at: null, attempts: 0, next_attempt_at: null, last_error: null, failed_version: null, claimed_by: null, claimed_until: null, ...ahead })
          .onConflict((oc) => oc.column('extension').doNothing())
          .executeTakeFirst();
        if (count(inserted.numInsertedOrUpdatedRows) > 0) return { version: 1, changed: true };
        row = await current();
        if (!row) throw new Error(`switch state of ${extension} vanished while being written`);
      }
      const changed = row.state !== text;
      const version = num(row.version) + (changed ? 1 : 0);
      await db
        .updateTable('switch_state')
        .set(
          changed
            ? { version, state: text, next_boundary: nextBoundary, computed_at: now, attempts: 0, next_attempt_at: null, last_error: null, ...ahead }
            : { next_boundary: nextBoundary, computed_at: now, ...ahead },
        )
        .where('extension', '=', extension)
        .execute();
      return { version, changed };
    });
  }

  async putDesiredStates(items: readonly DesiredInput[]): Promise<{ version: number; changed: boolean }[]> {
    if (items.length === 0) return [];
    if (this.dialect === 'postgres' && items.length > 1 && distinct(items)) return this.putDesiredStatesPg(items);
    return this.atomically(async (db) => {
      const tx = new SwitchStateRepo(db, this.dialect);
      const out: { version: number; changed: boolean }[] = [];
      for (const i of items) out.push(await tx.putDesiredState(i.extension, i.state, i.nextBoundary, i.now, i.pending));
      return out;
    });
  }

  /**
   * PostgreSQL, many extensions (issue 16): the same as putDesiredState for each, in a constant
   * number of statements instead of two round trips per extension: the rows locked in extension
   * order (as lockSwitchStates, so two writers never wait on each other in a circle), the missing
   * ones inserted, and every other one written by one UPDATE over unnested arrays.
   */
  private putDesiredStatesPg(items: readonly DesiredInput[]): Promise<{ version: number; changed: boolean }[]> {
    const texts = items.map((i) => toJson(i.state, 'The switch state'));
    const ahead = items.map((i) => pendingColumns(i.pending));
    return this.atomically(async (db) => {
      const lock = (extensions: string[]) =>
        db.selectFrom('switch_state').select(['extension', 'version', 'state']).where('extension', 'in', extensions).orderBy('extension').forUpdate().execute();
      const current = new Map((await lock(items.map((i) => i.extension))).map((r) => [r.extension, r]));
      const out = new Map<string, { version: number; changed: boolean }>();
      const missing = items.flatMap((i, k) => (current.has(i.extension) ? [] : [k]));
      if (missing.length > 0) {
        const inserted = await db
          .insertInto('switch_state')
          .values(missing.map((k) => {
            const i = items[k]!;
            return { extension: i.extension, version: 1, state: texts[k]!, next_boundary: i.nextBoundary, computed_at: i.now, delivered_version: 0, delivered_at: null, attempts: 0, next_attempt_at: null, last_error: null, failed_version: null, claimed_by: null, claimed_until: null, ...ahead[k]! };
          }))
          .onConflict((oc) => oc.column('extension').doNothing())
          .returning('extension')
          .execute();
        for (const r of inserted) out.set(r.extension, { version: 1, changed: true });
        // Inserted meanwhile by another process: locked and updated like the others.
        const raced = missing.map((k) => items[k]!.extension).filter((e) => !out.has(e));
        if (raced.length > 0) for (const r of await lock(raced)) current.set(r.extension, r);
      }
      const rest = items.flatMap((i, k) => (out.has(i.extension) ? [] : [k]));
      if (rest.length > 0) {
        const col = <T>(f: (k: number) => T) => rest.map(f);
        const changed = col((k) => {
          const row = current.get(items[k]!.extension);
          if (!row) throw new Error(`switch state of ${items[k]!.extension} vanished while being written`);
          const c = row.state !== texts[k];
          out.set(items[k]!.extension, { version: num(row.version) + (c ? 1 : 0), changed: c });
          return c;
        });
        await sql`update switch_state as s set
            version = v.version, state = v.state, next_boundary = v.next_boundary, computed_at = v.computed_at,
            attempts = case when v.changed then 0 else s.attempts end,
            next_attempt_at = case when v.changed then null else s.next_attempt_at end,
            last_error = case when v.changed then null else s.last_error end,
            pending_at = v.pending_at, pending_state = v.pending_state, pending_next = v.pending_next
          from unnest(${col((k) => items[k]!.extension)}::text[], ${col((k) => out.get(items[k]!.extension)!.version)}::bigint[], ${col((k) => texts[k]!)}::text[],
            ${col((k) => items[k]!.nextBoundary)}::bigint[], ${col((k) => items[k]!.now)}::bigint[], ${changed}::boolean[],
            ${col((k) => ahead[k]!.pending_at)}::bigint[], ${col((k) => ahead[k]!.pending_state)}::text[], ${col((k) => ahead[k]!.pending_next)}::bigint[])
            as v(extension, version, state, next_boundary, computed_at, changed, pending_at, pending_state, pending_next)
          where s.extension = v.extension`.execute(db);
      }
      return items.map((i) => out.get(i.extension)!);
    });
  }

  async dueForRecompute(now: number, aheadMs = 0): Promise<string[]> {
    // A row holding a pending transition for its boundary is promoted, not recomputed.
    const rows = await this.db
      .selectFrom('switch_state')
      .select('extension')
      .where('next_boundary', '<=', now + aheadMs)
      .where((eb) => eb.or([eb('pending_at', 'is', null), eb('pending_at', '<>', eb.ref('next_boundary'))]))
      .orderBy('next_boundary')
      .execute();
    return rows.map((r) => r.extension);
  }

  async promotePending(now: number, exclude: readonly string[] = [], limit = 1_000): Promise<number> {
    // The rows to promote, at most `limit` (earliest first): a burst is promoted in slices, and
    // delivering starts after the first one.
    let pick = this.db
      .selectFrom('switch_state')
      .select('extension')
      .where('next_boundary', '<=', now)
      .whereRef('pending_at', '=', 'next_boundary')
      .where('pending_state', 'is not', null)
      .orderBy('next_boundary')
      .limit(limit);
    if (exclude.length > 0) pick = pick.where('extension', 'not in', [...exclude]);
    // Two processes promoting at the same instant take different slices instead of one
    // waiting for the other's rows (PostgreSQL; SQLite has one process). A CTE, evaluated once:
    // a LIMIT … SKIP LOCKED subquery inside IN may be evaluated again and pick more rows.
    if (this.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
    const changed = await this.db
      .with('pick', () => pick)
      .updateTable('switch_state')
      .set({
        version: sql<number>`case when ${PROMOTE_CHANGES} then version + 1 else version end`,
        attempts: sql<number>`case when ${PROMOTE_CHANGES} then 0 else attempts end`,
        next_attempt_at: sql<number | null>`case when ${PROMOTE_CHANGES} then null else next_attempt_at end`,
        last_error: sql<string | null>`case when ${PROMOTE_CHANGES} then null else last_error end`,
        state: sql<string>`pending_state`,
        next_boundary: sql<number | null>`pending_next`,
        computed_at: now,
        pending_at: null,
        pending_state: null,
        pending_next: null,
      })
      .where('extension', 'in', (eb) => eb.selectFrom('pick').select('pick.extension'))
      // Checked again on the row itself: on PostgreSQL a row a recompute has just rewritten is
      // promoted only if it still holds a pending transition for a boundary that has come.
      .where('next_boundary', '<=', now)
      .whereRef('pending_at', '=', 'next_boundary')
      .returning(sql<number>`1`.as('one'))
      .execute();
    return changed.length;
  }

  async nextWake(after: number, aheadMs = 0): Promise<number | null> {
    // Reads of the front of an index each (next_boundary, and the delivery-due expression,
    // which covers retries and lapsing claims): no scan of every extension.
    const first = (from: number) => this.db.selectFrom('switch_state').select('next_boundary as t').where('next_boundary', '>', from).orderBy('next_boundary').limit(1).executeTakeFirst();
    const boundary = await first(after);
    // The first boundary beyond the horizon comes within it at t - aheadMs: compute it ahead then.
    const ahead = aheadMs > 0 ? await first(after + aheadMs) : undefined;
    const due = await this.db
      .selectFrom('switch_state')
      .select(DELIVERY_DUE_SQL.as('t'))
      .where(DELIVERY_DUE_SQL, '>', after)
      .orderBy(DELIVERY_DUE_SQL)
      .limit(1)
      .executeTakeFirst();
    const times = [boundary?.t, due?.t].filter((t) => t !== null && t !== undefined).map((t) => num(t as number));
    if (ahead?.t !== null && ahead?.t !== undefined) times.push(num(ahead.t) - aheadMs);
    return times.length ? Math.min(...times) : null;
  }

  /** The rows dueForDelivery returns, as a query (claimDeliveries narrows and locks it). */
  private dueQuery(db: Kysely<Database>, now: number, limit: number) {
    return db.selectFrom('switch_state').where(DELIVERY_DUE_SQL, '<=', now).orderBy(DELIVERY_DUE_SQL).limit(limit);
  }

  async dueForDelivery(now: number, limit: number): Promise<SwitchStateRow[]> {
    const rows = await this.dueQuery(this.db, now, limit).selectAll().execute();
    return rows.map(toSwitchState);
  }

  async claimDeliveries(now: number, limit: number, owner: string, leaseMs: number): Promise<SwitchStateRow[]> {
    if (limit <= 0) return [];
    const due = this.dueQuery(this.db, now, limit).select('extension');
    // SKIP LOCKED: rows another process is claiming right now are passed over, not waited for.
    // In a CTE, evaluated once (as promotePending): inside IN it may be evaluated again and
    // claim more than `limit`.
    const picked = this.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
    const rows = await this.db
      .with('picked', () => picked)
      .updateTable('switch_state')
      .set({ claimed_by: owner, claimed_until: now + leaseMs })
      .where('extension', 'in', (eb) => eb.selectFrom('picked').select('picked.extension'))
      .returningAll()
      .execute();
    return rows.map(toSwitchState).sort((a, b) => a.computedAt - b.computedAt || (a.extension < b.extension ? -1 : 1));
  }

  async releaseClaims(owner?: string): Promise<number> {
    let q = this.db.updateTable('switch_state').set({ claimed_by: null, claimed_until: null }).where('claimed_by', 'is not', null);
    if (owner !== undefined) q = q.where('claimed_by', '=', owner);
    const r = await q.executeTakeFirst();
    return count(r.numUpdatedRows);
  }

  async recordDelivery(extension: string, version: number, outcome: DeliveryRecord, owner?: string): Promise<void> {
    await this.atomically(async (db) => {
      if (outcome.ok) {
        await db
          .updateTable('switch_state')
          .set((eb) => ({
            delivered_version: sql<number>`case when ${eb.ref('delivered_version')} > ${version} then ${eb.ref('delivered_version')} else ${version} end`,
            delivered_at: outcome.at,
            attempts: 0,
            next_attempt_at: null,
            last_error: null,
          }))
          .where('extension', '=', extension)
          .execute();
      } else {
        // A failure only counts for the version it was about; a newer state starts afresh.
        await db
          .updateTable('switch_state')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            next_attempt_at: outcome.nextAttemptAt,
            last_error: outcome.error,
            failed_version: outcome.permanent ? version : eb.ref('failed_version'),
          }))
          .where('extension', '=', extension)
          .where('version', '=', version)
          .execute();
      }
      if (owner !== undefined) {
        await db.updateTable('switch_state').set({ claimed_by: null, claimed_until: null }).where('extension', '=', extension).where('claimed_by', '=', owner).execute();
      }
    });
  }

  async recordDeliveries(items: readonly { extension: string; version: number; outcome: DeliveryRecord }[], owner?: string): Promise<void> {
    if (items.length === 0) return;
    if (this.dialect === 'postgres' && items.length > 1 && items.every((i) => i.outcome.ok) && distinct(items)) {
      return this.recordSuccessesPg(items as readonly { extension: string; version: number; outcome: { ok: true; at: number } }[], owner);
    }
    await this.atomically(async (db) => {
      const tx = new SwitchStateRepo(db, this.dialect);
      for (const i of items) await tx.recordDelivery(i.extension, i.version, i.outcome, owner);
    });
  }

  async markForRedelivery(items: readonly { extension: string; version: number }[]): Promise<number> {
    let marked = 0;
    if (items.length === 0) return 0;
    await this.atomically(async (db) => {
      for (const i of items) {
        // Only while `version` is still the current one and delivered: a newer version is due
        // anyway, and one in flight or failing is not sent twice (DELIVERY_DUE_SQL).
        const r = await db
          .updateTable('switch_state')
          .set({ delivered_version: i.version - 1, attempts: 0, next_attempt_at: null, last_error: null })
          .where('extension', '=', i.extension)
          .where('version', '=', i.version)
          .where('delivered_version', '=', i.version)
          .executeTakeFirst();
        marked += count(r.numUpdatedRows);
      }
    });
    return marked;
  }

  /**
   * PostgreSQL, a batch of successes (issue 16): what recordDelivery does for each, in two
   * statements instead of two per delivery: the rows locked in extension order, then one UPDATE
   * over unnested arrays (delivered_version never goes back; only `owner`'s claims are released).
   */
  private async recordSuccessesPg(items: readonly { extension: string; version: number; outcome: { ok: true; at: number } }[], owner?: string): Promise<void> {
    const extensions = items.map((i) => i.extension);
    await this.atomically(async (db) => {
      await db.selectFrom('switch_state').select('extension').where('extension', 'in', extensions).orderBy('extension').forUpdate().execute();
      const mine = sql<boolean>`(${owner ?? null}::text is not null and s.claimed_by = ${owner ?? null}::text)`;
      await sql`update switch_state as s set
          delivered_version = greatest(s.delivered_version, v.version), delivered_at = v.at,
          attempts = 0, next_attempt_at = null, last_error = null,
          claimed_by = case when ${mine} then null else s.claimed_by end,
          claimed_until = case when ${mine} then null else s.claimed_until end
        from unnest(${extensions}::text[], ${items.map((i) => i.version)}::bigint[], ${items.map((i) => i.outcome.at)}::bigint[]) as v(extension, version, at)
        where s.extension = v.extension`.execute(db);
    });
  }

  async retryDelivery(extension: string): Promise<boolean> {
    const r = await this.db
      .updateTable('switch_state')
      .set({ failed_version: null, next_attempt_at: null, attempts: 0 })
      .where('extension', '=', extension)
      .executeTakeFirst();
    return count(r.numUpdatedRows) > 0;
  }
}
