/** Activities: manual, recurring and quick ones (Aktiviteter, Snabbval), and the list of them all. */
import { type Static, Type } from 'typebox';
import { Forwarding, ForwardingOut, Instant } from './common';

export const Window = Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 600 }) });
export const IndexParam = Type.Object({ index: Type.String({ pattern: '^[0-7]$' }) });

const FixedLengths = [
  Type.Literal('standard'),
  Type.Literal('nextWorkingDay'),
  Type.Literal('untilFurtherNotice'),
  Type.Object({ minutes: Type.Integer({ minimum: 1, maximum: 10080 }) }, { additionalProperties: false }),
] as const;
/** A quick choice's length; `until` is an end date and time (Slutdatum), which must lie ahead when saved. */
const Length = Type.Union([
  ...FixedLengths,
  Type.Object({ until: Instant }, { additionalProperties: false, description: 'Slutdatum: runs from activation until this instant' }),
]);
const LengthOut = Type.Union([
  ...FixedLengths,
  Type.Object({ until: Type.String({ description: 'UTC instant with Z' }) }, { description: 'Slutdatum' }),
]);

export const QuickChoice = Type.Object(
  {
    key: Type.String({ description: 'A code such as "L", or "forward" (Vidarekoppla)', maxLength: 8 }),
    length: Type.Optional(Length),
    forwarding: Type.Optional(Type.Union([Forwarding, Type.Null()])),
    text: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export const QuickChoices = Type.Array(QuickChoice, { description: 'Snabbval: at most 8' });
export const QuickChoiceOut = Type.Object({
  key: Type.String(),
  length: LengthOut,
  forwarding: Type.Union([ForwardingOut, Type.Null()]),
  text: Type.Union([Type.String(), Type.Null()]),
});
export const QuickChoicesOut = Type.Array(QuickChoiceOut);
export type QuickChoiceJson = Static<typeof QuickChoiceOut>;

const Repeat = Type.Union([
  Type.Literal('everyWorkingDay'),
  Type.Literal('everyDay'),
  Type.Object({ weeks: Type.Integer({ minimum: 1, maximum: 6 }) }, { additionalProperties: false }),
]);

export const NewActivity = Type.Object(
  {
    key: Type.String({ description: 'A code such as "L", or "forward" (Vidarekoppla)', maxLength: 8 }),
    forwarding: Type.Optional(Type.Union([Forwarding, Type.Null()])),
    from: Type.Optional(Instant),
    to: Type.Optional(Type.Union([Instant, Type.Null()], { description: 'null: tills vidare; omitted: the code’s standard length' })),
    text: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    operatorOnly: Type.Optional(Type.Boolean({ description: 'Visa bara informationen för telefonister' })),
    recurrence: Type.Optional(
      Type.Union([
        Type.Object(
          {
            repeat: Repeat,
            until: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
            endsNextWorkingDay: Type.Optional(Type.Boolean({ description: 'Nästa arbetsdag' })),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

/** One activity as the list shows it; a recurring rule's occurrences have ids rec:<rule>:<start>. */
export const Activity = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('calendar'), Type.Literal('manual'), Type.Literal('recurring'), Type.Literal('quick')]),
  key: Type.String(),
  forwarding: ForwardingOut,
  from: Type.String({ description: 'UTC instant with Z' }),
  to: Type.Union([Type.String(), Type.Null()], { description: 'null: tills vidare' }),
  text: Type.Union([Type.String(), Type.Null()]),
  operatorOnly: Type.Boolean(),
  dismissed: Type.Boolean(),
  bookingId: Type.Optional(Type.String({ description: 'calendar activities: the booking' })),
  ruleId: Type.Optional(Type.String({ description: 'recurring activities: the rule' })),
  rule: Type.Optional(
    Type.Object(
      {
        repeat: Repeat,
        until: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'Återkommande aktivitet slutar (last day); null: tills vidare' }),
        endsNextWorkingDay: Type.Boolean({ description: 'Nästa arbetsdag' }),
      },
      { description: 'recurring activities: the rule as it was made' },
    ),
  ),
});
export type ActivityJson = Static<typeof Activity>;
export const ActivityList = Type.Object({ activities: Type.Array(Activity) });
