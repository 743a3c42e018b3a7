/**
 * The booking snapshot (SPEC 8.1): what the add-in sends and what Graph gives, validated into
 * one shape with the defaults Office.js needs (it cannot read showAs, so unknown means busy).
 */
import { isObject, ValidationError } from './errors';
import { type Instant, parseInstant } from './time';

export const SENSITIVITIES = ['normal', 'personal', 'private', 'confidential'] as const;
export const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'] as const;
export const RESPONSE_STATUSES = ['none', 'organizer', 'accepted', 'tentativelyAccepted', 'declined', 'notResponded'] as const;

export type Sensitivity = (typeof SENSITIVITIES)[number];
export type ShowAs = (typeof SHOW_AS)[number];
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export interface Booking {
  id: string | null;
  subject: string;
  start: Instant;
  end: Instant;
  isAllDay: boolean;
  location: string;
  body: string;
  sensitivity: Sensitivity;
  showAs: ShowAs;
  isCancelled: boolean;
  responseStatus: ResponseStatus;
  lastModified: Instant | null;
}

function text(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ValidationError(field, 'must be a text');
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T, field: string): T {
  if (v === undefined || v === null) return fallback;
  if (!allowed.includes(v as T)) throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

function flag(v: unknown, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new ValidationError(field, 'must be true or false');
  return v;
}

/** Validates a booking snapshot; fields the rules do not use (recurrence, extra Graph fields) are ignored. */
export function parseBooking(input: unknown, field = 'booking'): Booking {
  if (input === undefined) throw new ValidationError(field, 'is required');
  if (!isObject(input)) throw new ValidationError(field, 'must be an object');
  const b = input as Record<string, unknown>;
  if (b.start === undefined) throw new ValidationError(`${field}.start`, 'is required');
  if (b.end === undefined) throw new ValidationError(`${field}.end`, 'is required');
  if (b.id !== undefined && b.id !== null && typeof b.id !== 'string') throw new ValidationError(`${field}.id`, 'must be a text');
  return {
    id: (b.id as string | undefined) ?? null,
    subject: text(b.subject, `${field}.subject`),
    start: parseInstant(b.start, `${field}.start`),
    end: parseInstant(b.end, `${field}.end`),
    isAllDay: flag(b.isAllDay, `${field}.isAllDay`),
    location: text(b.location, `${field}.location`),
    body: text(b.body, `${field}.body`),
    sensitivity: oneOf(b.sensitivity, SENSITIVITIES, 'normal', `${field}.sensitivity`),
    showAs: oneOf(b.showAs, SHOW_AS, 'busy', `${field}.showAs`),
    isCancelled: flag(b.isCancelled, `${field}.isCancelled`),
    responseStatus: oneOf(b.responseStatus, RESPONSE_STATUSES, 'none', `${field}.responseStatus`),
    lastModified: b.lastModified === undefined || b.lastModified === null ? null : parseInstant(b.lastModified, `${field}.lastModified`),
  };
}
