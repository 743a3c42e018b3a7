/**
 * @jest-environment jsdom
 */
/** Snabbval (guide 5): the editor (Slutdatum, reorder, remove, a 400 by its field) and one click starts one. */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { DEFAULT_CATALOG } from '../../src/core/catalog';
import { atLocal, localDateOf } from '../../src/core/time';
import { EndpointClient, type QuickChoice } from '../../src/taskpane/api/client';
import { Quick } from '../../src/taskpane/components/Quick';
import { TEXTS } from '../../src/taskpane/i18n';

type Handler = (body: unknown) => { status: number; body: unknown };

function fake(routes: Record<string, Handler>) {
  const calls: { key: string; body: unknown }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const key = `${init.method ?? 'GET'} ${url.replace('http://kk', '').split('?')[0]}`;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ key, body });
    const handler = routes[key];
    if (!handler) return { ok: false, status: 404, json: async () => ({ detail: `no ${key}` }) };
    const r = handler(body);
    return { ok: r.status < 300, status: r.status, json: async () => r.body };
  }) as unknown as typeof fetch;
  return { calls, client: new EndpointClient('http://kk', async () => 't', fetchFn) };
}

const ok = (body: unknown) => ({ status: 200, body });
const ZONE = 'Europe/Stockholm';

const LIST: QuickChoice[] = [
  { key: 'L', length: 'standard', forwarding: null, text: null },
  { key: 'M', length: { minutes: 30 }, forwarding: { mode: 'none', number: null }, text: 'Veckomöte' },
  { key: 'S', length: 'nextWorkingDay', forwarding: null, text: null },
];

/** The quick tab with LIST, PUT echoing the body, in edit mode. */
async function editor(lang: 'sv' | 'en' = 'sv', put: Handler = (b) => ok(b)) {
  const f = fake({ 'GET /api/v1/me/quick': () => ok(LIST), 'PUT /api/v1/me/quick': put });
  render(<Quick client={f.client} t={TEXTS[lang]} lang={lang} catalog={DEFAULT_CATALOG} zone={ZONE} />);
  fireEvent.click(await screen.findByRole('button', { name: lang === 'sv' ? 'Redigera snabbval' : 'Edit quick choices' }));
  return { f, edit: screen.getByTestId('quick-edit') };
}

const puts = (f: ReturnType<typeof fake>) => f.calls.filter((c) => c.key === 'PUT /api/v1/me/quick').map((c) => c.body);

test('a quick choice edited to Slutdatum is saved with the whole list ({"until": instant}) and shown', async () => {
  const { f, edit } = await editor();
  const first = within(within(edit).getByRole('group', { name: 'Snabbval 1' }));
  fireEvent.change(first.getByRole('combobox', { name: 'Standardlängd' }), { target: { value: 'until' } });
  fireEvent.change(first.getByLabelText('Slutdatum'), { target: { value: '2026-11-25T08:00' } });
  fireEvent.change(first.getByRole('textbox', { name: 'Information' }), { target: { value: 'Tillbaka efter lunch' } });
  fireEvent.click(within(edit).getByRole('button', { name: 'Spara' }));
  // The editor closes and the buttons follow the saved list.
  expect(await screen.findByRole('button', { name: 'Lunch · till 2026-11-25 08:00' })).toBeTruthy();
  expect(screen.queryByTestId('quick-edit')).toBeNull();
  expect(screen.getByText('Snabbvalen är sparade.')).toBeTruthy();
  // 08:00 in Stockholm in November is 07:00 UTC.
  expect(puts(f)).toEqual([
    [
      { key: 'L', length: { until: '2026-11-25T07:00:00.000Z' }, forwarding: null, text: 'Tillbaka efter lunch' },
      { key: 'M', length: { minutes: 30 }, forwarding: { mode: 'none', number: null }, text: 'Veckomöte' },
      { key: 'S', length: 'nextWorkingDay', forwarding: null, text: null },
    ],
  ]);
});

test('choices are moved up and removed, a new one added (Vidarekoppla needs a number); Spara sends that order', async () => {
  const { f, edit } = await editor();
  const group = (n: number) => within(within(edit).getByRole('group', { name: `Snabbval ${n}` }));
  fireEvent.click(group(3).getByRole('button', { name: 'Flytta upp' }));
  // Focus stays on the button that moved the choice, now in its new place.
  expect(document.activeElement).toBe(group(2).getByRole('button', { name: 'Flytta upp' }));
  expect((group(2).getByRole('combobox', { name: 'Aktivitet' }) as HTMLSelectElement).value).toBe('S');
  fireEvent.click(group(1).getByRole('button', { name: 'Ta bort' }));
  fireEvent.click(within(edit).getByRole('button', { name: 'Nytt snabbval' }));
  fireEvent.change(group(3).getByRole('combobox', { name: 'Aktivitet' }), { target: { value: 'forward' } });
  fireEvent.click(within(edit).getByRole('button', { name: 'Spara' }));
  // Not sent: the forward has no number yet, and says so by its field.
  expect(await group(3).findByText('Ange numret som samtalen ska styras till.')).toBeTruthy();
  expect(puts(f)).toEqual([]);
  fireEvent.change(group(3).getByRole('textbox', { name: 'Nummer' }), { target: { value: '0701234567' } });
  fireEvent.click(within(edit).getByRole('button', { name: 'Spara' }));
  await waitFor(() => expect(puts(f)).toHaveLength(1));
  expect(puts(f)[0]).toEqual([
    { key: 'S', length: 'nextWorkingDay', forwarding: null, text: null },
    { key: 'M', length: { minutes: 30 }, forwarding: { mode: 'none', number: null }, text: 'Veckomöte' },
    { key: 'forward', length: 'standard', forwarding: { mode: 'number', number: '0701234567' }, text: null },
  ]);
  expect(await screen.findByRole('button', { name: 'Vidarekoppla · Standardlängd' })).toBeTruthy();
});

test('at most eight: Nytt snabbval is unavailable at the eighth', async () => {
  const { edit } = await editor();
  const add = within(edit).getByRole('button', { name: 'Nytt snabbval' });
  for (let i = 0; i < 7; i++) fireEvent.click(add);
  expect(within(edit).getAllByRole('group')).toHaveLength(8);
  expect(add.getAttribute('aria-disabled')).toBe('true');
  expect(within(edit).getByText('Du kan skapa högst åtta snabbval.')).toBeTruthy();
});

test("a 400 naming one choice's field is shown by that field in the pane's language, not the endpoint's detail", async () => {
  const detail = 'quick[1].length.minutes: must be at most 480 for this code';
  const { f, edit } = await editor('en', () => ({
    status: 400,
    body: { type: 'about:blank', title: 'Bad Request', status: 400, detail, field: 'quick[1].length.minutes' },
  }));
  const second = within(within(edit).getByRole('group', { name: 'Quick choice 2' }));
  fireEvent.change(second.getByRole('spinbutton', { name: 'Minutes' }), { target: { value: '600' } });
  fireEvent.click(within(edit).getByRole('button', { name: 'Save' }));
  const message = await second.findByText('Enter a whole number of minutes, 1–10080.');
  // By the Minutes input: the field describes it.
  const minutes = second.getByRole('spinbutton', { name: 'Minutes' });
  const describedBy = (minutes.getAttribute('aria-describedby') ?? '').split(' ');
  expect(describedBy).toContain(message.closest('[id]')?.id);
  expect(within(within(edit).getByRole('group', { name: 'Quick choice 1' })).queryByText(/minutes, 1–10080/)).toBeNull();
  expect(screen.queryByText(new RegExp(detail.slice(0, 20).replace(/[[\]]/g, '\\$&')))).toBeNull();
  expect(screen.getByText('Correct the marked fields and save again.')).toBeTruthy();
  expect(puts(f)[0]).toMatchObject([{ key: 'L' }, { key: 'M', length: { minutes: 600 } }, { key: 'S' }]);
  // The editor stays open with the user's input.
  expect(screen.getByTestId('quick-edit')).toBeTruthy();
});

test('one click starts a quick choice: the started label and until when, and onStarted for the pane', async () => {
  const back = atLocal(localDateOf(Date.now(), ZONE), 13 * 60, ZONE);
  const activity = { id: 'q1', source: 'quick', key: 'L', from: new Date().toISOString(), to: new Date(back).toISOString(), forwarding: { mode: 'spoken', number: null }, text: null, operatorOnly: false, dismissed: false };
  const f = fake({ 'GET /api/v1/me/quick': () => ok(LIST), 'POST /api/v1/me/quick/0/activate': () => ({ status: 201, body: activity }) });
  const onStarted = jest.fn();
  render(<Quick client={f.client} t={TEXTS.sv} lang="sv" catalog={DEFAULT_CATALOG} zone={ZONE} onStarted={onStarted} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Lunch · Standardlängd' }));
  expect(await screen.findByText('Lunch startad, åter 13:00')).toBeTruthy();
  expect(f.calls.map((c) => c.key)).toContain('POST /api/v1/me/quick/0/activate');
  expect(onStarted).toHaveBeenCalledWith(activity);
});

test('a quick choice until further notice says so when started (English)', async () => {
  const activity = { id: 'q2', source: 'quick', key: 'S', from: new Date().toISOString(), to: null, forwarding: { mode: 'spoken', number: null }, text: null, operatorOnly: false, dismissed: false };
  const f = fake({ 'GET /api/v1/me/quick': () => ok(LIST), 'POST /api/v1/me/quick/2/activate': () => ({ status: 201, body: activity }) });
  render(<Quick client={f.client} t={TEXTS.en} lang="en" catalog={DEFAULT_CATALOG} zone={ZONE} />);
  fireEvent.click(await screen.findByRole('button', { name: 'On vacation · Next working day' }));
  expect(await screen.findByText('On vacation started, until further notice')).toBeTruthy();
});

test('a quick choice whose Slutdatum has passed (409) says so in the pane\'s words', async () => {
  const list: QuickChoice[] = [{ key: 'K', length: { until: '2026-01-05T07:00:00Z' }, forwarding: null, text: null }];
  const detail = 'Quick choice 0 ends at 2026-01-05T07:00:00Z (Slutdatum), which has passed';
  const f = fake({
    'GET /api/v1/me/quick': () => ok(list),
    'POST /api/v1/me/quick/0/activate': () => ({ status: 409, body: { status: 409, title: 'Conflict', detail, field: 'quick[0].length.until' } }),
  });
  render(<Quick client={f.client} t={TEXTS.sv} lang="sv" catalog={DEFAULT_CATALOG} zone={ZONE} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Kurs · till 2026-01-05 08:00' }));
  expect(await screen.findByText('Slutdatum för Kurs har passerat: redigera snabbvalet och välj ett senare slutdatum.')).toBeTruthy();
  expect(screen.queryByText(/which has passed/)).toBeNull();
});
