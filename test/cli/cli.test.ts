/** The built command against every worked example, and its contract for bad input (SPEC 13). */
import { cli } from '../helpers/cli';
import { resolveCases, stateCases, subjectCases, workdayCases } from '../helpers/vectors';

describe('vectors through the built command', () => {
  test.each(subjectCases.map((c) => [c.subject, c] as const))('parse %j', (_s, c) => {
    const r = cli(['parse', c.subject]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json()).toMatchObject(c.expect);
  });

  test.each(resolveCases.map((c) => [c.name, c] as const))('resolve: %s', (_n, c) => {
    const r = cli(['resolve'], JSON.stringify(c.input));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json()).toMatchObject(c.expect);
  });

  test.each(stateCases.map((c) => [c.name, c] as const))('state: %s', (_n, c) => {
    const r = cli(['state'], JSON.stringify(c.input));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.json();
    if (c.expect.state === null) expect(out.state).toBeNull();
    else {
      expect(out).toMatchObject(c.expect);
      if (c.expect.state.switch) expect(Object.keys(out.state.switch).sort()).toEqual(Object.keys(c.expect.state.switch).sort());
    }
  });

  test.each(workdayCases.map((c) => [c.from, c] as const))('workday --next %s', (_f, c) => {
    const r = cli(['workday', '--next', c.from]);
    expect(r.status).toBe(0);
    expect(r.json()).toEqual({ next: c.next });
  });
});

describe('output shape (SPEC 13)', () => {
  test('parse prints every field of the contract', () => {
    const out = cli(['parse', 'np/l:lunch']).json();
    expect(out).toEqual({ accepted: true, key: 'L', canonical: false, canonicalSubject: 'NP/L: lunch', rest: 'lunch', nearMiss: null });
  });

  test('resolve prints instants in UTC with Z and structured warnings in both languages', () => {
    const out = cli(
      ['resolve'],
      JSON.stringify({ booking: { subject: 'np/m:Möte', start: '2026-11-24T12:00:00+01:00', end: '2026-11-24T13:00:00+01:00' } }),
    ).json();
    expect(out.from).toBe('2026-11-24T11:00:00Z');
    expect(out.to).toBe('2026-11-24T12:00:00Z');
    expect(out.code).toEqual({ key: 'M', mex: 3, label: 'Möte' });
    expect(out.forwarding).toEqual({ mode: 'spoken', number: null });
    expect(out.warnings).toEqual([
      expect.objectContaining({
        key: 'nonCanonical',
        params: { canonicalSubject: 'NP/M: Möte' },
        message: { sv: expect.stringContaining('NP/M: Möte'), en: expect.stringContaining('NP/M: Möte') },
      }),
    ]);
  });

  test('a refused booking names its reason in both languages and carries no diversion', () => {
    const out = cli(['resolve'], JSON.stringify({ booking: { subject: 'Budgetmöte', start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z' } })).json();
    expect(out).toMatchObject({ diverts: false, reason: 'noPrefix', code: null, forwarding: null, from: null, to: null, text: null });
    expect(out.reasonText.sv).toMatch(/kod/);
    expect(out.reasonText.en).toMatch(/code/);
  });

  test('state prints the next change for the scheduler', () => {
    const out = cli(
      ['state'],
      JSON.stringify({
        at: '2026-11-24T10:00:00Z',
        activities: [{ id: 'a', source: 'calendar', key: 'L', forwarding: { mode: 'spoken' }, from: '2026-11-24T11:00:00Z', to: '2026-11-24T12:00:00Z' }],
      }),
    ).json();
    expect(out).toEqual({ state: null, nextChange: '2026-11-24T11:00:00Z' });
  });

  test('workday honours an organisation file with extra days off', () => {
    const { writeFileSync, mkdtempSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const dir = mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'kk-'));
    const file = `${dir}/org.json`;
    writeFileSync(file, JSON.stringify({ extraDaysOff: ['2026-11-30'] }));
    expect(cli(['workday', '--next', '2026-11-27T06:00:00Z', '--org', file]).json()).toEqual({ next: '2026-12-01T07:00:00Z' });
  });
});

describe('bad input: one line naming the problem, exit 2, no stack trace', () => {
  const booking = { subject: 'NP/L: Lunch', start: '2026-11-24T11:00:00Z', end: '2026-11-24T12:00:00Z' };
  const cases: [string, string[], string | undefined, RegExp][] = [
    ['malformed JSON', ['resolve'], '{"booking": ', /not valid JSON/],
    ['empty input', ['resolve'], '', /empty/],
    ['a list instead of an object', ['resolve'], '[]', /must be a JSON object/],
    ['missing booking', ['resolve'], '{}', /^kalenderkoppling: booking: is required/],
    ['missing start', ['resolve'], JSON.stringify({ booking: { subject: 'x', end: booking.end } }), /booking\.start: is required/],
    ['invalid instant', ['resolve'], JSON.stringify({ booking: { ...booking, start: '2026-13-45T11:00:00Z' } }), /booking\.start/],
    ['instant without offset', ['resolve'], JSON.stringify({ booking: { ...booking, end: '2026-11-24T12:00:00' } }), /booking\.end: .*offset/],
    ['unknown default code', ['resolve'], JSON.stringify({ settings: { defaultCode: 'XX' }, booking }), /settings\.defaultCode: unknown code "XX"/],
    ['unknown setting', ['resolve'], JSON.stringify({ settings: { enable: false }, booking }), /settings\.enable: is not a known field/],
    ['bad sensitivity', ['resolve'], JSON.stringify({ booking: { ...booking, sensitivity: 'secret' } }), /booking\.sensitivity: must be one of/],
    ['number mode without number', ['resolve'], JSON.stringify({ profile: { lunch: { mode: 'number' } }, booking }), /profile\.lunch\.number: is required/],
    ['bad phone number', ['resolve'], JSON.stringify({ profile: { lunch: { mode: 'number', number: 'call me' } }, booking }), /profile\.lunch\.number/],
    ['bad time zone', ['resolve'], JSON.stringify({ org: { timeZone: 'Mars/Olympus' }, booking }), /org\.timeZone/],
    ['unknown top-level field', ['resolve'], JSON.stringify({ booking, extra: 1 }), /extra: is not a field of resolve input/],
    ['unknown activity code', ['state'], JSON.stringify({ at: booking.start, activities: [{ id: 'a', source: 'manual', key: 'ZZ', forwarding: { mode: 'spoken' }, from: booking.start, to: null }] }), /activities\[0\]\.key: unknown code "ZZ"/],
    ['missing at', ['state'], JSON.stringify({ activities: [] }), /^kalenderkoppling: at: is required/],
    ['missing activities', ['state'], JSON.stringify({ at: booking.start }), /activities: is required/],
    ['forward without number', ['state'], JSON.stringify({ at: booking.start, activities: [{ id: 'f', source: 'manual', key: 'forward', forwarding: { mode: 'number' }, from: booking.start, to: null }] }), /activities\[0\]\.forwarding\.number: is required/],
    ['duplicate activity id', ['state'], JSON.stringify({ at: booking.start, activities: [1, 2].map(() => ({ id: 'a', source: 'manual', key: 'L', forwarding: { mode: 'spoken' }, from: booking.start, to: null })) }), /activities\[1\]\.id/],
    ['invalid instant for workday', ['workday', '--next', 'tomorrow'], undefined, /--next: must be an ISO 8601 instant/],
    ['workday without --next', ['workday'], undefined, /usage: kalenderkoppling workday --next/],
    ['parse without subject', ['parse'], undefined, /parse takes one argument/],
    ['unknown command', ['frobnicate'], undefined, /unknown command "frobnicate"/],
    ['unreadable org file', ['parse', 'x', '--org', '/nonexistent/org.json'], undefined, /--org: cannot read/],
  ];
  test.each(cases)('%s', (_name, args, stdin, message) => {
    const r = cli(args, stdin);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('help', () => {
  test('--help explains every subcommand and exits 0', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['parse', 'resolve', 'state', 'workday --next']) expect(r.stdout).toContain(`kalenderkoppling ${c}`);
  });
  test('a subcommand --help prints the same help', () => {
    const r = cli(['state', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kalenderkoppling state');
  });
  test('no command prints help and exits 2', () => {
    const r = cli([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Usage');
  });
});
