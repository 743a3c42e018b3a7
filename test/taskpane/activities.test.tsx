/**
 * @jest-environment jsdom
 */
/**
 * Tab Aktiviteter (tracker issue 12): Ny aktivitet and Ny återkommande aktivitet (guide 3.3.1,
 * 3.3.2) post what the user chose, the list shows a recurring rule once and deletes an occurrence
 * or the rule, and a refused field gets the pane's own message next to its input.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { DEFAULT_CATALOG, type Lang } from '../../src/core/catalog';
import { type ContactProfile, DEFAULT_PROFILE } from '../../src/core/settings';
import { DEFAULT_WORKDAY, type WorkdayConfig } from '../../src/core/time';
import { type ActivityJson, EndpointClient } from '../../src/taskpane/api/client';
import { Activities } from '../../src/taskpane/components/Activities';
import { TEXTS } from '../../src/taskpane/i18n';

type Answer = { status: number; body?: unknown };
type Route = (body: unknown, url: string) => Answer | unknown;

/** A fake endpoint behind EndpointClient: routes by "METHOD /path", records every call. */
function fake(routes: Record<string, Route>) {
  const calls: { key: string; url: string; body: unknown }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const path = url.replace('http://kk', '');
    const key = `${init.method ?? 'GET'} ${path.split('?')[0]}`;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ key, url: path, body });
    const handler = routes[key];
    if (!handler) return { ok: false, status: 404, json: async () => ({ detail: `no ${key}` }) };
    const out = handler(body, path);
    const a: Answer = out !== null && typeof out === 'object' && 'status' in out ? (out as Answer) : { status: out === undefined ? 204 : 200, body: out };
    return { ok: a.status < 400, status: a.status, json: async () => a.body ?? null };
  }) as unknown as typeof fetch;
  return { calls, client: new EndpointClient('http://kk', async () => 't', fetchFn) };
}

const ZONE = 'Europe/Stockholm';
const WORKDAY: WorkdayConfig = { ...DEFAULT_WORKDAY, timeZone: ZONE };
/** Tuesday 24 November 2026, 10:30 in Stockholm. */
const NOW = Date.parse('2026-11-24T09:30:00Z');
const REST = { text: null, operatorOnly: false, dismissed: false };
const SPOKEN = { mode: 'spoken' as const, number: null };

/** `profile: null`: the tab is not given the contact profile (App has not wired it). */
function renderTab(f: ReturnType<typeof fake>, lang: Lang = 'sv', profile: ContactProfile | null = DEFAULT_PROFILE, workday: WorkdayConfig = WORKDAY) {
  return render(<Activities client={f.client} t={TEXTS[lang]} lang={lang} catalog={DEFAULT_CATALOG} workday={workday} profile={profile ?? undefined} now={() => NOW} />);
}

const posts = (f: ReturnType<typeof fake>) => f.calls.filter((c) => c.key === 'POST /api/v1/me/activities');
const choose = (form: HTMLElement, name: string, optionName: string) => {
  const select = within(form).getByRole('combobox', { name }) as HTMLSelectElement;
  const option = within(select).getByRole('option', { name: optionName }) as HTMLOptionElement;
  fireEvent.change(select, { target: { value: option.value } });
};
const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

test('Ny aktivitet: Semester tills vidare with information for operators only; Vidarebefordra till from the contact profile', async () => {
  const created: ActivityJson[] = [];
  const f = fake({
    'GET /api/v1/me/activities': () => ({ activities: created }),
    'POST /api/v1/me/activities': (b) => {
      created.push({ id: 'm1', source: 'manual', key: 'S', from: '2026-11-24T09:30:00Z', to: null, forwarding: { mode: 'none', number: null }, text: 'Åter 1 december', operatorOnly: true, dismissed: false });
      return { status: 201, body: { ...created[0], echo: b } };
    },
  });
  renderTab(f, 'sv', { ...DEFAULT_PROFILE, dayOff: { mode: 'none', number: null } });
  fireEvent.click(await screen.findByRole('button', { name: 'Ny aktivitet' }));
  const form = screen.getByTestId('activity-new');
  choose(form, 'Aktivitet', 'Semester');
  // Semester's group (Ledig) is "Ingen vidarekoppling" in this profile; its standard length is the next working day.
  expect((within(form).getByRole('combobox', { name: 'Vidarebefordra till' }) as HTMLSelectElement).value).toBe('none');
  expect((within(form).getByLabelText('Från') as HTMLInputElement).value).toBe('2026-11-24');
  expect((within(form).getByLabelText('Från, klockslag') as HTMLInputElement).value).toBe('10:30');
  await waitFor(() => expect((within(form).getByLabelText('Till') as HTMLInputElement).value).toBe('2026-11-25'));
  expect((within(form).getByLabelText('Till, klockslag') as HTMLInputElement).value).toBe('08:00');

  fireEvent.click(within(form).getByRole('checkbox', { name: 'Tills vidare' }));
  type(within(form).getByRole('textbox', { name: /Information/ }), 'Åter 1 december');
  fireEvent.click(within(form).getByRole('checkbox', { name: 'Visa bara informationen för telefonister' }));
  fireEvent.click(within(form).getByRole('button', { name: 'Spara' }));

  await screen.findByText('Sparat.');
  expect(posts(f).map((c) => c.body)).toEqual([
    { key: 'S', forwarding: { mode: 'none' }, from: '2026-11-24T09:30:00.000Z', to: null, text: 'Åter 1 december', operatorOnly: true },
  ]);
  // Saved: the form closes and the list is loaded again.
  expect(screen.queryByTestId('activity-new')).toBeNull();
  const list = await screen.findByTestId('activity-list');
  expect(within(list).getByText(/Semester · .* – Tills vidare/)).toBeTruthy();
  expect(within(list).getByText('manuell · Ingen vidarekoppling · Åter 1 december (bara för telefonister)')).toBeTruthy();
});

test('Ny återkommande aktivitet: Varannan vecka with Nästa arbetsdag shows the core’s next occurrences, then posts the rule', async () => {
  const f = fake({
    'GET /api/v1/me/activities': () => ({ activities: [] }),
    'POST /api/v1/me/activities': () => ({ status: 201, body: { id: 'rec:r9', source: 'recurring', key: 'M' } }),
  });
  renderTab(f, 'sv', null);
  fireEvent.click(await screen.findByRole('button', { name: 'Ny återkommande aktivitet' }));
  const form = screen.getByTestId('recurring-new');
  choose(form, 'Aktivitet', 'Möte');
  type(within(form).getByLabelText('Första aktiviteten startar'), '2026-11-24');
  type(within(form).getByLabelText('Första aktiviteten startar, klockslag'), '16:00');
  fireEvent.click(within(form).getByRole('checkbox', { name: 'Nästa arbetsdag' }));
  choose(form, 'Aktiviteten återkommer', 'Varannan vecka');
  expect((within(form).getByRole('checkbox', { name: 'Tills vidare' }) as HTMLInputElement).checked).toBe(true);

  // Every other Tuesday at 16:00 until 08:00 the next working day; 6 January (Trettondedag jul) is not one.
  const preview = await within(form).findByTestId('recurring-preview');
  expect(within(preview).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
    'tis 2026-11-24 16:00 – ons 2026-11-25 08:00',
    'tis 2026-12-08 16:00 – ons 2026-12-09 08:00',
    'tis 2026-12-22 16:00 – ons 2026-12-23 08:00',
    'tis 2027-01-05 16:00 – tors 2027-01-07 08:00',
    'tis 2027-01-19 16:00 – ons 2027-01-20 08:00',
  ]);

  fireEvent.click(within(form).getByRole('button', { name: 'Spara' }));
  await screen.findByText('Sparat.');
  // No profile known to the tab: the endpoint applies it (no forwarding sent); no `to` with Nästa arbetsdag.
  expect(posts(f).map((c) => c.body)).toEqual([
    { key: 'M', from: '2026-11-24T15:00:00.000Z', operatorOnly: false, recurrence: { repeat: { weeks: 2 }, until: null, endsNextWorkingDay: true } },
  ]);
});

type Rule = NonNullable<ActivityJson['rule']>;
const EVERY_WORKING_DAY: Rule = { repeat: 'everyWorkingDay', until: null, endsNextWorkingDay: true };

/** Möte every working day 16:00 – next working day 08:00, from Tuesday 24 November 2026. */
function occurrence(start: string, end: string, rule: Rule = EVERY_WORKING_DAY): ActivityJson {
  const ms = Date.parse(start);
  return { id: `rec:r1:${ms}`, ruleId: 'r1', source: 'recurring', key: 'M', from: start, to: end, forwarding: SPOKEN, ...REST, text: 'Veckogruppmöte.', rule };
}

test('The list shows a recurring rule once with its rhythm; Ta bort removes one occurrence, then the whole rule', async () => {
  let list: ActivityJson[] = [
    { id: 'm1', source: 'manual', key: 'L', from: '2026-11-24T11:00:00Z', to: '2026-11-24T12:00:00Z', forwarding: { mode: 'number', number: '0701234567' }, ...REST },
    occurrence('2026-11-24T15:00:00Z', '2026-11-25T07:00:00Z'),
    occurrence('2026-11-25T15:00:00Z', '2026-11-26T07:00:00Z'),
    occurrence('2026-11-26T15:00:00Z', '2026-11-27T07:00:00Z'),
    occurrence('2026-11-27T15:00:00Z', '2026-11-30T07:00:00Z'),
    occurrence('2026-11-30T15:00:00Z', '2026-12-01T07:00:00Z'),
  ];
  const deleted: string[] = [];
  const f = fake({
    'GET /api/v1/me/activities': () => ({ activities: list }),
    [`DELETE /api/v1/me/activities/rec%3Ar1%3A${Date.parse('2026-11-26T15:00:00Z')}`]: () => {
      list = list.filter((a) => a.id !== `rec:r1:${Date.parse('2026-11-26T15:00:00Z')}`);
      deleted.push('occurrence');
      return undefined;
    },
    'DELETE /api/v1/me/activities/rec%3Ar1': () => {
      list = list.filter((a) => a.ruleId !== 'r1');
      deleted.push('rule');
      return undefined;
    },
  });
  renderTab(f);
  const table = await screen.findByTestId('activity-list');
  // One row for the rule, with its rhythm in the guide's words, and one for the lunch.
  expect(within(table).getByText('Möte · Varje arbetsdag 16:00 – nästa arbetsdag, tills vidare')).toBeTruthy();
  expect(within(table).getByText('återkommande · Talad hänvisning · Veckogruppmöte.')).toBeTruthy();
  expect(within(table).getByText('manuell · Till nummer 0701234567')).toBeTruthy();
  expect(within(table).getAllByRole('button', { name: /^Ta bort/ })).toHaveLength(2);

  fireEvent.click(within(table).getByRole('button', { name: 'Visa tillfällen' }));
  const occurrences = within(table).getByRole('list', { name: 'Möte · Varje arbetsdag 16:00 – nästa arbetsdag, tills vidare' });
  expect(within(occurrences).getAllByRole('listitem')).toHaveLength(5);
  fireEvent.click(within(occurrences).getByRole('button', { name: 'Ta bort: Möte 2026-11-26 16:00' }));
  // Asked once: the whole rule or only this occurrence; Avbryt deletes nothing.
  fireEvent.click(within(screen.getByRole('group', { name: /Ta bort hela/ })).getByRole('button', { name: 'Avbryt' }));
  expect(screen.queryByRole('group', { name: /Ta bort hela/ })).toBeNull();
  fireEvent.click(within(occurrences).getByRole('button', { name: 'Ta bort: Möte 2026-11-26 16:00' }));
  fireEvent.click(screen.getByRole('button', { name: 'Bara detta tillfälle (2026-11-26 16:00)' }));
  await waitFor(() => expect(within(screen.getByTestId('activity-list')).queryByText('2026-11-26 16:00 – 2026-11-27 08:00')).toBeNull());
  expect(deleted).toEqual(['occurrence']);

  fireEvent.click(screen.getByRole('button', { name: 'Ta bort: Möte Varje arbetsdag 16:00 – nästa arbetsdag, tills vidare' }));
  fireEvent.click(screen.getByRole('button', { name: 'Hela den återkommande aktiviteten' }));
  await waitFor(() => expect(screen.queryByText(/Möte · Varje arbetsdag/)).toBeNull());
  expect(f.calls.filter((c) => c.key.startsWith('DELETE')).map((c) => c.url)).toEqual([
    `/api/v1/me/activities/rec%3Ar1%3A${Date.parse('2026-11-26T15:00:00Z')}`,
    '/api/v1/me/activities/rec%3Ar1',
  ]);
  expect(screen.getByRole('status').textContent).toBe('Borttagen.');
});

test.each([
  ['sv' as Lang, 'Möte · Var tredje vecka 16:00 – 17:00, till och med 2027-06-30'],
  ['en' as Lang, 'In a meeting · Every third week 16:00 – 17:00, until 30/06/2027'],
])('%s: a rule with one occurrence in the list is named by its rule as made, with its end date', async (lang, text) => {
  const first = occurrence('2026-11-24T15:00:00Z', '2026-11-24T16:00:00Z', { repeat: { weeks: 3 }, until: '2027-06-30', endsNextWorkingDay: false });
  const f = fake({ 'GET /api/v1/me/activities': () => ({ activities: [first] }) });
  renderTab(f, lang);
  expect(await screen.findByText(text)).toBeTruthy();
  // One request: the rule itself tells the rhythm, no wider window is fetched to guess it.
  expect(f.calls.map((c) => c.key)).toEqual(['GET /api/v1/me/activities']);
});

test('Till is proposed from the organisation’s working day: Sjuk ends at its 07:00 start, after its extra day off', async () => {
  // Wednesday 25 November 2026 is the organisation's klämdag: Sjuk from Tuesday runs to Thursday 07:00.
  const workday: WorkdayConfig = { timeZone: ZONE, workdayStart: '07:00', workdayEnd: '16:00', extraDaysOff: ['2026-11-25'] };
  const f = fake({ 'GET /api/v1/me/activities': () => ({ activities: [] }) });
  renderTab(f, 'sv', DEFAULT_PROFILE, workday);
  fireEvent.click(await screen.findByRole('button', { name: 'Ny aktivitet' }));
  const form = screen.getByTestId('activity-new');
  choose(form, 'Aktivitet', 'Sjuk');
  await waitFor(() => expect((within(form).getByLabelText('Till, klockslag') as HTMLInputElement).value).toBe('07:00'));
  expect((within(form).getByLabelText('Till') as HTMLInputElement).value).toBe('2026-11-26');
});

test.each([
  ['sv' as Lang, 'Ny aktivitet', 'Aktivitet', 'Vidarekoppla', 'Nummer', 'Spara', 'Ange ett nummer att vidarekoppla till.'],
  ['en' as Lang, 'New activity', 'Activity', 'Forward', 'Number', 'Save', 'Enter a number to forward to.'],
])('%s: a 400 naming forwarding.number puts the pane’s message next to the number, not the API’s detail', async (lang, open, activity, forward, number, save, message) => {
  const detail = 'forwarding.number: must be a phone number or extension: 2 to 15 digits';
  const f = fake({
    'GET /api/v1/me/activities': () => ({ activities: [] }),
    'POST /api/v1/me/activities': () => ({ status: 400, body: { type: 'about:blank', title: 'Bad Request', status: 400, detail, field: 'forwarding.number' } }),
  });
  renderTab(f, lang);
  fireEvent.click(await screen.findByRole('button', { name: open }));
  const form = screen.getByTestId('activity-new');
  choose(form, activity, forward);
  const input = within(form).getByRole('textbox', { name: number });
  type(input, '070-123 45 67');
  fireEvent.click(within(form).getByRole('button', { name: save }));

  const shown = await within(form).findByText(message);
  expect(input.getAttribute('aria-describedby')?.split(' ')).toContain(shown.id || shown.closest('[id]')?.id);
  expect(input.getAttribute('aria-invalid')).toBe('true');
  expect(screen.queryByText(new RegExp(detail.slice(0, 20)))).toBeNull();
  expect(posts(f)[0]?.body).toMatchObject({ key: 'forward', forwarding: { mode: 'number', number: '070-123 45 67' } });
});

test('Checked in the pane before sending: Till after Från, and a number for Till nummer', async () => {
  const f = fake({ 'GET /api/v1/me/activities': () => ({ activities: [] }) });
  renderTab(f);
  fireEvent.click(await screen.findByRole('button', { name: 'Ny aktivitet' }));
  const form = screen.getByTestId('activity-new');
  choose(form, 'Aktivitet', 'Lunch');
  choose(form, 'Vidarebefordra till', 'Till nummer');
  await waitFor(() => expect((within(form).getByLabelText('Till, klockslag') as HTMLInputElement).value).toBe('11:30'));
  type(within(form).getByLabelText('Till, klockslag'), '09:00');
  fireEvent.click(within(form).getByRole('button', { name: 'Spara' }));

  const toMessage = await within(form).findByText('Till måste ligga efter Från.');
  expect(within(form).getByLabelText('Till').getAttribute('aria-describedby')).toContain(toMessage.closest('[id]')?.id);
  expect(within(form).getByText('Ange ett nummer att vidarekoppla till.')).toBeTruthy();
  expect(posts(f)).toHaveLength(0);
});
