/** Colleagues (Kollegor): found by name or extension, with what the directory shows for them (SPEC 10). */
import { type Static, Type } from 'typebox';
import { DirectoryStatus } from './state';

export const ColleaguesQuery = Type.Object({
  q: Type.String({ description: 'Part of a name (case and accents ignored) or the start of an extension; at least 2 characters', maxLength: 100 }),
});

export const Colleague = Type.Object({
  displayName: Type.Union([Type.String(), Type.Null()]),
  extension: Type.String(),
  status: Type.Union([DirectoryStatus, Type.Null()], { description: 'as GET /status/{extension} gives it; null: no diversion' }),
});
export type ColleagueJson = Static<typeof Colleague>;

export const Colleagues = Type.Object({
  colleagues: Type.Array(Colleague, { description: 'at most 20, by name' }),
  more: Type.Boolean({ description: 'more than 20 matched: a longer query narrows the list' }),
});
export type ColleaguesJson = Static<typeof Colleagues>;
