/** Booking → diversion (SPEC 8.2): rule order, forwarding, message text, warnings. */
import {
  type Booking,
  buildCatalog,
  DEFAULT_CATALOG,
  DEFAULT_PROFILE,
  DEFAULT_SETTINGS,
  describeReason,
  describeWarning,
  MESSAGE_TEXT_MAX,
  mergeProfile,
  mergeSettings,
  messageText,
  parseBooking,
  type ResolveContext,
  resolveBooking,
} from '../../src/core';

const T0 = Date.parse('2026-11-24T11:00:00Z');
const T1 = Date.parse('2026-11-24T12:00:00Z');

function booking(over: Partial<Booking> = {}): Booking {
  return {
    id: 'b1',
    subject: 'NP/L: Lunch',
    start: T0,
    end: T1,
    isAllDay: false,
    location: '',
    body: '',
    sensitivity: 'normal',
    showAs: 'busy',
    isCancelled: false,
    responseStatus: 'organizer',
    lastModified: null,
    ...over,
  };
}

function ctx(settings: unknown = {}, profile: unknown = {}, shared = false, catalog = DEFAULT_CATALOG): ResolveContext {
  return { settings: mergeSettings(settings, DEFAULT_SETTINGS, catalog), profile: mergeProfile(profile, DEFAULT_PROFILE), shared, catalog };
}

describe('the rules apply in SPEC order, the first that applies decides', () => {
  test.each([
    ['disabled beats everything', { enabled: false }, { isCancelled: true, end: T0 - 1, subject: 'x' }, 'disabled'],
    ['cancelled beats declined', {}, { isCancelled: true, responseStatus: 'declined' as const }, 'cancelled'],
    ['declined beats a bad time', {}, { responseStatus: 'declined' as const, end: T0 }, 'declined'],
    ['a bad time beats a missing prefix', {}, { end: T0, subject: 'Budget' }, 'invalidTime'],
    ['a zero-length booking is a bad time', {}, { end: T0 }, 'invalidTime'],
    ['a missing prefix beats private', {}, { subject: 'Läkare', sensitivity: 'private' as const }, 'noPrefix'],
    ['private beats free', {}, { sensitivity: 'private' as const, showAs: 'free' as const }, 'private'],
    ['confidential counts as private', {}, { sensitivity: 'confidential' as const }, 'private'],
    ['free', {}, { showAs: 'free' as const }, 'free'],
    ['tentative', {}, { showAs: 'tentative' as const }, 'tentative'],
  ])('%s', (_name, settings, over, reason) => {
    const r = resolveBooking(booking(over), ctx(settings));
    expect(r).toMatchObject({ diverts: false, reason, code: null, forwarding: null, from: null, to: null, text: null });
  });

  test.each(['busy', 'oof', 'workingElsewhere', 'unknown'] as const)('showAs %s diverts', (showAs) => {
    expect(resolveBooking(booking({ showAs }), ctx()).diverts).toBe(true);
  });

  test.each(['personal', 'normal'] as const)('sensitivity %s diverts and keeps its text', (sensitivity) => {
    const r = resolveBooking(booking({ sensitivity }), ctx({ messageFields: { subject: true } }));
    expect(r).toMatchObject({ diverts: true, text: 'Lunch' });
  });

  test('free and tentative can be included', () => {
    expect(resolveBooking(booking({ showAs: 'free' }), ctx({ include: { free: true } })).diverts).toBe(true);
    expect(resolveBooking(booking({ showAs: 'tentative' }), ctx({ include: { tentative: true } })).diverts).toBe(true);
  });
});

describe('code', () => {
  test('the prefix wins over the default code', () => {
    const r = resolveBooking(booking({ subject: 'NP/S: Spanien' }), ctx({ defaultCode: 'M' }));
    expect(r.code?.key).toBe('S');
    expect(r.warnings).toEqual([]);
  });

  test('a near miss with a default code diverts with the default and says both', () => {
    const r = resolveBooking(booking({ subject: 'NP/L lunch' }), ctx({ defaultCode: 'M' }));
    expect(r.code?.key).toBe('M');
    expect(r.warnings.map((w) => w.key)).toEqual(['nearMiss.missingColon', 'defaultCodeUsed']);
    expect(r.warnings[0]?.fix).toEqual({ kind: 'applySubject', subject: 'NP/L: lunch' });
  });

  test('a near miss without a default code does not divert and offers the fix', () => {
    const r = resolveBooking(booking({ subject: 'NP-S: Semester' }), ctx());
    expect(r).toMatchObject({ diverts: false, reason: 'noPrefix' });
    expect(r.warnings).toEqual([
      { key: 'nearMiss.wrongSeparator', params: expect.objectContaining({ key: 'S', prefix: 'NP/S:' }), fix: { kind: 'applySubject', subject: 'NP/S: Semester' } },
    ]);
  });

  test('an unknown key lists the valid codes', () => {
    const r = resolveBooking(booking({ subject: 'NP/X: test' }), ctx());
    const w = describeWarning(r.warnings[0]!);
    expect(w.key).toBe('nearMiss.unknownKey');
    expect(w.message.sv).toContain('NP/L: NP/GF:');
    expect(w.fix).toBeUndefined();
  });

  test('a non-canonical prefix diverts and offers the canonical subject', () => {
    const r = resolveBooking(booking({ subject: '  np/l:Lunch' }), ctx());
    expect(r.diverts).toBe(true);
    expect(r.warnings).toEqual([{ key: 'nonCanonical', params: { canonicalSubject: 'NP/L: Lunch' }, fix: { kind: 'applySubject', subject: 'NP/L: Lunch' } }]);
  });

  test('the label follows the organisation catalog', () => {
    const catalog = buildCatalog([{ key: 'L', label: { sv: 'Lunchrast' }, group: 'meeting' }]);
    const r = resolveBooking(booking(), ctx({}, { meeting: { mode: 'none' } }, false, catalog));
    expect(r.code).toMatchObject({ key: 'L', label: { sv: 'Lunchrast', en: 'Lunch' }, group: 'meeting' });
    expect(r.forwarding).toEqual({ mode: 'none', number: null });
  });
});

describe('forwarding', () => {
  test('comes from the profile of the code group', () => {
    const r = resolveBooking(booking({ subject: 'NP/VAB: x' }), ctx({}, { absent: { mode: 'number', number: '08-123 456' } }));
    expect(r.forwarding).toEqual({ mode: 'number', number: '08123456' });
  });

  test('soft setting forces none and says so, with the setting to change', () => {
    const r = resolveBooking(booking(), ctx({ soft: true }));
    expect(r.forwarding).toEqual({ mode: 'none', number: null });
    expect(r.warnings).toEqual([{ key: 'settingsSoft', params: {}, fix: { kind: 'openSettings', setting: 'soft' } }]);
  });

  test('a shared extension is soft even with a number profile', () => {
    const r = resolveBooking(booking(), ctx({}, { lunch: { mode: 'number', number: '0701234567' } }, true));
    expect(r.forwarding).toEqual({ mode: 'none', number: null });
    expect(r.warnings.map((w) => w.key)).toEqual(['sharedSoft']);
  });

  test('no soft warning when the profile is already none', () => {
    expect(resolveBooking(booking(), ctx({ soft: true }, { lunch: { mode: 'none' } })).warnings).toEqual([]);
  });

  test('a code regrouped to forward without a number is refused, naming the group', () => {
    const catalog = buildCatalog([{ key: 'L', group: 'forward' }]);
    const r = resolveBooking(booking(), ctx({}, {}, false, catalog));
    expect(r).toMatchObject({ diverts: false, reason: 'numberMissing', reasonParams: { group: 'forward' } });
    expect(describeReason(r.reason!, r.reasonParams).sv).toContain('Vidarekoppla');
  });
});

describe('message text', () => {
  const all = { messageFields: { subject: true, location: true, body: true } };

  test('hidden by default', () => {
    expect(resolveBooking(booking({ location: 'Matsalen', body: 'x' }), ctx()).text).toBeNull();
  });

  test('joins the chosen non-empty fields with " – " and folds white space', () => {
    const r = resolveBooking(booking({ subject: 'NP/M:  Styrelse', location: '  ', body: 'Agenda:\n\n1. Budget\r\n2. Övrigt' }), ctx(all));
    expect(r.text).toBe('Styrelse – Agenda: 1. Budget 2. Övrigt');
  });

  test('only the body when only the body is chosen', () => {
    expect(resolveBooking(booking({ body: 'Ring mobilen' }), ctx({ messageFields: { body: true } })).text).toBe('Ring mobilen');
  });

  test('with a default code the whole subject is the text', () => {
    expect(resolveBooking(booking({ subject: 'Budgetmöte' }), ctx({ defaultCode: 'M', messageFields: { subject: true } })).text).toBe('Budgetmöte');
  });

  test('an included private booking carries no text and says why', () => {
    const r = resolveBooking(booking({ sensitivity: 'private', location: 'Vårdcentralen' }), ctx({ ...all, include: { private: true } }));
    expect(r).toMatchObject({ diverts: true, text: null });
    expect(r.warnings.map((w) => w.key)).toContain('privateNoText');
  });

  test('long texts are cut on a word boundary with …, at most 200 characters', () => {
    const words = Array.from({ length: 60 }, (_, i) => `ord${i}`).join(' ');
    const t = messageText(words)!;
    expect(t.length).toBeLessThanOrEqual(MESSAGE_TEXT_MAX);
    expect(t.endsWith('…')).toBe(true);
    const kept = t.slice(0, -1);
    expect(words.startsWith(kept)).toBe(true);
    expect(words[kept.length]).toBe(' ');
    // As many words as fit: the next one would not.
    expect(kept.length + words.slice(kept.length + 1).split(' ')[0]!.length + 2).toBeGreaterThan(MESSAGE_TEXT_MAX);
  });

  test('exactly 200 characters is kept whole; one word longer than the limit is cut hard', () => {
    expect(messageText('x'.repeat(200))).toBe('x'.repeat(200));
    expect(messageText('y'.repeat(250))).toBe(`${'y'.repeat(199)}…`);
  });

  test('a cut never leaves a dangling separator or half an emoji', () => {
    const t = messageText(`${'a'.repeat(195)} –`, 'b'.repeat(50))!;
    expect(t).toBe(`${'a'.repeat(195)}…`);
    const e = messageText('😀'.repeat(150))!;
    expect(e.length).toBeLessThanOrEqual(200);
    expect(/[\uD800-\uDBFF]…$/.test(e)).toBe(false);
  });
});

describe('booking snapshot', () => {
  test('Office.js defaults: showAs busy, no response, not cancelled', () => {
    const b = parseBooking({ subject: 'NP/L:', start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z' });
    expect(b).toMatchObject({ showAs: 'busy', sensitivity: 'normal', responseStatus: 'none', isCancelled: false, location: '', body: '', id: null });
  });
  test('a null subject from Graph is an empty subject', () => {
    expect(parseBooking({ subject: null, start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z' }).subject).toBe('');
  });
});
