/**
 * The real Office.js (npm package @microsoft/office-js) outside Outlook, in Chromium, against the
 * endpoint serving the built add-in (issue 14): the production pages load it from "Microsoft's
 * CDN" (answered from the package), the pane says it runs outside Outlook instead of hanging, the
 * commands runtime registers every function the manifest names with the real Office.actions,
 * and the harness boots on the package's office.js.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStringPromise } from 'xml2js';
import type { Running } from '../../src/server/main';
import { type Browser, endpoint, launch, officeJsFromPackage, text } from './browser';

jest.setTimeout(120_000);

let server: Running;
let browser: Browser;
let served: string[];

beforeAll(async () => {
  server = await endpoint();
  browser = await launch({ locale: 'sv-SE' });
  served = await officeJsFromPackage(browser.context);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every FunctionName in the built manifest (ribbon items and launch events). */
async function manifestFunctions(): Promise<string[]> {
  const xml = readFileSync(join(__dirname, '..', '..', 'dist', 'addin', 'manifest.xml'), 'utf8');
  const names = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n as Record<string, unknown>)) {
        if (k === 'FunctionName' && Array.isArray(v)) v.forEach((x) => names.add(String(x)));
        else if (k === '$' && (v as Record<string, string>).FunctionName) names.add((v as Record<string, string>).FunctionName as string);
        else walk(v);
      }
    }
  };
  walk(await parseStringPromise(xml));
  return [...names].sort();
}

test('the task pane page boots on the real Office.onReady and says plainly that it runs outside Outlook', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/addin/taskpane.html`);
  await page.getByTestId('outside-outlook').waitFor({ timeout: 15_000 });
  expect(await text(page, 'outside-outlook')).toMatch(/^Kalenderkoppling körs utanför Outlook\./);
  // The real library answered: no host outside Office.
  expect(served).toContain('office.js');
  expect(await page.evaluate(() => Office.onReady().then((i) => i.host))).toBeNull();
  await page.close();
});

test('the commands runtime registers every function the manifest names with the real Office.actions', async () => {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/addin/commands.html`);
  await page.waitForFunction(() => typeof Office !== 'undefined' && typeof Office.actions?.associate === 'function');
  // office.js keeps what associate was given in Office.actions._association (not in its typings).
  const associated = await page.waitForFunction(
    (count) => {
      const m = (Office.actions as unknown as { _association?: { m_mappings?: Record<string, unknown> } })._association?.m_mappings ?? {};
      const names = Object.keys(m).filter((k) => typeof m[k] === 'function');
      return names.length >= count ? names.sort() : null;
    },
    (await manifestFunctions()).length,
  );
  // The library matches names case-insensitively and keeps them upper-cased.
  expect(await associated.jsonValue()).toEqual((await manifestFunctions()).map((n) => n.toUpperCase()).sort());
  expect(errors).toEqual([]);
  await page.close();
});

test('the harness runs on the package’s office.js, served by the endpoint beside it', async () => {
  const page = await browser.context.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => scripts.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}/addin/harness.html?offline=1&start=2026-11-24T11:00:00Z`);
  await page.getByTestId('preview-mex').waitFor();
  expect(scripts).toContain('/addin/office-js/office.js');
  expect(await page.evaluate(() => typeof Office.onReady)).toBe('function');
  await page.close();
});
