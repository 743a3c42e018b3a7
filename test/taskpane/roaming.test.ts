/** The pane's cache for the launch-event handlers in roamingSettings: written when it changed, read back by the handlers. */
import { LAUNCH_CACHE_KEY, parseLaunchCache } from '../../src/commands/launch';
import { DEFAULT_CATALOG } from '../../src/core/catalog';
import { DEFAULT_PROFILE, DEFAULT_SETTINGS } from '../../src/core/settings';
import { DEFAULT_WORKDAY } from '../../src/core/time';
import { saveLaunchCache } from '../../src/taskpane/office/roaming';
import type { PaneContext } from '../../src/taskpane/usePane';

function roaming() {
  const store = new Map<string, unknown>();
  let saves = 0;
  const rs = { get: (k: string) => store.get(k), set: (k: string, v: unknown) => store.set(k, v), saveAsync: (cb: () => void) => (saves++, cb()) };
  return { office: { context: { roamingSettings: rs } } as unknown as typeof Office, store, saves: () => saves };
}

const ctx: PaneContext = { settings: { ...DEFAULT_SETTINGS, defaultCode: 'M', language: 'en' }, profile: DEFAULT_PROFILE, shared: false, catalog: DEFAULT_CATALOG, timeZone: 'Europe/Helsinki', workday: DEFAULT_WORKDAY };

test('the context is saved once, then only when it changes', () => {
  const r = roaming();
  expect(saveLaunchCache(ctx, r.office, 1000)).toBe(true);
  expect(saveLaunchCache(ctx, r.office, 2000)).toBe(false);
  expect(r.saves()).toBe(1);
  expect(saveLaunchCache({ ...ctx, shared: true }, r.office, 3000)).toBe(true);
  expect(r.saves()).toBe(2);
});

test('what the pane saves is what the handlers read', () => {
  const r = roaming();
  saveLaunchCache(ctx, r.office, 1000);
  const read = parseLaunchCache(r.store.get(LAUNCH_CACHE_KEY));
  expect(read).toMatchObject({ cached: true, timeZone: 'Europe/Helsinki', settings: { defaultCode: 'M', language: 'en' } });
  expect(JSON.stringify(r.store.get(LAUNCH_CACHE_KEY)).length).toBeLessThan(32 * 1024);
});

test('a host without roamingSettings is left alone', () => {
  expect(saveLaunchCache(ctx, { context: {} } as unknown as typeof Office)).toBe(false);
});

test('an unreadable earlier value is replaced', () => {
  const r = roaming();
  r.store.set(LAUNCH_CACHE_KEY, '{broken');
  expect(saveLaunchCache(ctx, r.office, 1)).toBe(true);
  expect(parseLaunchCache(r.store.get(LAUNCH_CACHE_KEY)).cached).toBe(true);
});
