/**
 * Bookings: snapshots of the user's calendar items, from the add-in or calendar sync (SPEC 8),
 * stored minimised (SPEC 12) and resolved to the activities they stand for. A booking's way is
 * route → here → store, and the scheduler is told (Deps.changed); nothing goes back up.
 */
import {
  activityFromResolution,
  type Booking,
  type BookingProblem,
  bookingProblem,
  cleanText,
  DAY_MS,
  expandOfficeRecurrence,
  formatInstant,
  isObject,
  parseBooking,
  parseOfficeRecurrence,
  parseSubject,
  type Resolution,
  resolveBooking,
  ValidationError,
} from '../../core';
import type { BookingRow, PutBookingOutcome, UserRow } from '../store/types';
import type { ActivityView } from './views';
import type { Deps, UserContext } from './context';

/** How far ahead of the server's clock a booking's lastModified may be (clock skew). */
const LAST_MODIFIED_AHEAD_MS = 5 * 60_000;
const BOOKING_ID_MAX = 512;

/** How far ahead bookings that will not divert are shown and mailed about (issue 14). */
export const PROBLEM_WINDOW_MS = 14 * DAY_MS;
/** SPEC 8.2 rules 1–3: such a booking is not meant to divert at all, so nothing about it is a problem. */
export const NOT_A_PROBLEM: ReadonlySet<string> = new Set(['disabled', 'cancelled', 'declined', 'invalidTime']);

/** Where a snapshot came from: the add-in (or another client of the API), or calendar sync through Graph. */
export interface PutOptions {
  source?: 'api' | 'graph';
}

export class Bookings {
  /** @param notifyMail NOTIFY_MAIL=on: Graph's snapshots of bookings that will not divert get a mail due (issue 14). */
  constructor(
    private readonly d: Pick<Deps, 'store' | 'clock' | 'changed'>,
    private readonly notifyMail = false,
  ) {}

  preview(ctx: UserContext, input: unknown): Resolution {
    return resolveBooking(parseBooking(input), resolveContext(ctx));
  }

  /**
   * Stores a booking snapshot (idempotent, ordered by lastModified) and returns what it resolves
   * to. Only the code part of the subject is kept, and text fields only as the user's message
   * fields ask for them, never for a private booking (SPEC 12).
   */
  async putBooking(ctx: UserContext, bookingId: string, input: unknown, opts: PutOptions = {}): Promise<{ outcome: PutBookingOutcome; resolution: Resolution }> {
    checkBookingId(bookingId);
    if (isObject(input) && input.id !== undefined && input.id !== null && input.id !== bookingId) {
      throw new ValidationError('id', 'must match the booking id in the path');
    }
    const booking = parseBooking(input);
    // A lastModified from the future would make every later real update "stale" for ever.
    if (booking.lastModified !== null && booking.lastModified > this.d.clock() + LAST_MODIFIED_AHEAD_MS) {
      throw new ValidationError('booking.lastModified', `must not be more than ${LAST_MODIFIED_AHEAD_MS / 60_000} minutes ahead of the server's clock (${formatInstant(this.d.clock())})`);
    }
    const recurrence = isObject(input) && input.recurrence != null ? parseOfficeRecurrence(input.recurrence) : null;
    const now = this.d.clock();
    const row = minimise(ctx, booking, bookingId, now);
    const resolution = resolveBooking(booking, resolveContext(ctx));
    // Issue 14: the near miss is kept as it was found in the whole subject; the kept prefix alone
    // may not show it (SPEC 12: a notAtStart near miss keeps no code at all).
    const problem = bookingProblem(booking, resolution, ctx.org.catalog);
    const outcome = await this.d.store.putBooking({ ...row, recurrence, nearMiss: problem?.nearMiss ?? null });
    if (outcome !== 'stale') {
      this.d.changed(ctx.user.extension);
      // A mail is due only when Graph sync sees the booking (the add-in's user sees the problem
      // in Outlook already). The mailer checks the stored row again before it sends; a crash
      // before this mark is made is harmless: the round's delta link is not stored yet, so the
      // next round reads the booking again.
      if (this.notifyMail && opts.source === 'graph' && mailWanted(booking, resolution, problem, recurrence, now)) {
        await this.d.store.markMailDue(ctx.user, bookingId, booking.lastModified ?? 0);
      }
    }
    return { outcome, resolution };
  }

  async deleteBooking(user: UserRow, bookingId: string): Promise<void> {
    checkBookingId(bookingId);
    // Idempotent: deleting what is already gone is success (STYLE 5).
    if (await this.d.store.deleteBooking(user, bookingId)) this.d.changed(user.extension);
  }
}

/**
 * Issue 14: a mail about a booking that will not divert, never about a private one (its very
 * existence is private, SPEC 12), nor one that is over, more than 14 days ahead, or a series.
 */
function mailWanted(b: Booking, r: Resolution, problem: BookingProblem | null, recurrence: unknown, now: number): boolean {
  if (!problem || recurrence || (r.reason !== null && NOT_A_PROBLEM.has(r.reason))) return false;
  return !isPrivate(b) && b.end > now && b.start < now + PROBLEM_WINDOW_MS;
}

export const isPrivate = (b: Pick<Booking, 'sensitivity'> | Pick<BookingRow, 'sensitivity'>): boolean => b.sensitivity === 'private' || b.sensitivity === 'confidential';

/** The activities a stored booking stands for in a window: one, or one per occurrence of its series. */
export function calendarActivities(ctx: UserContext, b: BookingRow & { recurrence?: unknown }, window: { from: number; to: number }): ActivityView[] {
  const booking = bookingOfRow(b);
  const r = resolveBooking(booking, resolveContext(ctx));
  const base = activityFromResolution(`cal:${b.bookingId}`, r);
  if (!base) return [];
  const dismissed = b.dismissedVersion !== null;
  const view = (id: string, from: number, to: number): ActivityView => ({
    ...base,
    id,
    from,
    to,
    text: base.text ?? null,
    operatorOnly: false,
    dismissed,
    bookingId: b.bookingId,
  });
  if (b.recurrence) {
    const duration = b.end - b.start;
    const occurrences = expandOfficeRecurrence(parseOfficeRecurrence(b.recurrence), window, ctx.org.calendar.zone);
    return occurrences.map((o) => view(`cal:${b.bookingId}:${o.start}`, o.start, o.start + (o.end - o.start || duration)));
  }
  return [view(base.id, b.start, b.end)];
}

export function resolveContext(ctx: UserContext) {
  return { settings: ctx.settings, profile: ctx.profile, shared: ctx.user.shared, catalog: ctx.org.catalog };
}

function checkBookingId(id: string): void {
  if (id.length === 0 || id.length > BOOKING_ID_MAX || /[\u0000-\u001f]/.test(id)) {
    throw new ValidationError('bookingId', `must be 1 to ${BOOKING_ID_MAX} printable characters`);
  }
}

/** SPEC 12: keep only the code part of the subject, and text only where the user's message fields ask for it. */
function minimise(ctx: UserContext, b: Booking, bookingId: string, now: number): Omit<BookingRow, 'dismissedVersion'> {
  const parsed = parseSubject(b.subject, ctx.org.catalog);
  const secret = isPrivate(b);
  const mf = ctx.settings.messageFields;
  // Stored without control, bidi-override or invisible characters (issue 10).
  const keep = (want: boolean, text: string) => {
    const clean = want && !secret ? cleanText(text).trim() : '';
    return clean !== '' ? clean : null;
  };
  return {
    tid: ctx.user.tid,
    oid: ctx.user.oid,
    bookingId,
    lastModified: b.lastModified,
    prefix: b.subject.slice(0, parsed.prefixEnd).trim(),
    rest: keep(mf.subject, b.subject.slice(parsed.prefixEnd).trim()),
    location: keep(mf.location, b.location),
    body: keep(mf.body, b.body),
    start: b.start,
    end: b.end,
    isAllDay: b.isAllDay,
    sensitivity: b.sensitivity,
    showAs: b.showAs,
    isCancelled: b.isCancelled,
    responseStatus: b.responseStatus,
    updatedAt: now,
  };
}

/** A stored booking as a snapshot again: the subject is the kept code part and, if kept, the rest. */
export function bookingOfRow(b: BookingRow): Booking {
  const subject = b.rest ? (b.prefix ? `${b.prefix} ${b.rest}` : b.rest) : b.prefix;
  return {
    id: b.bookingId,
    subject,
    start: b.start,
    end: b.end,
    isAllDay: b.isAllDay,
    location: b.location ?? '',
    body: b.body ?? '',
    sensitivity: b.sensitivity as Booking['sensitivity'],
    showAs: b.showAs as Booking['showAs'],
    isCancelled: b.isCancelled,
    responseStatus: b.responseStatus as Booking['responseStatus'],
    lastModified: b.lastModified,
  };
}
