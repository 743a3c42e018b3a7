/** Bookings that will not divert (issue 14): GET /api/v1/me/problems. No subject text, location or body. */
import { type Static, Type } from 'typebox';
import { Localized } from './common';

const NearMissKind = Type.Union([
  Type.Literal('missingColon'),
  Type.Literal('wrongSeparator'),
  Type.Literal('spaceInside'),
  Type.Literal('unknownKey'),
  Type.Literal('disabledKey'),
  Type.Literal('notAtStart'),
]);

export const BookingProblemOut = Type.Object({
  bookingId: Type.String({ description: 'the stored booking id (Graph REST id, or what the add-in put)' }),
  start: Type.String({ description: 'UTC instant with Z; for a stored series its next occurrence ending after now' }),
  end: Type.String({ description: 'UTC instant with Z' }),
  isAllDay: Type.Boolean(),
  kind: Type.Union([Type.Literal('nearMiss'), Type.Literal('private'), Type.Literal('free'), Type.Literal('tentative')]),
  nearMiss: Type.Union([Type.Object({ kind: NearMissKind, key: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], { description: 'null unless kind is nearMiss' }),
  intended: Type.Union([Type.String(), Type.Null()], { description: 'the code key meant, or null' }),
  message: Localized,
});
export type BookingProblemJson = Static<typeof BookingProblemOut>;

export const ProblemsAnswer = Type.Object(
  {
    from: Type.String({ description: 'now' }),
    to: Type.String({ description: 'now + 14 days' }),
    problems: Type.Array(BookingProblemOut, { description: 'sorted by start, at most 100' }),
    more: Type.Boolean({ description: 'true when there were more than 100' }),
  },
  { description: 'Your bookings in the coming 14 days that will not divert, and why' },
);
export type ProblemsAnswerJson = Static<typeof ProblemsAnswer>;
