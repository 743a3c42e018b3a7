/**
 * @jest-environment jsdom
 */
/** Import: a file read or text pasted, Provkör shows the summary and the rows (reasons in the console's language), the filters, then Verkställ applies the same text. */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { ImportPage } from '../../src/admin/pages/import/ImportPage';
import type { ImportResult, ImportRow } from '../../src/admin/types';
import { fakeEndpoint, problem } from './fake';

const CSV = 'user;extension;shared;displayName\nanna@kommun.se;1021;nej;Anna Andersson\nbo@kommun.se;1030;ja;Bo Berg\nokand@kommun.se;1040;nej;\ncarl@kommun.se;1050;nej;Carl';

const row = (line: number, user: string, extension: string, status: ImportRow['status'], extra: Partial<ImportRow> = {}): ImportRow => ({
  line,
  user,
  oid: status === 'error' ? null : `oid-${line}`,
  displayName: null,
  extension,
  shared: false,
  status,
  reason: null,
  before: null,
  ...extra,
});

function answer(dryRun: boolean): ImportResult {
  return {
    dryRun,
    applied: !dryRun,
    summary: { new: 1, changed: 1, unchanged: 1, error: 1 },
    rows: [
      row(2, 'anna@kommun.se', '1021', 'unchanged', { displayName: 'Anna Andersson', before: { extension: '1021', shared: false, displayName: 'Anna Andersson' } }),
      row(3, 'bo@kommun.se', '1030', 'changed', { shared: true, displayName: 'Bo Berg', before: { extension: '1029', shared: false, displayName: 'Bo Berg' } }),
      row(4, 'okand@kommun.se', '1040', 'error', { reason: { code: 'unknownUser', message: { sv: 'Användaren okand@kommun.se finns inte.', en: 'No user okand@kommun.se.' } } }),
      row(5, 'carl@kommun.se', '1050', 'new', { displayName: 'Carl' }),
    ],
  };
}

// jsdom renders Fluent UI slowly on a busy machine; the first test of a file also warms it up.
jest.setTimeout(30_000);
const status = () => document.querySelector('[role="status"]')!;
const rows = () => screen.getAllByTestId('import-row').map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));

test('Provkör, then Verkställ: the same text is sent with dryRun true, then false; the summary, the rows and their reasons are shown; the filters narrow the rows', async () => {
  const f = fakeEndpoint({ 'POST /api/v1/admin/users/import': (r) => answer((r.body as { dryRun: boolean }).dryRun) });
  render(<ImportPage client={f.client} lang="sv" />);
  const apply = screen.getByRole('button', { name: 'Verkställ' }) as HTMLButtonElement;
  expect(apply.disabled).toBe(true);
  fireEvent.change(screen.getByTestId('import-text'), { target: { value: CSV } });
  fireEvent.click(screen.getByRole('button', { name: 'Provkör' }));
  expect(status().textContent).toBe('Provkör …');
  await waitFor(() => expect(status().textContent).toBe('Provkörningen är klar. Inget är sparat ännu: granska raderna och välj Verkställ.'));
  expect(f.to('POST /api/v1/admin/users/import').map((c) => c.body)).toEqual([{ csv: CSV, dryRun: true }]);

  const result = screen.getByTestId('import-result');
  expect(within(result).getByTestId('import-new').textContent).toBe('Ny1');
  expect(within(result).getByTestId('import-changed').textContent).toBe('Ändrad1');
  expect(within(result).getByTestId('import-unchanged').textContent).toBe('Oförändrad1');
  expect(within(result).getByTestId('import-error').textContent).toBe('Fel1');
  expect(rows()).toHaveLength(4);
  expect(rows()[1]).toEqual(['3', 'bo@kommun.se', 'Bo Berg', '1030 (tidigare 1029)', 'Ja', 'Ändrad', '']);
  expect(rows()[2]).toEqual(['4', 'okand@kommun.se', '—', '1040', 'Nej', 'Fel', 'Användaren okand@kommun.se finns inte.']);

  fireEvent.click(screen.getByRole('radio', { name: 'Bara fel' }));
  expect(rows().map((r) => r[0])).toEqual(['4']);
  fireEvent.click(screen.getByRole('radio', { name: 'Bara ändringar' }));
  expect(rows().map((r) => r[0])).toEqual(['3', '5']);

  expect(apply.disabled).toBe(false);
  fireEvent.click(apply);
  expect(status().textContent).toBe('Verkställer …');
  await waitFor(() => expect(status().textContent).toBe('Verkställt: 1 nya och 1 ändrade kopplingar sparades. Rader med fel (1) verkställdes inte.'));
  expect(f.to('POST /api/v1/admin/users/import').map((c) => c.body)).toEqual([
    { csv: CSV, dryRun: true },
    { csv: CSV, dryRun: false },
  ]);
  // What was applied is shown; applying again needs a new dry run.
  expect(screen.getAllByTestId('import-row')).toHaveLength(4);
  expect((screen.getByRole('button', { name: 'Verkställ' }) as HTMLButtonElement).disabled).toBe(true);
});

test('a file is read ("Läser fil …") into the text; editing the text after a dry run takes Verkställ away; reasons in English come from the row', async () => {
  const f = fakeEndpoint({ 'POST /api/v1/admin/users/import': () => answer(true) });
  render(<ImportPage client={f.client} lang="en" />);
  const input = screen.getByTestId('import-file') as HTMLInputElement;
  expect(input.accept).toContain('.csv');
  expect(screen.getByLabelText('Choose a file (CSV)')).toBe(input);
  fireEvent.change(input, { target: { files: [new File([CSV], 'users.csv', { type: 'text/csv' })] } });
  expect(status().textContent).toBe('Reading file …');
  await waitFor(() => expect(status().textContent).toBe('Read users.csv: 4 rows besides the header.'));
  expect((screen.getByTestId('import-text') as HTMLTextAreaElement).value).toBe(CSV);

  fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
  await screen.findByTestId('import-result');
  expect(screen.getByText('No user okand@kommun.se.')).toBeTruthy();
  expect((screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled).toBe(false);
  fireEvent.change(screen.getByTestId('import-text'), { target: { value: `${CSV}\nx@kommun.se;1060;;` } });
  expect(screen.queryByTestId('import-result')).toBeNull();
  expect((screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled).toBe(true);
});

test('a header without a user or extension column (400 naming csv) is said in the console’s words, and the format help names the columns', async () => {
  const f = fakeEndpoint({ 'POST /api/v1/admin/users/import': () => problem(400, 'csv: the header has no user column (user, upn, email, …)', 'csv') });
  render(<ImportPage client={f.client} lang="sv" />);
  fireEvent.change(screen.getByTestId('import-text'), { target: { value: 'namn;telefon\nAnna;1021' } });
  fireEvent.click(screen.getByRole('button', { name: 'Provkör' }));
  await waitFor(() => expect(status().textContent).toBe('Filen kan inte läsas in: kontrollera rubrikraden (en kolumn för användare och en för anknytning, var och en bara en gång) och att filen har högst 20 000 rader och 5 MB. Se formatet nedan.'));
  expect(screen.queryByText(/header has no user column/)).toBeNull();
  expect(screen.queryByTestId('import-result')).toBeNull();
  expect(screen.getByText(/extension \(eller anknytning\): 2–15 siffror/)).toBeTruthy();
  expect(screen.getByText(/komma \(,\) eller semikolon \(;\)/)).toBeTruthy();
});

test('nothing to send: Provkör says so and asks nothing', () => {
  const f = fakeEndpoint({});
  render(<ImportPage client={f.client} lang="sv" />);
  fireEvent.click(screen.getByRole('button', { name: 'Provkör' }));
  expect(status().textContent).toBe('Välj en fil eller klistra in innehållet först.');
  expect(f.calls).toHaveLength(0);
});
