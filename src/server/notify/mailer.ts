/**
 * The mail about bookings that will not divert (issue 14, NOTIFY_MAIL=on): after each user's
 * successful calendar round, and once at start for everyone (a sweep: mails marked due before a
 * crash or restart), each due mail is checked again against the stored booking and the user's
 * settings now, then sent through Graph's sendMail as the application (Mail.Send) with the
 * calendar sync's client: its token, its retries on 429/503/504 and its per-mailbox limits. A
 * failure keeps the mail due for the next round. One user's mails go one at a time, so a sweep
 * and a round never send the same mail twice; the store settles a mail only after Graph took it
 * (a crash in between may send that one mail again).
 * SPEC 12: logs carry object ids, counts and Graph status codes, never subjects, addresses or numbers.
 */
import type { GraphClient } from '../calendar/graph-client';
import { describe, GraphError } from '../calendar/graph-client';
import { type Log, silentLog, userKey } from '../runtime';
import type { DueMailItem, Service } from '../service';
import type { UserKey } from '../store/types';
import type { NotifyConfig } from './config';
import { buildMail } from './mail';

export interface MailerOptions {
  config: NotifyConfig;
  /** The calendar sync's Graph client. */
  client: GraphClient;
  /** GRAPH_BASE_URL. */
  baseUrl: string;
  service: Service;
  log?: Log;
  /** Due mails read at a time (per user after a round; across users in the sweep). Default 100. */
  batch?: number;
}

export interface MailRound {
  sent: number;
  /** Graph refused or failed: still due, tried again after the next round. */
  failed: number;
  /** No longer wanted (the booking was fixed, made private, cancelled, is over, or the user left). */
  dropped: number;
  /** The user has neither an e-mail address nor a UPN stored yet: still due. */
  noAddress: number;
}

const empty = (): MailRound => ({ sent: 0, failed: 0, dropped: 0, noAddress: 0 });

export class Mailer {
  private readonly log: Log;
  private readonly batch: number;
  private readonly perUser = new Map<string, Promise<unknown>>();
  private readonly work = new Set<Promise<unknown>>();
  /** Mails so far, by outcome (tests read them). */
  readonly counts: MailRound = empty();

  constructor(private readonly o: MailerOptions) {
    this.log = o.log ?? silentLog;
    this.batch = o.batch ?? 100;
  }

  /** One user's due mails (after their successful calendar round). Never throws. */
  sendDue(user: UserKey): Promise<MailRound> {
    return this.serial(user, async () => {
      const r = empty();
      try {
        await this.send(await this.o.service.dueMails(this.batch, user), r);
      } catch (err) {
        this.log.error({ oid: user.oid, err: { type: describe(err) } }, 'booking mails failed');
      }
      return r;
    });
  }

  /** Every user's due mails (at start), or those of the users `mine` accepts (issue 18: the users this process reads). Never throws. */
  async sweep(mine: (user: UserKey) => boolean = () => true): Promise<MailRound> {
    const total = empty();
    try {
      const due = (await this.o.service.dueMails(this.batch)).filter((d) => mine(d.user));
      const users = new Map(due.map((d) => [userKey(d.user), { tid: d.user.tid, oid: d.user.oid }]));
      for (const u of users.values()) add(total, await this.sendDue(u));
      if (due.length > 0) this.log.info({ users: users.size, ...total }, 'booking mail sweep');
    } catch (err) {
      this.log.error({ err: { type: describe(err) } }, 'booking mail sweep failed');
    }
    return total;
  }

  /** Resolves when no mail is being sent. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  private async send(items: DueMailItem[], r: MailRound): Promise<void> {
    const user = items[0]?.user;
    for (const item of items) {
      if (!item.ctx || !item.facts) {
        await this.o.service.settleMail(item.user, item.bookingId, item.version, false);
        r.dropped++;
        continue;
      }
      const address = item.user.mail ?? item.user.upn;
      if (!address) {
        r.noAddress++;
        continue;
      }
      const sender = this.o.config.from ?? item.user.oid;
      const f = item.facts;
      const mail = buildMail({ problem: f.problem, lang: item.ctx.settings.language, catalog: item.ctx.org.catalog, zone: item.ctx.org.calendar.zone, start: f.start, end: f.end, isAllDay: f.isAllDay, prefix: f.prefix });
      try {
        await this.o.client.request(sender, 'POST', `${this.o.baseUrl}/users/${encodeURIComponent(sender)}/sendMail`, {
          body: { message: { subject: mail.subject, body: { contentType: 'Text', content: mail.content }, toRecipients: [{ emailAddress: { address } }] }, saveToSentItems: false },
        });
      } catch (err) {
        r.failed++;
        this.log.warn({ oid: item.user.oid, status: err instanceof GraphError ? err.status : undefined, error: describe(err) }, 'booking mail not sent; tried again after the next round');
        break; // the rest wait for the next round too (a refusal is usually the same for all)
      }
      await this.o.service.settleMail(item.user, item.bookingId, item.version, true);
      r.sent++;
    }
    add(this.counts, r);
    if (user && r.sent + r.failed + r.noAddress > 0) this.log.info({ oid: user.oid, ...r }, 'booking mails');
  }

  /** Runs `fn` after the user's mail work before it: one user's mails are never sent by two at once. */
  private serial<T>(k: UserKey, fn: () => Promise<T>): Promise<T> {
    const key = userKey(k);
    const p = (this.perUser.get(key) ?? Promise.resolve()).then(fn);
    const tail = p.catch(() => undefined);
    this.perUser.set(key, tail);
    void tail.then(() => this.perUser.get(key) === tail && this.perUser.delete(key));
    this.work.add(p);
    void tail.then(() => this.work.delete(p));
    return p;
  }
}

function add(to: MailRound, r: MailRound): void {
  to.sent += r.sent;
  to.failed += r.failed;
  to.dropped += r.dropped;
  to.noAddress += r.noAddress;
}
