/** Admin (app role Admin): users and their extensions, the organisation document, the switch, calendar sync. */
import { type Static, Type } from 'typebox';
import { InstantOut } from './common';
import { Delivery } from './state';
import { Profile, Settings } from './me';

export const OidParam = Type.Object({ oid: Type.String({ minLength: 1, maxLength: 64 }) });

export const AdminUser = Type.Object(
  {
    extension: Type.String({ pattern: '^[0-9]{2,15}$', description: 'The extension (anknytning)' }),
    shared: Type.Optional(Type.Boolean({ description: 'Delad anknytning: diversions are always soft' })),
    displayName: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    mail: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', maxLength: 254, description: 'The e-mail address, e.g. the Google Workspace address its calendar is read at (issue 17); absent keeps the stored one' })),
    tid: Type.Optional(Type.String({ description: 'Tenant id; default: the admin’s own' })),
  },
  { additionalProperties: false },
);

export const User = Type.Object({
  tid: Type.String(),
  oid: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  extension: Type.Union([Type.String(), Type.Null()]),
  shared: Type.Boolean(),
});
export type UserJson = Static<typeof User>;
export const Users = Type.Object({ users: Type.Array(User) });

/**
 * An organisation's change to one code of the catalog (SPEC 3): the shape, unknown fields refused.
 * The values (key letters, MEX 0–9, label length, group, minutes) are the core's to check, so
 * its message names the field as org.catalog[i].x.
 */
export const CodeOverride = Type.Object(
  {
    key: Type.String({ maxLength: 64 }),
    label: Type.Optional(Type.Object({ sv: Type.Optional(Type.String({ maxLength: 200 })), en: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })),
    mex: Type.Optional(Type.Integer()),
    group: Type.Optional(Type.String({ maxLength: 64 })),
    standardLength: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Object({ minutes: Type.Integer() }, { additionalProperties: false })])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const OrgDoc = Type.Object(
  {
    timeZone: Type.Optional(Type.String()),
    workdayStart: Type.Optional(Type.String()),
    workdayEnd: Type.Optional(Type.String()),
    extraDaysOff: Type.Optional(Type.Array(Type.String({ format: 'date' }), { maxItems: 1000 })),
    catalog: Type.Optional(Type.Array(CodeOverride, { maxItems: 50 })),
    settings: Type.Optional(Settings),
    profile: Type.Optional(Profile),
  },
  { additionalProperties: false },
);
export const OrgDocOut = Type.Object({
  org: OrgDoc,
  updatedAt: InstantOut,
});

export const Deliveries = Type.Object({
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  deliveries: Type.Array(
    Type.Object({
      extension: Type.String(),
      state: Type.Unknown({ description: 'what the switch is to have (integration.md); null: no diversion' }),
      computedAt: InstantOut,
      nextBoundary: InstantOut,
      ...Delivery.properties,
    }),
  ),
});
export const Retry = Type.Object({ extension: Type.String(), retrying: Type.Boolean() });

export const Journal = Type.Object({
  entries: Type.Array(Type.Object({ extension: Type.String(), version: Type.Integer(), state: Type.Unknown(), at: InstantOut })),
});

export const CalendarAdmin = Type.Object({
  enabled: Type.Boolean(),
  notifications: Type.Boolean(),
  users: Type.Array(
    Type.Object({
      oid: Type.String(),
      extension: Type.Union([Type.String(), Type.Null()]),
      lastSuccessAt: InstantOut,
      lastError: Type.Union([Type.String(), Type.Null()]),
      lastErrorAt: InstantOut,
      lagSeconds: Type.Union([Type.Integer(), Type.Null()]),
      lastRoundLagMs: Type.Union([Type.Integer(), Type.Null()]),
      windowStart: InstantOut,
      windowEnd: InstantOut,
      subscriptionActive: Type.Boolean(),
      subscriptionExpiresAt: InstantOut,
      process: Type.Union([Type.String(), Type.Null()], { description: 'the endpoint process reading this calendar now (null: none holds it at the moment)' }),
    }),
  ),
  /** The endpoint processes alive on this database (issue 18), and how many calendars each reads. */
  processes: Type.Array(
    Type.Object({
      name: Type.String(),
      host: Type.String(),
      pid: Type.Integer(),
      startedAt: InstantOut,
      heartbeatAt: InstantOut,
      graphUsers: Type.Integer(),
      googleUsers: Type.Integer(),
    }),
  ),
  /** The process that answered. */
  thisProcess: Type.String(),
  /** Google Calendar (issue 17): the users read there, beside Graph's. */
  google: Type.Object({
    enabled: Type.Boolean(),
    notifications: Type.Boolean(),
    users: Type.Array(
      Type.Object({
        oid: Type.String(),
        extension: Type.Union([Type.String(), Type.Null()]),
        email: Type.Union([Type.String(), Type.Null()]),
        lastSuccessAt: InstantOut,
        lastError: Type.Union([Type.String(), Type.Null()]),
        lastErrorAt: InstantOut,
        lagSeconds: Type.Union([Type.Integer(), Type.Null()]),
        lastRoundLagMs: Type.Union([Type.Integer(), Type.Null()]),
        channelActive: Type.Boolean(),
        channelExpiresAt: InstantOut,
        process: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  }),
});
