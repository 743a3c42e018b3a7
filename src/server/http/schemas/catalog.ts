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
/** The organisation's working day (SPEC 7), so that the pane proposes times and "Nästa arbetsdag" as the endpoint computes them. */
export const Workday = Type.Object({
  timeZone: Type.String({ description: 'IANA zone, e.g. Europe/Stockholm' }),
  workdayStart: Type.String({ description: 'HH:mm' }),
  workdayEnd: Type.String({ description: 'HH:mm' }),
  extraDaysOff: Type.Array(Type.String({ format: 'date' }), { description: 'klämdagar, besides Swedish public holidays and weekends' }),
});
export type WorkdayJson = Static<typeof Workday>;
export const CatalogOut = Type.Object({ codes: Type.Array(CatalogCode), workday: Workday });
export type CatalogJson = Static<typeof CatalogOut>;
