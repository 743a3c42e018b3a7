/**
 * The SPEC 13 commands as functions from parsed JSON input to JSON output. The CLI wraps them in
 * stdin/stdout; the endpoint can reuse them for its preview. Throws ValidationError on bad input.
 */
import {
  buildOrg,
  callerHears,
  effectiveState,
  formatInstant,
  instantJson,
  isObject,
  mergeProfile,
  mergeSettings,
  nextBoundary,
  parseActivity,
  parseBooking,
  parseInstant,
  parseSubject,
  resolutionJson,
  resolveBooking,
  switchAbsence,
  ValidationError,
} from '../core';
import type { Catalog, Org } from '../core';

type Json = Record<string, unknown>;

function asObject(input: unknown, what: string): Json {
  if (!isObject(input)) {
    throw new ValidationError(what, 'must be a JSON object');
  }
  return input as Json;
}

function onlyFields(obj: Json, known: readonly string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) throw new ValidationError(k, `is not a field of ${where} input (known: ${known.join(', ')})`);
  }
}

export function parseCommand(subject: string, catalog?: Catalog) {
  const p = parseSubject(subject, catalog);
  return { accepted: p.accepted, key: p.key, canonical: p.canonical, canonicalSubject: p.canonicalSubject, rest: p.rest, nearMiss: p.nearMiss };
}

export function resolveCommand(input: unknown) {
  const i = asObject(input, 'input');
  onlyFields(i, ['settings', 'profile', 'extension', 'org', 'booking'], 'resolve');
  const org = buildOrg(i.org);
  const settings = mergeSettings(i.settings, org.settings, org.catalog);
  const profile = mergeProfile(i.profile, org.profile);
  let shared = false;
  if (i.extension !== undefined) {
    const ext = asObject(i.extension, 'extension');
    if (ext.shared !== undefined && typeof ext.shared !== 'boolean') throw new ValidationError('extension.shared', 'must be true or false');
    shared = ext.shared === true;
  }
  const booking = parseBooking(i.booking);
  const r = resolveBooking(booking, { settings, profile, shared, catalog: org.catalog });
  return resolutionJson(r, settings.language);
}

export function stateCommand(input: unknown) {
  const i = asObject(input, 'input');
  onlyFields(i, ['at', 'org', 'activities'], 'state');
  if (i.at === undefined) throw new ValidationError('at', 'is required');
  const at = parseInstant(i.at, 'at');
  const org: Org = buildOrg(i.org);
  if (!Array.isArray(i.activities)) throw new ValidationError('activities', i.activities === undefined ? 'is required' : 'must be a list');
  const activities = i.activities.map((a, n) => parseActivity(a, org.catalog, `activities[${n}]`));
  const ids = new Set<string>();
  activities.forEach((a, n) => {
    if (ids.has(a.id)) throw new ValidationError(`activities[${n}].id`, `"${a.id}" is used by an earlier activity`);
    ids.add(a.id);
  });
  const zone = org.calendar.zone;
  const s = effectiveState(activities, at, org.catalog);
  return {
    state: s && {
      activityId: s.activityId,
      key: s.key,
      mex: s.mex,
      forwarding: { mode: s.forwarding.mode, number: s.forwarding.number },
      since: formatInstant(s.since),
      returnAt: instantJson(s.returnAt),
      switch: switchAbsence(s, at, zone),
      callerHears: { sv: callerHears(s, 'sv', at, zone), en: callerHears(s, 'en', at, zone) },
    },
    nextChange: instantJson(nextBoundary(activities, at)),
  };
}

export function workdayNextCommand(instant: string, orgInput?: unknown) {
  const org = buildOrg(orgInput);
  return { next: formatInstant(org.calendar.nextWorkingDayStart(parseInstant(instant, '--next'))) };
}

