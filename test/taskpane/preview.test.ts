/** The preview is the core's answer: same resolution as the endpoint, plus what callers hear and colleagues see. */
import { DEFAULT_CATALOG } from '../../src/core/catalog';
import { resolveBooking } from '../../src/core/resolve';
import { DEFAULT_PROFILE, DEFAULT_SETTINGS } from '../../src/core/settings';
import { testServer, link } from '../helpers/server';
import type { ItemSnapshot } from '../../src/taskpane/port';
import { bookingOf, computePreview, type PreviewContext } from '../../src/taskpane/preview';
import { langFromDisplayLanguage } from '../../src/taskpane/i18n';

const ctx: PreviewContext = { settings: DEFAULT_SETTINGS, profile: DEFAULT_PROFILE, shared: false, catalog: DEFAULT_CATALOG, timeZone: 'Europe/Stockholm' };
const item = (patch: Partial<ItemSnapshot> = {}): ItemSnapshot => ({
  subject: 'NP/L: Lunch med Eva',
  start: Date.parse('2026-11-24T11:00:00Z'),
  end: Date.parse('2026-11-24T12:00:00Z'),
  location: 'Matsalen',
  body: '',
  sensitivity: 'normal',
  mode: 'organizer',
  itemId: null,
  recurrence: null,
  ...patch,
});

test('a lunch booking: MEX 0, spoken diversion, what callers hear and colleagues see (SPEC 10)', () => {
  const p = computePreview(item(), ctx, 'sv');
  expect(p.diverts).toBe(true);
  expect(p.code?.mex).toBe(0);
  expect(p.forwardingMode).toBe('spoken');
  expect(p.spoken).toBe('Lunch. Åter klockan 13.00.');
  expect(p.colleagues).toMatchObject({ label: 'Lunch', returnText: '➔ 13:00', text: null });
  expect(p.text).toBeNull();
  expect(p.spokenLang).toBe('sv');
});

test('what callers hear follows Språk (the user\'s setting, as the switch is told); everything else the pane\'s language', () => {
  const english = { ...ctx, settings: { ...DEFAULT_SETTINGS, language: 'en' as const } };
  const sick = item({ subject: 'NP/Sj: influensa', end: Date.parse('2026-11-24T15:00:00Z') });
  // A Swedish pane, Språk = Engelska.
  const p = computePreview(sick, english, 'sv');
  expect(p.spoken).toBe('Sick. Back at 16:00.');
  expect(p.spokenLang).toBe('en');
  expect(p.colleagues?.label).toBe('Sjuk');
  expect(computePreview(item(), english, 'sv').spoken).toBe('Lunch. Back at 13:00.');
  // An English pane, Språk = Svenska.
  const q = computePreview(sick, ctx, 'en');
  expect(q.spoken).toBe('Sjuk. Åter klockan 16.00.');
  expect(q.spokenLang).toBe('sv');
  expect(q.colleagues?.label).toBe('Sick');
  expect(q.reasons).toEqual([]);
  // A reason is in the pane's language whatever Språk says.
  expect(computePreview(item({ sensitivity: 'private' }), english, 'sv').reasons[0]?.text).toContain('privat');
});

test('a vacation into next week says the day; a private booking gives the reason with a settings fix', () => {
  const s = computePreview(item({ subject: 'NP/S: Semester', end: Date.parse('2026-11-30T07:00:00Z') }), ctx, 'sv');
  expect(s.spoken).toBe('Semester. Åter måndag 30 november.');
  const priv = computePreview(item({ sensitivity: 'private' }), ctx, 'sv');
  expect(priv.diverts).toBe(false);
  expect(priv.reasons).toEqual([{ id: 'r-private', text: expect.stringContaining('privat'), fix: { kind: 'openSettings', setting: 'include.private' } }]);
});

test('a near miss does not divert; its warning carries the fix that writes the canonical prefix', () => {
  const p = computePreview(item({ subject: 'NP/L lunch' }), ctx, 'sv');
  expect(p.diverts).toBe(false);
  expect(p.warnings[0]?.text).toMatch(/Menade du NP\/L:/);
  expect(p.warnings[0]?.fix).toEqual({ kind: 'applySubject', subject: 'NP/L: lunch' });
  // One button for one fix, with the warning that explains it: the reason has none.
  expect(p.reasons[0]?.fix).toBeNull();
});

test('every warning keeps its own fix (a code not at the start too); a reason only a settings fix', () => {
  for (const subject of ['NP/L lunch', 'Lunch NP/L:', 'np/l: lunch', 'NP /L: lunch', 'NP/X: okänd']) {
    const it = item({ subject });
    const p = computePreview(it, ctx, 'sv');
    const r = resolveBooking(bookingOf(it), ctx);
    expect(p.warnings.map((w) => w.fix)).toEqual(r.warnings.map((w) => w.fix ?? null));
    for (const n of p.reasons) expect(n.fix?.kind ?? 'openSettings').toBe('openSettings');
  }
});

test('soft settings: no forwarding, nothing read out, the warning opens the setting', () => {
  const p = computePreview(item(), { ...ctx, settings: { ...DEFAULT_SETTINGS, soft: true } }, 'sv');
  expect(p.forwardingMode).toBe('none');
  expect(p.spoken).toBeNull();
  expect(p.warnings.map((w) => w.fix)).toContainEqual({ kind: 'openSettings', setting: 'soft' });
});

test('the preview equals the endpoint: same booking through POST /api/v1/preview gives the same decision', async () => {
  const s = await testServer();
  try {
    await link(s, 'anna', '1234');
    for (const patch of [{}, { subject: 'np/m:möte' }, { subject: 'NP/L lunch' }, { sensitivity: 'private' as const }, { subject: 'Ingen kod' }]) {
      const it = item(patch);
      const local = computePreview(it, ctx, 'sv');
      const b = bookingOf(it);
      const res = await s.as('user.anna').post('/api/v1/preview', { ...b, start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString() });
      expect(res.statusCode).toBe(200);
      const remote = res.json();
      expect({ diverts: local.diverts, reason: local.resolution.reason, key: local.code?.key ?? null, mode: local.forwardingMode, text: local.text }).toEqual({
        diverts: remote.diverts,
        reason: remote.reason,
        key: remote.code?.key ?? null,
        mode: remote.forwarding?.mode ?? null,
        text: remote.text,
      });
      expect(local.resolution).toEqual(resolveBooking(b, ctx));
    }
  } finally {
    await s.close();
  }
});

test('the language follows Outlook: English only for en-*', () => {
  expect(langFromDisplayLanguage('en-US')).toBe('en');
  expect(langFromDisplayLanguage('sv-SE')).toBe('sv');
  expect(langFromDisplayLanguage('fi-FI')).toBe('sv');
  expect(langFromDisplayLanguage(undefined)).toBe('sv');
});

test('a booking from 00:00 to 00:00 in the organisation zone counts as all-day (SPEC 8.1)', () => {
  const allDay = bookingOf(item({ start: Date.parse('2026-11-24T23:00:00Z'), end: Date.parse('2026-11-25T23:00:00Z') }));
  expect(allDay.isAllDay).toBe(true);
  expect(bookingOf(item()).isAllDay).toBe(false);
});
