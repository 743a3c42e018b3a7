/** You: who you are, your calendar settings (Kalender) and contact profile (Kontaktprofiler). */
import { type Static, type TSchema, Type } from 'typebox';
import { Forwarding, ForwardingOut, Lang } from './common';

export const Me = Type.Object({
  tid: Type.String(),
  oid: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  extension: Type.Union([Type.String(), Type.Null()]),
  shared: Type.Boolean(),
  linked: Type.Boolean(),
  isAdmin: Type.Boolean(),
});
export type MeJson = Static<typeof Me>;

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

/** Your settings merged over the organisation's defaults: every field present. */
export const SettingsOut = Type.Object({
  enabled: Type.Boolean(),
  defaultCode: Type.Union([Type.String(), Type.Null()]),
  language: Lang,
  soft: Type.Boolean(),
  messageFields: Type.Object({ subject: Type.Boolean(), location: Type.Boolean(), body: Type.Boolean() }),
  include: Type.Object({ free: Type.Boolean(), private: Type.Boolean(), tentative: Type.Boolean() }),
});

/** One property per activity group, typed (Object.fromEntries would lose the keys). */
const perGroup = <T extends TSchema>(schema: T) => ({
  lunch: schema,
  goneForTheDay: schema,
  errand: schema,
  meeting: schema,
  dayOff: schema,
  absent: schema,
  forward: schema,
});
const perGroupOptional = () => perGroup(Type.Optional(Forwarding));
export const Profile = Type.Object(perGroupOptional(), {
  additionalProperties: false,
  description: 'Your contact profile (fliken Kontaktprofiler): forwarding per activity group',
});
export const ProfileOut = Type.Object(perGroup(ForwardingOut), {
  description: 'Forwarding per activity group, merged over the organisation defaults',
});

/** Kalender and Kontaktprofiler saved together (issue 12): both validated, then stored in one transaction. */
export const Preferences = Type.Object(
  { settings: Settings, profile: Profile },
  { additionalProperties: false, description: 'Your calendar settings and contact profile, saved all or nothing' },
);
export const PreferencesOut = Type.Object({ settings: SettingsOut, profile: ProfileOut });
export type SettingsJson = Static<typeof SettingsOut>;
export type ProfileJson = Static<typeof ProfileOut>;
export type PreferencesJson = Static<typeof PreferencesOut>;
