/**
 * Bookings that will not divert (issue 14): for the coming 14 days, each stored booking with a
 * near miss of the subject grammar (SPEC 4), or a code on a booking the user's settings leave out
 * (private, free, tentative: SPEC 8.2 rules 5–6). The near miss is the one stored with the booking
 * (the minimised row cannot always show it, SPEC 12); whether a private, free or tentative booking
 * is left out is decided now, with the user's current settings. The mailer reads here too.
 */
import { type BookingProblem, bookingProblem, expandOfficeRecurrence, type NearMiss, parseOfficeRecurrence, resolveBooking } from '../../core';
import type { BookingRow, UserKey, UserRow } from '../store/types';
import { bookingOfRow, isPrivate, NOT_A_PROBLEM, PROBLEM_WINDOW_MS, resolveContext } from './bookings';
import type { Deps, UserContext } from './context';

/** At most this many in an answer (then `more`). */
export const PROBLEMS_MAX = 100;

export interface ProblemView {
  bookingId: string;
  /** The booking, or for a stored series its next occurrence ending after now. */
  start: number;
  end: number;
  isAllDay: boolean;
  problem: BookingProblem;
}

/** What a mail about a booking may say: its problem and times, and the code part of its subject (SPEC 12). */
export interface MailFacts extends ProblemView {
  /** The kept code part of the subject (`NP/L`), '' when none. */
  prefix: string;
}

export interface DueMailItem {
  user: UserRow;
  bookingId: string;
  version: number;
  /** The user's context; null when the user is gone or not linked any more. */
  ctx: UserContext | null;
  /** What to send; null: the mail is no longer wanted (fixed, private, over, cancelled …). */
  facts: MailFacts | null;
}

/** The problem of a stored booking now, with the user's current settings; null when there is none. */
export function storedProblem(ctx: UserContext, row: BookingRow): BookingProblem | null {
  const booking = bookingOfRow(row);
  const r = resolveBooking(booking, resolveContext(ctx));
  if (r.reason !== null && NOT_A_PROBLEM.has(r.reason)) return null;
  if (row.nearMiss) return { kind: 'nearMiss', nearMiss: row.nearMiss as NearMiss, intended: row.nearMiss.key };
  return bookingProblem(booking, r, ctx.org.catalog);
}

/** The booking's occurrence in the window: itself, or a stored series' first occurrence ending after the window's start. */
function occurrence(ctx: UserContext, row: BookingRow, window: { from: number; to: number }): { start: number; end: number } | null {
  if (!row.recurrence) return row.end > window.from && row.start < window.to ? { start: row.start, end: row.end } : null;
  try {
    const first = expandOfficeRecurrence(parseOfficeRecurrence(row.recurrence), window, ctx.org.calendar.zone)[0];
    return first ? { start: first.start, end: first.start + (first.end - first.start || row.end - row.start) } : null;
  } catch {
    return null; // a pattern that was valid when stored and is not now: nothing to show
  }
}

export function upcomingProblem(ctx: UserContext, row: BookingRow, window: { from: number; to: number }): MailFacts | null {
  const when = occurrence(ctx, row, window);
  const problem = when && storedProblem(ctx, row);
  return when && problem ? { bookingId: row.bookingId, ...when, isAllDay: row.isAllDay, problem, prefix: row.prefix } : null;
}

export class Problems {
  constructor(private readonly d: Pick<Deps, 'store' | 'clock' | 'contexts'>) {}

  /** GET /me/problems: sorted by start, at most PROBLEMS_MAX. */
  async list(ctx: UserContext): Promise<{ from: number; to: number; problems: ProblemView[]; more: boolean }> {
    const from = this.d.clock();
    const to = from + PROBLEM_WINDOW_MS;
    const found: ProblemView[] = [];
    for (const row of await this.d.store.listBookings(ctx.user, from, to, { series: true })) {
      const p = upcomingProblem(ctx, row, { from, to });
      if (p) found.push({ bookingId: p.bookingId, start: p.start, end: p.end, isAllDay: p.isAllDay, problem: p.problem });
    }
    found.sort((a, b) => a.start - b.start || (a.bookingId < b.bookingId ? -1 : a.bookingId > b.bookingId ? 1 : 0));
    return { from, to, problems: found.slice(0, PROBLEMS_MAX), more: found.length > PROBLEMS_MAX };
  }

  /**
   * Mails due (one user's, or everyone's), each checked again against the stored row and the
   * user's settings now: a booking fixed, made private, cancelled or over since is not mailed.
   */
  async dueMails(limit: number, k?: UserKey): Promise<DueMailItem[]> {
    const due = await this.d.store.dueMails(limit, k);
    const now = this.d.clock();
    const window = { from: now, to: now + PROBLEM_WINDOW_MS };
    const contexts = new Map<string, Promise<{ user: UserRow | null; ctx: UserContext | null }>>();
    const contextOf = (key: UserKey) => {
      const id = `${key.tid}\u0000${key.oid}`;
      let c = contexts.get(id);
      if (!c) {
        c = (async () => {
          const user = await this.d.store.getUser(key);
          return { user, ctx: user?.extension ? await this.d.contexts.context(user) : null };
        })();
        contexts.set(id, c);
      }
      return c;
    };
    const items: DueMailItem[] = [];
    for (const { booking, version } of due) {
      const { user, ctx } = await contextOf(booking);
      if (!user) continue; // deleteUser removes the bookings too; a race at most
      // Never about a private booking, nor a series (Graph sends occurrences; see Bookings.putBooking).
      const facts = ctx && !isPrivate(booking) && !booking.recurrence ? upcomingProblem(ctx, booking, window) : null;
      items.push({ user, bookingId: booking.bookingId, version, ctx, facts });
    }
    return items;
  }

  /** The mail for `version` was sent, or is not wanted: it is not due again for that version. */
  settleMail(k: UserKey, bookingId: string, version: number, sent: boolean): Promise<void> {
    return this.d.store.settleMail(k, bookingId, version, sent);
  }
}
