/**
 * The information bar of the launch events (issue 14): its one line from the pane's cached rules
 * or the defaults, and the handlers on office-addin-mock's Outlook item (read, replace one keyed
 * notification or remove it, always complete).
 */
import { OfficeMockObject } from 'office-addin-mock';
import { buildCatalog, DEFAULT_CATALOG } from '../../src/core/catalog';
import { DEFAULT_PROFILE, DEFAULT_SETTINGS } from '../../src/core/settings';
import { DEFAULT_LAUNCH_CONTEXT, INFO_ICON, INFO_KEY, INFO_MAX, infoBarMessage, LAUNCH_CACHE_KEY, LAUNCH_HANDLERS, launchCacheOf, type LaunchContext, parseLaunchCache } from '../../src/commands/launch';

const ZONE = 'Europe/Stockholm';
// Thursday 3 December 2026, 12:00–13:00 in Stockholm (UTC+1).
const NOON = Date.parse('2026-12-03T11:00:00Z');
const item = (subject: string, start = NOON, end = NOON + 3_600_000) => ({ subject, start, end });

function cached(patch: Partial<Parameters<typeof launchCacheOf>[0]> = {}): LaunchContext {
  const cache = launchCacheOf({ settings: DEFAULT_SETTINGS, profile: DEFAULT_PROFILE, shared: false, catalog: DEFAULT_CATALOG, timeZone: ZONE, ...patch }, Date.now());
  // Through JSON, as roamingSettings stores it.
  return parseLaunchCache(JSON.stringify(cache));
}

describe('infoBarMessage', () => {
  test('a code in force: the label, the MEX code and the return time, in each language', () => {
    expect(infoBarMessage(item('NP/L: Lunch'), DEFAULT_LAUNCH_CONTEXT, 'sv')).toBe('Hänvisning Lunch (0), åter 13.00');
    expect(infoBarMessage(item('NP/M: Styrelse'), DEFAULT_LAUNCH_CONTEXT, 'en')).toBe('Diversion In a meeting (3), back 13:00');
  });

  test('a return on another day names the day', () => {
    const mon = Date.parse('2026-11-30T07:00:00Z');
    const fri = Date.parse('2026-12-04T16:00:00Z');
    expect(infoBarMessage(item('NP/S: Semester', mon, fri), DEFAULT_LAUNCH_CONTEXT, 'sv')).toBe('Hänvisning Semester (6), åter fre 4 dec 17.00');
    expect(infoBarMessage(item('NP/S: Semester', mon, fri), DEFAULT_LAUNCH_CONTEXT, 'en')).toMatch(/^Diversion On vacation \(6\), back Fri 4 Dec 17:00$/);
  });

  test.each([
    ['NP/L lunch', 'NP/L hänvisar inte: kolon saknas'],
    ['NP\\L: lunch', 'NP\\L: hänvisar inte: koden är felskriven'],
    ['NP /M: styrelse', 'NP /M: hänvisar inte: mellanslag i koden'],
    ['NP/X: något', 'NP/X: hänvisar inte: okänd kod'],
    ['Lunch NP/L:', 'NP/L: hänvisar inte: koden står inte först'],
  ])('a near miss %j says why it will not divert', (subject, line) => {
    expect(infoBarMessage(item(subject), DEFAULT_LAUNCH_CONTEXT, 'sv')).toBe(line);
  });

  test('the English near miss', () => {
    expect(infoBarMessage(item('NP/L lunch'), DEFAULT_LAUNCH_CONTEXT, 'en')).toBe('NP/L does not divert: the colon is missing');
  });

  test('nothing for a booking without a code or near miss, unless the user has a default code', () => {
    expect(infoBarMessage(item('Styrelsemöte'), DEFAULT_LAUNCH_CONTEXT, 'sv')).toBeNull();
    expect(infoBarMessage(item(''), DEFAULT_LAUNCH_CONTEXT, 'sv')).toBeNull();
    const withDefault = cached({ settings: { ...DEFAULT_SETTINGS, defaultCode: 'M' } });
    expect(infoBarMessage(item('Styrelsemöte'), withDefault, 'sv')).toBe('Din standardkod Möte gäller för den här bokningen');
    expect(infoBarMessage(item(''), withDefault, 'en')).toBe('Your default code In a meeting applies to this booking');
  });

  test("the pane's cached rules count: a relabelled code, forwarding to a number, a soft diversion, coupling off", () => {
    const relabelled = cached({ catalog: buildCatalog([{ key: 'L', label: { sv: 'Lunchrast' } }]) });
    expect(infoBarMessage(item('NP/L: Lunch'), relabelled, 'sv')).toBe('Hänvisning Lunchrast (0), åter 13.00');
    const number = cached({ profile: { ...DEFAULT_PROFILE, lunch: { mode: 'number', number: '0701234567' } } });
    expect(infoBarMessage(item('NP/L: Lunch'), number, 'sv')).toBe('Hänvisning Lunch (0), kopplas till 0701234567, åter 13.00');
    const soft = cached({ settings: { ...DEFAULT_SETTINGS, soft: true } });
    expect(infoBarMessage(item('NP/L: Lunch'), soft, 'sv')).toBe('Hänvisning Lunch (0) (mjuk, telefonen ringer), åter 13.00');
    const off = cached({ settings: { ...DEFAULT_SETTINGS, enabled: false } });
    expect(infoBarMessage(item('NP/L: Lunch'), off, 'sv')).toBe('NP/L: hänvisar inte: kalenderkopplingen är avstängd');
  });

  test('the time zone comes from the cache', () => {
    const helsinki = cached({ timeZone: 'Europe/Helsinki' });
    expect(infoBarMessage(item('NP/L: Lunch'), helsinki, 'sv')).toBe('Hänvisning Lunch (0), åter 14.00');
  });

  test('never longer than Outlook takes', () => {
    // The longest label and number the endpoint accepts still fit whole.
    const long = cached({ catalog: buildCatalog([{ key: 'L', label: { sv: 'L'.repeat(60) } }]), profile: { ...DEFAULT_PROFILE, lunch: { mode: 'number', number: '+46701234567890' } } });
    const line = infoBarMessage(item('NP/L: Lunch'), long, 'sv')!;
    expect(line).toBe(`Hänvisning ${'L'.repeat(60)} (0), kopplas till +46701234567890, åter 13.00`);
    expect(line.length).toBeLessThanOrEqual(INFO_MAX);
  });
});

describe('parseLaunchCache', () => {
  test('a cache round-trips through JSON', () => {
    const ctx = cached({ settings: { ...DEFAULT_SETTINGS, language: 'en', defaultCode: 'M' }, shared: true, timeZone: 'Europe/Helsinki' });
    expect(ctx).toMatchObject({ cached: true, shared: true, timeZone: 'Europe/Helsinki', settings: { language: 'en', defaultCode: 'M' } });
    expect(ctx.catalog.get('L')?.label.sv).toBe('Lunch');
  });

  test.each([undefined, null, '', 'not json', '{"v":2}', JSON.stringify({ v: 1, codes: [{ key: 1 }] }), JSON.stringify({ v: 1, codes: [] })])(
    'unreadable %j gives the defaults',
    (raw) => {
      expect(parseLaunchCache(raw)).toBe(DEFAULT_LAUNCH_CONTEXT);
    },
  );

  test('invalid settings or zone in an otherwise good cache give the defaults, never a throw', () => {
    const good = launchCacheOf({ settings: DEFAULT_SETTINGS, profile: DEFAULT_PROFILE, shared: false, catalog: DEFAULT_CATALOG, timeZone: ZONE }, 0);
    expect(parseLaunchCache({ ...good, settings: { language: 'fi' } })).toBe(DEFAULT_LAUNCH_CONTEXT);
    expect(parseLaunchCache({ ...good, timeZone: 'Mars/Olympus' }).timeZone).toBe(ZONE);
  });
});

describe('the launch handlers on the Office.js mock', () => {
  type Cb = (r: { status: string; value?: unknown; error?: { name: string; message: string } }) => void;
  const ok = (value?: unknown) => ({ status: 'succeeded', value });

  function load(opts: { subject: string; roaming?: unknown; displayLanguage?: string; failRead?: boolean }) {
    const handlers = new Map<string, (event: { completed: () => void }) => Promise<void>>();
    const shown: Array<{ key: string; details?: Record<string, unknown>; removed?: boolean }> = [];
    const data = {
      AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
      MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: 'informationalMessage', ErrorMessage: 'errorMessage' } },
      actions: { associate: (name: string, fn: never) => handlers.set(name, fn) },
      onReady: () => Promise.resolve({ host: 'Outlook' }),
      context: {
        displayLanguage: opts.displayLanguage ?? 'sv-SE',
        roamingSettings: { get: (key: string) => (key === LAUNCH_CACHE_KEY ? opts.roaming : undefined) },
        mailbox: {
          item: {
            subject: { getAsync: (cb: Cb) => (opts.failRead ? cb({ status: 'failed', error: { name: 'GenericResponseError', message: 'x' } }) : cb(ok(opts.subject))) },
            start: { getAsync: (cb: Cb) => cb(ok(new Date(NOON))) },
            end: { getAsync: (cb: Cb) => cb(ok(new Date(NOON + 3_600_000))) },
            notificationMessages: {
              replaceAsync: (key: string, details: Record<string, unknown>, cb: Cb) => (shown.push({ key, details }), cb(ok())),
              removeAsync: (key: string, cb: Cb) => (shown.push({ key, removed: true }), cb(ok())),
            },
          },
        },
      },
    };
    // The enums stay plain values (officeAsync compares with them); the item is office-addin-mock's.
    (globalThis as { Office?: unknown }).Office = { ...data, context: { ...data.context, mailbox: { item: new OfficeMockObject(data.context.mailbox.item) } } };
    jest.isolateModules(() => {
      require('../../src/commands');
    });
    return { handlers, shown };
  }

  afterEach(() => {
    delete (globalThis as { Office?: unknown }).Office;
  });

  async function fire(h: ReturnType<typeof load>, name: string) {
    const completed = jest.fn();
    await h.handlers.get(name)!({ completed });
    expect(completed).toHaveBeenCalledTimes(1);
  }

  test('every launch handler is associated on load and sets one informational bar under one key', async () => {
    const h = load({ subject: 'NP/L lunch' });
    for (const name of Object.values(LAUNCH_HANDLERS)) {
      expect(h.handlers.has(name)).toBe(true);
      await fire(h, name);
    }
    expect(h.shown).toHaveLength(3);
    for (const s of h.shown) {
      expect(s.key).toBe(INFO_KEY);
      expect(s.details).toEqual({ type: 'informationalMessage', message: 'NP/L hänvisar inte: kolon saknas', icon: INFO_ICON, persistent: false });
    }
  });

  test('with nothing to say the bar is removed (an earlier line never stays wrong)', async () => {
    const h = load({ subject: 'Styrelsemöte' });
    await fire(h, LAUNCH_HANDLERS.OnAppointmentTimeChanged);
    expect(h.shown).toEqual([{ key: INFO_KEY, removed: true }]);
  });

  test("the cached user's language and default code win over Outlook's display language", async () => {
    const cache = launchCacheOf({ settings: { ...DEFAULT_SETTINGS, language: 'en', defaultCode: 'M' }, profile: DEFAULT_PROFILE, shared: false, catalog: DEFAULT_CATALOG, timeZone: ZONE }, 0);
    const h = load({ subject: '', roaming: JSON.stringify(cache), displayLanguage: 'sv-SE' });
    await fire(h, LAUNCH_HANDLERS.OnNewAppointmentOrganizer);
    expect(h.shown[0]?.details?.message).toBe('Your default code In a meeting applies to this booking');
  });

  test("without a cache, Outlook's display language", async () => {
    const h = load({ subject: 'NP/L: Lunch', displayLanguage: 'en-US' });
    await fire(h, LAUNCH_HANDLERS.OnNewAppointmentOrganizer);
    expect(h.shown[0]?.details?.message).toBe('Diversion Lunch (0), back 13:00');
  });

  test('a failing read shows nothing and still completes the event', async () => {
    const h = load({ subject: 'NP/L: Lunch', failRead: true });
    await fire(h, LAUNCH_HANDLERS.OnAppointmentRecurrenceChanged);
    expect(h.shown).toEqual([]);
  });
});
