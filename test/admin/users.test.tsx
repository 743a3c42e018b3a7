/**
 * @jest-environment jsdom
 */
/** Användare och anknytningar: server paging over 5 000 users, the debounced search, Ändra with a field error by its field, Ta bort koppling, Koppla ny användare. */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { UsersPage } from '../../src/admin/pages/users/UsersPage';
import type { AdminUserRow } from '../../src/admin/types';
import { fakeEndpoint, problem } from './fake';

const nbsp = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');

const base = (i: number): AdminUserRow => ({
  tid: 't1',
  oid: `oid-${i}`,
  displayName: `Användare ${String(i).padStart(4, '0')}`,
  upn: `anv${i}@kommun.se`,
  mail: `anv${i}@kommun.se`,
  extension: String(2000 + i),
  shared: false,
  diversion: null,
  delivery: null,
  calendar: null,
});

function directory() {
  const users: AdminUserRow[] = Array.from({ length: 4999 }, (_, i) => base(i + 1));
  const returnAt = new Date();
  returnAt.setHours(13, 0, 0, 0);
  users.unshift({
    ...base(0),
    oid: 'oid-anna',
    displayName: 'Anna Andersson',
    upn: 'anna@kommun.se',
    mail: 'anna.andersson@kommun.se',
    extension: '1021',
    shared: true,
    diversion: { key: 'L', label: { sv: 'Lunch', en: 'Lunch' }, returnAt: returnAt.toISOString(), returnText: { sv: '➔ 13:00', en: '➔ 13:00' }, soft: false },
    delivery: { version: 3, deliveredVersion: 2, delivered: false, deliveredAt: null, attempts: 5, nextAttemptAt: null, lastError: 'HTTP 503', failed: true },
    calendar: { lastSuccessAt: '2026-11-24T10:00:00Z', lastError: null, lagSeconds: 12, subscriptionActive: true },
  });
  return users;
}

function endpoint() {
  const users = directory();
  const f = fakeEndpoint({
    'GET /api/v1/admin/users': (r) => {
      const q = (r.query.get('q') ?? '').toLowerCase();
      const offset = Number(r.query.get('offset') ?? 0);
      const limit = Number(r.query.get('limit') ?? 100);
      const hits = q ? users.filter((u) => (u.displayName ?? '').toLowerCase().includes(q) || (u.extension ?? '').startsWith(q)) : users;
      return { total: hits.length, offset, limit, users: hits.slice(offset, offset + limit) };
    },
  });
  return { f, users };
}

// Role queries over a 50-row table are slow in jsdom: the pager and the status line are looked up by role within their own parts.
jest.setTimeout(30_000);
const table = () => screen.getByTestId('users-table');
const status = () => document.querySelector('[role="status"]')!;
const pager = () => within(screen.getByTestId('pager-range').parentElement!);
const rows = () => table().querySelectorAll('tbody tr');

test('5 000 users are paged by the server, 50 at a time: "1–50 av 5 000", Nästa and Föregående', async () => {
  const { f } = endpoint();
  render(<UsersPage client={f.client} lang="sv" />);
  await waitFor(() => expect(nbsp(screen.getByTestId('pager-range').textContent)).toBe('1–50 av 5 000'));
  expect(rows()).toHaveLength(50);
  expect(within(table()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Namn', 'UPN / e-post', 'Anknytning', 'Hänvisning', 'Senaste leverans', 'Kalendersynk', 'Åtgärder']);
  expect(nbsp(status().textContent)).toBe('5 000 användare');
  const first = f.to('GET /api/v1/admin/users')[0]!;
  expect(first.query.get('limit')).toBe('50');
  expect(first.query.get('offset')).toBe('0');
  expect(first.headers.authorization).toBe('Bearer token');

  fireEvent.click(pager().getByRole('button', { name: 'Nästa' }));
  await waitFor(() => expect(nbsp(screen.getByTestId('pager-range').textContent)).toBe('51–100 av 5 000'));
  expect(f.to('GET /api/v1/admin/users').at(-1)!.query.get('offset')).toBe('50');
  expect(within(table()).getByText('Användare 0050')).toBeTruthy();
  fireEvent.click(pager().getByRole('button', { name: 'Föregående' }));
  await waitFor(() => expect(nbsp(screen.getByTestId('pager-range').textContent)).toBe('1–50 av 5 000'));
  expect((pager().getByRole('button', { name: 'Föregående' }) as HTMLButtonElement).disabled).toBe(true);
});

test('the search is debounced (one request for what was typed last), starts at the first page, and the row says extension, Delad, diversion, delivery and calendar', async () => {
  const { f } = endpoint();
  render(<UsersPage client={f.client} lang="sv" debounceMs={250} />);
  await waitFor(() => expect(screen.getByTestId('pager-range')).toBeTruthy());
  fireEvent.click(pager().getByRole('button', { name: 'Nästa' }));
  await waitFor(() => expect(nbsp(screen.getByTestId('pager-range').textContent)).toBe('51–100 av 5 000'));
  const before = f.to('GET /api/v1/admin/users').length;
  const box = screen.getByRole('searchbox', { name: 'Sök användare (namn, e-post eller anknytning)' });
  expect(box.getAttribute('data-testid')).toBe('users-search');
  fireEvent.change(box, { target: { value: 'a' } });
  fireEvent.change(box, { target: { value: 'an' } });
  fireEvent.change(box, { target: { value: 'anna' } });
  await waitFor(() => expect(nbsp(screen.getByTestId('pager-range').textContent)).toBe('1–1 av 1'));
  const searches = f.to('GET /api/v1/admin/users').slice(before);
  expect(searches.map((c) => [c.query.get('q'), c.query.get('offset')])).toEqual([['anna', '0']]);

  const [, row] = within(table()).getAllByRole('row');
  const cells = within(row!).getAllByRole('cell').map((c) => c.textContent);
  expect(cells[0]).toBe('Anna Andersson');
  expect(cells[1]).toContain('anna@kommun.se');
  expect(cells[1]).toContain('anna.andersson@kommun.se');
  expect(cells[2]).toContain('1021');
  expect(cells[2]).toContain('Delad');
  expect(cells[3]).toBe('Lunch ➔ 13:00');
  expect(cells[4]).toContain('Misslyckad');
  expect(cells[4]).toContain('HTTP 503');
  expect(cells[5]).toBe('OK');
});

test('Ändra: a malformed extension is caught before sending; a server field error is shown by its field in Swedish, never the raw detail; then the save goes through', async () => {
  const { users } = endpoint();
  const puts: unknown[] = [];
  let refuse = true;
  const routes = fakeEndpoint({
    'GET /api/v1/admin/users': (r) => ({ total: 1, offset: 0, limit: 50, users: users.filter((u) => u.oid === 'oid-anna' || r.query.get('q') === 'never') }),
    'PUT /api/v1/admin/users/oid-anna': (r) => {
      puts.push(r.body);
      if (refuse) return problem(409, 'Extension 1022 is already linked to oid-7 (not shared).', 'extension');
      const body = r.body as { extension: string; shared: boolean; displayName: string | null };
      users[0] = { ...users[0]!, ...body };
      return { tid: 't1', oid: 'oid-anna', ...body };
    },
  });
  render(<UsersPage client={routes.client} lang="sv" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Ändra: Anna Andersson (1021)' }));
  const form = screen.getByTestId('user-form');
  const ext = within(form).getByRole('textbox', { name: /Anknytning/ }) as HTMLInputElement;
  expect(ext.value).toBe('1021');
  expect((within(form).getByRole('checkbox', { name: 'Delad anknytning' }) as HTMLInputElement).checked).toBe(true);

  fireEvent.change(ext, { target: { value: '1' } });
  fireEvent.click(within(form).getByRole('button', { name: 'Spara ändringen' }));
  const local = within(form).getByText('Anknytningen ska vara 2 till 15 siffror.');
  expect(ext.getAttribute('aria-invalid')).toBe('true');
  expect(ext.getAttribute('aria-describedby')).toContain(local.id);
  expect(puts).toHaveLength(0);

  fireEvent.change(ext, { target: { value: '1022' } });
  fireEvent.click(within(form).getByRole('button', { name: 'Spara ändringen' }));
  const taken = await within(form).findByText('Anknytningen används redan av en annan användare. Kryssa i Delad anknytning om flera ska dela den.');
  expect(ext.getAttribute('aria-describedby')).toContain(taken.id);
  expect(screen.queryByText(/already linked/)).toBeNull();
  expect(puts).toEqual([{ extension: '1022', shared: true, displayName: 'Anna Andersson', tid: 't1' }]);

  refuse = false;
  fireEvent.click(within(form).getByRole('checkbox', { name: 'Delad anknytning' }));
  fireEvent.click(within(form).getByRole('button', { name: 'Spara ändringen' }));
  await waitFor(() => expect(screen.queryByTestId('user-form')).toBeNull());
  expect(puts[1]).toEqual({ extension: '1022', shared: false, displayName: 'Anna Andersson', tid: 't1' });
  expect(status().textContent).toBe('Sparat: Anna Andersson har anknytning 1022.');
  await screen.findByRole('button', { name: 'Ändra: Anna Andersson (1022)' });
});

test('Ta bort koppling asks once, then DELETEs the extension link and reloads', async () => {
  const { users } = endpoint();
  const deletes: string[] = [];
  const routes = fakeEndpoint({
    'GET /api/v1/admin/users': () => ({ total: 1, offset: 0, limit: 50, users: [users[0]!] }),
    'DELETE /api/v1/admin/users/oid-anna/extension': (r) => {
      deletes.push(r.path);
      users[0] = { ...users[0]!, extension: null, shared: false };
      return { tid: 't1', oid: 'oid-anna', displayName: 'Anna Andersson', extension: null, shared: false };
    },
  });
  render(<UsersPage client={routes.client} lang="sv" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Ta bort koppling: Anna Andersson (1021)' }));
  expect(screen.getByText('Ta bort kopplingen mellan Anna Andersson och anknytning 1021? Användaren och hens inställningar finns kvar.')).toBeTruthy();
  expect(deletes).toHaveLength(0);
  fireEvent.click(screen.getByRole('button', { name: 'Ja, ta bort kopplingen' }));
  await waitFor(() => expect(status().textContent).toBe('Kopplingen mellan Anna Andersson och anknytning 1021 är borttagen.'));
  expect(deletes).toEqual(['/api/v1/admin/users/oid-anna/extension']);
  await waitFor(() => expect(screen.queryByRole('button', { name: /Ta bort koppling/ })).toBeNull());
  expect(screen.getByRole('button', { name: 'Ändra: Anna Andersson' })).toBeTruthy();
});

test('Koppla ny användare: object id and extension are required; the PUT goes to the new oid; English words in English', async () => {
  const puts: { path: string; body: unknown }[] = [];
  const f = fakeEndpoint({
    'GET /api/v1/admin/users': () => ({ total: 0, offset: 0, limit: 50, users: [] }),
    'PUT /api/v1/admin/users/new-oid': (r) => {
      puts.push({ path: r.path, body: r.body });
      return { tid: 't1', oid: 'new-oid', displayName: 'Bo Berg', extension: '3456', shared: false };
    },
  });
  render(<UsersPage client={f.client} lang="en" />);
  await waitFor(() => expect(status().textContent).toBe('No users match the search.'));
  fireEvent.click(screen.getByRole('button', { name: 'Link a new user' }));
  const form = screen.getByTestId('user-form');
  fireEvent.click(within(form).getByRole('button', { name: 'Link' }));
  expect(within(form).getByText('Enter the user’s object id.')).toBeTruthy();
  expect(within(form).getByText('The extension must be 2 to 15 digits.')).toBeTruthy();
  fireEvent.change(within(form).getByRole('textbox', { name: /Object id/ }), { target: { value: 'new-oid' } });
  fireEvent.change(within(form).getByRole('textbox', { name: /Extension/ }), { target: { value: '3456' } });
  fireEvent.change(within(form).getByRole('textbox', { name: 'Name' }), { target: { value: 'Bo Berg' } });
  await act(async () => {
    fireEvent.click(within(form).getByRole('button', { name: 'Link' }));
  });
  await waitFor(() => expect(puts).toHaveLength(1));
  expect(puts[0]).toEqual({ path: '/api/v1/admin/users/new-oid', body: { extension: '3456', shared: false, displayName: 'Bo Berg' } });
  await waitFor(() => expect(status().textContent).toBe('Saved: Bo Berg has extension 3456.'));
});

test('E-post (issue 17): a Google Workspace address is checked before sending and sent lowercased', async () => {
  const puts: { path: string; body: unknown }[] = [];
  const f = fakeEndpoint({
    'GET /api/v1/admin/users': () => ({ total: 0, offset: 0, limit: 50, users: [] }),
    'PUT /api/v1/admin/users/google-eva': (r) => {
      puts.push({ path: r.path, body: r.body });
      return { tid: 't1', oid: 'google-eva', displayName: null, extension: '1041', shared: false };
    },
  });
  render(<UsersPage client={f.client} lang="sv" />);
  await waitFor(() => expect(status().textContent).toBe('Inga användare matchar sökningen.'));
  fireEvent.click(screen.getByRole('button', { name: 'Koppla ny användare' }));
  const form = screen.getByTestId('user-form');
  fireEvent.change(within(form).getByRole('textbox', { name: /Objekt-id/ }), { target: { value: 'google-eva' } });
  fireEvent.change(within(form).getByRole('textbox', { name: /Anknytning/ }), { target: { value: '1041' } });
  const mail = within(form).getByRole('textbox', { name: 'E-post' });
  fireEvent.change(mail, { target: { value: 'inte en adress' } });
  fireEvent.click(within(form).getByRole('button', { name: 'Koppla' }));
  expect(within(form).getByText('Skriv en e-postadress, t.ex. anna@skola.se.')).toBeTruthy();
  expect(puts).toHaveLength(0);
  fireEvent.change(mail, { target: { value: ' Eva@Skola.se ' } });
  await act(async () => {
    fireEvent.click(within(form).getByRole('button', { name: 'Koppla' }));
  });
  await waitFor(() => expect(puts).toHaveLength(1));
  expect(puts[0]!.body).toEqual({ extension: '1041', shared: false, displayName: null, mail: 'eva@skola.se' });
});
