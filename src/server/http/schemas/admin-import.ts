/** Admin: the CSV import of users and extensions (POST /api/v1/admin/users/import). */
import { type Static, Type } from 'typebox';
import { Localized } from './common';

export const ImportBody = Type.Object(
  {
    csv: Type.String({ description: 'The file: a header row, then one row per user; `,` or `;`; at most 5 MB and 20,000 rows' }),
    dryRun: Type.Optional(Type.Boolean({ description: 'Default true: classify every row, store nothing' })),
  },
  { additionalProperties: false },
);

export const ImportQuery = Type.Object(
  { dryRun: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'For a text/csv body; default true' })) },
  { additionalProperties: false },
);

/** A text/csv body is the file itself. */
export const ImportCsvBody = Type.String({ description: 'The CSV file (Content-Type: text/csv)' });

const Status = Type.Union([Type.Literal('new'), Type.Literal('changed'), Type.Literal('unchanged'), Type.Literal('error')]);
const ReasonCode = Type.Union([
  Type.Literal('unknownUser'),
  Type.Literal('extensionMalformed'),
  Type.Literal('duplicateUser'),
  Type.Literal('duplicateExtension'),
  Type.Literal('sharedMalformed'),
  Type.Literal('missingColumn'),
  Type.Literal('missingValue'),
]);

export const ImportRowOut = Type.Object({
  line: Type.Integer({ description: 'The line of the file the row starts on (the header is line 1)' }),
  user: Type.String({ description: 'The user cell as written' }),
  oid: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.Union([Type.String(), Type.Null()]),
  extension: Type.Union([Type.String(), Type.Null()]),
  shared: Type.Boolean(),
  status: Status,
  reason: Type.Union([Type.Object({ code: ReasonCode, message: Localized }), Type.Null()]),
  before: Type.Union([
    Type.Object({ extension: Type.Union([Type.String(), Type.Null()]), shared: Type.Boolean(), displayName: Type.Union([Type.String(), Type.Null()]) }, { description: 'The user as stored before' }),
    Type.Null(),
  ]),
});

export const ImportResultOut = Type.Object({
  dryRun: Type.Boolean(),
  applied: Type.Boolean({ description: 'Whether this request stored anything' }),
  summary: Type.Object({ new: Type.Integer(), changed: Type.Integer(), unchanged: Type.Integer(), error: Type.Integer() }),
  rows: Type.Array(ImportRowOut),
});
export type ImportResultJson = Static<typeof ImportResultOut>;
