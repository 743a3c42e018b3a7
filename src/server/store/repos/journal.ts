/** The journal (table switch_journal): what the switch was sent, one entry per extension and version. */
import type { JournalEntry, JournalRepository } from '../types';
import { escapeLike } from './search';
import { Repository, count, num, toJson } from './common';

export class JournalRepo extends Repository implements JournalRepository {
  async appendJournal(entry: JournalEntry): Promise<void> {
    await this.db
      .insertInto('switch_journal')
      .values({ extension: entry.extension, version: entry.version, state: toJson(entry.state, 'The switch state'), at: entry.at })
      .onConflict((oc) => oc.columns(['extension', 'version']).doNothing())
      .execute();
  }

  async listJournal(limit: number, extension?: string): Promise<JournalEntry[]> {
    let q = this.db.selectFrom('switch_journal').selectAll();
    if (extension) q = q.where('extension', 'like', `${escapeLike(extension)}%`);
    const rows = await q.orderBy('at', 'desc').orderBy('extension').limit(limit).execute();
    return rows.map((r) => ({ extension: r.extension, version: num(r.version), state: JSON.parse(r.state) as unknown, at: num(r.at) }));
  }

  // -- For the composition (kysely-store.ts) -----------------------------------------------------

  /** Retention: entries recorded before `before`; returns how many. */
  async purgeBefore(before: number): Promise<number> {
    const r = await this.db.deleteFrom('switch_journal').where('at', '<', before).executeTakeFirst();
    return count(r.numDeletedRows);
  }
}
