/**
 * The mail about bookings that will not divert (issue 14), in two columns of table bookings:
 * `mail_due_version`, the booking version (its lastModified, 0 without one) a mail is due for,
 * and `mail_sent_version`, the newest version a mail went out for. A version is mailed at most
 * once: a mark for a version not newer than the one sent changes nothing. The mark is written
 * before the mail is sent and cleared only after (settleMail), so a crash never loses a due mail
 * (the sweep at start sends it); a crash between Graph's answer and settleMail may send that one
 * mail twice, never more.
 */
import { sql } from 'kysely';
import type { BookingMailRepository, DueMail, UserKey } from '../types';
import { Repository, count, num } from './common';
import { toBooking } from './bookings';

export class BookingMailRepo extends Repository implements BookingMailRepository {
  async markMailDue(k: UserKey, bookingId: string, version: number): Promise<boolean> {
    const r = await this.db
      .updateTable('bookings')
      .set({ mail_due_version: version })
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('booking_id', '=', bookingId)
      .where((eb) => eb.or([eb('mail_sent_version', 'is', null), eb('mail_sent_version', '<', version)]))
      .where((eb) => eb.or([eb('mail_due_version', 'is', null), eb('mail_due_version', '<', version)]))
      .executeTakeFirst();
    return count(r.numUpdatedRows) > 0;
  }

  async dueMails(limit: number, k?: UserKey): Promise<DueMail[]> {
    let q = this.db.selectFrom('bookings').selectAll().where('mail_due_version', 'is not', null);
    if (k) q = q.where('tid', '=', k.tid).where('oid', '=', k.oid);
    const rows = await q.orderBy('start').orderBy('tid').orderBy('oid').orderBy('booking_id').limit(limit).execute();
    return rows.map((r) => ({ booking: toBooking(r), version: num(r.mail_due_version as number) }));
  }

  async settleMail(k: UserKey, bookingId: string, version: number, sent: boolean): Promise<void> {
    await this.db
      .updateTable('bookings')
      .set((eb) => ({
        // A mark for a newer version made meanwhile stays due.
        mail_due_version: eb.case().when('mail_due_version', '<=', version).then(sql.lit(null)).else(eb.ref('mail_due_version')).end(),
        ...(sent
          ? { mail_sent_version: eb.case().when(eb.or([eb('mail_sent_version', 'is', null), eb('mail_sent_version', '<', version)])).then(version).else(eb.ref('mail_sent_version')).end() }
          : {}),
      }))
      .where('tid', '=', k.tid)
      .where('oid', '=', k.oid)
      .where('booking_id', '=', bookingId)
      .execute();
  }
}
