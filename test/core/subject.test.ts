/** Subject grammar (SPEC 4): accepted, canonical, near misses, writing and removing codes. */
import fc from 'fast-check';
import { buildCatalog, canonicalise, DEFAULT_CATALOG, DEFAULT_CODES, DEFAULT_PROFILE, DEFAULT_SETTINGS, moveCodeToStart, parseSubject, removeCode, resolveBooking, SUBJECT_MAX, writeCode } from '../../src/core';

describe('accepted prefixes', () => {
  test.each([
    ['NP/L: Lunch', 'L', true, 'NP/L: Lunch', 'Lunch'],
    ['NP/SJ: krya på dig', 'Sj', false, 'NP/Sj: krya på dig', 'krya på dig'],
    ['np/vab:', 'VAB', false, 'NP/VAB:', ''],
    ['NP/S:   Semester  ', 'S', false, 'NP/S: Semester', 'Semester'],
    ['\tNP/TF: Samtal', 'TF', false, 'NP/TF: Samtal', 'Samtal'],
    ['NP/gf:Hem', 'GF', false, 'NP/GF: Hem', 'Hem'],
    ['NP/L: NP/M: två koder', 'L', true, 'NP/L: NP/M: två koder', 'NP/M: två koder'],
  ])('%j → %s', (subject, key, canonical, canonicalSubject, rest) => {
    expect(parseSubject(subject)).toMatchObject({ accepted: true, key, canonical, canonicalSubject, rest, nearMiss: null });
  });

  test('every catalog key is accepted in any letter case, and matched on the whole key', () => {
    for (const c of DEFAULT_CODES) {
      for (const k of [c.key, c.key.toUpperCase(), c.key.toLowerCase()]) {
        expect(parseSubject(`NP/${k}: x`).key).toBe(c.key);
      }
    }
    expect(parseSubject('NP/S: x').key).toBe('S');
    expect(parseSubject('NP/Sj: x').key).toBe('Sj');
    expect(parseSubject('NP/SJU: x').accepted).toBe(false);
    expect(parseSubject('NP/TRF: x').accepted).toBe(false);
  });
});

describe('near misses name the likely code', () => {
  test.each([
    ['NP/L lunch', 'missingColon', 'L'],
    ['NP/Sj', 'missingColon', 'Sj'],
    ['NP\\L: lunch', 'wrongSeparator', 'L'],
    ['NP-L: lunch', 'wrongSeparator', 'L'],
    ['NP L: lunch', 'wrongSeparator', 'L'],
    ['NP/L; lunch', 'wrongSeparator', 'L'],
    ['NP/L. lunch', 'wrongSeparator', 'L'],
    ['NP.M: möte', 'wrongSeparator', 'M'],
    ['NPM: möte', 'wrongSeparator', 'M'],
    ['NP/ L: lunch', 'spaceInside', 'L'],
    ['NP /L: lunch', 'spaceInside', 'L'],
    ['NP/L : lunch', 'spaceInside', 'L'],
    ['np/ vab: sjukt barn', 'spaceInside', 'VAB'],
    ['NP/X: test', 'unknownKey', null],
    ['NP/SJU: x', 'unknownKey', null],
    ['NP/: tom', 'unknownKey', null],
    ['NP/Lunch idag', 'unknownKey', null],
    ['Lunch NP/L:', 'notAtStart', 'L'],
    ['Möte (NP/M:) om budget', 'notAtStart', 'M'],
  ])('%j → %s %s', (subject, kind, key) => {
    const p = parseSubject(subject);
    expect(p.accepted).toBe(false);
    expect(p.key).toBeNull();
    expect(p.canonicalSubject).toBeNull();
    expect(p.nearMiss).toEqual({ kind, key });
  });

  test.each(['Möte om budget', 'NPO-styrelsen', 'Npower workshop', 'NP - utvärdering', '', '   ', 'LUNCHNP/L:'])('%j is no near miss', (subject) => {
    expect(parseSubject(subject)).toMatchObject({ accepted: false, nearMiss: null });
  });

  test('a disabled code is not accepted and says so', () => {
    const catalog = buildCatalog([{ key: 'TF', enabled: false }]);
    expect(parseSubject('NP/TF: strax', catalog)).toMatchObject({ accepted: false, nearMiss: { kind: 'disabledKey', key: null } });
  });

  test('an organisation code is accepted', () => {
    const catalog = buildCatalog([{ key: 'FL', label: { sv: 'Flex' }, mex: 1, group: 'dayOff' }]);
    expect(parseSubject('NP/fl: ledig', catalog)).toMatchObject({ accepted: true, key: 'FL', canonicalSubject: 'NP/FL: ledig' });
    expect(parseSubject('NP/FL: ledig').nearMiss).toEqual({ kind: 'unknownKey', key: null });
  });
});

describe('writing and removing codes', () => {
  test.each([
    ['Lunch med teamet', 'L', 'NP/L: Lunch med teamet'],
    ['NP/M: Möte', 'L', 'NP/L: Möte'],
    ['np/m:Möte', 'S', 'NP/S: Möte'],
    ['NP/L lunch', 'L', 'NP/L: lunch'],
    ['NP/X: test', 'M', 'NP/M: test'],
    ['  ', 'Sj', 'NP/Sj:'],
    ['', 'GF', 'NP/GF:'],
    ['  Budget  ', 'M', 'NP/M: Budget'],
  ])('write %j with %s → %j', (subject, key, expected) => {
    expect(writeCode(subject, key)).toEqual({ ok: true, subject: expected });
  });

  test.each([
    ['NP/L: Lunch', 'Lunch'],
    ['NP/L lunch', 'lunch'],
    ['NP\\M: möte', 'möte'],
    ['Möte om budget', 'Möte om budget'],
    ['Lunch NP/L:', 'Lunch NP/L:'],
  ])('remove from %j → %j', (subject, expected) => {
    expect(removeCode(subject)).toBe(expected);
  });

  test('a code that would push the subject past 255 characters is refused, not truncated', () => {
    const text = 'a'.repeat(SUBJECT_MAX - 5);
    expect(`NP/L: ${text}`.length).toBe(SUBJECT_MAX + 1);
    expect(writeCode(text, 'L')).toEqual({ ok: false, error: 'tooLong', length: SUBJECT_MAX + 1, max: SUBJECT_MAX });
    expect(writeCode('a'.repeat(SUBJECT_MAX - 6), 'L')).toEqual({ ok: true, subject: `NP/L: ${'a'.repeat(SUBJECT_MAX - 6)}` });
    // A shorter code replacing a longer one fits again.
    expect(writeCode(`NP/VAB: ${'b'.repeat(SUBJECT_MAX - 8)}`, 'L')).toMatchObject({ ok: true });
  });

  test('an unknown code cannot be written', () => {
    expect(() => writeCode('x', 'Q')).toThrow(/unknown or disabled code "Q"/);
  });

  test('canonicalise fixes an accepted prefix and leaves anything else alone', () => {
    expect(canonicalise('np/l:lunch')).toEqual({ ok: true, subject: 'NP/L: lunch' });
    expect(canonicalise('NP/L lunch')).toEqual({ ok: true, subject: 'NP/L lunch' });
    expect(canonicalise(`NP/L:${'x'.repeat(SUBJECT_MAX - 5)}`)).toMatchObject({ ok: false, error: 'tooLong' });
  });
});

describe('properties', () => {
  const keys = DEFAULT_CODES.map((c) => c.key);
  // Subjects that look like the real thing: fragments of the grammar mixed with arbitrary text.
  const fragment = fc.oneof(
    fc.string(),
    fc.constantFrom('NP', 'np', '/', '\\', ':', ';', ' ', '  ', '\t', '-', '.', 'L', 'Sj', 'SJ', 'VAB', 'X', 'NP/L:', 'NP/M', 'å', '😀'),
  );
  const subject = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fragment, { maxLength: 12 }).map((a) => a.join('')), fc.string({ unit: 'grapheme', maxLength: 80 }));

  test('parse never throws, and its answer is consistent', () => {
    fc.assert(
      fc.property(subject, (s) => {
        const p = parseSubject(s);
        if (p.accepted) {
          expect(keys).toContain(p.key);
          expect(p.nearMiss).toBeNull();
          expect(p.canonicalSubject).toBe(p.rest === '' ? `NP/${p.key}:` : `NP/${p.key}: ${p.rest}`);
        } else {
          expect(p.key).toBeNull();
          expect(p.canonicalSubject).toBeNull();
        }
        expect(p.rest).toBe(p.rest.trim());
      }),
      { numRuns: 3000 },
    );
  });

  test('writing a code then parsing gives that code and the untouched rest', () => {
    fc.assert(
      fc.property(subject, fc.constantFrom(...keys), (s, key) => {
        const w = writeCode(s, key);
        const rest = removeCode(s).trim();
        if (!w.ok) {
          expect(w.length).toBeGreaterThan(SUBJECT_MAX);
          return;
        }
        const p = parseSubject(w.subject);
        expect(p).toMatchObject({ accepted: true, key, canonical: true, rest });
      }),
      { numRuns: 3000 },
    );
  });

  test('canonicalising twice changes nothing', () => {
    fc.assert(
      fc.property(subject, (s) => {
        const once = canonicalise(s);
        if (!once.ok) return;
        expect(canonicalise(once.subject)).toEqual(once);
      }),
      { numRuns: 3000 },
    );
  });

  test('removing a written code gives back the trimmed text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(...keys), (s, key) => {
        const w = writeCode(s, key);
        if (w.ok) expect(removeCode(w.subject)).toBe(removeCode(s).trim());
      }),
    );
  });
});

describe('moveCodeToStart (the fix of "not at the start", issue 12)', () => {
  test.each([
    ['Lunch NP/L:', 'NP/L: Lunch'],
    ['Lunch NP/L: med Anna', 'NP/L: Lunch med Anna'],
    ['Möte (NP/M:) om budget', 'NP/M: Möte om budget'],
    ['Lunch – np/l:', 'NP/L: Lunch'],
    ['NP/L:', 'NP/L:'],
    ['np/l:lunch', 'NP/L: lunch'],
    ['Ett vanligt möte', 'Ett vanligt möte'],
  ])('%j → %j', (subject, fixed) => {
    expect(moveCodeToStart(subject)).toEqual({ ok: true, subject: fixed });
  });

  test('the result diverts: it parses as accepted and canonical', () => {
    const edit = moveCodeToStart('Planering NP/TF: kort');
    expect(edit).toEqual({ ok: true, subject: 'NP/TF: Planering kort' });
    expect(parseSubject(edit.ok ? edit.subject : '')).toMatchObject({ accepted: true, key: 'TF', canonical: true });
  });

  test('refused, not truncated, past 255 characters', () => {
    const subject = `${'a'.repeat(250)} NP/L:`;
    expect(moveCodeToStart(subject)).toEqual({ ok: false, error: 'tooLong', length: 256, max: 255 });
  });

  test('resolve offers it as the near miss fix', () => {
    const r = resolveBooking(
      { id: 'b', subject: 'Lunch NP/L:', start: 0, end: 60_000, isAllDay: false, location: '', body: '', sensitivity: 'normal', showAs: 'busy', isCancelled: false, responseStatus: 'organizer', lastModified: null },
      { settings: DEFAULT_SETTINGS, profile: DEFAULT_PROFILE, shared: false, catalog: DEFAULT_CATALOG },
    );
    expect(r.warnings).toEqual([expect.objectContaining({ key: 'nearMiss.notAtStart', fix: { kind: 'applySubject', subject: 'NP/L: Lunch' } })]);
  });
});
