/**
 * @jest-environment jsdom
 */
/** The tabs Aktiviteter (delete = dismiss a calendar one), Snabbval (one click starts one) and Inställningar (save). */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import * as React from 'react';
import { DEFAULT_CATALOG } from '../../src/core/catalog';
import { DEFAULT_PROFILE, DEFAULT_SETTINGS } from '../../src/core/settings';
import { DEFAULT_WORKDAY } from '../../src/core/time';
import { type ActivityJson, EndpointClient } from '../../src/taskpane/api/client';
import { Activities } from '../../src/taskpane/components/Activities';
import { Quick } from '../../src/taskpane/components/Quick';
import { Settings } from '../../src/taskpane/components/Settings';
import { TEXTS } from '../../src/taskpane/i18n';

function fake(routes: Record<string, (body: unknown) => unknown>) {
  const calls: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const key = `${init.method ?? 'GET'} ${url.replace('http://kk', '').split('?')[0]}`;
    calls.push(key);
    const handler = routes[key];
    if (!handler) return { ok: false, status: 404, json: async () => ({ detail: `no ${key}` }) };
    const body = handler(init.body ? JSON.parse(String(init.body)) : undefined);
    return body === undefined ? { ok: true, status: 204, json: async () => null } : { ok: true, status: 200, json: async () => body };
  }) as unknown as typeof fetch;
  return { calls, client: new EndpointClient('http://kk', async () => 't', fetchFn) };
}

const t = TEXTS.sv;
/** The rest of an activity as the endpoint answers it. */
const SPOKEN = { forwarding: { mode: 'spoken' as const, number: null }, text: null, operatorOnly: false, dismissed: false };

test('Aktiviteter lists current and upcoming activities; Ta bort deletes (dismisses) one and reloads', async () => {
  let list: ActivityJson[] = [
    { id: 'cal:AAMk1', source: 'calendar', key: 'L', from: '2026-11-24T11:00:00Z', to: '2026-11-24T12:00:00Z', ...SPOKEN, bookingId: 'AAMk1' },
    { id: 'm1', source: 'manual', key: 'S', from: '2026-11-25T07:00:00Z', to: null, ...SPOKEN },
  ];
  const f = fake({
    'GET /api/v1/me/activities': () => ({ activities: list }),
    'DELETE /api/v1/me/activities/cal%3AAAMk1': () => {
      list = list.filter((a) => a.id !== 'cal:AAMk1');
      return undefined;
    },
  });
  render(<Activities client={f.client} t={t} lang="sv" catalog={DEFAULT_CATALOG} workday={DEFAULT_WORKDAY} />);
  const del = await screen.findByRole('button', { name: /Ta bort: Lunch/ });
  expect(screen.getByText(/Semester · .* – Tills vidare/)).toBeTruthy();
  fireEvent.click(del);
  fireEvent.click(screen.getByRole('button', { name: 'Ja' }));
  await waitFor(() => expect(screen.queryByRole('button', { name: /Ta bort: Lunch/ })).toBeNull());
  expect(f.calls).toContain('DELETE /api/v1/me/activities/cal%3AAAMk1');
  expect(screen.getByText(t.dismissNote)).toBeTruthy();
});

test('Snabbval: one click starts the quick choice', async () => {
  const f = fake({
    'GET /api/v1/me/quick': () => [{ key: 'M', length: 'standard' }, { key: 'L', length: { minutes: 45 } }],
    'POST /api/v1/me/quick/1/activate': () => ({ id: 'q1', source: 'quick', key: 'L', from: '2026-11-24T11:00:00Z', to: '2026-11-24T11:45:00Z' }),
  });
  render(<Quick client={f.client} t={t} lang="sv" catalog={DEFAULT_CATALOG} />);
  expect(await screen.findByRole('button', { name: 'Möte · Standardlängd' })).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Lunch · 45 min' }));
  // The started activity and until when (its end, 12:45 in Stockholm, is not today: with its date).
  await screen.findByText(/^Lunch startad, åter (2026-11-24 )?12:45$/);
  expect(f.calls).toContain('POST /api/v1/me/quick/1/activate');
});

test('Inställningar: Kalender and Kontaktprofiler saved to the endpoint in one request', async () => {
  const saved: unknown[] = [];
  const f = fake({
    'PUT /api/v1/me/preferences': (b) => (saved.push(b), b),
  });
  const onSettings = jest.fn();
  const onProfile = jest.fn();
  render(
    <Settings client={f.client} t={t} lang="sv" catalog={DEFAULT_CATALOG} settings={DEFAULT_SETTINGS} profile={DEFAULT_PROFILE} onSettings={onSettings} onProfile={onProfile} focus={null} />,
  );
  fireEvent.click(screen.getByRole('checkbox', { name: 'Visa möten som markerats som "Privata"' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Ämne' }));
  fireEvent.change(screen.getByRole('combobox', { name: /^Språk/ }), { target: { value: 'en' } });
  fireEvent.change(screen.getByRole('combobox', { name: 'Lunch' }), { target: { value: 'none' } });
  fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
  await screen.findByText('Sparat.');
  expect(f.calls).toEqual(['PUT /api/v1/me/preferences']);
  expect(saved[0]).toMatchObject({
    settings: { include: { private: true }, messageFields: { subject: true }, language: 'en' },
    profile: { lunch: { mode: 'none', number: null }, forward: { mode: 'number' } },
  });
  expect(onSettings).toHaveBeenLastCalledWith(expect.objectContaining({ language: 'en', include: expect.objectContaining({ private: true }) }));
  expect(onProfile).toHaveBeenLastCalledWith(expect.objectContaining({ lunch: { mode: 'none', number: null } }));
});

/** A fetch that refuses PUT /api/v1/me/preferences the way the endpoint does: 400, a problem document naming the field. */
function refusing(field: string | undefined, status = 400) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const problem = { type: 'about:blank', title: 'Bad Request', status, detail: 'profile.lunch.number: must be 2 to 20 digits, optionally with a leading +', ...(field ? { field } : {}) };
    return { ok: false, status, json: async () => problem };
  }) as unknown as typeof fetch;
  return { calls, client: new EndpointClient('http://kk', async () => 't', fetchFn) };
}

test('Inställningar: a refused number says "Kunde inte spara" next to that number, nothing is taken over, no raw detail', async () => {
  const f = refusing('profile.lunch.number');
  const onSettings = jest.fn();
  const onProfile = jest.fn();
  render(
    <Settings client={f.client} t={t} lang="sv" catalog={DEFAULT_CATALOG} settings={DEFAULT_SETTINGS} profile={DEFAULT_PROFILE} onSettings={onSettings} onProfile={onProfile} focus={null} />,
  );
  fireEvent.click(screen.getByRole('checkbox', { name: 'Aktivera' }));
  fireEvent.change(screen.getByRole('combobox', { name: 'Lunch' }), { target: { value: 'number' } });
  fireEvent.change(screen.getByRole('textbox', { name: 'Nummer för Lunch' }), { target: { value: '12ab' } });
  fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
  await screen.findByText(t.saveFailedField);
  // One request with both parts; the endpoint stored nothing, and the pane does not pretend it did.
  expect(f.calls).toHaveLength(1);
  expect(f.calls[0]).toMatchObject({ method: 'PUT', url: 'http://kk/api/v1/me/preferences', body: { settings: { enabled: false }, profile: { lunch: { mode: 'number', number: '12ab' } } } });
  expect(onSettings).not.toHaveBeenCalled();
  expect(onProfile).not.toHaveBeenCalled();
  // The message sits with the Lunch number (its Field) and is the number's description.
  const number = screen.getByRole('textbox', { name: 'Nummer för Lunch' });
  const message = screen.getByText('Kunde inte spara');
  expect(number.closest('.fui-Field')?.contains(message)).toBe(true);
  expect(number.getAttribute('aria-invalid')).toBe('true');
  expect(number.getAttribute('aria-describedby')?.split(' ')).toContain(message.closest('[id]')?.id);
  expect(screen.getAllByText('Kunde inte spara')).toHaveLength(1);
  expect(document.body.textContent).not.toMatch(/digits|profile\.lunch/);
  // The field is kept as typed, to be corrected.
  expect(number).toHaveProperty('value', '12ab');
});

test('Inställningar: in an English pane the message is English; without a field it sits by Save', async () => {
  const en = TEXTS.en;
  const { client } = refusing('settings.defaultCode');
  const view = render(
    <Settings client={client} t={en} lang="en" catalog={DEFAULT_CATALOG} settings={DEFAULT_SETTINGS} profile={DEFAULT_PROFILE} onSettings={() => undefined} onProfile={() => undefined} focus={null} />,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  const message = await screen.findByText('Could not save');
  expect(screen.getByRole('combobox', { name: 'Default code:' }).closest('.fui-Field')?.contains(message)).toBe(true);
  view.unmount();

  const server = refusing(undefined, 500);
  render(
    <Settings client={server.client} t={en} lang="en" catalog={DEFAULT_CATALOG} settings={DEFAULT_SETTINGS} profile={DEFAULT_PROFILE} onSettings={() => undefined} onProfile={() => undefined} focus={null} />,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(screen.getByTestId('settings-status').textContent).toBe('Could not save'));
  expect(document.querySelectorAll('[aria-invalid=true]')).toHaveLength(0);
});
