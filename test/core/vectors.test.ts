/** Every shared worked example, run through the core functions directly (the CLI test runs them through the built command). */
import {
  buildOrg,
  DEFAULT_ORG,
  effectiveState,
  formatInstant,
  mergeProfile,
  mergeSettings,
  parseActivity,
  parseBooking,
  parseInstant,
  parseSubject,
  resolutionJson,
  resolveBooking,
  switchAbsence,
} from '../../src/core';
import { resolveCases, stateCases, subjectCases, workdayCases } from '../helpers/vectors';

describe('subject vectors', () => {
  test.each(subjectCases.map((c) => [c.subject, c] as const))('%j', (_s, c) => {
    const p = parseSubject(c.subject);
    expect(p).toMatchObject(c.expect);
  });
});

describe('resolve vectors', () => {
  test.each(resolveCases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const org = buildOrg(c.input.org);
    const settings = mergeSettings(c.input.settings, org.settings, org.catalog);
    const profile = mergeProfile(c.input.profile, org.profile);
    const shared = (c.input.extension as { shared?: boolean } | undefined)?.shared === true;
    const r = resolveBooking(parseBooking(c.input.booking), { settings, profile, shared, catalog: org.catalog });
    expect(resolutionJson(r, settings.language)).toMatchObject(c.expect);
  });
});

describe('state vectors', () => {
  test.each(stateCases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const at = parseInstant(c.input.at, 'at');
    const activities = (c.input.activities as unknown[]).map((a, i) => parseActivity(a, DEFAULT_ORG.catalog, `activities[${i}]`));
    const s = effectiveState(activities, at, DEFAULT_ORG.catalog);
    if (c.expect.state === null) {
      expect(s).toBeNull();
      return;
    }
    expect(s).not.toBeNull();
    const view = {
      activityId: s!.activityId,
      key: s!.key,
      mex: s!.mex,
      forwarding: s!.forwarding,
      returnAt: s!.returnAt === null ? null : formatInstant(s!.returnAt),
      switch: switchAbsence(s!, at, DEFAULT_ORG.calendar.zone),
    };
    expect(view).toMatchObject(c.expect.state);
    // The switch gets exactly one of a time and a date, and neither when there is no return time.
    expect(Object.keys(view.switch).sort()).toEqual(Object.keys(c.expect.state.switch ?? view.switch).sort());
  });
});

describe('workday vectors', () => {
  test.each(workdayCases.map((c) => [c.from, c] as const))('next working day after %s', (_f, c) => {
    expect(formatInstant(DEFAULT_ORG.calendar.nextWorkingDayStart(parseInstant(c.from, 'from')))).toBe(c.next);
  });
});
