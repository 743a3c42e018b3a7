/**
 * A Google Calendar event (events.list with singleEvents=true) → the booking snapshot of SPEC 8.1,
 * the shape the add-in and Graph sync give Service.putBooking, so the rules never know where a
 * booking came from (issue 17). Location and description are taken only when the user's message
 * fields ask for them.
 */
import { DateTime } from 'luxon';
import { ValidationError } from '../../../core';
import { htmlToText, type SnapshotInput } from '../mapping';

/** The fields of a Google event the snapshot is made of (calendar_v3.Schema$Event, narrowed). */
export interface GoogleEvent {
  id?: string | null;
  status?: string | null;
  summary?: string | null;
  description?: string | null;
  location?: string | null;
  start?: { dateTime?: string | null; date?: string | null; timeZone?: string | null } | null;
  end?: { dateTime?: string | null; date?: string | null; timeZone?: string | null } | null;
  visibility?: string | null;
  transparency?: string | null;
  attendees?: { email?: string | null; self?: boolean | null; organizer?: boolean | null; responseStatus?: string | null }[] | null;
  organizer?: { self?: boolean | null } | null;
  updated?: string | null;
}

/** Booking ids of Google events: their own namespace, so they never meet a Graph or add-in id. */
export const GOOGLE_ID_PREFIX = 'google:';
export const googleBookingId = (eventId: string) => `${GOOGLE_ID_PREFIX}${eventId}`;

/** `dateTime` (RFC 3339 with offset) as it is, or an all-day `date` as local midnight in `zone`. */
export function googleInstant(v: GoogleEvent['start'], zone: string, field: string): { iso: string; allDay: boolean } {
  if (typeof v?.dateTime === 'string') {
    const t = DateTime.fromISO(v.dateTime, { setZone: true });
    if (!t.isValid) throw new ValidationError(field, `is not a time Google should send (${t.invalidReason ?? 'invalid'})`);
    return { iso: t.toUTC().toISO() as string, allDay: false };
  }
  if (typeof v?.date === 'string') {
    const d = DateTime.fromISO(v.date, { zone });
    if (!d.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(v.date)) throw new ValidationError(field, 'is not a date Google should send');
    return { iso: d.startOf('day').toUTC().toISO() as string, allDay: true };
  }
  throw new ValidationError(field, 'is missing');
}

const RESPONSES: Record<string, string> = { accepted: 'accepted', declined: 'declined', tentative: 'tentativelyAccepted', needsAction: 'notResponded' };

export function googleEventToSnapshot(e: GoogleEvent, opts: { zone: string; location: boolean; body: boolean }): SnapshotInput {
  const start = googleInstant(e.start, opts.zone, 'start');
  const end = googleInstant(e.end, opts.zone, 'end');
  // The calendar's owner among the attendees (`self`); an event without attendees is their own.
  const self = e.attendees?.find((a) => a.self === true);
  const responseStatus = self ? (self.organizer ? 'organizer' : (RESPONSES[self.responseStatus ?? ''] ?? 'none')) : e.organizer?.self ? 'organizer' : 'none';
  const showAs = e.transparency === 'transparent' ? 'free' : responseStatus === 'tentativelyAccepted' ? 'tentative' : 'busy';
  const updated = typeof e.updated === 'string' ? DateTime.fromISO(e.updated, { setZone: true }) : null;
  return {
    id: googleBookingId(e.id ?? ''),
    subject: e.summary ?? '',
    start: start.iso,
    end: end.iso,
    isAllDay: start.allDay,
    location: opts.location ? (e.location ?? '') : '',
    body: opts.body ? htmlToText(e.description ?? '') : '',
    sensitivity: e.visibility === 'private' ? 'private' : e.visibility === 'confidential' ? 'confidential' : 'normal',
    showAs,
    isCancelled: e.status === 'cancelled',
    responseStatus,
    lastModified: updated?.isValid ? (updated.toUTC().toISO() as string) : null,
  };
}
