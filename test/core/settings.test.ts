import { buildCatalog, DEFAULT_CATALOG } from '../../src/core/catalog';
import {
  type CalendarSettings,
  type ContactProfile,
  DEFAULT_PROFILE,
  DEFAULT_SETTINGS,
  mergeProfile,
  mergeSettings,
  normalisePhoneNumber,
  parseForwarding,
} from '../../src/core/settings';
import { expectFieldError } from '../helpers/errors';


/** SPEC 5 defaults, written out by hand. */
const SPEC5: CalendarSettings = {
  enabled: true,
  defaultCode: null,
  language: 'sv',
  soft: false,
  messageFields: { subject: false, location: false, body: false },
  include: { free: false, private: false, tentative: false },
};

/** SPEC 6 defaults, written out by hand. */
const SPEC6: ContactProfile = {
  lunch: { mode: 'spoken', number: null },
  goneForTheDay: { mode: 'spoken', number: null },
  errand: { mode: 'spoken', number: null },
  meeting: { mode: 'spoken', number: null },
  dayOff: { mode: 'spoken', number: null },
  absent: { mode: 'spoken', number: null },
  forward: { mode: 'number', number: null },
};

/** An organisation base that differs from SPEC 5 in every field. */
const ORG_BASE: CalendarSettings = {
  enabled: false,
  defaultCode: 'M',
  language: 'en',
  soft: true,
  messageFields: { subject: true, location: false, body: true },
  include: { free: true, private: false, tentative: true },
};

describe('mergeSettings', () => {
  it('defaults are SPEC 5', () => {
    expect(DEFAULT_SETTINGS).toEqual(SPEC5);
    expect(mergeSettings(undefined)).toEqual(SPEC5);
    expect(mergeSettings(null)).toEqual(SPEC5);
    expect(mergeSettings({})).toEqual(SPEC5);
  });

  it('a partial input keeps every other field of the base, including nested ones', () => {
    expect(mergeSettings({ language: 'sv' }, ORG_BASE)).toEqual({ ...ORG_BASE, language: 'sv' });
    expect(mergeSettings({ messageFields: { location: true } }, ORG_BASE)).toEqual({
      ...ORG_BASE,
      messageFields: { subject: true, location: true, body: true },
    });
    expect(mergeSettings({ include: { free: false } }, ORG_BASE)).toEqual({
      ...ORG_BASE,
      include: { free: false, private: false, tentative: true },
    });
    expect(mergeSettings({ enabled: true, soft: false }, ORG_BASE)).toEqual({ ...ORG_BASE, enabled: true, soft: false });
    expect(mergeSettings({}, ORG_BASE)).toEqual(ORG_BASE);
  });

  it('sets every field over the defaults', () => {
    expect(
      mergeSettings({
        enabled: false,
        defaultCode: 'tf',
        language: 'en',
        soft: true,
        messageFields: { subject: true, location: true, body: true },
        include: { free: true, private: true, tentative: true },
      }),
    ).toEqual({
      enabled: false,
      defaultCode: 'TF',
      language: 'en',
      soft: true,
      messageFields: { subject: true, location: true, body: true },
      include: { free: true, private: true, tentative: true },
    });
  });

  it('does not mutate the base', () => {
    const base = JSON.parse(JSON.stringify(ORG_BASE)) as CalendarSettings;
    mergeSettings({ language: 'sv', messageFields: { subject: false }, include: { private: true }, defaultCode: null }, base);
    expect(base).toEqual(ORG_BASE);
    expect(DEFAULT_SETTINGS).toEqual(SPEC5);
  });

  it('defaultCode is validated and written in catalog spelling', () => {
    expect(mergeSettings({ defaultCode: 'sj' }).defaultCode).toBe('Sj');
    expect(mergeSettings({ defaultCode: 'SJ' }).defaultCode).toBe('Sj');
    expect(mergeSettings({ defaultCode: 'vab' }).defaultCode).toBe('VAB');
    expect(mergeSettings({ defaultCode: 'M' }).defaultCode).toBe('M');
  });

  it('defaultCode null or empty clears the base value', () => {
    expect(mergeSettings({ defaultCode: null }, ORG_BASE).defaultCode).toBeNull();
    expect(mergeSettings({ defaultCode: '' }, ORG_BASE).defaultCode).toBeNull();
    expect(mergeSettings({ language: 'sv' }, ORG_BASE).defaultCode).toBe('M');
  });

  it('defaultCode is checked against the given catalog', () => {
    const cat = buildCatalog([
      { key: 'Hem', mex: 2, group: 'errand', label: { sv: 'Hemarbete' } },
      { key: 'M', enabled: false },
    ]);
    expect(mergeSettings({ defaultCode: 'HEM' }, DEFAULT_SETTINGS, cat).defaultCode).toBe('Hem');
    expectFieldError(() => mergeSettings({ defaultCode: 'Hem' }, DEFAULT_SETTINGS, DEFAULT_CATALOG), 'settings.defaultCode');
    expectFieldError(() => mergeSettings({ defaultCode: 'M' }, DEFAULT_SETTINGS, cat), 'settings.defaultCode');
    expectFieldError(() => mergeSettings({ defaultCode: 'm' }, DEFAULT_SETTINGS, cat), 'settings.defaultCode');
  });

  it.each<[string, unknown, string]>([
    ['unknown code', { defaultCode: 'X' }, 'settings.defaultCode'],
    ['a prefix instead of a key', { defaultCode: 'NP/M:' }, 'settings.defaultCode'],
    ['a longer key', { defaultCode: 'SJU' }, 'settings.defaultCode'],
    ['the forward activity', { defaultCode: 'forward' }, 'settings.defaultCode'],
    ['defaultCode as a number', { defaultCode: 3 }, 'settings.defaultCode'],
    ['unknown field', { colour: 'red' }, 'settings.colour'],
    ['unknown messageFields field', { messageFields: { title: true } }, 'settings.messageFields.title'],
    ['unknown include field', { include: { busy: true } }, 'settings.include.busy'],
    ['language de', { language: 'de' }, 'settings.language'],
    ['language SV', { language: 'SV' }, 'settings.language'],
    ['language null', { language: null }, 'settings.language'],
    ['enabled as text', { enabled: 'true' }, 'settings.enabled'],
    ['enabled as 1', { enabled: 1 }, 'settings.enabled'],
    ['soft as null', { soft: null }, 'settings.soft'],
    ['messageFields not an object', { messageFields: true }, 'settings.messageFields'],
    ['messageFields an array', { messageFields: [] }, 'settings.messageFields'],
    ['include not an object', { include: 'all' }, 'settings.include'],
    ['messageFields.body as text', { messageFields: { body: 'yes' } }, 'settings.messageFields.body'],
    ['include.private as 0', { include: { private: 0 } }, 'settings.include.private'],
    ['not an object', 'sv', 'settings'],
    ['an array', [], 'settings'],
  ])('rejects %s', (_name, input, field) => {
    expectFieldError(() => mergeSettings(input), field);
  });

  it('uses the given field prefix', () => {
    expectFieldError(() => mergeSettings({ language: 'fi' }, DEFAULT_SETTINGS, DEFAULT_CATALOG, 'user.settings'), 'user.settings.language');
  });
});

describe('normalisePhoneNumber', () => {
  it.each<[string, string]>([
    ['070-123 45 67', '0701234567'],
    ['+46 70 123 45 67', '+46701234567'],
    ['(08) 123 456', '08123456'],
    ['4711', '4711'],
    ['12', '12'],
    ['123456789012345', '123456789012345'],
    ['+123456789012345', '+123456789012345'],
    ['\t070 1234567 ', '0701234567'],
  ])('%j → %s', (input, expected) => {
    expect(normalisePhoneNumber(input, 'n')).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['letters', '070-ABC 45 67'],
    ['an extension word', 'ext 4711'],
    ['1 digit', '7'],
    ['+ and 1 digit', '+7'],
    ['16 digits', '1234567890123456'],
    ['+ and 16 digits', '+1234567890123456'],
    ['empty', ''],
    ['only separators', ' - ( ) '],
    ['plus in the middle', '46+701234567'],
    ['two pluses', '++46701234567'],
    ['a number value', 701234567],
    ['null', null],
  ])('rejects %s', (_name, input) => {
    expectFieldError(() => normalisePhoneNumber(input, 'profile.lunch.number'), 'profile.lunch.number');
  });
});

describe('parseForwarding', () => {
  it('parses each mode', () => {
    expect(parseForwarding({ mode: 'spoken' }, 'f')).toEqual({ mode: 'spoken', number: null });
    expect(parseForwarding({ mode: 'none' }, 'f')).toEqual({ mode: 'none', number: null });
    expect(parseForwarding({ mode: 'number', number: '070-123 45 67' }, 'f')).toEqual({ mode: 'number', number: '0701234567' });
  });

  it('drops a number that the mode does not use', () => {
    expect(parseForwarding({ mode: 'spoken', number: '4711' }, 'f')).toEqual({ mode: 'spoken', number: null });
    expect(parseForwarding({ mode: 'none', number: '4711' }, 'f')).toEqual({ mode: 'none', number: null });
  });

  it('mode number needs a number unless requireNumber is false', () => {
    expectFieldError(() => parseForwarding({ mode: 'number' }, 'f'), 'f.number');
    expectFieldError(() => parseForwarding({ mode: 'number', number: null }, 'f'), 'f.number');
    expectFieldError(() => parseForwarding({ mode: 'number', number: '' }, 'f'), 'f.number');
    expect(parseForwarding({ mode: 'number' }, 'f', undefined, false)).toEqual({ mode: 'number', number: null });
  });

  it('falls back to the base for missing mode and number', () => {
    const base = { mode: 'number' as const, number: '4711' };
    expect(parseForwarding({}, 'f', base)).toEqual({ mode: 'number', number: '4711' });
    expect(parseForwarding({ number: '08-123' }, 'f', base)).toEqual({ mode: 'number', number: '08123' });
    expect(parseForwarding({ mode: 'none' }, 'f', base)).toEqual({ mode: 'none', number: null });
    expect(parseForwarding({ mode: 'number' }, 'f', { mode: 'spoken', number: null }, false)).toEqual({ mode: 'number', number: null });
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'spoken', 'f'],
    ['null', null, 'f'],
    ['an array', [], 'f'],
    ['no mode and no base', {}, 'f.mode'],
    ['unknown mode', { mode: 'voicemail' }, 'f.mode'],
    ['mode in capitals', { mode: 'SPOKEN' }, 'f.mode'],
    ['unknown field', { mode: 'spoken', message: 'hi' }, 'f.message'],
    ['bad number', { mode: 'number', number: 'abc' }, 'f.number'],
    ['bad number even with mode spoken', { mode: 'spoken', number: '1' }, 'f.number'],
  ])('rejects %s', (_name, input, field) => {
    expectFieldError(() => parseForwarding(input, 'f'), field);
  });
});

describe('mergeProfile', () => {
  it('defaults are SPEC 6', () => {
    expect(DEFAULT_PROFILE).toEqual(SPEC6);
    expect(mergeProfile(undefined)).toEqual(SPEC6);
    expect(mergeProfile(null)).toEqual(SPEC6);
    expect(mergeProfile({})).toEqual(SPEC6);
  });

  it('normalises numbers', () => {
    const p = mergeProfile({
      lunch: { mode: 'number', number: '070-123 45 67' },
      forward: { number: '+46 70 123 45 67' },
    });
    expect(p.lunch).toEqual({ mode: 'number', number: '0701234567' });
    expect(p.forward).toEqual({ mode: 'number', number: '+46701234567' });
    expect(p.meeting).toEqual({ mode: 'spoken', number: null });
  });

  it('changes only the given groups and does not mutate the base', () => {
    const p = mergeProfile({ meeting: { mode: 'none' } });
    expect(p).toEqual({ ...SPEC6, meeting: { mode: 'none', number: null } });
    expect(DEFAULT_PROFILE).toEqual(SPEC6);
  });

  it('merges over a non-default base', () => {
    const base: ContactProfile = { ...SPEC6, absent: { mode: 'number', number: '4711' }, forward: { mode: 'number', number: '08123' } };
    const p = mergeProfile({ lunch: { mode: 'none' } }, base);
    expect(p).toEqual({ ...SPEC6, lunch: { mode: 'none', number: null }, absent: { mode: 'number', number: '4711' }, forward: { mode: 'number', number: '08123' } });
    // Only the number changes; the base mode 'number' stays.
    expect(mergeProfile({ absent: { number: '4712' } }, base).absent).toEqual({ mode: 'number', number: '4712' });
  });

  it('mode number without a number is refused for lunch but allowed for forward', () => {
    expectFieldError(() => mergeProfile({ lunch: { mode: 'number' } }), 'profile.lunch.number');
    expectFieldError(() => mergeProfile({ absent: { mode: 'number', number: null } }), 'profile.absent.number');
    expect(mergeProfile({ forward: { mode: 'number' } }).forward).toEqual({ mode: 'number', number: null });
    expect(mergeProfile({ forward: { mode: 'number', number: null } }).forward).toEqual({ mode: 'number', number: null });
  });

  it('a number with mode spoken is dropped', () => {
    expect(mergeProfile({ lunch: { mode: 'spoken', number: '0701234567' } }).lunch).toEqual({ mode: 'spoken', number: null });
    // No mode given: the base mode (spoken) applies, so the number is dropped as well.
    expect(mergeProfile({ errand: { number: '0701234567' } }).errand).toEqual({ mode: 'spoken', number: null });
  });

  it.each<[string, unknown, string]>([
    ['unknown group', { coffee: { mode: 'spoken' } }, 'profile.coffee'],
    ['letters in a number', { lunch: { mode: 'number', number: '070-ABC' } }, 'profile.lunch.number'],
    ['1-digit number', { meeting: { mode: 'number', number: '7' } }, 'profile.meeting.number'],
    ['16-digit number', { forward: { mode: 'number', number: '1234567890123456' } }, 'profile.forward.number'],
    ['unknown mode', { dayOff: { mode: 'voicemail' } }, 'profile.dayOff.mode'],
    ['group value not an object', { lunch: 'spoken' }, 'profile.lunch'],
    ['unknown field in a group', { lunch: { mode: 'spoken', note: 'x' } }, 'profile.lunch.note'],
    ['not an object', 'spoken', 'profile'],
  ])('rejects %s', (_name, input, field) => {
    expectFieldError(() => mergeProfile(input), field);
  });

  it('uses the given field prefix', () => {
    expectFieldError(() => mergeProfile({ lunch: { mode: 'number' } }, DEFAULT_PROFILE, 'user.profile'), 'user.profile.lunch.number');
  });
});
