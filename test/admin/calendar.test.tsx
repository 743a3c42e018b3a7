/**
 * @jest-environment jsdom
 */
/** Kalendersynk (per user, Synka om, not configured), the directory's dry run then apply, and the Journal's extension filter. */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { CalendarPage } from '../../src/admin/pages/calendar/CalendarPage';
import { JournalPage } from '../../src/admin/pages/journal/JournalPage';
import type { GoogleUser } from '../../src/admin/pages/calendar/GoogleSection';
import type { CalendarStatus, CalendarUser, DirectoryStatus, DirectorySync } from '../../src/admin/types';
import { fakeEndpoint, problem } from './fake';

jest.setTimeout(30_000);

const ONE = 'kk-1:4711:1a2b3c4d';

const user = (oid: string, extension: string | null, extra: Partial<CalendarUser> = {}): CalendarUser => ({
  oid,
  extension,
  lastSuccessAt: '2026-11-24T10:00:00Z',
  lastError: null,
  lastErrorAt: null,
  lagSeconds: 12,
  lastRoundLagMs: 800,
  windowStart: null,
  windowEnd: null,
  subscriptionActive: true,
  subscriptionExpiresAt: '2026-11-26T10:00:00Z',
  process: ONE,
  ...extra,
});

const google = (oid: string, email: string, extension: string, extra: Partial<GoogleUser> = {}): GoogleUser => ({
  oid,
  extension,
  email,
  lastSuccessAt: '2026-11-24T10:00:00Z',
  lastError: null,
  lastErrorAt: null,
  lagSeconds: 30,
  lastRoundLagMs: 400,
  channelActive: true,
  channelExpiresAt: '2026-12-01T10:00:00Z',
  process: ONE,
  ...extra,
});

/** One endpoint process (as on SQLite), reading every calendar. */
const process1 = (graphUsers: number, googleUsers: number): CalendarStatus['processes'][number] => ({
  name: ONE,
  host: 'kk-1',
  pid: 4711,
  startedAt: '2026-11-24T08:00:00Z',
  heartbeatAt: '2026-11-24T10:00:00Z',
  graphUsers,
  googleUsers,
});

const GOOGLE_OFF: CalendarStatus['google'] = { enabled: false, notifications: false, users: [] };

test('Kalendersynk lists each user with lag, last error and subscription; Synka om names the user and starts over; the directory runs dry, then applies', async () => {
  let dryRuns = 0;
  const f = fakeEndpoint({
    'GET /api/v1/admin/calendar': (): CalendarStatus => ({
      enabled: true,
      notifications: false,
      users: [user('oid-anna', '1021'), user('oid-bo', '1030', { lastError: 'Graph 429', lastErrorAt: '2026-11-24T10:05:00Z', lagSeconds: 600, subscriptionActive: false })],
      processes: [process1(2, 0)],
      thisProcess: ONE,
      google: GOOGLE_OFF,
    }),
    'POST /api/v1/admin/calendar/oid-bo/resync': () => ({ oid: 'oid-bo', resyncing: true }),
    'GET /api/v1/admin/directory': (): DirectoryStatus => ({ enabled: true, attribute: 'businessPhones', digits: 4, syncAt: '03:00', lastRunAt: null, lastRun: null }),
    'POST /api/v1/admin/directory/sync': (r): DirectorySync => {
      const { dryRun } = r.body as { dryRun: boolean };
      if (dryRun) dryRuns++;
      return {
        attribute: 'businessPhones',
        ranAt: '2026-11-24T12:00:00Z',
        dryRun,
        summary: { linked: 1, changed: 0, unchanged: 7, skipped: 1 },
        changes: [{ oid: 'oid-carl', displayName: 'Carl Ek', upn: 'carl@kommun.se', before: null, after: '1050' }],
        skipped: [{ oid: 'oid-dan', upn: 'dan@kommun.se', reason: 'duplicate' }],
      };
    },
  });
  render(<CalendarPage client={f.client} lang="sv" />);
  const table = await screen.findByTestId('calendar-table');
  expect(screen.getByText('Ändringsnotiser är inte konfigurerade: kalendrarna läses med jämna mellanrum.')).toBeTruthy();
  const bo = within(table).getAllByTestId('calendar-row')[1]!;
  const cells = within(bo).getAllByRole('cell').map((c) => c.textContent);
  expect(cells[1]).toBe('1030');
  expect(cells[3]).toBe('10 min');
  expect(cells[4]).toMatch(/^Graph 429 \(2026-11-24 \d\d:05\)$/);
  expect(cells[5]).toBe('Ingen prenumeration');
  fireEvent.click(within(bo).getByRole('button', { name: 'Synka om: 1030' }));
  await screen.findByText('Kalendern för 1030 synkas om från början.');
  expect(f.to('POST /api/v1/admin/calendar/oid-bo/resync')).toHaveLength(1);

  const dir = within(screen.getByRole('region', { name: 'Katalogen (Entra ID)' }));
  expect(dir.getByText('Anknytningen läses från attributet businessPhones.')).toBeTruthy();
  expect(dir.getByText('Anknytningen är de sista 4 siffrorna i värdet.')).toBeTruthy();
  expect(dir.getByText('Hämtas varje dag klockan 03:00.')).toBeTruthy();
  expect(dir.getByText('Inte hämtat ännu.')).toBeTruthy();
  const apply = dir.getByRole('button', { name: 'Verkställ' }) as HTMLButtonElement;
  expect(apply.disabled).toBe(true);
  fireEvent.click(dir.getByRole('button', { name: 'Hämta från katalogen' }));
  await dir.findByText('Provkörning: 1 ändring. Inget är sparat ännu.');
  expect(within(dir.getByTestId('directory-changes')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Carl Ek', '—', '1050']);
  expect(within(dir.getByTestId('directory-skipped')).getAllByRole('cell').map((c) => c.textContent)).toEqual([
    'dan@kommun.se',
    'Flera användare skulle få samma anknytning (och alla är inte markerade som delad anknytning).',
  ]);
  expect(dir.getByTestId('directory-summary').textContent).toBe('Kopplas: 1 · Byter anknytning: 0 · Oförändrade: 7 · Hoppas över: 1');
  expect(apply.disabled).toBe(false);
  fireEvent.click(apply);
  await dir.findByText('Verkställt: 1 ändring sparades.');
  expect(f.to('POST /api/v1/admin/directory/sync').map((c) => c.body)).toEqual([{ dryRun: true }, { dryRun: false }]);
  expect(dryRuns).toBe(1);
});

test('calendar sync and the directory not configured: the page says so and lists nothing; a resync refused with 409 says calendar sync is off', async () => {
  const f = fakeEndpoint({
    'GET /api/v1/admin/calendar': (): CalendarStatus => ({ enabled: false, notifications: false, users: [], processes: [process1(0, 0)], thisProcess: ONE, google: GOOGLE_OFF }),
    'GET /api/v1/admin/directory': (): DirectoryStatus => ({ enabled: false, attribute: null, digits: 0, syncAt: null, lastRunAt: null, lastRun: null }),
  });
  const first = render(<CalendarPage client={f.client} lang="en" />);
  await screen.findByText(/Calendar sync is not configured.*docs\/admin\.md/);
  await screen.findByText('Fetching extensions from the directory is not configured.');
  expect(screen.queryByTestId('calendar-table')).toBeNull();
  expect(screen.queryByRole('button', { name: 'Fetch from the directory' })).toBeNull();
  first.unmount();

  const g = fakeEndpoint({
    'GET /api/v1/admin/calendar': (): CalendarStatus => ({ enabled: true, notifications: true, users: [user('oid-anna', '1021')], processes: [process1(1, 0)], thisProcess: ONE, google: GOOGLE_OFF }),
    'POST /api/v1/admin/calendar/oid-anna/resync': () => problem(409, 'Calendar sync is off.'),
    'GET /api/v1/admin/directory': (): DirectoryStatus => ({ enabled: false, attribute: null, digits: 0, syncAt: null, lastRunAt: null, lastRun: null }),
  });
  render(<CalendarPage client={g.client} lang="en" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Resync: 1021' }));
  await screen.findByText('Calendar sync is off.');
});

test('Journal: the newest 200, filtered by extension; the state said as a code and its return, or Ingen hänvisning', async () => {
  const f = fakeEndpoint({
    'GET /api/v1/admin/switch': (r) => {
      const all = [
        { extension: '1021', version: 2, state: null, at: '2026-11-24T12:00:00Z' },
        { extension: '1021', version: 1, state: { code: 'L', mex: 0, label: 'Lunch', forwarding: 'spoken', number: null, soft: false, returnAt: null }, at: '2026-11-24T11:00:00Z' },
        { extension: '1030', version: 1, state: null, at: '2026-11-24T10:00:00Z' },
      ];
      const ext = r.query.get('extension');
      return { entries: ext ? all.filter((e) => e.extension === ext) : all };
    },
  });
  render(<JournalPage client={f.client} lang="sv" debounceMs={0} />);
  const table = await screen.findByTestId('journal-table');
  expect(within(table).getAllByTestId('journal-row')).toHaveLength(3);
  expect(f.to('GET /api/v1/admin/switch')[0]!.query.get('limit')).toBe('200');
  fireEvent.change(screen.getByRole('textbox', { name: 'Anknytning' }), { target: { value: '1021' } });
  await waitFor(() => expect(screen.getAllByTestId('journal-row')).toHaveLength(2));
  expect(f.to('GET /api/v1/admin/switch').at(-1)!.query.get('extension')).toBe('1021');
  const [newest, older] = screen.getAllByTestId('journal-row').map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
  expect(newest!.slice(1)).toEqual(['1021', '2', 'Ingen hänvisning']);
  expect(older!.slice(1)).toEqual(['1021', '1', 'Lunch (L, MEX 0) Tills vidare']);
});

test('Google calendars (issue 17): each user read from Google with e-mail, lag, last error and push channel; Synka om names the address', async () => {
  const f = fakeEndpoint({
    'GET /api/v1/admin/calendar': (): CalendarStatus => ({
      enabled: false,
      notifications: false,
      users: [],
      processes: [process1(0, 2)],
      thisProcess: ONE,
      google: { enabled: true, notifications: true, users: [google('oid-anna', 'anna@skola.se', '1021'), google('oid-erik', 'erik@skola.se', '1022', { lastError: 'HTTP 403 rateLimitExceeded', lastErrorAt: '2026-11-24T10:05:00Z', channelActive: false })] },
    }),
    'POST /api/v1/admin/calendar/oid-erik/resync': () => ({ oid: 'oid-erik', resyncing: true }),
    'GET /api/v1/admin/directory': (): DirectoryStatus => ({ enabled: false, attribute: null, digits: 0, syncAt: null, lastRunAt: null, lastRun: null }),
  });
  render(<CalendarPage client={f.client} lang="sv" />);
  const region = within(await screen.findByRole('region', { name: 'Google-kalendrar' }));
  // Graph is off here; Google still shows.
  expect(screen.getByText(/Kalendersynk är inte konfigurerad/)).toBeTruthy();
  expect(region.getByText('Pushnotiser från Google är på: ändringar syns inom några sekunder.')).toBeTruthy();
  const rows = within(region.getByTestId('google-table')).getAllByTestId('google-row');
  const cells = within(rows[1]!).getAllByRole('cell').map((c) => c.textContent);
  expect(cells.slice(0, 2)).toEqual(['erik@skola.se', '1022']);
  expect(cells[4]).toMatch(/^HTTP 403 rateLimitExceeded \(2026-11-24 \d\d:05\)$/);
  expect(cells[5]).toBe('Ingen pushkanal');
  fireEvent.click(region.getByRole('button', { name: 'Synka om: erik@skola.se' }));
  await screen.findByText('Kalendern för erik@skola.se synkas om från början.');
  expect(f.to('POST /api/v1/admin/calendar/oid-erik/resync')).toHaveLength(1);
});

test('processes (issue 18): each Graph and Google row names the process reading it, or Ingen just nu; Processer lists every process with its counts and marks the one that answered', async () => {
  const TWO = 'kk-2:5120:9f8e7d6c';
  const body: CalendarStatus = {
    enabled: true,
    notifications: true,
    users: [user('oid-anna', '1021'), user('oid-bo', '1030', { process: null }), user('oid-cia', '1040', { process: TWO })],
    processes: [
      { ...process1(1, 0), heartbeatAt: '2026-11-24T10:07:00Z' },
      { name: TWO, host: 'kk-2', pid: 5120, startedAt: '2026-11-24T09:00:00Z', heartbeatAt: '2026-11-24T10:08:00Z', graphUsers: 1, googleUsers: 1 },
    ],
    thisProcess: TWO,
    google: { enabled: true, notifications: false, users: [google('oid-erik', 'erik@skola.se', '1022', { process: TWO }), google('oid-fia', 'fia@skola.se', '1023', { process: null })] },
  };
  const f = fakeEndpoint({
    'GET /api/v1/admin/calendar': () => body,
    'GET /api/v1/admin/directory': (): DirectoryStatus => ({ enabled: false, attribute: null, digits: 0, syncAt: null, lastRunAt: null, lastRun: null }),
  });
  const first = render(<CalendarPage client={f.client} lang="sv" />);
  const table = await screen.findByTestId('calendar-table');
  const headers = within(table).getAllByRole('columnheader').map((c) => c.textContent);
  expect(headers[6]).toBe('Process');
  const processOf = (rows: HTMLElement[]) => rows.map((r) => within(r).getAllByRole('cell')[6]!.textContent);
  expect(processOf(within(table).getAllByTestId('calendar-row'))).toEqual([ONE, 'Ingen just nu', TWO]);
  const googleTable = screen.getByTestId('google-table');
  expect(within(googleTable).getAllByRole('columnheader').map((c) => c.textContent)[6]).toBe('Process');
  expect(processOf(within(googleTable).getAllByTestId('google-row'))).toEqual([TWO, 'Ingen just nu']);

  const region = within(screen.getByRole('region', { name: 'Processer' }));
  expect(region.getByText('Med flera processer på PostgreSQL läses varje kalender av en av dem, och en process som slutar ersätts inom en minut.')).toBeTruthy();
  // Each process: its name (marked when it answered), then host, pid, heartbeat and counts.
  const lines = (li: HTMLElement) => Array.from(li.children).map((c) => c.textContent);
  const rows = region.getAllByRole('listitem').map(lines);
  expect(rows).toEqual([
    [ONE, expect.stringMatching(/^kk-1, pid 4711 · Senaste livstecken: 2026-11-24 \d\d:07 · Outlook-kalendrar: 1 · Google-kalendrar: 0$/)],
    [`${TWO} (svarade)`, expect.stringMatching(/^kk-2, pid 5120 · Senaste livstecken: 2026-11-24 \d\d:08 · Outlook-kalendrar: 1 · Google-kalendrar: 1$/)],
  ]);
  expect(region.queryByText(`${ONE} (svarade)`)).toBeNull();
  first.unmount();

  // In English, and with one process (as on SQLite): it is still listed, answering and reading all.
  body.processes = [process1(3, 1)];
  body.thisProcess = ONE;
  render(<CalendarPage client={f.client} lang="en" />);
  const en = within(await screen.findByRole('region', { name: 'Processes' }));
  expect(en.getAllByRole('listitem').map(lines)).toEqual([
    [`${ONE} (answered)`, expect.stringMatching(/^kk-1, pid 4711 · Last heartbeat: 2026-11-24 \d\d:00 · Outlook calendars: 3 · Google calendars: 1$/)],
  ]);
  expect(within(screen.getByTestId('calendar-table')).getAllByText('None right now')).toHaveLength(1);
});
