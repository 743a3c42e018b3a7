/** Effective state (SPEC 9), switch format and phrases (SPEC 10), next boundary. */
import fc from 'fast-check';
import {
  type Activity,
  callerHears,
  colleaguesSee,
  DEFAULT_CATALOG,
  effectiveState,
  type EffectiveState,
  nextBoundary,
  switchAbsence,
} from '../../src/core';

const at = (s: string) => Date.parse(s);
const Z = 'Europe/Stockholm';
let n = 0;
function act(key: string, from: string, to: string | null, over: Partial<Activity> = {}): Activity {
  return { id: `a${++n}`, source: 'calendar', key, forwarding: { mode: 'spoken', number: null }, from: at(from), to: to === null ? null : at(to), ...over };
}
const soft = { forwarding: { mode: 'none' as const, number: null } };
const state = (acts: Activity[], t: string) => effectiveState(acts, at(t), DEFAULT_CATALOG);

describe('which activity wins', () => {
  test('from is inclusive, to exclusive', () => {
    const a = act('L', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z');
    expect(state([a], '2026-11-24T11:00:00Z')?.activityId).toBe(a.id);
    expect(state([a], '2026-11-24T12:00:00Z')).toBeNull();
    expect(state([a], '2026-11-24T10:59:59.999Z')).toBeNull();
  });

  test('the latest end wins; an open end is latest', () => {
    const day = act('K', '2026-11-24T07:00:00Z', '2026-11-24T16:00:00Z');
    const sick = act('Sj', '2026-11-24T10:00:00Z', null, { source: 'manual' });
    expect(state([day, sick], '2026-11-24T11:00:00Z')?.activityId).toBe(sick.id);
  });

  test('same end: the latest start wins', () => {
    const early = act('M', '2026-11-24T09:00:00Z', '2026-11-24T12:00:00Z');
    const late = act('L', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z');
    expect(state([early, late], '2026-11-24T11:30:00Z')?.activityId).toBe(late.id);
  });

  test('same window: manual > quick > recurring > calendar', () => {
    const w = ['2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z'] as const;
    const acts = (['calendar', 'recurring', 'quick', 'manual'] as const).map((source) => act('M', ...w, { source }));
    expect(state(acts, '2026-11-24T11:30:00Z')?.activityId).toBe(acts[3]!.id);
    expect(state(acts.slice(0, 3), '2026-11-24T11:30:00Z')?.activityId).toBe(acts[2]!.id);
    expect(state(acts.slice(0, 2), '2026-11-24T11:30:00Z')?.activityId).toBe(acts[1]!.id);
  });

  test('same window and source: the lowest MEX code, then the id', () => {
    const w = ['2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z'] as const;
    const meeting = act('M', ...w, { id: 'x' });
    const lunch = act('L', ...w, { id: 'y' });
    expect(state([meeting, lunch], '2026-11-24T11:30:00Z')?.key).toBe('L');
    const twinA = act('M', ...w, { id: 'b' });
    const twinB = act('M', ...w, { id: 'a' });
    expect(state([twinA, twinB], '2026-11-24T11:30:00Z')?.activityId).toBe('a');
  });

  test('a hard activity beats any soft one; soft ones count only when no hard one is active', () => {
    const longSoft = act('S', '2026-11-20T07:00:00Z', '2026-12-01T07:00:00Z', soft);
    const lunch = act('L', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z');
    expect(state([longSoft, lunch], '2026-11-24T11:30:00Z')?.key).toBe('L');
    expect(state([longSoft, lunch], '2026-11-24T12:30:00Z')?.key).toBe('S');
  });

  test('a dismissed activity never wins and never chains', () => {
    const a = act('M', '2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z');
    const b = act('M', '2026-11-24T10:00:00Z', '2026-11-24T11:00:00Z', { dismissed: true });
    expect(state([a, b], '2026-11-24T10:30:00Z')).toBeNull();
    expect(state([a, b], '2026-11-24T09:30:00Z')?.returnAt).toBe(at('2026-11-24T10:00:00Z'));
  });

  test('a forward activity has no MEX code and forwards', () => {
    const f = act('forward', '2026-11-24T08:00:00Z', null, { source: 'manual', forwarding: { mode: 'number', number: '0701234567' } });
    const s = state([f], '2026-11-24T09:00:00Z')!;
    expect(s).toMatchObject({ key: 'forward', mex: null, label: { sv: 'Vidarekoppla' }, returnAt: null });
    expect(switchAbsence(s, at('2026-11-24T09:00:00Z'), Z)).toEqual({ reasonCode: null });
  });
});

describe('return time chain', () => {
  test('back-to-back and overlapping hard activities extend the return', () => {
    const acts = [
      act('M', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z'),
      act('M', '2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z'),
      act('T', '2026-11-24T09:30:00Z', '2026-11-24T11:00:00Z'),
      act('M', '2026-11-24T11:00:00Z', '2026-11-24T11:30:00Z'),
      act('L', '2026-11-24T11:31:00Z', '2026-11-24T12:00:00Z'),
    ];
    expect(state(acts, '2026-11-24T08:15:00Z')?.returnAt).toBe(at('2026-11-24T11:30:00Z'));
  });

  test('a soft activity does not extend the return of a hard one', () => {
    const acts = [act('M', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z'), act('M', '2026-11-24T09:00:00Z', '2026-11-24T15:00:00Z', soft)];
    expect(state(acts, '2026-11-24T08:15:00Z')?.returnAt).toBe(at('2026-11-24T09:00:00Z'));
  });

  test('a soft winner returns at its own end even when hard activities follow', () => {
    const acts = [act('M', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z', soft), act('L', '2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z')];
    expect(state(acts, '2026-11-24T08:15:00Z')?.returnAt).toBe(at('2026-11-24T09:00:00Z'));
  });

  test('a chain into an open-ended activity has no return time', () => {
    const acts = [act('M', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z'), act('Sj', '2026-11-24T09:00:00Z', null, { source: 'manual' })];
    expect(state(acts, '2026-11-24T08:15:00Z')?.returnAt).toBeNull();
  });

  test('a gap of one minute breaks the chain', () => {
    const acts = [act('M', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z'), act('M', '2026-11-24T09:01:00Z', '2026-11-24T10:00:00Z')];
    expect(state(acts, '2026-11-24T08:15:00Z')?.returnAt).toBe(at('2026-11-24T09:00:00Z'));
  });
});

describe('switch absence information (HHMM same local day, else MMDD)', () => {
  const s = (returnAt: string | null): EffectiveState => ({
    activityId: 'x',
    key: 'L',
    mex: 0,
    label: { sv: 'Lunch', en: 'Lunch' },
    forwarding: { mode: 'spoken', number: null },
    since: 0,
    returnAt: returnAt === null ? null : at(returnAt),
    text: null,
    operatorOnly: false,
  });
  test.each([
    ['2026-11-24T12:00:00Z', '2026-11-24T11:30:00Z', { returnTime: '1300' }],
    ['2026-07-01T12:00:00Z', '2026-07-01T11:30:00Z', { returnTime: '1400' }],
    ['2026-11-24T22:30:00Z', '2026-11-24T20:00:00Z', { returnTime: '2330' }],
    // 23:30Z is already the next local day in Stockholm.
    ['2026-11-24T23:30:00Z', '2026-11-24T20:00:00Z', { returnDate: '1125' }],
    ['2026-11-30T07:00:00Z', '2026-11-24T09:00:00Z', { returnDate: '1130' }],
    ['2027-01-04T07:00:00Z', '2026-12-23T15:00:00Z', { returnDate: '0104' }],
    // The spring DST switch day: 08:00 local is 06:00Z.
    ['2026-03-29T06:00:00Z', '2026-03-29T05:00:00Z', { returnTime: '0800' }],
  ])('back %s applied %s', (returnAt, applied, expected) => {
    expect(switchAbsence(s(returnAt), at(applied), Z)).toEqual({ reasonCode: 0, ...expected });
  });
  test('no return time: only the reason code', () => {
    expect(switchAbsence(s(null), at('2026-11-24T11:30:00Z'), Z)).toEqual({ reasonCode: 0 });
  });
});

describe('what callers hear and colleagues see', () => {
  const lunch = act('L', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z', { text: 'Lunch med teamet' });
  const vacation = act('S', '2026-11-23T07:00:00Z', '2026-11-30T07:00:00Z');
  const sick = act('Sj', '2026-11-24T07:00:00Z', null, { source: 'manual' });
  const t = at('2026-11-24T11:30:00Z');
  const st = (a: Activity) => effectiveState([a], t, DEFAULT_CATALOG);

  test('spoken, in Swedish and English', () => {
    expect(callerHears(st(lunch), 'sv', t, Z)).toBe('Lunch. Åter klockan 13.00.');
    expect(callerHears(st(lunch), 'en', t, Z)).toBe('Lunch. Back at 13:00.');
    expect(callerHears(st(vacation), 'sv', t, Z)).toBe('Semester. Åter måndag 30 november.');
    expect(callerHears(st(vacation), 'en', t, Z)).toBe('On vacation. Back Monday 30 November.');
    expect(callerHears(st(sick), 'sv', t, Z)).toBe('Sjuk. Tills vidare.');
    expect(callerHears(st(sick), 'en', t, Z)).toBe('Sick. Until further notice.');
  });

  test('forwarding and soft', () => {
    const fwd = act('forward', '2026-11-24T11:00:00Z', null, { source: 'manual', forwarding: { mode: 'number', number: '0701234567' } });
    expect(callerHears(st(fwd), 'sv', t, Z)).toBe('Samtal kopplas till 0701234567.');
    expect(callerHears(st(fwd), 'en', t, Z)).toBe('Calls are forwarded to 0701234567.');
    expect(callerHears(st(act('M', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z', soft)), 'sv', t, Z)).toBeNull();
    expect(callerHears(null, 'sv', t, Z)).toBeNull();
  });

  test('the directory shows label, ➔ return and the text', () => {
    expect(colleaguesSee(st(lunch), 'colleague', 'sv', t, Z)).toEqual({ label: 'Lunch', returnText: '➔ 13:00', text: 'Lunch med teamet', soft: false });
    expect(colleaguesSee(st(vacation), 'colleague', 'sv', t, Z)).toMatchObject({ label: 'Semester', returnText: '➔ 2026-11-30 08:00' });
    expect(colleaguesSee(st(sick), 'operator', 'en', t, Z)).toMatchObject({ label: 'Sick', returnText: 'Until further notice' });
  });

  test('operator-only text is shown to operators only', () => {
    const a = act('M', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z', { text: 'Nås på mobilen', operatorOnly: true });
    expect(colleaguesSee(st(a), 'colleague', 'sv', t, Z)?.text).toBeNull();
    expect(colleaguesSee(st(a), 'operator', 'sv', t, Z)?.text).toBe('Nås på mobilen');
  });
});

describe('next boundary', () => {
  test('the nearest start or end after the instant, ignoring dismissed and open ends', () => {
    const acts = [
      act('L', '2026-11-24T11:00:00Z', '2026-11-24T12:00:00Z'),
      act('M', '2026-11-24T10:00:00Z', '2026-11-24T13:00:00Z', { dismissed: true }),
      act('Sj', '2026-11-24T08:00:00Z', null),
    ];
    expect(nextBoundary(acts, at('2026-11-24T09:00:00Z'))).toBe(at('2026-11-24T11:00:00Z'));
    expect(nextBoundary(acts, at('2026-11-24T11:00:00Z'))).toBe(at('2026-11-24T12:00:00Z'));
    expect(nextBoundary(acts, at('2026-11-24T12:00:00Z'))).toBeNull();
  });

  test('the state does not change between boundaries', () => {
    const acts = [
      act('M', '2026-11-24T08:00:00Z', '2026-11-24T09:00:00Z'),
      act('L', '2026-11-24T08:30:00Z', '2026-11-24T10:00:00Z', soft),
      act('T', '2026-11-24T09:00:00Z', '2026-11-24T11:00:00Z'),
    ];
    let t = at('2026-11-24T07:00:00Z');
    for (let next = nextBoundary(acts, t); next !== null; t = next, next = nextBoundary(acts, t)) {
      const s = effectiveState(acts, t, DEFAULT_CATALOG);
      for (const probe of [t + 1, Math.floor((t + next) / 2), next - 1]) {
        expect(effectiveState(acts, probe, DEFAULT_CATALOG)).toEqual(s);
      }
    }
  });
});

describe('against a plain reading of SPEC 9 (property)', () => {
  // The rules written as directly as possible: slow, obviously right, independent of the code.
  const rank = { manual: 4, quick: 3, recurring: 2, calendar: 1 } as const;
  const mex = (a: Activity) => (a.key === 'forward' ? 10 : DEFAULT_CATALOG.find(a.key)!.mex);
  const end = (a: Activity) => a.to ?? Infinity;
  function reference(acts: Activity[], t: number) {
    const active = acts.filter((a) => !a.dismissed && a.from <= t && t < end(a));
    const hard = active.filter((a) => a.forwarding.mode !== 'none');
    const candidates = hard.length ? hard : active;
    if (!candidates.length) return null;
    const sorted = [...candidates].sort(
      (a, b) => end(b) - end(a) || b.from - a.from || rank[b.source] - rank[a.source] || mex(a) - mex(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const w = sorted[0]!;
    let r = end(w);
    if (hard.length) {
      for (let changed = true; changed && r !== Infinity; ) {
        changed = false;
        for (const a of acts) {
          if (!a.dismissed && a.forwarding.mode !== 'none' && a.from <= r && end(a) > r) {
            r = end(a);
            changed = true;
          }
        }
      }
    }
    return { activityId: w.id, returnAt: r === Infinity ? null : r };
  }

  const H = 3600_000;
  const base = Date.parse('2026-11-24T00:00:00Z');
  const activity = fc.record({
    source: fc.constantFrom('calendar', 'manual', 'recurring', 'quick'),
    key: fc.constantFrom('L', 'M', 'S', 'Sj', 'forward'),
    hard: fc.boolean(),
    from: fc.integer({ min: 0, max: 48 }),
    len: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 8 }),
    dismissed: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  });

  test('winner and return time match, for any set of activities and any instant', () => {
    fc.assert(
      fc.property(fc.array(activity, { maxLength: 25 }), fc.integer({ min: 0, max: 60 }), (specs, hour) => {
        const acts: Activity[] = specs.map((s, i) => ({
          id: `id${(i * 7) % 11}-${i}`,
          source: s.source as Activity['source'],
          key: s.key,
          forwarding: s.key === 'forward' ? { mode: 'number', number: '0701234567' } : { mode: s.hard ? 'spoken' : 'none', number: null },
          from: base + s.from * H,
          to: s.len === null ? null : base + (s.from + s.len) * H,
          dismissed: s.dismissed,
        }));
        const t = base + hour * H;
        const got = effectiveState(acts, t, DEFAULT_CATALOG);
        const want = reference(acts, t);
        expect(got && { activityId: got.activityId, returnAt: got.returnAt }).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  test('a long back-to-back chain stored in reverse order still chains to its end', () => {
    const chain = Array.from({ length: 12 }, (_, i) => act('M', new Date(base + i * H).toISOString(), new Date(base + (i + 1) * H).toISOString())).reverse();
    expect(effectiveState(chain, base + 30 * 60_000, DEFAULT_CATALOG)?.returnAt).toBe(base + 12 * H);
  });
});
