/** The diversion in force on an extension, what the switch gets, and what colleagues see. */
import { type Static, Type } from 'typebox';
import { ForwardingOut, InstantOut, Localized } from './common';

export const ExtensionParam = Type.Object({ extension: Type.String({ pattern: '^[0-9]{2,15}$' }) });

/** What the switch stores (SPEC 10): the MEX reason code and HHMM or MMDD. */
export const SwitchAbsence = Type.Object({
  reasonCode: Type.Union([Type.Integer(), Type.Null()]),
  returnTime: Type.Optional(Type.String({ description: 'HHMM' })),
  returnDate: Type.Optional(Type.String({ description: 'MMDD' })),
});

export const State = Type.Object({
  activityId: Type.String(),
  key: Type.String(),
  mex: Type.Union([Type.Integer(), Type.Null()]),
  label: Localized,
  forwarding: ForwardingOut,
  since: InstantOut,
  returnAt: InstantOut,
  text: Type.Union([Type.String(), Type.Null()]),
  operatorOnly: Type.Boolean(),
  switch: SwitchAbsence,
  callerHears: Type.Object({ sv: Type.Union([Type.String(), Type.Null()]), en: Type.Union([Type.String(), Type.Null()]) }, { description: 'what callers hear (null: forwarded, nothing spoken)' }),
});
export type StateJson = Static<typeof State>;

export const Delivery = Type.Object({
  version: Type.Integer(),
  deliveredVersion: Type.Integer(),
  delivered: Type.Boolean(),
  deliveredAt: InstantOut,
  attempts: Type.Integer(),
  nextAttemptAt: InstantOut,
  lastError: Type.Union([Type.String(), Type.Null()]),
  failed: Type.Boolean(),
});

export const MyState = Type.Object({
  extension: Type.Union([Type.String(), Type.Null()]),
  at: InstantOut,
  state: Type.Union([State, Type.Null()]),
  next: Type.Array(Type.Object({ at: InstantOut, state: Type.Union([State, Type.Null()]) })),
  delivery: Type.Union([Delivery, Type.Null()], { description: 'whether the switch has the current state (null: no scheduler in this process)' }),
});
export type MyStateJson = Static<typeof MyState>;

const DirectoryEntry = Type.Object({
  label: Type.String(),
  returnText: Type.String(),
  text: Type.Union([Type.String(), Type.Null()]),
  soft: Type.Boolean(),
});
/** What colleagues (and, for admins, operators) see, in both languages. */
export const DirectoryStatus = Type.Object({ sv: DirectoryEntry, en: DirectoryEntry });
export const Status = Type.Object({
  extension: Type.String(),
  status: Type.Union([DirectoryStatus, Type.Null()]),
});
export type StatusJson = Static<typeof Status>;
