/**
 * Issue 12: every warning and reason that names a code or a profile group is wholly in its own
 * language, with the organisation's labels (a relabelled code shows the organisation's label).
 */
import {
  type Booking,
  buildCatalog,
  type Catalog,
  DEFAULT_CATALOG,
  DEFAULT_PROFILE,
  DEFAULT_SETTINGS,
  describeReason,
  describeWarning,
  mergeProfile,
  mergeSettings,
  renderMessage,
  resolutionJson,
  resolveBooking,
  type ResolveContext,
} from '../../src/core';

const T0 = Date.parse('2026-11-24T11:00:00Z');
const booking = (subject: string): Booking => ({
  id: 'b1',
  subject,
  start: T0,
  end: T0 + 3_600_000,
  isAllDay: false,
  location: '',
  body: '',
  sensitivity: 'normal',
  showAs: 'busy',
  isCancelled: false,
  responseStatus: 'organizer',
  lastModified: null,
});

// The organisation relabels Möte in both languages; Lunch keeps its labels.
const ORG = buildCatalog([{ key: 'M', label: { sv: 'Sammanträde', en: 'Board meeting' } }]);

function ctx(catalog: Catalog, settings: unknown = {}, profile: unknown = {}): ResolveContext {
  return {
    settings: mergeSettings(settings, DEFAULT_SETTINGS, catalog),
    profile: mergeProfile(profile, DEFAULT_PROFILE),
    shared: false,
    catalog,
  };
}

describe('warnings naming a code', () => {
  const cases: [string, string][] = [
    ['nearMiss.missingColon', 'NP/M budget'],
    ['nearMiss.wrongSeparator', 'NP-M: budget'],
    ['nearMiss.spaceInside', 'NP/ M: budget'],
    ['nearMiss.notAtStart', 'Budget NP/M:'],
  ];
  test.each(cases)('%s: Swedish with the Swedish organisation label, English with the English one', (key, subject) => {
    const r = resolveBooking(booking(subject), ctx(ORG));
    const w = r.warnings.find((x) => x.key === key);
    expect(w).toBeDefined();
    const { message } = describeWarning(w!);
    expect(message.sv).toContain('Sammanträde');
    expect(message.sv).not.toContain('Board meeting');
    expect(message.en).toContain('Board meeting');
    expect(message.en).not.toContain('Sammanträde');
    expect(message.sv).toContain('NP/M:');
  });

  test.each(cases)('%s with the default catalog: Möte in Swedish, In a meeting in English', (key, subject) => {
    const w = resolveBooking(booking(subject), ctx(DEFAULT_CATALOG)).warnings.find((x) => x.key === key)!;
    const { message } = describeWarning(w);
    expect(message.sv).toContain('(Möte)');
    expect(message.en).toContain('(In a meeting)');
  });

  test('defaultCodeUsed: the Swedish sentence names the Swedish label even when the user speaks English', () => {
    for (const language of ['sv', 'en'] as const) {
      const r = resolveBooking(booking('Budget'), ctx(ORG, { defaultCode: 'M', language }));
      const w = r.warnings.find((x) => x.key === 'defaultCodeUsed')!;
      const { message } = describeWarning(w);
      expect(message.sv).toBe('Ämnet har ingen kod, så din standardkod Sammanträde används.');
      expect(message.en).toBe('The subject has no code, so your default code Board meeting is used.');
    }
  });

  test('defaultCodeUsed with the default catalog: "In a meeting" only in English', () => {
    const w = resolveBooking(booking('Budget'), ctx(DEFAULT_CATALOG, { defaultCode: 'M', language: 'en' })).warnings[0]!;
    const { message } = describeWarning(w);
    expect(message.sv).toContain('standardkod Möte används');
    expect(message.sv).not.toContain('In a meeting');
    expect(message.en).toContain('default code In a meeting');
  });

  test('a catalog given when describing wins: the organisation relabels after the warning was made', () => {
    const w = resolveBooking(booking('NP/M budget'), ctx(DEFAULT_CATALOG)).warnings[0]!;
    const { message } = describeWarning(w, ORG);
    expect(message.sv).toContain('(Sammanträde)');
    expect(message.en).toContain('(Board meeting)');
  });

  test('renderMessage with only a key takes the label from the default catalog in its language', () => {
    expect(renderMessage('warning.nearMiss.missingColon', { key: 'Sj', prefix: 'NP/Sj:' }, 'sv')).toContain('NP/Sj: (Sjuk)');
    expect(renderMessage('warning.nearMiss.missingColon', { key: 'Sj', prefix: 'NP/Sj:' }, 'en')).toContain('NP/Sj: (Sick)');
    expect(renderMessage('warning.defaultCodeUsed', { key: 'M' }, 'sv', ORG)).toContain('Sammanträde');
  });

  test('the endpoint JSON (resolutionJson) carries both languages in each warning', () => {
    const r = resolveBooking(booking('Budget'), ctx(ORG, { defaultCode: 'M', language: 'en' }));
    const json = resolutionJson(r, 'en');
    expect(json.warnings[0]).toMatchObject({
      key: 'defaultCodeUsed',
      params: { key: 'M', 'label.sv': 'Sammanträde', 'label.en': 'Board meeting' },
      message: { sv: expect.stringContaining('Sammanträde'), en: expect.stringContaining('Board meeting') },
    });
  });
});

describe('reasons naming a group', () => {
  test('numberMissing names the contact profile in each language', () => {
    const catalog = buildCatalog([{ key: 'M', group: 'forward', label: { sv: 'Sammanträde', en: 'Board meeting' } }]);
    const r = resolveBooking(booking('NP/M: Budget'), ctx(catalog));
    expect(r.reason).toBe('numberMissing');
    const text = describeReason(r.reason!, r.reasonParams);
    expect(text.sv).toBe('Kontaktprofilen Vidarekoppla vidarekopplar Till nummer, men inget nummer är angivet.');
    expect(text.en).toBe('The contact profile Forward forwards to a number, but no number is set.');
    expect(resolutionJson(r, 'sv').reasonText).toEqual(text);
  });

  test('a group renders in the message language from its key alone', () => {
    expect(renderMessage('reason.numberMissing', { group: 'meeting' }, 'sv')).toContain('Kontaktprofilen Sammanträde');
    expect(renderMessage('reason.numberMissing', { group: 'meeting' }, 'en')).toContain('contact profile Meeting');
  });
});
