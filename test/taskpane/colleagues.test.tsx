/**
 * @jest-environment jsdom
 */
/** Kollegor: search by name or extension, what the directory shows, the 30 s refresh while visible. */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import * as React from 'react';
import { type ColleagueJson, EndpointClient } from '../../src/taskpane/api/client';
import { Colleagues } from '../../src/taskpane/components/colleagues/Colleagues';

function fake(answer: (q: string) => { status: number; body: unknown }) {
  const queries: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    if ((init.method ?? 'GET') !== 'GET' || u.pathname !== '/api/v1/colleagues') return { ok: false, status: 404, json: async () => ({ detail: 'no' }) };
    const q = u.searchParams.get('q') ?? '';
    queries.push(q);
    const r = answer(q);
    return { ok: r.status < 300, status: r.status, json: async () => r.body };
  }) as unknown as typeof fetch;
  return { queries, client: new EndpointClient('http://kk', async () => 't', fetchFn) };
}

const entry = (label: string, returnText: string, text: string | null, soft = false) => ({ label, returnText, text, soft });
const MARIE: ColleagueJson = {
  displayName: 'Ericsson Marie',
  extension: '8292',
  status: { sv: entry('Lunch', '➔ 13:00', 'Matsalen'), en: entry('Lunch', '➔ 13:00', 'Matsalen') },
};
const GUSTAV: ColleagueJson = { displayName: 'Ericsson Gustav', extension: '9171', status: null };
const CAROLINE: ColleagueJson = {
  displayName: 'Starkås Caroline',
  extension: '9388',
  status: { sv: entry('Ej på kontoret', 'Tills vidare', null, true), en: entry('Gone for the day', 'Until further notice', null, true) },
};
const DIRECTORY = [MARIE, GUSTAV, CAROLINE];
const matching = (q: string) => ({ status: 200, body: { colleagues: DIRECTORY.filter((c) => c.extension.startsWith(q) || (c.displayName ?? '').toLowerCase().includes(q.toLowerCase())), more: false } });

const box = () => screen.getByRole('searchbox', { name: 'Sök kollega (namn eller anknytning)' });

test('a colleague found by extension shows name, extension, label, "➔ 13:00" and the information; typing is debounced', async () => {
  const f = fake(matching);
  render(<Colleagues client={f.client} lang="sv" />);
  expect(box().getAttribute('data-testid')).toBe('colleague-search');
  fireEvent.change(box(), { target: { value: '8' } });
  expect(screen.getByRole('status').textContent).toBe('Skriv minst två tecken.');
  fireEvent.change(box(), { target: { value: '82' } });
  fireEvent.change(box(), { target: { value: '829' } });
  const [result, ...more] = await screen.findAllByTestId('colleague-result');
  expect(more).toHaveLength(0);
  // One search, for what was typed last: not one per keystroke, none for one character.
  expect(f.queries).toEqual(['829']);
  expect(result!.textContent).toContain('Ericsson Marie');
  expect(result!.textContent).toContain('8292');
  expect(within(result!).getByText('Lunch ➔ 13:00')).toBeTruthy();
  expect(within(result!).getByText('Information: Matsalen')).toBeTruthy();
  expect(screen.getByRole('status').textContent).toBe('1 träff');
});

test('a colleague without status shows "Ingen frånvaro"; Tills vidare and soft are shown (English too)', async () => {
  const f = fake(matching);
  const { unmount } = render(<Colleagues client={f.client} lang="sv" />);
  fireEvent.change(box(), { target: { value: 'Ericsson' } });
  const results = await screen.findAllByTestId('colleague-result');
  expect(results.map((r) => r.textContent)).toEqual([expect.stringContaining('Lunch ➔ 13:00'), expect.stringContaining('Ingen frånvaro')]);
  expect(results[0]!.textContent).not.toContain('Ingen frånvaro');
  expect(screen.getByRole('status').textContent).toBe('2 träffar');
  unmount();

  render(<Colleagues client={f.client} lang="en" />);
  fireEvent.change(screen.getByRole('searchbox', { name: 'Search colleague (name or extension)' }), { target: { value: '9388' } });
  const [caroline] = await screen.findAllByTestId('colleague-result');
  expect(within(caroline!).getByText('Gone for the day Until further notice')).toBeTruthy();
  expect(within(caroline!).getByText('No forwarding: the phone rings as usual')).toBeTruthy();
});

test.each([
  ['sv' as const, 'Sök kollega (namn eller anknytning)', 'De första 20 träffarna visas: skriv mer av namnet för att hitta fler.', '2 träffar'],
  ['en' as const, 'Search colleague (name or extension)', 'The first 20 results are shown: type more of the name to find others.', '2 results'],
])('%s: when more matched than the endpoint lists, the pane says so and how to narrow it', async (lang, name, manyLine, fewLine) => {
  const many = Array.from({ length: 20 }, (_, i): ColleagueJson => ({ displayName: `Kollega ${i}`, extension: `30${String(i).padStart(2, '0')}`, status: null }));
  const f = fake((q) => (q === 'ko' ? { status: 200, body: { colleagues: many, more: true } } : matching(q)));
  render(<Colleagues client={f.client} lang={lang} debounceMs={0} />);
  fireEvent.change(screen.getByRole('searchbox', { name }), { target: { value: 'ko' } });
  expect(await screen.findAllByTestId('colleague-result')).toHaveLength(20);
  expect(screen.getByRole('status').textContent).toBe(manyLine);
  fireEvent.change(screen.getByRole('searchbox', { name }), { target: { value: 'Ericsson' } });
  expect(await screen.findByText(fewLine)).toBeTruthy();
});

describe('refresh', () => {
  let visibility: DocumentVisibilityState = 'visible';
  beforeAll(() => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility }));
  beforeEach(() => {
    visibility = 'visible';
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  const advance = async (ms: number) => {
    await act(async () => {
      jest.advanceTimersByTime(ms);
    });
  };

  test('the results are searched again every 30 s while the page is visible, and at once when it shows again', async () => {
    let label = 'Lunch';
    const f = fake(() => ({ status: 200, body: { colleagues: [{ ...MARIE, status: { sv: entry(label, '➔ 13:00', null), en: entry(label, '➔ 13:00', null) } }] } }));
    render(<Colleagues client={f.client} lang="sv" />);
    fireEvent.change(box(), { target: { value: '8292' } });
    await advance(299);
    expect(f.queries).toHaveLength(0);
    await advance(1);
    expect(f.queries).toEqual(['8292']);
    expect(screen.getByTestId('colleague-result').textContent).toContain('Lunch ➔ 13:00');

    label = 'Möte';
    await advance(29_999);
    expect(f.queries).toHaveLength(1);
    await advance(1);
    expect(f.queries).toEqual(['8292', '8292']);
    expect(screen.getByTestId('colleague-result').textContent).toContain('Möte ➔ 13:00');

    // Hidden: no searches; visible again: one at once.
    visibility = 'hidden';
    await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
    await advance(60_000);
    expect(f.queries).toHaveLength(2);
    visibility = 'visible';
    await act(async () => void document.dispatchEvent(new Event('visibilitychange')));
    expect(f.queries).toHaveLength(3);
  });

  test('a failed refresh is said calmly and keeps the results; the next refresh clears it', async () => {
    let fail = false;
    const f = fake((q) => (fail ? { status: 503, body: { detail: 'sign-in keys could not be fetched' } } : matching(q)));
    render(<Colleagues client={f.client} lang="sv" />);
    fireEvent.change(box(), { target: { value: '8292' } });
    await advance(300);
    expect(screen.getAllByTestId('colleague-result')).toHaveLength(1);
    fail = true;
    await advance(30_000);
    expect(screen.getByRole('status').textContent).toBe('Kunde inte söka just nu. Försöker igen om en stund.');
    expect(screen.queryByText(/sign-in keys/)).toBeNull();
    expect(screen.getAllByTestId('colleague-result')).toHaveLength(1);
    fail = false;
    await advance(30_000);
    expect(screen.getByRole('status').textContent).toBe('1 träff');
  });
});

test('not connected: the tab says so and searches nothing', () => {
  render(<Colleagues client={null} lang="sv" />);
  expect(screen.getByText('Inte ansluten: logga in för att söka kollegor.')).toBeTruthy();
});
