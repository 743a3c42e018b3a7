/**
 * The browser harness (development and test builds only): the real task pane on an in-page
 * appointment. `window.harness.setItem({...})` / `getItem()` drive it from a test or a console;
 * `opened()` lists the booking ids Öppna (Bokningar som inte hänvisar) asked to open.
 * Query: ?lang=en, ?offline=1 (no endpoint), ?user=<dev user>&ext=<extension> (development sign-in;
 * the user id may have å, ä, ö: it is sent in NFC), ?start=<ISO instant> (default: today, the next
 * full hour, so that "Spara och synka" puts it among Aktiviteter's current and upcoming ones).
 */
import { boot } from '../boot';
import { whenOfficeReady } from '../office/ready';
import { type HarnessItem, MemoryAppointment, nextFullHour } from './memory';

declare global {
  interface Window {
    harness: {
      setItem(patch: Partial<Omit<HarnessItem, 'start' | 'end'>> & { start?: string | number; end?: string | number }): void;
      getItem(): Omit<HarnessItem, 'start' | 'end'> & { start: string; end: string };
      saves(): number;
      /** The booking ids Öppna asked to open, in order. */
      opened(): string[];
    };
  }
}

const q = new URLSearchParams(location.search);

const given = q.get('start') ? Date.parse(q.get('start') as string) : NaN;
const start = Number.isFinite(given) ? given : nextFullHour(Date.now());
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
  opened: () => [...port.opened],
};

// The real Office.onReady of the package's office.js (harness.html loads it): outside Outlook it
// resolves with no host, and the harness supplies the item itself.
whenOfficeReady(() =>
  boot(document.getElementById('root') as HTMLElement, {
    port,
    lang: q.get('lang') === 'en' ? 'en' : 'sv',
    baseUrl: q.get('offline') ? null : '',
    signIn: { naa: false },
    dev: { user: (q.get('user') ?? 'dev.user').normalize('NFC'), extension: q.get('ext') ?? '2000' },
  }),
);
