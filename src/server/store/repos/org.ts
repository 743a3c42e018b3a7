/** The organisation document (table org: one row, id 1). */
import type { OrgRepository, OrgRow } from '../types';
import { Repository, num, toJson } from './common';

export class OrgRepo extends Repository implements OrgRepository {
  async getOrg(): Promise<OrgRow | null> {
    const r = await this.db.selectFrom('org').select(['value', 'updated_at']).where('id', '=', 1).executeTakeFirst();
    return r ? { value: JSON.parse(r.value) as unknown, updatedAt: num(r.updated_at) } : null;
  }

  async putOrg(value: unknown, now: number): Promise<void> {
    await this.db
      .insertInto('org')
      .values({ id: 1, value: toJson(value, 'The organisation document'), updated_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }
}
