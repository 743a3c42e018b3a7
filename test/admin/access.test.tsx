/**
 * @jest-environment jsdom
 */
/**
 * Sign-in and access: development sign-in (user id, Administratör) → /me; a non-admin, or any
 * admin route answering 403, sees only "Ingen åtkomst"; Entra ID's redirect sign-in; the
 * language choice, remembered.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import * as React from 'react';
import { AdminApp } from '../../src/admin/App';
import type { EntraSignIn } from '../../src/admin/auth';
import { initialLang, LANG_KEY } from '../../src/admin/format';
import type { ConsoleConfig, Me } from '../../src/admin/types';
import { fakeEndpoint, problem } from './fake';

jest.setTimeout(30_000);

const DEV: ConsoleConfig = { devSignIn: true, clientId: null, scope: null, authority: null };
const ENTRA: ConsoleConfig = { devSignIn: false, clientId: '22222222-2222-2222-2222-222222222222', scope: 'api://kk/access_as_user', authority: null };
const me = (isAdmin: boolean, displayName = 'Bo Berg'): Me => ({ tid: 't1', oid: 'oid-bo', displayName, extension: null, shared: false, linked: false, isAdmin });
const USERS = { total: 1, offset: 0, limit: 50, users: [{ tid: 't1', oid: 'o1', displayName: 'Anna Andersson', upn: 'anna@kommun.se', mail: null, extension: '1021', shared: false, diversion: null, delivery: null, calendar: null }] };

beforeEach(() => sessionStorage.clear());

function devEndpoint(who: Me, users: () => unknown = () => USERS) {
  return fakeEndpoint({
    'GET /admin/config.json': () => DEV,
    'POST /addin/dev/token': () => ({ token: 'dev-token' }),
    'GET /api/v1/me': () => who,
    'GET /api/v1/admin/users': users,
  });
}

async function devSignIn() {
  const user = (await screen.findByRole('textbox', { name: 'Användar-id' })) as HTMLInputElement;
  expect(user.value).toBe('admin.dev');
  expect((screen.getByRole('checkbox', { name: 'Administratör' }) as HTMLInputElement).checked).toBe(true);
  fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
}

test('development sign-in as an admin: the token is asked for with {user, admin}, used as the bearer, and the console opens on Användare och anknytningar', async () => {
  const f = devEndpoint(me(true, 'Admin Dev'));
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} />);
  await devSignIn();
  await screen.findByTestId('users-table');
  expect(f.to('POST /addin/dev/token').map((c) => c.body)).toEqual([{ user: 'admin.dev', admin: true }]);
  expect(f.to('GET /api/v1/me')[0]!.headers.authorization).toBe('Bearer dev-token');
  expect(screen.getByRole('tab', { name: 'Användare och anknytningar', selected: true })).toBeTruthy();
  const tabs = screen.getAllByRole('tab');
  const names = ['Användare och anknytningar', 'Import', 'Leveranser', 'Kalendersynk', 'Koder och organisation', 'Journal'];
  expect(tabs).toHaveLength(names.length);
  names.forEach((name, i) => expect(screen.getByRole('tab', { name })).toBe(tabs[i]));
  expect(screen.getByText('Inloggad som Admin Dev')).toBeTruthy();
  expect(screen.queryByTestId('no-access')).toBeNull();
});

test('a user without the Admin role sees only "Ingen åtkomst": no tabs, no admin data asked for', async () => {
  const f = devEndpoint(me(false));
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} />);
  fireEvent.click(await screen.findByRole('checkbox', { name: 'Administratör' }));
  fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
  const page = await screen.findByTestId('no-access');
  expect(f.to('POST /addin/dev/token').map((c) => c.body)).toEqual([{ user: 'admin.dev', admin: false }]);
  expect(page.textContent).toContain('Ingen åtkomst');
  expect(page.textContent).toContain('approllen Admin');
  expect(page.textContent).toContain('Inloggad som Bo Berg.');
  expect(screen.queryByRole('tab')).toBeNull();
  expect(f.calls.filter((c) => c.path.startsWith('/api/v1/admin/'))).toHaveLength(0);
});

test('an admin route answering 403 replaces the console with "No access" (in English), and nothing of the page stays', async () => {
  const f = devEndpoint(me(true), () => problem(403, 'The Admin app role is required.'));
  render(<AdminApp lang="en" baseUrl="http://kk" fetchFn={f.fetchFn} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
  const page = await screen.findByTestId('no-access');
  expect(page.textContent).toContain('No access');
  expect(page.textContent).toContain('Admin app role');
  expect(screen.queryByRole('tab')).toBeNull();
  expect(screen.queryByRole('searchbox')).toBeNull();
  expect(screen.queryByText('The Admin app role is required.')).toBeNull();
});

test('a user id the endpoint refuses is said by the field', async () => {
  const f = fakeEndpoint({
    'GET /admin/config.json': () => DEV,
    'POST /addin/dev/token': () => problem(400, 'user: must be 1 to 64 characters', 'user'),
  });
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} />);
  await devSignIn();
  const refused = await screen.findByText('Servern godtar inte det användar-id:t.');
  expect(screen.getByRole('textbox', { name: 'Användar-id' }).getAttribute('aria-describedby')).toContain(refused.id);
  expect(screen.queryByText(/must be 1 to 64/)).toBeNull();
});

test('Entra ID: not signed in yet → "Logga in" starts the redirect; back from it → /me with the token MSAL gives', async () => {
  let login = 0;
  const signedOut: EntraSignIn = { signedIn: false, login: async () => void login++, session: () => ({ token: async () => null, signOut: async () => {} }) };
  const f = fakeEndpoint({ 'GET /admin/config.json': () => ENTRA, 'GET /api/v1/me': () => me(true), 'GET /api/v1/admin/users': () => USERS });
  const seen: { config: ConsoleConfig; redirectUri: string }[] = [];
  const { unmount } = render(
    <AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} redirectUri="https://kk.kommun.se/admin/" loadEntra={async (config, redirectUri) => (seen.push({ config, redirectUri }), signedOut)} />,
  );
  fireEvent.click(await screen.findByRole('button', { name: 'Logga in' }));
  expect(login).toBe(1);
  expect(seen[0]).toEqual({ config: ENTRA, redirectUri: 'https://kk.kommun.se/admin/' });
  expect(f.to('GET /api/v1/me')).toHaveLength(0);
  unmount();

  const back: EntraSignIn = { signedIn: true, login: async () => {}, session: () => ({ token: async () => 'entra-token', signOut: async () => {} }) };
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} loadEntra={async () => back} />);
  await screen.findByTestId('users-table');
  expect(f.to('GET /api/v1/me')[0]!.headers.authorization).toBe('Bearer entra-token');
});

test('the language: Swedish unless the browser is not; the choice in the header switches the words and is remembered', async () => {
  expect(initialLang(null, 'sv-SE')).toBe('sv');
  expect(initialLang(null, 'en-US')).toBe('en');
  expect(initialLang(null, 'de-DE')).toBe('en');
  expect(initialLang(null, undefined)).toBe('sv');
  expect(initialLang({ getItem: () => 'sv' }, 'en-US')).toBe('sv');
  expect(initialLang({ getItem: () => 'en' }, 'sv-SE')).toBe('en');

  const saved: [string, string][] = [];
  const f = devEndpoint(me(true));
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} storage={{ setItem: (k, v) => void saved.push([k, v]) }} />);
  await devSignIn();
  await screen.findByTestId('users-table');
  fireEvent.change(screen.getByRole('combobox', { name: 'Språk' }), { target: { value: 'en' } });
  await waitFor(() => expect(screen.getByRole('tab', { name: 'Users and extensions' })).toBeTruthy());
  expect(screen.getByRole('combobox', { name: 'Language' })).toBeTruthy();
  expect(saved).toEqual([[LANG_KEY, 'en']]);
  expect(document.documentElement.lang).toBe('en');
});

test('no config.json: the page says so and Försök igen asks again', async () => {
  let up = false;
  const f = fakeEndpoint({ 'GET /admin/config.json': () => (up ? DEV : problem(503, 'starting')) });
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} />);
  await screen.findByText('Kunde inte hämta inställningarna från Kalenderkoppling (/admin/config.json).');
  up = true;
  fireEvent.click(screen.getByRole('button', { name: 'Försök igen' }));
  await screen.findByRole('textbox', { name: 'Användar-id' });
});
