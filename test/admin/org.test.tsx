/**
 * @jest-environment jsdom
 */
/**
 * Koder och organisation: Spara sends the whole document with what was not edited kept as it
 * came; a 400's field (org.catalog[i].x, body.catalog.i.x, workdayEnd) marks that input;
 * Förhandsgranska tries the unsaved draft.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import { DEFAULT_CODES } from '../../src/core/catalog';
import { docOf, draftOf, errorFor } from '../../src/admin/pages/org/model';
import { OrgPage } from '../../src/admin/pages/org/OrgPage';
import { ORG_TEXTS } from '../../src/admin/pages/org/texts';
import type { AdminCatalogCode, OrgDocument } from '../../src/admin/types';
import { fakeEndpoint, problem } from './fake';

jest.setTimeout(30_000);

const ORG: OrgDocument = {
  timeZone: 'Europe/Stockholm',
  catalog: [{ key: 'L', label: { sv: 'Lunchrast' } }],
  settings: { soft: false },
  profile: { lunch: { mode: 'spoken' } },
};

const CODES: AdminCatalogCode[] = DEFAULT_CODES.map((c) => ({ ...c, label: c.key === 'L' ? { sv: 'Lunchrast', en: 'Lunch' } : c.label, builtIn: true }));

function endpoint(put: (body: OrgDocument) => unknown = (body) => ({ org: body, updatedAt: '2026-11-24T12:00:00Z' })) {
  let org = ORG;
  return fakeEndpoint({
    'GET /api/v1/admin/org': () => ({ org, updatedAt: '2026-11-20T08:00:00Z' }),
    'GET /api/v1/admin/catalog': () => ({ codes: CODES }),
    'PUT /api/v1/admin/org': (r) => {
      const answer = put(r.body as OrgDocument);
      if (!(answer && typeof answer === 'object' && 'org' in answer)) return answer;
      org = r.body as OrgDocument;
      return answer;
    },
    'POST /api/v1/admin/org/preview': () => ({
      diverts: true,
      reason: null,
      reasonText: null,
      code: { key: 'L', mex: 0, label: 'Lunchrast' },
      forwarding: { mode: 'spoken', number: null },
      from: '2026-11-24T11:00:00Z',
      to: '2026-11-24T12:00:00Z',
      text: null,
      warnings: [{ key: 'lateEnd', params: {}, message: { sv: 'Bokningen slutar efter arbetsdagen.', en: 'The booking ends after the working day.' } }],
    }),
  });
}

// By label, not by role: role queries over the editor's ~70 inputs are slow in jsdom.
const input = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
const messageOf = (el: HTMLElement) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');

test('Spara sends the whole document: an edited code joins the overrides, the rest (settings, profile, other overrides) as it came', async () => {
  const f = endpoint();
  render(<OrgPage client={f.client} lang="sv" />);
  await screen.findByTestId('org-editor');
  expect(input('Benämning (svenska): L').value).toBe('Lunchrast');
  fireEvent.change(input('Benämning (svenska): M'), { target: { value: 'Sammanträde' } });
  fireEvent.click(screen.getByRole('checkbox', { name: 'Aktiv: VAB' }));
  fireEvent.change(input('Arbetsdagen slutar'), { target: { value: '16:30' } });
  fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
  await waitFor(() => expect(f.to('PUT /api/v1/admin/org')).toHaveLength(1));
  expect(f.to('PUT /api/v1/admin/org')[0]!.body).toEqual({
    timeZone: 'Europe/Stockholm',
    workdayEnd: '16:30',
    catalog: [{ key: 'L', label: { sv: 'Lunchrast' } }, { key: 'M', label: { sv: 'Sammanträde' } }, { key: 'VAB', enabled: false }],
    settings: { soft: false },
    profile: { lunch: { mode: 'spoken' } },
  });
  await waitFor(() => expect(screen.getByText('Sparat.')).toBeTruthy());
  // Saved: the document and catalog are read again.
  await waitFor(() => expect(f.to('GET /api/v1/admin/org')).toHaveLength(2));
});

test.each([
  ['org.catalog[1].label.sv', 'Benämning (svenska): M', 'Benämningen ska ha 1 till 200 tecken.'],
  ['body.catalog.1.standardLength.minutes', 'Minuter: M', 'Standardlängden ska vara 1 till 10 080 minuter, eller Nästa arbetsdag.'],
  ['workdayEnd', 'Arbetsdagen slutar', 'Ange tiden som TT:MM, t.ex. 08:00.'],
])('a 400 naming %s marks that input with the console’s words; the raw detail is not shown', async (field, name, message) => {
  const f = endpoint(() => problem(400, `${field}: is not accepted by the core`, field));
  render(<OrgPage client={f.client} lang="sv" />);
  await screen.findByTestId('org-editor');
  fireEvent.change(input('Benämning (svenska): M'), { target: { value: 'Sammanträde' } });
  fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
  await waitFor(() => expect(input(name).getAttribute('aria-invalid')).toBe('true'));
  expect(messageOf(input(name))).toContain(message);
  expect(screen.getByText('Kunde inte spara: rätta det markerade fältet. Inget ändrades.')).toBeTruthy();
  expect(screen.queryByText(/is not accepted by the core/)).toBeNull();
  expect(input('Benämning (svenska): L').getAttribute('aria-invalid')).not.toBe('true');
});

test('a code added now is sent with all its fields; a 400 on its MEX marks its MEX input; MEX outside 0–9 is caught before sending', async () => {
  const f = endpoint(() => problem(400, 'org.catalog[1].mex: MEX 5 is used by K', 'org.catalog[1].mex'));
  render(<OrgPage client={f.client} lang="sv" />);
  await screen.findByTestId('org-editor');
  const add = within(screen.getByRole('region', { name: 'Lägg till kod' }));
  fireEvent.change(add.getByRole('textbox', { name: 'Kod (NP/…:)' }), { target: { value: 'Q' } });
  fireEvent.change(add.getByRole('textbox', { name: 'MEX-kod (0–9)' }), { target: { value: '12' } });
  fireEvent.change(add.getByRole('textbox', { name: 'Benämning (svenska)' }), { target: { value: 'Kvart' } });
  fireEvent.change(add.getByRole('textbox', { name: 'Benämning (engelska)' }), { target: { value: 'Quarter' } });
  fireEvent.change(add.getByRole('combobox', { name: 'Grupp' }), { target: { value: 'meeting' } });
  fireEvent.click(add.getByRole('button', { name: 'Lägg till koden' }));
  expect(add.getByText('MEX-koden ska vara en siffra 0–9.')).toBeTruthy();
  fireEvent.change(add.getByRole('textbox', { name: 'MEX-kod (0–9)' }), { target: { value: '5' } });
  fireEvent.click(add.getByRole('button', { name: 'Lägg till koden' }));
  expect(add.getByText('Koden Q är tillagd i utkastet. Välj Spara för att börja använda den.')).toBeTruthy();

  fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
  await waitFor(() => expect(input('MEX: Q').getAttribute('aria-invalid')).toBe('true'));
  expect((f.to('PUT /api/v1/admin/org')[0]!.body as OrgDocument).catalog).toEqual([
    { key: 'L', label: { sv: 'Lunchrast' } },
    { key: 'Q', label: { sv: 'Kvart', en: 'Quarter' }, mex: 5, group: 'meeting', standardLength: { minutes: 60 }, enabled: true },
  ]);
  expect(messageOf(input('MEX: Q'))).toContain('MEX-koden ska vara en siffra 0–9.');
});

test('Förhandsgranska sends the unsaved draft with the booking and shows diverts, the code, what a caller hears and the warnings', async () => {
  const f = endpoint();
  render(<OrgPage client={f.client} lang="sv" />);
  await screen.findByTestId('org-editor');
  fireEvent.change(input('Benämning (svenska): L'), { target: { value: 'Lunch i matsalen' } });
  const box = within(screen.getByTestId('org-preview'));
  expect((box.getByRole('textbox', { name: 'Ämne' }) as HTMLInputElement).value).toBe('NP/L: Lunch');
  fireEvent.click(box.getByRole('button', { name: 'Förhandsgranska' }));
  await box.findByTestId('org-preview-result');
  const sent = f.to('POST /api/v1/admin/org/preview')[0]!.body as { org: OrgDocument; booking: { subject: string; start: string; end: string } };
  expect(sent.org.catalog).toEqual([{ key: 'L', label: { sv: 'Lunch i matsalen' } }]);
  expect(sent.booking.subject).toBe('NP/L: Lunch');
  const start = new Date(sent.booking.start);
  expect([start.getHours(), start.getMinutes()]).toEqual([12, 0]);
  expect(new Date(sent.booking.end).getTime() - start.getTime()).toBe(3_600_000);
  expect(box.getByText('Bokningen hänvisar anknytningen.')).toBeTruthy();
  expect(box.getByText('Lunchrast (NP/L:, MEX 0)')).toBeTruthy();
  expect(box.getByTestId('org-preview-hears').textContent).toBe('Lunchrast. Åter klockan 13.00.');
  expect(box.getByText('Bokningen slutar efter arbetsdagen.')).toBeTruthy();
  expect(f.to('PUT /api/v1/admin/org')).toHaveLength(0);
});

test('the model: docOf changes nothing when nothing was edited; errorFor reads every spelling of a catalog field', () => {
  const x = ORG_TEXTS.en;
  const { doc, keys } = docOf(ORG, CODES, draftOf(ORG, CODES));
  expect(doc).toEqual(ORG);
  expect(keys).toEqual(['L']);
  expect(docOf({}, CODES, draftOf({}, CODES)).doc).toEqual({});
  expect(errorFor('org.catalog[0].mex', ['L'], x)).toEqual({ 'code:l:mex': x.errMex });
  expect(errorFor('catalog[0].label.en', ['L'], x)).toEqual({ 'code:l:labelEn': x.errLabel });
  expect(errorFor('body.catalog.0.group', ['L'], x)).toEqual({ 'code:l:group': x.errGroup });
  expect(errorFor('org.extraDaysOff[3]', [], x)).toEqual({ extraDaysOff: x.errDay });
  expect(errorFor('org.catalog[5].mex', ['L'], x)).toBeNull();
  expect(errorFor('org.profile.lunch.number', ['L'], x)).toBeNull();
});
