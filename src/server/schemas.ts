/**
 * Request schemas of API v1 (TypeBox): Fastify validates shapes and types with them and the
 * OpenAPI document at /docs is generated from them. The domain core then checks what a schema
 * cannot (known codes, instants, phone numbers, end after start) and names the field.
 */
import { Type } from 'typebox';

const Instant = Type.String({ description: 'ISO 8601 instant with Z or an offset', examples: ['2026-11-24T11:00:00Z'] });
const Mode = Type.Union([Type.Literal('spoken'), Type.Literal('none'), Type.Literal('number')], {
  description: 'spoken: Talad hänvisning · none: Ingen vidarekoppling · number: Till nummer',
});
export const Forwarding = Type.Object(
  { mode: Type.Optional(Mode), number: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])) },
  { additionalProperties: false },
);

export const Settings = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'Aktivera' })),
    defaultCode: Type.Optional(Type.Union([Type.String({ maxLength: 8 }), Type.Null()], { description: 'Standardkod' })),
    language: Type.Optional(Type.Union([Type.Literal('sv'), Type.Literal('en')], { description: 'Språk of the spoken message' })),
    soft: Type.Optional(Type.Boolean({ description: 'Ingen vidarekoppling' })),
    messageFields: Type.Optional(
      Type.Object(
        { subject: Type.Optional(Type.Boolean()), location: Type.Optional(Type.Boolean()), body: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
    ),
    include: Type.Optional(
      Type.Object(
        { free: Type.Optional(Type.Boolean()), private: Type.Optional(Type.Boolean()), tentative: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'Your calendar settings (fliken Kalender); omitted fields take the organisation defaults' },
);

const groups = ['lunch', 'goneForTheDay', 'errand', 'meeting', 'dayOff', 'absent', 'forward'] as const;
export const Profile = Type.Object(Object.fromEntries(groups.map((g) => [g, Type.Optional(Forwarding)])), {
  additionalProperties: false,
  description: 'Your contact profile (fliken Kontaktprofiler): forwarding per activity group',
});

export const QuickChoice = Type.Object(
  {
    key: Type.String({ description: 'A code such as "L", or "forward" (Vidarekoppla)', maxLength: 8 }),
    length: Type.Optional(
      Type.Union([
        Type.Literal('standard'),
        Type.Literal('nextWorkingDay'),
        Type.Literal('untilFurtherNotice'),
        Type.Object({ minutes: Type.Integer({ minimum: 1, maximum: 10080 }) }, { additionalProperties: false }),
      ]),
    ),
    forwarding: Type.Optional(Type.Union([Forwarding, Type.Null()])),
    text: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export const QuickChoices = Type.Array(QuickChoice, { description: 'Snabbval: at most 8' });

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
            repeat: Type.Union([
              Type.Literal('everyWorkingDay'),
              Type.Literal('everyDay'),
              Type.Object({ weeks: Type.Integer({ minimum: 1, maximum: 6 }) }, { additionalProperties: false }),
            ]),
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

export const AdminUser = Type.Object(
  {
    extension: Type.String({ pattern: '^[0-9]{2,15}$', description: 'The extension (anknytning)' }),
    shared: Type.Optional(Type.Boolean({ description: 'Delad anknytning: diversions are always soft' })),
    displayName: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    tid: Type.Optional(Type.String({ description: 'Tenant id; default: the admin’s own' })),
  },
  { additionalProperties: false },
);

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

export const Window = Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 600 }) });
export const BookingIdParam = Type.Object({ bookingId: Type.String({ minLength: 1, maxLength: 512 }) });
export const IndexParam = Type.Object({ index: Type.String({ pattern: '^[0-7]$' }) });
export const OidParam = Type.Object({ oid: Type.String({ minLength: 1, maxLength: 64 }) });
export const ExtensionParam = Type.Object({ extension: Type.String({ pattern: '^[0-9]{2,15}$' }) });
