/**
 * @jest-environment jsdom
 */
/** Bokningar som inte hänvisar at the top of Hänvisning (issue 14), on a fake endpoint and the in-memory appointment. */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { DEFAULT_WORKDAY } from '../../src/core/time';
import { type BookingProblemJson, EndpointClient, type ProblemsAnswer } from '../../src/taskpane/api/client';
import { App } from '../../src/taskpane/components/App';
import { formatSpan, Problems } from '../../src/taskpane/components/Problems';
import { MemoryAppointment } from '../../src/taskpane/harness/memory';
import { TEXTS } from '../../src/taskpane/i18n';
import type { PaneContext } from '../../src/taskpane/usePane';

// jsdom has no ResizeObserver; Fluent's MessageBar only uses it to reflow long texts.
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};

const ZONE = 'Europe/Stockholm';

const NEAR_MISS: BookingProblemJson = {
  bookingId: 'AAMkNear=',
  start: '2026-12-03T10:00:00.000Z',
  end: '2026-12-03T11:00:00.000Z',
  isAllDay: false,
  kind: 'nearMiss',
  nearMiss: { kind: 'missingColon', key: 'L' },
  intended: 'L',
  message: { sv: 'Kolon saknas: menade du NP/L:?', en: 'The colon is missing: did you mean NP/L:?' },
};
const PRIVATE: BookingProblemJson = {
  bookingId: 'AAMkPriv/1+2=',
  start: '2026-12-07T23:00:00.000Z',
  end: '2026-12-08T23:00:00.000Z',
  isAllDay: true,
  kind: 'private',
  nearMiss: null,
  intended: 'S',
  message: { sv: 'Privat bokning: privata möten synkas inte enligt dina inställningar.', en: 'Private booking: private meetings are not synced with your settings.' },
};

const answer = (problems: BookingProblemJson[], more = false): ProblemsAnswer => ({ from: '2026-12-02T10:00:00.000Z', to: '2026-12-16T10:00:00.000Z', problems, more });

type Reply = { status: number; body: unknown };

/** A fake endpoint: the /me routes the pane connects with, and /me/problems answering `problems()` each time. */
function fakeEndpoint(problems: () => Reply) {
  const calls: { method: string; url: string }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ method: init.method ?? 'GET', url });
    const reply = (r: Reply) => ({ ok: r.status < 400, status: r.status, json: async () => r.body });
    const json = (body: unknown) => reply({ status: 200, body });
    if (url.endsWith('/api/v1/me')) return json({ oid: 'anna', linked: true, shared: false, extension: '1234', isAdmin: false, displayName: null });
    if (url.endsWith('/me/settings')) return json({ enabled: true, defaultCode: null, language: 'sv', soft: false, messageFields: { subject: true, location: false, body: false }, include: { free: false, private: false, tentative: false } });
    if (url.endsWith('/me/profile')) return json({ lunch: { mode: 'spoken', number: null }, goneForTheDay: { mode: 'spoken', number: null }, errand: { mode: 'spoken', number: null }, meeting: { mode: 'spoken', number: null }, dayOff: { mode: 'spoken', number: null }, absent: { mode: 'spoken', number: null }, forward: { mode: 'number', number: null } });
    if (url.endsWith('/catalog')) return json({ codes: [{ key: 'L', prefix: 'NP/L:', label: { sv: 'Lunch', en: 'Lunch' }, mex: 0, group: 'lunch', standardLength: { minutes: 60 } }], workday: DEFAULT_WORKDAY });
    if (url.endsWith('/me/problems')) return reply(problems());
    if (url.includes('/me/activities')) return json({ activities: [] });
    if (url.includes('/me/bookings/')) return json({ outcome: 'created', resolution: { diverts: true, reason: null } });
    return reply({ status: 404, body: { detail: 'no such route' } });
  }) as unknown as typeof fetch;
  return { calls, client: new EndpointClient('http://kk.test', async () => 'token', fetchFn) };
}

const start = Date.parse('2026-11-24T11:00:00Z');
const appointment = (subject: string) => new MemoryAppointment({ subject, start, end: start + 3_600_000, location: '', body: '', sensitivity: 'normal', mode: 'organizer' });
const problemCalls = (calls: { url: string }[]) => calls.filter((c) => c.url.endsWith('/me/problems')).length;

test('the day and time in the organisation\'s zone, as the pane writes them', () => {
  const s = Date.parse(NEAR_MISS.start);
  expect(formatSpan(s, Date.parse(NEAR_MISS.end), ZONE, 'sv')).toBe('tors 3 dec. 11:00–12:00');
  expect(formatSpan(s, Date.parse(NEAR_MISS.end), ZONE, 'en')).toBe('Thu 3 Dec 11:00–12:00');
  expect(formatSpan(s, s + 24 * 3_600_000, ZONE, 'sv')).toBe('tors 3 dec. 11:00 – fre 4 dec. 11:00');
  // All day: the end is the midnight after the last day.
  expect(formatSpan(Date.parse(PRIVATE.start), Date.parse(PRIVATE.end), ZONE, 'sv', true)).toBe('tis 8 dec.');
  expect(formatSpan(Date.parse(PRIVATE.start), Date.parse(PRIVATE.end) + 24 * 3_600_000, ZONE, 'en', true)).toBe('Tue 8 Dec – Wed 9 Dec');
});

test('a line per booking with its day and time and the reason in Swedish, under the heading, as a list', async () => {
  const { client } = fakeEndpoint(() => ({ status: 200, body: answer([NEAR_MISS, PRIVATE]) }));
  render(<Problems client={client} openItem={async () => undefined} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  const list = await screen.findByRole('list', { name: 'Bokningar som inte hänvisar' });
  expect(screen.getByRole('heading', { level: 3, name: 'Bokningar som inte hänvisar' })).toBeTruthy();
  const items = within(list).getAllByRole('listitem');
  expect(items.map((li) => within(li).getByTestId('problem-when').textContent)).toEqual(['tors 3 dec. 11:00–12:00', 'tis 8 dec., heldag']);
  expect(items.map((li) => within(li).getByTestId('problem-message').textContent)).toEqual(['Kolon saknas: menade du NP/L:?', 'Privat bokning: privata möten synkas inte enligt dina inställningar.']);
  expect(within(items[0] as HTMLElement).getByRole('button', { name: 'Öppna bokningen tors 3 dec. 11:00–12:00' }).textContent).toBe('Öppna');
  expect(screen.queryByTestId('problems-more')).toBeNull();
});

test('in English: the English heading, times and messages', async () => {
  const { client } = fakeEndpoint(() => ({ status: 200, body: answer([NEAR_MISS, PRIVATE], true) }));
  render(<Problems client={client} openItem={async () => undefined} t={TEXTS.en} lang="en" zone={ZONE} />);
  const list = await screen.findByRole('list', { name: 'Bookings that will not divert' });
  const items = within(list).getAllByRole('listitem');
  expect(items.map((li) => li.textContent)).toEqual(['Thu 3 Dec 11:00–12:00OpenThe colon is missing: did you mean NP/L:?', 'Tue 8 Dec, all dayOpenPrivate booking: private meetings are not synced with your settings.']);
  expect(screen.getByRole('button', { name: 'Open the booking Thu 3 Dec 11:00–12:00' })).toBeTruthy();
  // "more": the endpoint stopped at its limit, and says so as a line.
  expect(screen.getByTestId('problems-more').textContent).toBe('There are more: the first 2 are shown here.');
});

test('Öppna opens that booking through the port, with the stored id', async () => {
  const { client } = fakeEndpoint(() => ({ status: 200, body: answer([NEAR_MISS, PRIVATE]) }));
  const port = appointment('x');
  render(<Problems client={client} openItem={port.openItem.bind(port)} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  fireEvent.click(await screen.findByRole('button', { name: /^Öppna bokningen tis 8 dec/ }));
  await waitFor(() => expect(port.opened).toEqual(['AAMkPriv/1+2=']));
});

test('a failure to open says so quietly', async () => {
  const { client } = fakeEndpoint(() => ({ status: 200, body: answer([NEAR_MISS]) }));
  render(<Problems client={client} openItem={() => Promise.reject(new Error('no'))} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  fireEvent.click(await screen.findByRole('button', { name: /^Öppna/ }));
  await waitFor(() => expect(screen.getByTestId('problems-open-status').textContent).toBe('Kunde inte öppna bokningen i Outlook.'));
});

test('no Öppna where the port cannot open items', async () => {
  const { client } = fakeEndpoint(() => ({ status: 200, body: answer([NEAR_MISS]) }));
  render(<Problems client={client} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  await screen.findByTestId('problem');
  expect(screen.queryByRole('button')).toBeNull();
});

test('nothing at all when the list is empty, when not connected, or when the endpoint has no such route', async () => {
  const empty = fakeEndpoint(() => ({ status: 200, body: answer([]) }));
  const a = render(<Problems client={empty.client} openItem={async () => undefined} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  await waitFor(() => expect(problemCalls(empty.calls)).toBe(1));
  await new Promise((r) => setTimeout(r, 20));
  expect(a.container.innerHTML).toBe('');
  a.unmount();

  const b = render(<Problems client={null} openItem={async () => undefined} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  expect(b.container.innerHTML).toBe('');
  b.unmount();

  const old = fakeEndpoint(() => ({ status: 404, body: { detail: 'Not Found' } }));
  const c = render(<Problems client={old.client} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  await waitFor(() => expect(problemCalls(old.calls)).toBe(1));
  await new Promise((r) => setTimeout(r, 20));
  expect(c.container.innerHTML).toBe('');
});

test('a quiet error line when loading fails', async () => {
  const { client } = fakeEndpoint(() => ({ status: 500, body: { detail: 'boom' } }));
  render(<Problems client={client} t={TEXTS.sv} lang="sv" zone={ZONE} />);
  expect((await screen.findByTestId('problems-error')).textContent).toBe('Kunde inte hämta bokningarna som inte hänvisar.');
  expect(screen.queryByRole('list')).toBeNull();
  expect(screen.queryByRole('heading')).toBeNull();
});

test('in the pane: at the top of Hänvisning once connected, fetched again after Spara och synka and when the tab is shown again', async () => {
  let list = [NEAR_MISS];
  const f = fakeEndpoint(() => ({ status: 200, body: answer(list) }));
  const port = appointment('NP/L lunch');
  render(<App port={port} client={f.client} lang="sv" pollMs={50} />);
  const panel = screen.getByTestId('tab-panel');
  await waitFor(() => expect(within(panel).getAllByTestId('problem')).toHaveLength(1));
  // At the top: before the code picker.
  const problems = screen.getByTestId('problems');
  expect(problems.compareDocumentPosition(screen.getByTestId('code-picker')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  const before = problemCalls(f.calls);

  // The user fixes the subject and saves: the list is fetched again and the line is gone.
  list = [];
  fireEvent.change(screen.getByTestId('code-picker'), { target: { value: 'L' } });
  await waitFor(() => expect(port.get().subject).toBe('NP/L: lunch'));
  fireEvent.click(screen.getByRole('button', { name: 'Spara och synka' }));
  await waitFor(() => expect(screen.getByTestId('sync-status').textContent).toBe('Synkad med din anknytning.'));
  await waitFor(() => expect(screen.queryByTestId('problems')).toBeNull());
  expect(problemCalls(f.calls)).toBeGreaterThan(before);
  await new Promise((r) => setTimeout(r, 100));
  const afterSave = problemCalls(f.calls);

  // Another tab, then Hänvisning again: fetched anew.
  list = [PRIVATE];
  fireEvent.click(screen.getByRole('tab', { name: 'Aktiviteter' }));
  await waitFor(() => expect(screen.queryByTestId('code-picker')).toBeNull());
  fireEvent.click(screen.getByRole('tab', { name: 'Hänvisning' }));
  await waitFor(() => expect(screen.getAllByTestId('problem-when').map((e) => e.textContent)).toEqual(['tis 8 dec., heldag']));
  expect(problemCalls(f.calls)).toBe(afterSave + 1);

  // The harness port has openItem: Öppna opens the booking.
  fireEvent.click(screen.getByRole('button', { name: /^Öppna bokningen/ }));
  await waitFor(() => expect(port.opened).toEqual(['AAMkPriv/1+2=']));
});

test('a port without openItem: the pane shows the lines without Öppna', async () => {
  const f = fakeEndpoint(() => ({ status: 200, body: answer([NEAR_MISS]) }));
  const full = appointment('x');
  const port = { mode: full.mode, read: () => full.read(), setSubject: (s: string) => full.setSubject(s), saveAndGetRestId: () => full.saveAndGetRestId(), restId: () => full.restId(), onChange: (l: () => void) => full.onChange(l) };
  render(<App port={port} client={f.client} lang="sv" pollMs={50} />);
  await screen.findByTestId('problem');
  expect(screen.queryByRole('button', { name: /^Öppna bokningen/ })).toBeNull();
});

test('onContext is told the context once connected (never the organisation defaults), and not again for a new callback', async () => {
  const f = fakeEndpoint(() => ({ status: 200, body: answer([]) }));
  const seen: [PaneContext, unknown][] = [];
  const port = appointment('x');
  const view = render(<App port={port} client={f.client} lang="sv" pollMs={50} onContext={(ctx, me) => seen.push([ctx, me])} />);
  await waitFor(() => expect(seen).toHaveLength(1));
  const [ctx, me] = seen[0] as [PaneContext, unknown];
  expect(ctx.settings.messageFields).toEqual({ subject: true, location: false, body: false });
  expect(ctx.catalog.find('L')?.prefix).toBe('NP/L:');
  expect(ctx.catalog.find('M')).toBeUndefined(); // the endpoint's catalog, not the defaults
  expect(ctx.timeZone).toBe(DEFAULT_WORKDAY.timeZone);
  expect(me).toMatchObject({ oid: 'anna', linked: true });
  view.rerender(<App port={port} client={f.client} lang="sv" pollMs={50} onContext={(c, m) => seen.push([c, m])} />);
  await new Promise((r) => setTimeout(r, 120));
  expect(seen).toHaveLength(1);

  // Without the endpoint it is never called.
  const none: unknown[] = [];
  render(<App port={appointment('y')} client={null} lang="sv" pollMs={50} onContext={(c) => none.push(c)} />);
  await new Promise((r) => setTimeout(r, 60));
  expect(none).toEqual([]);
});
