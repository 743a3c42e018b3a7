/** The organisation's codes (SPEC 3), as the pane's code picker shows them. */
import { type Static, Type } from 'typebox';
import { Localized } from './common';

export const StandardLength = Type.Union([Type.Literal('nextWorkingDay'), Type.Object({ minutes: Type.Integer() })]);

export const CatalogCode = Type.Object({
  key: Type.String(),
  prefix: Type.String({ description: 'NP/<key>:' }),
  label: Localized,
  mex: Type.Integer(),
  group: Type.String(),
  standardLength: StandardLength,
});
export type CatalogCodeJson = Static<typeof CatalogCode>;
export const CatalogOut = Type.Object({ codes: Type.Array(CatalogCode) });
