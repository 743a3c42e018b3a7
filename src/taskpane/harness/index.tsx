/**
 * The browser harness (development and test builds only): the real task pane on an in-page
 * appointment. `window.harness.setItem({...})` / `getItem()` drive it from a test or a console.
 * Query: ?lang=en, ?offline=1 (no endpoint), ?user=<dev user>&ext=<extension> (development sign-in).
 */
import { boot } from '../boot';
import { type HarnessItem, MemoryAppointment } from './memory';

declare global {
  interface Window {
    harness: {
      setItem(patch: Partial<Omit<HarnessItem, 'start' | 'end'>> & { start?: string | number; end?: string | number }): void;
      getItem(): Omit<HarnessItem, 'start' | 'end'> & { start: string; end: string };
      saves(): number;
    };
  }
}

const q = new URLSearchParams(location.search);
const start = new Date('2026-11-24T11:00:00Z').getTime();
const port = new MemoryAppointment({
  subject: q.get('subject') ?? 'Lunch med Eva',
  start,
  end: start + 60 * 60_000,
  location: 'Matsalen',
  body: '',
  sensitivity: 'normal',
  mode: q.get('mode') === 'attendee' ? 'attendee' : 'organizer',
});

const toMs = (v: string | number | undefined) => (v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(v));

window.harness = {
  setItem(patch) {
    const { start: s, end: e, ...rest } = patch;
    const p: Partial<HarnessItem> = { ...rest };
    if (s !== undefined) p.start = toMs(s);
    if (e !== undefined) p.end = toMs(e);
    port.set(p);
  },
  getItem() {
    const it = port.get();
    return { ...it, start: new Date(it.start).toISOString(), end: new Date(it.end).toISOString() };
  },
  saves: () => port.saves,
};

boot(document.getElementById('root') as HTMLElement, {
  port,
  lang: q.get('lang') === 'en' ? 'en' : 'sv',
  baseUrl: q.get('offline') ? null : '',
  signIn: { naa: false },
  dev: { user: q.get('user') ?? 'dev.user', extension: q.get('ext') ?? '2000' },
});
