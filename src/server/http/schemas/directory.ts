/** Admin: linking users to extensions from the directory (Entra ID through Graph), its status and its runs. */
import { type Static, Type } from 'typebox';
import { InstantOut } from './common';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DirectorySyncBody = Type.Object(
  { dryRun: Type.Optional(Type.Boolean({ default: true, description: 'true (default): show what would change and write nothing' })) },
  { additionalProperties: false },
);

export const DirectoryChange = Type.Object({
  oid: Type.String(),
  displayName: Nullable(Type.String()),
  upn: Nullable(Type.String()),
  before: Nullable(Type.String({ description: 'The extension before; null: not linked' })),
  after: Type.String({ description: 'The extension from the directory' }),
});

export const DirectorySkip = Type.Object({
  oid: Type.String(),
  upn: Nullable(Type.String()),
  reason: Type.Union([Type.Literal('noValue'), Type.Literal('malformed'), Type.Literal('duplicate')], {
    description: 'noValue: the attribute is empty · malformed: not an extension · duplicate: several users would share it (and are not all marked shared)',
  }),
});

export const DirectorySyncResult = Type.Object({
  attribute: Type.String({ description: 'The attribute read (DIRECTORY_EXTENSION_ATTRIBUTE)' }),
  ranAt: Type.String({ description: 'UTC instant with Z' }),
  dryRun: Type.Boolean(),
  summary: Type.Object({
    linked: Type.Integer({ description: 'Users linked who had no extension' }),
    changed: Type.Integer({ description: 'Users moved to another extension' }),
    unchanged: Type.Integer(),
    skipped: Type.Integer(),
  }),
  changes: Type.Array(DirectoryChange),
  skipped: Type.Array(DirectorySkip),
});
export type DirectorySyncResultJson = Static<typeof DirectorySyncResult>;

export const DirectoryLinking = Type.Object({
  enabled: Type.Boolean({ description: 'Whether linking from the directory is configured' }),
  attribute: Nullable(Type.String()),
  digits: Type.Integer({ description: '0: the whole value; N: its last N digits' }),
  syncAt: Nullable(Type.String({ description: 'HH:mm (ORG_TIME_ZONE) of the daily run; null: only on demand' })),
  lastRunAt: InstantOut,
  lastRun: Type.Union([DirectorySyncResult, Type.Null()], { description: 'The last run since the endpoint started (dry runs too)' }),
});
