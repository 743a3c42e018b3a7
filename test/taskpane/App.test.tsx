/**
 * @jest-environment jsdom
 */
/** The pane with an in-memory appointment (no Office.js) and a fake endpoint client. */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { App } from '../../src/taskpane/components/App';
import { EndpointClient } from '../../src/taskpane/api/client';
import { MemoryAppointment, nextFullHour } from '../../src/taskpane/harness/memory';
import { Preview } from '../../src/taskpane/components/Preview';
import { TEXTS } from '../../src/taskpane/i18n';
import type { ItemSnapshot } from '../../src/taskpane/port';
import { computePreview, type PreviewContext, type PreviewNote } from '../../src/taskpane/preview';
import type { Pane } from '../../src/taskpane/usePane';
import { DEFAULT_CATALOG } from '../../src/core/catalog';
import { DEFAULT_WORKDAY } from '../../src/core/time';
import { DEFAULT_PROFILE, DEFAULT_SETTINGS } from '../../src/core/settings';

// jsdom has no ResizeObserver; Fluent's MessageBar only uses it to reflow long texts.
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};

const start = Date.parse('2026-11-24T11:00:00Z');
const appointment = (subject: string, patch: Partial<ConstructorParameters<typeof MemoryAppointment>[0]> = {}) =>
  new MemoryAppointment({ subject, start, end: start + 3_600_000, location: 'Matsalen', body: '', sensitivity: 'normal', mode: 'organizer', ...patch });

const byId = (id: string) => screen.getByTestId(id);
const CTX: PreviewContext = { settings: DEFAULT_SETTINGS, profile: DEFAULT_PROFILE, shared: false, catalog: DEFAULT_CATALOG, timeZone: 'Europe/Stockholm' };
const snapshot = (subject: string): ItemSnapshot => ({ subject, start, end: start + 3_600_000, location: '', body: '', sensitivity: 'normal', mode: 'organizer', itemId: null, recurrence: null });

test('picking a code rewrites the subject and the preview follows; "Ingen hänvisning" removes it', async () => {
  const port = appointment('Lunch med Eva');
  render(<App port={port} client={null} lang="sv" pollMs={50} />);
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('–'));
  expect(byId('sync-status').textContent).toMatch(/Inte ansluten/);
  const picker = byId('code-picker') as HTMLSelectElement;
  expect(picker).toHaveProperty('value', '');
  fireEvent.change(picker, { target: { value: 'L' } });
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('0'));
  expect(port.get().subject).toBe('NP/L: Lunch med Eva');
  expect(byId('preview-label').textContent).toBe('Lunch');
  expect(byId('preview-forwarding').textContent).toBe('Talad hänvisning');
  expect(byId('preview-spoken').textContent).toBe('Lunch. Åter klockan 13.00.');
  expect(byId('preview-colleagues').textContent).toBe('Lunch ➔ 13:00');
  expect(byId('preview-text').textContent).toBe('dold');
  fireEvent.change(picker, { target: { value: '' } });
  await waitFor(() => expect(port.get().subject).toBe('Lunch med Eva'));
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('–'));
});

test('a subject typed in Outlook is picked up by the poll', async () => {
  const port = appointment('');
  render(<App port={port} client={null} lang="en" pollMs={20} />);
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('–'));
  act(() => port.set({ subject: 'NP/Sj: influensa' }));
  await waitFor(() => expect(byId('preview-label').textContent).toBe('Sick'));
  expect(byId('preview-mex').textContent).toBe('9');
});

test('a private booking shows the reason and the fix opens the setting', async () => {
  const port = appointment('NP/M: Styrelse', { sensitivity: 'private' });
  render(<App port={port} client={null} lang="sv" pollMs={50} />);
  const reason = await screen.findByTestId('preview-reason');
  expect(reason.textContent).toMatch(/privat/);
  fireEvent.click(within(reason).getByRole('button'));
  // The settings tab is its own chunk (React.lazy): allow for loading it.
  const box = await screen.findByRole('checkbox', { name: 'Visa möten som markerats som "Privata"' }, { timeout: 15_000 });
  await waitFor(() => expect(box).toBe(document.activeElement));
});

test('a near miss offers the canonical prefix right with its warning, and applying it rewrites the subject', async () => {
  const port = appointment('NP/L lunch');
  render(<App port={port} client={null} lang="sv" pollMs={50} />);
  const reason = await screen.findByTestId('preview-reason');
  // The reason says why; the fix sits with the warning that says "Menade du NP/L:?", and only there.
  expect(within(reason).queryByRole('button')).toBeNull();
  const warning = screen.getByTestId('preview-warning');
  expect(warning.textContent).toMatch(/Kolon saknas.*Menade du NP\/L:/);
  expect(screen.getAllByRole('button', { name: /Rätta ämnet/ })).toHaveLength(1);
  fireEvent.click(within(warning).getByRole('button', { name: 'Rätta ämnet: NP/L: lunch' }));
  await waitFor(() => expect(port.get().subject).toBe('NP/L: lunch'));
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('0'));
});

test('attendees see the preview but cannot change the code', async () => {
  const port = appointment('NP/L: Lunch', { mode: 'attendee' });
  render(<App port={port} client={null} lang="sv" pollMs={50} />);
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('0'));
  expect(byId('code-picker')).toHaveProperty('disabled', true);
});

test('the pane has five tabs, Kollegor among them', async () => {
  render(<App port={appointment('')} client={null} lang="sv" pollMs={50} />);
  expect(screen.getAllByRole('tab')).toHaveLength(5);
  for (const name of ['Hänvisning', 'Aktiviteter', 'Snabbval', 'Kollegor', 'Inställningar']) expect(screen.getByRole('tab', { name })).toBeTruthy();
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('–'));
});

test('every warning with a subject fix has its own button, and each button applies its own subject', async () => {
  const warnings: PreviewNote[] = [
    { id: 'w0-nearMiss.notAtStart', text: 'Koden måste stå först i ämnet', fix: { kind: 'applySubject', subject: 'NP/L: Lunch' } },
    { id: 'w1-nonCanonical', text: 'Koden fungerar, men skrivs så här', fix: { kind: 'applySubject', subject: 'NP/M: Styrelse' } },
    { id: 'w2-privateNoText', text: 'Ingen text', fix: null },
  ];
  const applied: string[] = [];
  const model = { ...computePreview(snapshot('Lunch NP/L:'), CTX, 'sv'), reasons: [{ id: 'r-noPrefix', text: 'Ingen kod', fix: null }], warnings };
  const pane = { item: snapshot('Lunch NP/L:'), ctx: CTX, preview: model, connection: 'notConnected', me: null, sync: { kind: 'idle' }, editError: null, applySubject: async (s: string) => void applied.push(s) } as unknown as Pane;
  render(<Preview pane={pane} t={TEXTS.sv} lang="sv" onOpenSettings={() => undefined} />);
  const bars = screen.getAllByTestId('preview-warning');
  expect(bars.map((b) => within(b).queryByRole('button')?.textContent ?? null)).toEqual(['Rätta ämnet: NP/L: Lunch', 'Rätta ämnet: NP/M: Styrelse', null]);
  expect(within(screen.getByTestId('preview-reason')).queryByRole('button')).toBeNull();
  fireEvent.click(within(bars[1] as HTMLElement).getByRole('button'));
  fireEvent.click(within(bars[0] as HTMLElement).getByRole('button'));
  expect(applied).toEqual(['NP/M: Styrelse', 'NP/L: Lunch']);
});

test('the pane says why it cannot sign in when the development user id is refused', async () => {
  render(<App port={appointment('')} client={null} lang="sv" pollMs={50} signInProblem={{ kind: 'devUserRefused', user: 'åsa.öberg' }} />);
  expect(byId('signin-problem').textContent).toBe('Kunde inte logga in som utvecklingsanvändaren "åsa.öberg": servern godtar inte det användar-id:t.');
  await waitFor(() => expect(byId('preview-mex').textContent).toBe('–'));
});

test('the harness appointment starts at the next full hour', () => {
  const at = new Date(2026, 11, 2, 9, 20, 15).getTime();
  expect(new Date(nextFullHour(at))).toEqual(new Date(2026, 11, 2, 10, 0, 0));
  expect(new Date(nextFullHour(new Date(2026, 11, 2, 10, 0, 0).getTime()))).toEqual(new Date(2026, 11, 2, 11, 0, 0));
});

function fakeEndpoint(stored: unknown[] = [], language: 'sv' | 'en' = 'sv') {
  const calls: { method: string; url: string; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const fakeFetch = (async (url: string, init: RequestInit) => {
    calls.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    // jsdom has no fetch Response; the client needs only ok, status and json().
    const json = (b: unknown) => ({ ok: true, status: 200, json: async () => b });
    if (url.endsWith('/api/v1/me')) return json({ oid: 'anna', linked: true, shared: false, extension: '1234', isAdmin: false, displayName: null });
    if (url.endsWith('/me/settings')) return json({ enabled: true, defaultCode: null, language, soft: false, messageFields: { subject: true, location: false, body: false }, include: { free: false, private: false, tentative: false } });
    if (url.endsWith('/me/profile')) return json({ lunch: { mode: 'spoken', number: null }, goneForTheDay: { mode: 'spoken', number: null }, errand: { mode: 'spoken', number: null }, meeting: { mode: 'spoken', number: null }, dayOff: { mode: 'spoken', number: null }, absent: { mode: 'spoken', number: null }, forward: { mode: 'number', number: null } });
    if (url.endsWith('/catalog')) return json({ codes: [{ key: 'L', prefix: 'NP/L:', label: { sv: 'Lunch', en: 'Lunch' }, mex: 0, group: 'lunch', standardLength: { minutes: 60 } }], workday: DEFAULT_WORKDAY });
    if (url.includes('/me/activities')) return json({ activities: stored });
    if (url.includes('/me/bookings/')) return json({ outcome: 'created', resolution: { diverts: true, reason: null } });
    return { ok: false, status: 404, json: async () => ({ detail: 'no such route' }) };
  }) as unknown as typeof fetch;
  return { calls, client: new EndpointClient('http://kk.test', async () => 'token', fakeFetch) };
}

test('Spara och synka saves the item and puts the booking under its REST id', async () => {
  const { calls, client } = fakeEndpoint();
  const port = appointment('NP/L: Lunch med Eva');
  render(<App port={port} client={client} lang="sv" pollMs={50} />);
  await waitFor(() => expect(byId('sync-status').textContent).toBe('Ansluten.'));
  // The user's own settings (message field "Ämne") now drive the preview.
  await waitFor(() => expect(byId('preview-text').textContent).toBe('Lunch med Eva'));
  fireEvent.click(screen.getByRole('button', { name: 'Spara och synka' }));
  await waitFor(() => expect(byId('sync-status').textContent).toBe('Synkad med din anknytning.'));
  expect(port.saves).toBe(1);
  const put = calls.find((c) => c.method === 'PUT') as (typeof calls)[number];
  expect(put.url).toBe(`http://kk.test/api/v1/me/bookings/${port.get().itemId}`);
  expect(put.body).toMatchObject({ subject: 'NP/L: Lunch med Eva', start: '2026-11-24T11:00:00.000Z', end: '2026-11-24T12:00:00.000Z', showAs: 'busy' });
});

test('opening a saved booking pushes it when the endpoint has no copy, and not when its copy is the same', async () => {
  const a = fakeEndpoint([]);
  const port = appointment('NP/L: Lunch', { itemId: 'AAMkOld=' });
  const view = render(<App port={port} client={a.client} lang="sv" pollMs={50} />);
  await waitFor(() => expect(byId('sync-status').textContent).toBe('Synkad med din anknytning.'));
  expect(a.calls.filter((c) => c.method === 'PUT').map((c) => c.url)).toEqual(['http://kk.test/api/v1/me/bookings/AAMkOld%3D']);
  expect(port.saves).toBe(0);
  view.unmount();

  const same = fakeEndpoint([{ id: 'cal:AAMkOld=', source: 'calendar', key: 'L', from: '2026-11-24T11:00:00.000Z', to: '2026-11-24T12:00:00.000Z', forwarding: { mode: 'spoken', number: null } }]);
  render(<App port={appointment('NP/L: Lunch', { itemId: 'AAMkOld=' })} client={same.client} lang="sv" pollMs={50} />);
  await waitFor(() => expect(same.calls.some((c) => c.url.includes('/me/activities'))).toBe(true));
  expect(byId('sync-status').textContent).toBe('Ansluten.');
  expect(same.calls.filter((c) => c.method === 'PUT')).toEqual([]);
});

test('with Språk = Engelska a Swedish pane says what callers hear in English, as the switch is told', async () => {
  const { client } = fakeEndpoint([], 'en');
  render(<App port={appointment('NP/L: Lunch med Eva')} client={client} lang="sv" pollMs={50} />);
  await waitFor(() => expect(byId('sync-status').textContent).toBe('Ansluten.'));
  await waitFor(() => expect(byId('preview-spoken').textContent).toBe('Lunch. Back at 13:00.'));
  expect(byId('preview-spoken').getAttribute('lang')).toBe('en-GB');
  // The rest of the pane stays Swedish.
  expect(byId('preview-forwarding').textContent).toBe('Talad hänvisning');
  expect(byId('preview-summary').textContent).toBe('Bokningen hänvisar din anknytning.');
  expect(screen.getByText('Den som ringer hör')).toBeTruthy();
});
