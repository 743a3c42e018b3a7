/** Bookings: the snapshot the add-in and calendar sync send, and what it resolves to. */
import { type Static, Type } from 'typebox';
import { ForwardingOut, Instant, InstantOut, Localized } from './common';

export const BookingIdParam = Type.Object({ bookingId: Type.String({ minLength: 1, maxLength: 512 }) });

export const Booking = Type.Object(
  {
    id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    subject: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
    start: Instant,
    end: Instant,
    isAllDay: Type.Optional(Type.Boolean()),
    location: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
    body: Type.Optional(Type.Union([Type.String({ maxLength: 65536 }), Type.Null()])),
    sensitivity: Type.Optional(Type.String()),
    showAs: Type.Optional(Type.String()),
    isCancelled: Type.Optional(Type.Boolean()),
    responseStatus: Type.Optional(Type.String()),
    lastModified: Type.Optional(Type.Union([Instant, Type.Null()])),
    recurrence: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  },
  { additionalProperties: false, description: 'A booking snapshot (SPEC 8.1); unknown fields are refused' },
);

const Params = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]));
const Fix = Type.Union([
  Type.Object({ kind: Type.Literal('applySubject'), subject: Type.String() }),
  Type.Object({ kind: Type.Literal('openSettings'), setting: Type.String() }),
]);

/** What a booking does (the `resolve` output of docs/cli.md). */
export const Resolution = Type.Object({
  diverts: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why it does not divert' }),
  reasonText: Type.Union([Localized, Type.Null()]),
  code: Type.Union([Type.Object({ key: Type.String(), mex: Type.Union([Type.Integer(), Type.Null()]), label: Type.String() }), Type.Null()]),
  forwarding: Type.Union([ForwardingOut, Type.Null()]),
  from: InstantOut,
  to: InstantOut,
  text: Type.Union([Type.String(), Type.Null()]),
  warnings: Type.Array(Type.Object({ key: Type.String(), params: Params, fix: Type.Optional(Fix), message: Localized })),
});
export type ResolutionJson = Static<typeof Resolution>;

export const BookingPut = Type.Object({
  outcome: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('stale')]),
  resolution: Resolution,
});
export type BookingPutJson = Static<typeof BookingPut>;
