import {
  buildCatalog,
  Catalog,
  type CodeDef,
  type CodeOverride,
  DEFAULT_CATALOG,
  DEFAULT_CODES,
  PROFILE_GROUPS,
} from '../../src/core/catalog';
import { ValidationError } from '../../src/core/errors';
import { expectFieldError } from '../helpers/errors';


/** SPEC 3, copied by hand: key, prefix, sv, en, MEX, group, standard length. */
const SPEC3: Array<[string, string, string, string, number, string, { minutes: number } | 'nextWorkingDay']> = [
  ['L', 'NP/L:', 'Lunch', 'Lunch', 0, 'lunch', { minutes: 60 }],
  ['GF', 'NP/GF:', 'Ej på kontoret (Gått för dagen)', 'Gone for the day', 1, 'goneForTheDay', 'nextWorkingDay'],
  ['T', 'NP/T:', 'Tjänsteärende', 'On an errand', 2, 'errand', { minutes: 120 }],
  ['M', 'NP/M:', 'Möte', 'In a meeting', 3, 'meeting', { minutes: 60 }],
  ['TR', 'NP/TR:', 'Tjänsteresa', 'Business trip', 4, 'errand', 'nextWorkingDay'],
  ['K', 'NP/K:', 'Kurs', 'On a course', 5, 'absent', 'nextWorkingDay'],
  ['S', 'NP/S:', 'Semester', 'On vacation', 6, 'dayOff', 'nextWorkingDay'],
  ['VAB', 'NP/VAB:', 'VAB', 'Caring for a sick child', 7, 'absent', 'nextWorkingDay'],
  ['TF', 'NP/TF:', 'Tillfälligt upptagen', 'Temporarily busy', 8, 'meeting', { minutes: 15 }],
  ['Sj', 'NP/Sj:', 'Sjuk', 'Sick', 9, 'absent', 'nextWorkingDay'],
];

const snapshot = (codes: readonly CodeDef[]) => JSON.parse(JSON.stringify(codes)) as unknown;

describe('default catalog (SPEC 3)', () => {
  it('has exactly the SPEC 3 rows, in order', () => {
    expect(DEFAULT_CODES.map((c) => [c.key, c.prefix, c.label.sv, c.label.en, c.mex, c.group, c.standardLength])).toEqual(SPEC3);
  });

  it('every default code is enabled', () => {
    expect(DEFAULT_CODES.every((c) => c.enabled === true)).toBe(true);
  });

  it('MEX codes are 0..9, each once', () => {
    expect(DEFAULT_CODES.map((c) => c.mex).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keys are unique case-insensitively', () => {
    const lower = DEFAULT_CODES.map((c) => c.key.toLowerCase());
    expect(new Set(lower).size).toBe(10);
  });

  it('profile groups are the seven of SPEC 3', () => {
    expect([...PROFILE_GROUPS]).toEqual(['lunch', 'goneForTheDay', 'errand', 'meeting', 'dayOff', 'absent', 'forward']);
  });

  it('buildCatalog() without overrides equals the defaults', () => {
    expect(snapshot(buildCatalog().codes)).toEqual(snapshot(DEFAULT_CODES));
  });
});

describe('Catalog lookup', () => {
  it('get is case-insensitive and returns the catalog spelling', () => {
    expect(DEFAULT_CATALOG.get('sj')?.key).toBe('Sj');
    expect(DEFAULT_CATALOG.get('SJ')?.mex).toBe(9);
    expect(DEFAULT_CATALOG.get('vab')?.key).toBe('VAB');
    expect(DEFAULT_CATALOG.get('gf')?.group).toBe('goneForTheDay');
    expect(DEFAULT_CATALOG.get('s')?.label.sv).toBe('Semester');
  });

  it('get matches the whole key only', () => {
    expect(DEFAULT_CATALOG.get('SJU')).toBeUndefined();
    expect(DEFAULT_CATALOG.get('X')).toBeUndefined();
    expect(DEFAULT_CATALOG.get('')).toBeUndefined();
    expect(DEFAULT_CATALOG.get('forward')).toBeUndefined();
  });

  it('get skips disabled codes, find does not', () => {
    const cat = buildCatalog([{ key: 'M', enabled: false }]);
    expect(cat.get('M')).toBeUndefined();
    expect(cat.get('m')).toBeUndefined();
    expect(cat.find('m')?.key).toBe('M');
    expect(cat.find('M')?.enabled).toBe(false);
    expect(cat.enabledCodes().map((c) => c.key)).toEqual(['L', 'GF', 'T', 'TR', 'K', 'S', 'VAB', 'TF', 'Sj']);
    expect(cat.codes).toHaveLength(10);
  });

  it('a hand-built Catalog looks up by lower case', () => {
    const cat = new Catalog([{ key: 'Ab', prefix: 'NP/Ab:', label: { sv: 'a', en: 'b' }, mex: 1, group: 'lunch', standardLength: { minutes: 5 }, enabled: true }]);
    expect(cat.get('aB')?.key).toBe('Ab');
    expect(cat.find('AB')?.prefix).toBe('NP/Ab:');
  });
});

describe('buildCatalog overrides', () => {
  it('relabel with sv only keeps en', () => {
    const c = buildCatalog([{ key: 'M', label: { sv: 'Sammanträde' } }]).get('M');
    expect(c?.label).toEqual({ sv: 'Sammanträde', en: 'In a meeting' });
    expect(c?.prefix).toBe('NP/M:');
    expect(c?.mex).toBe(3);
  });

  it('relabel en only keeps sv; labels are trimmed', () => {
    expect(buildCatalog([{ key: 'L', label: { en: '  Lunch break ' } }]).get('L')?.label).toEqual({ sv: 'Lunch', en: 'Lunch break' });
  });

  it('changes group and standard length', () => {
    const cat = buildCatalog([
      { key: 'TF', group: 'absent', standardLength: 'nextWorkingDay' },
      { key: 'GF', standardLength: { minutes: 240 } },
    ]);
    expect(cat.get('TF')?.group).toBe('absent');
    expect(cat.get('TF')?.standardLength).toBe('nextWorkingDay');
    expect(cat.get('GF')?.standardLength).toEqual({ minutes: 240 });
    expect(cat.get('GF')?.group).toBe('goneForTheDay');
  });

  it('changes the MEX digit', () => {
    expect(buildCatalog([{ key: 'VAB', mex: 5 }]).get('VAB')?.mex).toBe(5);
  });

  it('accepts standardLength bounds 1 and 10080 minutes', () => {
    expect(buildCatalog([{ key: 'L', standardLength: { minutes: 1 } }]).get('L')?.standardLength).toEqual({ minutes: 1 });
    expect(buildCatalog([{ key: 'L', standardLength: { minutes: 10080 } }]).get('L')?.standardLength).toEqual({ minutes: 10080 });
  });

  it('matches an existing key case-insensitively and keeps its spelling', () => {
    const cat = buildCatalog([{ key: 'sJ', label: { sv: 'Sjukdom' } }]);
    expect(cat.codes).toHaveLength(10);
    const c = cat.get('SJ');
    expect(c?.key).toBe('Sj');
    expect(c?.prefix).toBe('NP/Sj:');
    expect(c?.label).toEqual({ sv: 'Sjukdom', en: 'Sick' });
  });

  it('disables and re-enables', () => {
    expect(buildCatalog([{ key: 'vab', enabled: false }]).get('VAB')).toBeUndefined();
    expect(buildCatalog([{ key: 'vab', enabled: false }, { key: 'VAB', enabled: true }]).get('VAB')?.key).toBe('VAB');
  });

  it('adds a new code: en defaults to sv, prefix NP/<key>:, 60 min, enabled', () => {
    const cat = buildCatalog([{ key: 'Hem', mex: 2, group: 'errand', label: { sv: 'Hemarbete' } }]);
    expect(cat.codes).toHaveLength(11);
    expect(cat.codes[10]).toEqual({
      key: 'Hem',
      prefix: 'NP/Hem:',
      label: { sv: 'Hemarbete', en: 'Hemarbete' },
      mex: 2,
      group: 'errand',
      standardLength: { minutes: 60 },
      enabled: true,
    });
    expect(cat.get('HEM')?.key).toBe('Hem');
  });

  it('adds a new code with en, standard length and disabled', () => {
    const cat = buildCatalog([
      { key: 'U1', mex: 0, group: 'dayOff', label: { sv: 'Utbildning', en: 'Training' }, standardLength: 'nextWorkingDay', enabled: false },
    ]);
    expect(cat.find('u1')).toEqual({
      key: 'U1',
      prefix: 'NP/U1:',
      label: { sv: 'Utbildning', en: 'Training' },
      mex: 0,
      group: 'dayOff',
      standardLength: 'nextWorkingDay',
      enabled: false,
    });
    expect(cat.get('U1')).toBeUndefined();
  });

  it('a later override of the same new key changes it instead of adding a second code', () => {
    const cat = buildCatalog([
      { key: 'X', mex: 1, group: 'meeting', label: { sv: 'Ett' } },
      { key: 'x', label: { sv: 'Två' } },
    ]);
    expect(cat.codes).toHaveLength(11);
    expect(cat.get('X')?.label).toEqual({ sv: 'Två', en: 'Ett' });
  });

  it('does not mutate DEFAULT_CODES or DEFAULT_CATALOG', () => {
    const before = snapshot(DEFAULT_CODES);
    buildCatalog([
      { key: 'L', label: { sv: 'Mat', en: 'Food' }, mex: 9, group: 'absent', standardLength: { minutes: 30 }, enabled: false },
      { key: 'GF', standardLength: { minutes: 5 } },
      { key: 'New', mex: 1, group: 'lunch', label: { sv: 'Ny' } },
    ]);
    expect(snapshot(DEFAULT_CODES)).toEqual(before);
    expect(DEFAULT_CODES).toHaveLength(10);
    expect(DEFAULT_CODES[0]?.label).toEqual({ sv: 'Lunch', en: 'Lunch' });
    expect(DEFAULT_CODES[0]?.enabled).toBe(true);
    expect(DEFAULT_CATALOG.get('L')?.mex).toBe(0);
    expect(DEFAULT_CATALOG.get('New')).toBeUndefined();
  });
});

describe('buildCatalog validation', () => {
  const bad = (o: unknown) => o as CodeOverride;
  it.each<[string, unknown[], string]>([
    ['missing key', [{ mex: 1 }], 'catalog[0].key'],
    ['empty key', [{ key: '' }], 'catalog[0].key'],
    ['key with a slash', [{ key: 'A/B' }], 'catalog[0].key'],
    ['key with a colon', [{ key: 'A:' }], 'catalog[0].key'],
    ['key with a space', [{ key: 'A B' }], 'catalog[0].key'],
    ['key of 9 characters', [{ key: 'ABCDEFGHI' }], 'catalog[0].key'],
    ['key not text', [{ key: 7 }], 'catalog[0].key'],
    ['null override', [null], 'catalog[0].key'],
    ['reserved key forward', [{ key: 'forward', mex: 1, group: 'forward', label: { sv: 'V' } }], 'catalog[0].key'],
    ['reserved key Forward', [{ key: 'Forward' }], 'catalog[0].key'],
    ['mex 10', [{ key: 'L', mex: 10 }], 'catalog[0].mex'],
    ['mex -1', [{ key: 'L', mex: -1 }], 'catalog[0].mex'],
    ['mex 1.5', [{ key: 'L', mex: 1.5 }], 'catalog[0].mex'],
    ['mex as text', [{ key: 'L', mex: '1' }], 'catalog[0].mex'],
    ['unknown group in second override', [{ key: 'L' }, { key: 'M', group: 'coffee' }], 'catalog[1].group'],
    ['standardLength 0 minutes', [{ key: 'L', standardLength: { minutes: 0 } }], 'catalog[0].standardLength'],
    ['standardLength 10081 minutes', [{ key: 'L', standardLength: { minutes: 10081 } }], 'catalog[0].standardLength'],
    ['standardLength fractional', [{ key: 'L', standardLength: { minutes: 1.5 } }], 'catalog[0].standardLength'],
    ['standardLength as number', [{ key: 'L', standardLength: 60 }], 'catalog[0].standardLength'],
    ['standardLength unknown word', [{ key: 'L', standardLength: 'tomorrow' }], 'catalog[0].standardLength'],
    ['standardLength null', [{ key: 'L', standardLength: null }], 'catalog[0].standardLength'],
    ['blank sv label', [{ key: 'L', label: { sv: '   ' } }], 'catalog[0].label.sv'],
    ['sv label too long', [{ key: 'L', label: { sv: 'x'.repeat(61) } }], 'catalog[0].label.sv'],
    ['en label not text', [{ key: 'L', label: { en: 5 } }], 'catalog[0].label.en'],
    ['enabled not boolean', [{ key: 'L', enabled: 'no' }], 'catalog[0].enabled'],
    ['new code without mex', [{ key: 'New', group: 'lunch', label: { sv: 'Ny' } }], 'catalog[0].mex'],
    ['new code without group', [{ key: 'New', mex: 1, label: { sv: 'Ny' } }], 'catalog[0].group'],
    ['new code without label', [{ key: 'New', mex: 1, group: 'lunch' }], 'catalog[0].label.sv'],
    ['new code with en label only', [{ key: 'New', mex: 1, group: 'lunch', label: { en: 'New' } }], 'catalog[0].label.sv'],
  ])('rejects %s', (_name, overrides, field) => {
    expectFieldError(() => buildCatalog(overrides.map(bad)), field);
  });

  it('accepts a 60-character label and an 8-character key', () => {
    const cat = buildCatalog([{ key: 'ABCDEFGH', mex: 1, group: 'lunch', label: { sv: 'x'.repeat(60) } }]);
    expect(cat.get('abcdefgh')?.label.sv).toHaveLength(60);
  });

  it('a failed build leaves the defaults untouched', () => {
    const before = snapshot(DEFAULT_CODES);
    expect(() => buildCatalog([{ key: 'L', label: { sv: 'Mat' } }, { key: 'M', mex: 10 }])).toThrow(ValidationError);
    expect(snapshot(DEFAULT_CODES)).toEqual(before);
  });
});
