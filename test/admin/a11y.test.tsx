/**
 * @jest-environment jsdom
 */
/**
 * axe-core over every page of the console (rendered with data, in jsdom): no serious or critical
 * violations. Colour contrast needs a real browser (Playwright checks it); the rest holds here.
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import * as React from 'react';
import { AdminApp } from '../../src/admin/App';
import { PAGES, type PageId } from '../../src/admin/Console';
import { DEFAULT_CODES } from '../../src/core/catalog';
import { fakeEndpoint } from './fake';

jest.setTimeout(120_000);

beforeEach(() => sessionStorage.clear());

const LUNCH = { code: 'L', mex: 0, label: 'Lunch', forwarding: 'spoken', number: null, soft: false, returnAt: '2026-11-24T12:00:00Z' };

function endpoint(isAdmin = true) {
  return fakeEndpoint({
    'GET /admin/config.json': () => ({ devSignIn: true, clientId: null, scope: null, authority: null }),
    'POST /addin/dev/token': () => ({ token: 'dev' }),
    'GET /api/v1/me': () => ({ tid: 't', oid: 'o', displayName: 'Admin', extension: null, shared: false, linked: false, isAdmin }),
    'GET /api/v1/admin/users': () => ({
      total: 120,
      offset: 0,
      limit: 50,
      users: [
        {
          tid: 't',
          oid: 'o1',
          displayName: 'Anna Andersson',
          upn: 'anna@kommun.se',
          mail: 'anna.andersson@kommun.se',
          extension: '1021',
          shared: true,
          diversion: { key: 'L', label: { sv: 'Lunch', en: 'Lunch' }, returnAt: '2026-11-24T12:00:00Z', returnText: { sv: '➔ 13:00', en: '➔ 13:00' }, soft: false },
          delivery: { version: 2, deliveredVersion: 1, delivered: false, deliveredAt: null, attempts: 3, nextAttemptAt: null, lastError: 'HTTP 503', failed: true },
          calendar: { lastSuccessAt: null, lastError: 'Graph 401', lagSeconds: null, subscriptionActive: false },
        },
      ],
    }),
    'POST /api/v1/admin/users/import': () => ({
      dryRun: true,
      applied: false,
      summary: { new: 1, changed: 0, unchanged: 0, error: 1 },
      rows: [
        { line: 2, user: 'a@kommun.se', oid: 'o', displayName: null, extension: '1021', shared: false, status: 'new', reason: null, before: null },
        { line: 3, user: 'x@kommun.se', oid: null, displayName: null, extension: '12', shared: false, status: 'error', reason: { code: 'unknownUser', message: { sv: 'Okänd', en: 'Unknown' } }, before: null },
      ],
    }),
    'GET /api/v1/admin/deliveries': () => ({
      total: 1,
      offset: 0,
      limit: 50,
      deliveries: [{ extension: '1021', state: LUNCH, computedAt: null, nextBoundary: null, version: 2, deliveredVersion: 1, delivered: false, deliveredAt: null, attempts: 3, nextAttemptAt: null, lastError: 'HTTP 503', failed: true }],
    }),
    'GET /api/v1/admin/calendar': () => ({
      enabled: true,
      notifications: true,
      users: [{ oid: 'o1', extension: '1021', lastSuccessAt: null, lastError: null, lastErrorAt: null, lagSeconds: 4, lastRoundLagMs: 10, windowStart: null, windowEnd: null, subscriptionActive: true, subscriptionExpiresAt: '2026-11-26T00:00:00Z', process: 'kk-1:4711:1a2b3c4d' }],
      // Issue 18: the process reading each calendar, and the processes.
      processes: [
        { name: 'kk-1:4711:1a2b3c4d', host: 'kk-1', pid: 4711, startedAt: '2026-11-24T08:00:00Z', heartbeatAt: '2026-11-24T10:00:00Z', graphUsers: 1, googleUsers: 0 },
        { name: 'kk-2:5120:9f8e7d6c', host: 'kk-2', pid: 5120, startedAt: '2026-11-24T08:00:00Z', heartbeatAt: '2026-11-24T10:00:00Z', graphUsers: 0, googleUsers: 0 },
      ],
      thisProcess: 'kk-2:5120:9f8e7d6c',
      // Issue 17: the Google section is on the page too.
      google: { enabled: true, notifications: false, users: [{ oid: 'o2', extension: '1022', email: 'eva@skola.se', lastSuccessAt: null, lastError: 'HTTP 403 rateLimitExceeded', lastErrorAt: '2026-11-24T10:00:00Z', lagSeconds: null, lastRoundLagMs: null, channelActive: false, channelExpiresAt: null, process: null }] },
    }),
    'GET /api/v1/admin/directory': () => ({
      enabled: true,
      attribute: 'businessPhones',
      digits: 4,
      syncAt: '03:00',
      lastRunAt: '2026-11-24T02:00:00Z',
      lastRun: {
        attribute: 'businessPhones',
        ranAt: '2026-11-24T02:00:00Z',
        dryRun: false,
        summary: { linked: 1, changed: 0, unchanged: 3, skipped: 1 },
        changes: [{ oid: 'o9', displayName: 'Carl Ek', upn: 'carl@kommun.se', before: null, after: '1050' }],
        skipped: [{ oid: 'o8', upn: 'dan@kommun.se', reason: 'malformed' }],
      },
    }),
    'GET /api/v1/admin/org': () => ({ org: { extraDaysOff: ['2026-12-24'] }, updatedAt: null }),
    'GET /api/v1/admin/catalog': () => ({ codes: DEFAULT_CODES.map((c) => ({ ...c, builtIn: true })) }),
    'POST /api/v1/admin/org/preview': () => ({
      diverts: true,
      reason: null,
      reasonText: null,
      code: { key: 'L', mex: 0, label: 'Lunch' },
      forwarding: { mode: 'spoken', number: null },
      from: '2026-11-24T11:00:00Z',
      to: '2026-11-24T12:00:00Z',
      text: null,
      warnings: [{ key: 'w', params: {}, message: { sv: 'Varning', en: 'Warning' } }],
    }),
    'GET /api/v1/admin/switch': () => ({ entries: [{ extension: '1021', version: 1, state: LUNCH, at: '2026-11-24T11:00:00Z' }] }),
  });
}

async function serious(): Promise<string[]> {
  const r = await axe.run(document.body, { resultTypes: ['violations'], rules: { 'color-contrast': { enabled: false } } });
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const READY: Record<PageId, string> = {
  users: 'users-table',
  import: 'import-text',
  deliveries: 'deliveries-table',
  calendar: 'calendar-table',
  org: 'org-editor',
  journal: 'journal-table',
};

test('the sign-in page has no serious or critical violations', async () => {
  const f = endpoint();
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} />);
  await screen.findByRole('textbox', { name: 'Användar-id' });
  expect(await serious()).toEqual([]);
});

test('"Ingen åtkomst" has no serious or critical violations', async () => {
  const f = endpoint(false);
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Logga in' }));
  await screen.findByTestId('no-access');
  expect(await serious()).toEqual([]);
});

test.each(PAGES.map((p) => [p]))('the page %s, with data, has no serious or critical violations', async (page) => {
  const f = endpoint();
  render(<AdminApp lang="sv" baseUrl="http://kk" fetchFn={f.fetchFn} initialPage={page} debounceMs={0} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Logga in' }));
  await screen.findByTestId(READY[page]);
  if (page === 'import') {
    fireEvent.change(screen.getByTestId('import-text'), { target: { value: 'user;extension\na@kommun.se;1021' } });
    fireEvent.click(screen.getByRole('button', { name: 'Provkör' }));
    await screen.findByTestId('import-result');
  }
  if (page === 'org') {
    fireEvent.click(within(screen.getByTestId('org-preview')).getByRole('button', { name: 'Förhandsgranska' }));
    await screen.findByTestId('org-preview-result');
  }
  if (page === 'users') fireEvent.click(screen.getByRole('button', { name: 'Ändra: Anna Andersson (1021)' }));
  expect(await serious()).toEqual([]);
});
