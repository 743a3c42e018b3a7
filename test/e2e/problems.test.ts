/**
 * Bookings that will not divert (issue 14), in Chromium on the harness against the real endpoint:
 * bookings stored with a near miss and with a code on a private booking show at the top of
 * Hänvisning with their day, time and reason; Öppna opens that booking (the harness records the
 * id); a fixed booking leaves the list; axe finds nothing serious in it.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Running } from '../../src/server/main';
import { api, type Browser, devToken, endpoint, launch, text, until } from './browser';

jest.setTimeout(120_000);

let server: Running;
let browser: Browser;

beforeAll(async () => {
  server = await endpoint();
  browser = await launch({ locale: 'sv-SE' });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const HOUR = 3_600_000;
// Tomorrow at 11:00 UTC (12.00 in Stockholm): always inside the coming 14 days.
const tomorrow = () => Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR + 35 * HOUR;
const iso = (t: number) => new Date(t).toISOString();

async function put(token: string, id: string, subject: string, start: number, extra: Record<string, unknown> = {}) {
  await api(server.url, token, 'PUT', `/api/v1/me/bookings/${id}`, { subject, start: iso(start), end: iso(start + HOUR), lastModified: new Date().toISOString(), ...extra });
}

async function open(user: string, ext: string, lang: 'sv' | 'en' = 'sv'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/addin/harness.html?user=${user}&ext=${ext}&lang=${lang}`);
  await page.getByTestId('preview-mex').waitFor();
  return page;
}

test('near misses and a private booking with a code are listed with day, time and reason; Öppna opens the booking', async () => {
  const token = await devToken(server.url, 'e2e-problems', { extension: '3401' });
  const t = tomorrow();
  await put(token, 'AAMkAGI2-typo_1', 'NP/L lunch med Eva', t);
  await put(token, 'AAMkAGI2-private', 'NP/S: Tandläkare', t + 3 * HOUR, { sensitivity: 'private' });
  await put(token, 'AAMkAGI2-good', 'NP/M: Styrelse', t + 5 * HOUR);
  const page = await open('e2e-problems', '3401');
  await page.getByTestId('problem').nth(1).waitFor();
  const lines = await page.getByTestId('problem').allTextContents();
  expect(lines).toHaveLength(2);
  expect(await page.getByTestId('problem-message').allTextContents()).toEqual([
    'Kolon saknas: menade du NP/L:?',
    'Privat bokning: privata möten synkas inte enligt dina inställningar.',
  ]);
  // The day and time in the organisation's zone, and nothing of the subject beyond the code.
  expect(await page.getByTestId('problem-when').first().textContent()).toMatch(/12[:.]00–13[:.]00/);
  expect(lines.join(' ')).not.toMatch(/Eva|Tandläkare|Styrelse/);
  await page.getByTestId('problem-open').first().click();
  expect(await page.evaluate(() => window.harness.opened())).toEqual(['AAMkAGI2-typo_1']);

  // Fixed elsewhere (say on the phone): the list follows when the tab is shown again.
  await put(token, 'AAMkAGI2-typo_1', 'NP/L: lunch med Eva', t);
  await page.getByRole('tab', { name: 'Aktiviteter', exact: true }).click();
  await page.getByRole('tab', { name: 'Hänvisning', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="problem"]').length === 1);
  expect(await text(page, 'problem-message')).toMatch(/^Privat bokning/);
  await page.close();
});

test('in English, and nothing at all when every booking diverts', async () => {
  const token = await devToken(server.url, 'e2e-problems-en', { extension: '3402' });
  await put(token, 'AAMk-en-1', 'Lunch NP/L:', tomorrow());
  const page = await open('e2e-problems-en', '3402', 'en');
  await until(page, 'problem-message', 'The code is not first: put NP/L: at the start of the subject.');
  expect(await text(page, 'problems')).toMatch(/^Bookings that will not divert/);
  await page.close();

  const fine = await devToken(server.url, 'e2e-problems-none', { extension: '3403' });
  await put(fine, 'AAMk-none-1', 'NP/L: Lunch', tomorrow());
  const quiet = await open('e2e-problems-none', '3403');
  await until(quiet, 'sync-status', 'Ansluten.');
  // The list has had time to load (the connection is up); it shows nothing.
  await quiet.waitForTimeout(500);
  expect(await quiet.getByTestId('problems').count()).toBe(0);
  await quiet.close();
});

test('axe-core: no serious or critical violation with the list shown', async () => {
  const token = await devToken(server.url, 'e2e-problems-axe', { extension: '3404' });
  await put(token, 'AAMk-axe-1', 'NP/L lunch', tomorrow());
  await put(token, 'AAMk-axe-2', 'NP/X: något', tomorrow() + HOUR);
  const page = await open('e2e-problems-axe', '3404');
  await page.getByTestId('problem').nth(1).waitFor();
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    type Axe = { run: (ctx: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
    const r = await (window as unknown as { axe: Axe }).axe.run({ include: [['body']], exclude: [['[data-tabster-dummy]']] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  });
  expect(violations).toEqual([]);
  await page.close();
});
