/**
 * @jest-environment jsdom
 */
/** Leveranser: polled every 3 s while the page is visible (at once when it shows again), Bara misslyckade, Försök igen per row and for all failed. */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import * as React from 'react';
import { DeliveriesPage } from '../../src/admin/pages/deliveries/DeliveriesPage';
import type { DeliveryRow } from '../../src/admin/types';
import { fakeEndpoint } from './fake';

jest.setTimeout(30_000);

const delivery = (extension: string, failed: boolean, extra: Partial<DeliveryRow> = {}): DeliveryRow => ({
  extension,
  state: { code: 'L', mex: 0, label: 'Lunch', forwarding: 'spoken', number: null, soft: false, returnAt: null },
  computedAt: '2026-11-24T11:00:00Z',
  nextBoundary: null,
  version: 4,
  deliveredVersion: failed ? 3 : 4,
  delivered: !failed,
  deliveredAt: failed ? null : '2026-11-24T11:00:02Z',
  attempts: failed ? 8 : 0,
  nextAttemptAt: null,
  lastError: failed ? 'HTTP 503' : null,
  failed,
  ...extra,
});

let visibility: DocumentVisibilityState = 'visible';
beforeAll(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility }));
beforeEach(() => {
  visibility = 'visible';
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

const flush = async (ms = 0) => {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
};

function endpoint() {
  let list = [delivery('1021', true), delivery('1030', false), delivery('1040', true)];
  const f = fakeEndpoint({
    'GET /api/v1/admin/deliveries': (r) => {
      const rows = r.query.get('failed') === 'true' ? list.filter((d) => d.failed) : list;
      return { total: rows.length, offset: Number(r.query.get('offset') ?? 0), limit: 50, deliveries: rows };
    },
    'POST /api/v1/admin/deliveries/retry': () => {
      const n = list.filter((d) => d.failed).length;
      list = list.map((d) => ({ ...d, failed: false, attempts: 0, lastError: null }));
      return { retried: n };
    },
    'POST /api/v1/admin/deliveries/1021/retry': () => ({ extension: '1021', retrying: true }),
  });
  return { f, setList: (l: DeliveryRow[]) => (list = l) };
}

const gets = (f: ReturnType<typeof endpoint>['f']) => f.to('GET /api/v1/admin/deliveries');
const status = () => document.querySelector('[role="status"]')!;

test('the list is asked for again 3 s after each answer while visible; not while hidden; at once when it shows again', async () => {
  const { f, setList } = endpoint();
  render(<DeliveriesPage client={f.client} lang="sv" />);
  await flush();
  expect(gets(f)).toHaveLength(1);
  expect(gets(f)[0]!.query.get('limit')).toBe('50');
  const table = screen.getByTestId('deliveries-table');
  expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
    'Anknytning',
    'Hänvisning',
    'Version',
    'Levererad version',
    'Levererad',
    'Försök',
    'Nästa försök',
    'Senaste fel',
    'Misslyckad',
    'Åtgärder',
  ]);
  const first = within(screen.getAllByTestId('delivery-row')[0]!).getAllByRole('cell').map((c) => c.textContent);
  expect(first.slice(0, 4)).toEqual(['1021', 'Lunch (L, MEX 0) Tills vidare', '4', '3']);
  expect(first[7]).toBe('HTTP 503');
  expect(first[8]).toBe('Ja');

  setList([delivery('1021', false)]);
  await flush(2999);
  expect(gets(f)).toHaveLength(1);
  await flush(1);
  expect(gets(f)).toHaveLength(2);
  expect(screen.getAllByTestId('delivery-row')).toHaveLength(1);
  expect(status().textContent).toBe('1 leverans');

  visibility = 'hidden';
  await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
  await flush(30_000);
  expect(gets(f)).toHaveLength(2);
  visibility = 'visible';
  await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
  expect(gets(f)).toHaveLength(3);
  await flush(3000);
  expect(gets(f)).toHaveLength(4);
});

test('Försök igen med alla misslyckade says how many are retried and reloads; Försök igen per row names its extension; Bara misslyckade asks with failed=true', async () => {
  const { f } = endpoint();
  render(<DeliveriesPage client={f.client} lang="sv" />);
  await flush();
  fireEvent.click(screen.getByRole('checkbox', { name: 'Bara misslyckade' }));
  await flush();
  expect(gets(f).at(-1)!.query.get('failed')).toBe('true');
  expect(gets(f).at(-1)!.query.get('offset')).toBe('0');
  expect(screen.getAllByTestId('delivery-row').map((r) => r.firstElementChild!.textContent)).toEqual(['1021', '1040']);

  fireEvent.click(screen.getByRole('button', { name: 'Försök igen: 1021' }));
  await flush();
  expect(f.to('POST /api/v1/admin/deliveries/1021/retry')).toHaveLength(1);
  expect(status().textContent).toBe('Anknytning 1021 försöks igen.');

  const before = gets(f).length;
  fireEvent.click(screen.getByRole('button', { name: 'Försök igen med alla misslyckade' }));
  await flush();
  expect(f.to('POST /api/v1/admin/deliveries/retry')).toHaveLength(1);
  expect(status().textContent).toBe('2 leveranser försöks igen.');
  expect(gets(f).length).toBe(before + 1);
  expect(screen.queryByTestId('deliveries-table')).toBeNull();

  fireEvent.click(screen.getByRole('button', { name: 'Försök igen med alla misslyckade' }));
  await flush();
  expect(status().textContent).toBe('Inga misslyckade leveranser att försöka igen.');
});

test('in English: the retry button of a row is "Try again: <extension>"', async () => {
  const { f } = endpoint();
  render(<DeliveriesPage client={f.client} lang="en" />);
  await flush();
  expect(screen.getByRole('button', { name: 'Try again: 1040' })).toBeTruthy();
  expect(screen.getByRole('checkbox', { name: 'Failed only' })).toBeTruthy();
});
