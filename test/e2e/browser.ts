/**
 * End-to-end helpers: Debian's Chromium driven by playwright-core (never a browser download),
 * a fresh profile per launch, and the real endpoint on 127.0.0.1 with development sign-in,
 * serving the built add-in (npm test builds it first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config';
import { startServer, type Running } from '../../src/server/main';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Playwright takes the fresh --user-data-dir as launchPersistentContext's first argument. */
export async function launch(opts: { locale?: string } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, ...opts });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function endpoint(env: Record<string, string> = {}): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-e2e-'));
  return startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }));
}

export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

/** Waits until the element with the test id has exactly this text. */
export async function until(page: Page, testId: string, expected: string | RegExp): Promise<void> {
  await page.waitForFunction(
    ([id, src, isRe]) => {
      const t = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
      return isRe ? new RegExp(src as string).test(t) : t === src;
    },
    [testId, expected instanceof RegExp ? expected.source : expected, expected instanceof RegExp] as const,
  );
}

/** A development token from the endpoint's dev route: `extra` may link an extension or ask for the Admin role. */
export async function devToken(baseUrl: string, user: string, extra: { extension?: string; admin?: boolean } = {}): Promise<string> {
  const res = await fetch(`${baseUrl}/addin/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, ...extra }) });
  if (res.status !== 200) throw new Error(`dev token for ${user}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** One API call with a bearer token; anything but 2xx throws with the status and body. */
export async function api<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const OFFICE_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/';
const OFFICE_DIST = join(__dirname, '..', '..', 'node_modules', '@microsoft', 'office-js', 'dist');

/**
 * Microsoft's CDN answered from the npm package @microsoft/office-js: the production pages keep
 * their CDN script tag (Outlook requires it) and run the real library here, offline. Returns the
 * files asked for, so a test can tell the library was really loaded.
 */
export async function officeJsFromPackage(context: BrowserContext): Promise<string[]> {
  const served: string[] = [];
  await context.route(`${OFFICE_CDN}**`, async (route) => {
    const file = new URL(route.request().url()).pathname.replace('/lib/1/hosted/', '');
    const path = join(OFFICE_DIST, file);
    if (!/^[\w./-]+$/.test(file) || file.includes('..') || !existsSync(path)) return route.fulfill({ status: 404, body: '' });
    served.push(file);
    return route.fulfill({ path, contentType: 'application/javascript' });
  });
  return served;
}
