/**
 * A Graph event (as calendarView/delta returns it, times in UTC) → the booking snapshot of SPEC
 * 8.1, in the shape the add-in pushes, so both go through Service.putBooking. Only the snapshot's
 * fields are taken; the body only when the user's message fields ask for it.
 */
import { DateTime } from 'luxon';
import { ValidationError } from '../../core';

export interface GraphEvent {
  id: string;
  '@removed'?: { reason?: string };
  subject?: string | null;
  start?: { dateTime?: string; timeZone?: string } | null;
  end?: { dateTime?: string; timeZone?: string } | null;
  isAllDay?: boolean | null;
  location?: { displayName?: string | null } | null;
  body?: { contentType?: string; content?: string | null } | null;
  sensitivity?: string | null;
  showAs?: string | null;
  isCancelled?: boolean | null;
  responseStatus?: { response?: string | null } | null;
  lastModifiedDateTime?: string | null;
  type?: string | null;
  seriesMasterId?: string | null;
}

export interface SnapshotInput {
  id: string;
  subject: string;
  start: string;
  end: string;
  isAllDay: boolean;
  location: string;
  body: string;
  sensitivity: string;
  showAs: string;
  isCancelled: boolean;
  responseStatus: string;
  lastModified: string | null;
}

/** Graph gives up to 7 fractional digits and, with Prefer outlook.timezone="UTC", no offset. */
export function graphInstant(v: { dateTime?: string; timeZone?: string } | null | undefined, field: string): string {
  const dt = v?.dateTime;
  if (typeof dt !== 'string') throw new ValidationError(field, 'is missing');
  const zone = v?.timeZone ?? 'UTC';
  const trimmed = dt.replace(/(\.\d{3})\d+/, '$1').replace(/Z$/, '');
  const parsed = DateTime.fromISO(trimmed, { zone: zone === 'UTC' || zone === 'tzone://Microsoft/Utc' ? 'utc' : zone });
  if (!parsed.isValid) throw new ValidationError(field, `is not a time Graph should send (${parsed.invalidReason ?? 'invalid'})`);
  return parsed.toUTC().toISO() as string;
}

function isoOrNull(v: string | null | undefined): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const d = DateTime.fromISO(v.replace(/(\.\d{3})\d+/, '$1'), { zone: 'utc' });
  return d.isValid ? (d.toUTC().toISO() as string) : null;
}

/** Rough HTML → text, for a Graph that ignored Prefer outlook.body-content-type="text". */
function plainText(body: GraphEvent['body']): string {
  const content = body?.content ?? '';
  if (body?.contentType?.toLowerCase() !== 'html') return content;
  return htmlToText(content);
}

/** Rough HTML → text (Graph's HTML bodies; Google's descriptions, which may hold HTML). */
export function htmlToText(content: string): string {
  return content
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function eventToSnapshot(e: GraphEvent, opts: { body: boolean }): SnapshotInput {
  return {
    id: e.id,
    subject: e.subject ?? '',
    start: graphInstant(e.start, 'start'),
    end: graphInstant(e.end, 'end'),
    isAllDay: e.isAllDay === true,
    location: e.location?.displayName ?? '',
    body: opts.body ? plainText(e.body) : '',
    sensitivity: e.sensitivity ?? 'normal',
    showAs: e.showAs ?? 'unknown',
    isCancelled: e.isCancelled === true,
    responseStatus: e.responseStatus?.response ?? 'none',
    lastModified: isoOrNull(e.lastModifiedDateTime),
  };
}
