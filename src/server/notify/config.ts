/**
 * The NOTIFY_* variables (merged into config.ts's one schema like GRAPH_*) and their checks at
 * start. The mail about bookings that will not divert (issue 14) is off unless NOTIFY_MAIL=on,
 * and it needs Graph (GRAPH_*) configured: it is sent through the same app registration.
 */
import { Type } from 'typebox';

export const NOTIFY_ENV = {
  NOTIFY_MAIL: Type.String({ default: 'off', expected: 'on or off' }),
  NOTIFY_MAIL_FROM: Type.String({ default: '', expected: 'the UPN of the mailbox the mails are sent from' }),
};

export interface NotifyConfig {
  /** Mail users about their bookings that will not divert. */
  mail: boolean;
  /** The mailbox (UPN, lowercased) every mail is sent from; null: each user's own mailbox sends to itself. */
  from: string | null;
}

type NotifyEnv = { NOTIFY_MAIL: string; NOTIFY_MAIL_FROM: string };

const MAILBOX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `graph`: whether GRAPH_* is configured. */
export function notifyConfig(e: NotifyEnv, fail: (variable: string, detail: string) => Error, graph: boolean): NotifyConfig {
  const value = e.NOTIFY_MAIL.trim().toLowerCase();
  if (value !== 'on' && value !== 'off') throw fail('NOTIFY_MAIL', `must be on or off (got ${JSON.stringify(e.NOTIFY_MAIL)})`);
  const mail = value === 'on';
  if (mail && !graph) throw fail('NOTIFY_MAIL', 'needs Microsoft Graph configured: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH');
  const from = e.NOTIFY_MAIL_FROM.trim();
  if (from === '') return { mail, from: null };
  if (!MAILBOX.test(from)) throw fail('NOTIFY_MAIL_FROM', `must be a mailbox's user principal name such as kalenderkoppling@kommun.se (got ${JSON.stringify(e.NOTIFY_MAIL_FROM)})`);
  if (!mail) throw fail('NOTIFY_MAIL_FROM', 'needs NOTIFY_MAIL=on: it is the mailbox the mails are sent from');
  return { mail, from: from.toLowerCase() };
}
