/**
 * @jest-environment jsdom
 */
/** The tabs Aktiviteter (delete = dismiss a calendar one), Snabbval (one click starts one) and Inställningar (save). */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import * as React from 'react';
import { DEFAULT_CATALOG } from '../../src/core/catalog';
import { DEFAULT_PROFILE, DEFAULT_SETTINGS } from '../../src/core/settings';
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
  render(<Activities client={f.client} t={t} lang="sv" catalog={DEFAULT_CATALOG} zone="Europe/Stockholm" />);
  const del = await screen.findByRole('button', { name: /Ta bort: Lunch/ });
  expect(screen.getByText(/Semester · .* – Tills vidare/)).toBeTruthy();
  fireEvent.click(del);
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
  await screen.findByText('Startad: Lunch.');
  expect(f.calls).toContain('POST /api/v1/me/quick/1/activate');
});

test('Inställningar: Kalender and Kontaktprofiler saved to the endpoint', async () => {
  const saved: unknown[] = [];
  const f = fake({
    'PUT /api/v1/me/settings': (b) => (saved.push(b), b),
    'PUT /api/v1/me/profile': (b) => (saved.push(b), b),
  });
  const onSettings = jest.fn();
  render(
    <Settings client={f.client} t={t} lang="sv" catalog={DEFAULT_CATALOG} settings={DEFAULT_SETTINGS} profile={DEFAULT_PROFILE} onSettings={onSettings} onProfile={() => undefined} focus={null} />,
  );
  fireEvent.click(screen.getByRole('checkbox', { name: 'Visa möten som markerats som "Privata"' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Ämne' }));
  fireEvent.change(screen.getByRole('combobox', { name: 'Lunch' }), { target: { value: 'none' } });
  fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
  await screen.findByText('Sparat.');
  expect(saved[0]).toMatchObject({ include: { private: true }, messageFields: { subject: true } });
  expect(saved[1]).toMatchObject({ lunch: { mode: 'none', number: null }, forward: { mode: 'number' } });
  expect(onSettings).toHaveBeenLastCalledWith(expect.objectContaining({ include: expect.objectContaining({ private: true }) }));
});
