/** The admin console's lists and actions (issue 13): users paged with their status, deliveries paged, the draft organisation's preview. */
import { type Static, Type } from 'typebox';
import { Booking } from './bookings';
import { InstantOut, Localized } from './common';
import { OrgDoc } from './admin';
import { Settings } from './me';
import { Delivery } from './state';

/** Query strings are not coerced: numbers arrive as digits, checked by pageBounds (400 naming them). */
const Digits = (description: string) => Type.String({ pattern: '^[0-9]{1,9}$', description });
const Paging = {
  offset: Type.Optional(Digits('default 0')),
  limit: Type.Optional(Digits('1–1000, default 100')),
};

export const UsersQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'part of a name, UPN or e-mail, or the start of an extension' })),
    linked: Type.Optional(Type.Union([Type.Literal('any'), Type.Literal('linked'), Type.Literal('unlinked')], { description: 'default any' })),
    ...Paging,
  },
  { additionalProperties: false },
);

const Diversion = Type.Object({
  key: Type.String(),
  label: Localized,
  returnAt: InstantOut,
  returnText: Type.Object({ sv: Type.String(), en: Type.String() }, { description: 'as the directory shows it: "➔ 13:00", "Tills vidare"' }),
  soft: Type.Boolean({ description: 'the phone rings as usual (Ingen vidarekoppling, or a shared extension)' }),
});

const CalendarState = Type.Object({
  lastSuccessAt: InstantOut,
  lastError: Type.Union([Type.String(), Type.Null()]),
  lagSeconds: Type.Union([Type.Integer(), Type.Null()]),
  subscriptionActive: Type.Boolean(),
});

export const ConsoleUser = Type.Object({
  tid: Type.String(),
  oid: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  upn: Type.Union([Type.String(), Type.Null()]),
  mail: Type.Union([Type.String(), Type.Null()]),
  extension: Type.Union([Type.String(), Type.Null()]),
  shared: Type.Boolean(),
  diversion: Type.Union([Diversion, Type.Null()]),
  delivery: Type.Union([Delivery, Type.Null()]),
  calendar: Type.Union([CalendarState, Type.Null()], { description: 'null: never synced (or calendar sync is off)' }),
});
export type ConsoleUserJson = Static<typeof ConsoleUser>;

export const UsersPage = Type.Object({
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  users: Type.Array(ConsoleUser),
});

export const DeliveriesQuery = Type.Object(
  {
    extension: Type.Optional(Type.String({ pattern: '^[0-9]{0,15}$', description: 'the start of an extension' })),
    failed: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only those not delivered whose last attempt failed' })),
    ...Paging,
  },
  { additionalProperties: false },
);

export const RetryAll = Type.Object({ retried: Type.Integer(), extensions: Type.Array(Type.String()) });

export const JournalQuery = Type.Object(
  {
    extension: Type.Optional(Type.String({ pattern: '^[0-9]{0,15}$', description: 'the start of an extension' })),
    limit: Type.Optional(Digits('1–1000, default 200')),
  },
  { additionalProperties: false },
);

export const OrgPreview = Type.Object(
  {
    org: OrgDoc,
    booking: Booking,
    settings: Type.Optional(Settings),
  },
  { additionalProperties: false },
);

export const AdminCatalog = Type.Object({
  codes: Type.Array(
    Type.Object({
      key: Type.String(),
      prefix: Type.String(),
      label: Localized,
      mex: Type.Integer(),
      group: Type.String(),
      standardLength: Type.Union([Type.Literal('nextWorkingDay'), Type.Object({ minutes: Type.Integer() })]),
      enabled: Type.Boolean(),
      builtIn: Type.Boolean({ description: 'one of the guide’s codes (it can be relabelled or disabled, not removed)' }),
    }),
  ),
});
