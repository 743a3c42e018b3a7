/**
 * Calendar sync shared by several processes (issue 18; tables sync_leases and
 * endpoint_processes): per source and user, the process that reads the calendar and until when,
 * and each process's heartbeat. A lease is taken with one upsert per slice whose update applies
 * only where the row is lapsed or already the taker's: on PostgreSQL a row being taken by two
 * processes at once is updated by the first, and the second's condition, checked again after
 * the first commits, no longer holds; so one process holds a lease at a time.
 */
import type { Selectable } from 'kysely';
import type { SyncLeasesTable } from '../schema';
import type { EndpointProcess, LeasesRepository, SyncLease, UserKey } from '../types';
import { Repository, count, num } from './common';

/** Users per statement (5 parameters each). */
const SLICE = 500;

const toLease = (r: Selectable<SyncLeasesTable>): SyncLease => ({ source: r.source, tid: r.tid, oid: r.oid, owner: r.owner, expiresAt: num(r.expires_at) });

export class LeasesRepo extends Repository implements LeasesRepository {
  async heartbeatProcess(p: { owner: string; host: string; pid: number }, now: number): Promise<void> {
    await this.db
      .insertInto('endpoint_processes')
      .values({ owner: p.owner, host: p.host, pid: p.pid, started_at: now, heartbeat_at: now })
      .onConflict((oc) => oc.column('owner').doUpdateSet({ heartbeat_at: now }))
      .execute();
  }

  async listProcesses(since: number): Promise<EndpointProcess[]> {
    const rows = await this.db.selectFrom('endpoint_processes').selectAll().where('heartbeat_at', '>=', since).orderBy('owner').execute();
    return rows.map((r) => ({ owner: r.owner, host: r.host, pid: num(r.pid), startedAt: num(r.started_at), heartbeatAt: num(r.heartbeat_at) }));
  }

  async removeProcesses(which: { owner: string } | { before: number }): Promise<number> {
    const q = this.db.deleteFrom('endpoint_processes');
    const r = await ('owner' in which ? q.where('owner', '=', which.owner) : q.where('heartbeat_at', '<', which.before)).executeTakeFirst();
    return count(r.numDeletedRows);
  }

  async renewLeases(owner: string, sources: readonly string[], until: number): Promise<SyncLease[]> {
    if (sources.length === 0) return [];
    const rows = await this.db.updateTable('sync_leases').set({ expires_at: until }).where('owner', '=', owner).where('source', 'in', [...sources]).returningAll().execute();
    return rows.map(toLease);
  }

  async claimLeases(source: string, users: readonly UserKey[], owner: string, now: number, until: number): Promise<UserKey[]> {
    const taken: UserKey[] = [];
    for (let i = 0; i < users.length; i += SLICE) {
      const slice = users.slice(i, i + SLICE);
      const rows = await this.db
        .insertInto('sync_leases')
        .values(slice.map((u) => ({ source, tid: u.tid, oid: u.oid, owner, expires_at: until })))
        .onConflict((oc) =>
          oc
            .columns(['source', 'tid', 'oid'])
            .doUpdateSet({ owner, expires_at: until })
            .where((eb) => eb.or([eb('sync_leases.expires_at', '<=', now), eb('sync_leases.owner', '=', owner)])),
        )
        .returning(['tid', 'oid'])
        .execute();
      taken.push(...rows.map((r) => ({ tid: r.tid, oid: r.oid })));
    }
    return taken;
  }

  async releaseLeases(owner: string, source?: string, users?: readonly UserKey[]): Promise<number> {
    if (users !== undefined && users.length === 0) return 0;
    let n = 0;
    const slices = users === undefined ? [undefined] : Array.from({ length: Math.ceil(users.length / SLICE) }, (_, i) => users.slice(i * SLICE, (i + 1) * SLICE));
    for (const slice of slices) {
      let q = this.db.deleteFrom('sync_leases').where('owner', '=', owner);
      if (source !== undefined) q = q.where('source', '=', source);
      if (slice) q = q.where((eb) => eb.or(slice.map((u) => eb.and([eb('tid', '=', u.tid), eb('oid', '=', u.oid)]))));
      n += count((await q.executeTakeFirst()).numDeletedRows);
    }
    return n;
  }

  async purgeLeases(source: string, before: number): Promise<number> {
    const r = await this.db.deleteFrom('sync_leases').where('source', '=', source).where('expires_at', '<', before).executeTakeFirst();
    return count(r.numDeletedRows);
  }

  async getLease(source: string, k: UserKey): Promise<SyncLease | null> {
    const r = await this.db.selectFrom('sync_leases').selectAll().where('source', '=', source).where('tid', '=', k.tid).where('oid', '=', k.oid).executeTakeFirst();
    return r ? toLease(r) : null;
  }

  async listLeases(source?: string): Promise<SyncLease[]> {
    let q = this.db.selectFrom('sync_leases').selectAll();
    if (source !== undefined) q = q.where('source', '=', source);
    return (await q.orderBy('source').orderBy('tid').orderBy('oid').execute()).map(toLease);
  }
}
