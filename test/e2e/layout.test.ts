/**
 * The task pane at Outlook's narrow widths (320 and 350 px) in Chromium, on the browser harness
 * against the real endpoint: every tab is visited, and on each the page does not scroll sideways,
 * no tab label is clipped, nothing sticks out to the right, and the panel does not move.
 *
 * The add-in is the one the endpoint serves (dist/addin, built by npm test). KK_ADDIN_DIR points
 * at another build (npx webpack --mode development --config-name addin --output-path <dir>):
 * its files are served in place of /addin/'s, while config.json and the dev token still come
 * from the endpoint. KK_LAYOUT_SHOTS=<dir> keeps a screenshot of every tab.
 */
import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import type { Running } from '../../src/server/main';
import { type Browser, endpoint, launch, until } from './browser';

jest.setTimeout(180_000);

let server: Running;
let browser: Browser;
const addinDir = process.env.KK_ADDIN_DIR;

beforeAll(async () => {
  server = await endpoint();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function serveBuild(page: Page): Promise<void> {
  if (!addinDir) return;
  await page.route(`${server.url}/addin/**`, async (route) => {
    const rel = normalize(decodeURIComponent(new URL(route.request().url()).pathname.slice('/addin/'.length)));
    const file = join(addinDir, rel);
    if (!rel.startsWith('..') && existsSync(file) && statSync(file).isFile()) await route.fulfill({ path: file });
    else await route.continue();
  });
}

interface Measure {
  innerWidth: number;
  clientWidth: number;
  scrollWidth: number;
  scrollX: number;
  panelLeft: number;
  clippedTabs: string[];
  overflowing: string[];
}

/** What the page looks like now, in numbers. */
const measure = (page: Page): Promise<Measure> =>
  page.evaluate(() => {
    const de = document.documentElement;
    const tabs = Array.from(document.querySelectorAll<HTMLElement>('[role=tab]'));
    const clippedTabs = tabs
      .filter((t) => t.scrollWidth > t.clientWidth || Array.from(t.querySelectorAll<HTMLElement>('*')).some((c) => c.scrollWidth > c.clientWidth && getComputedStyle(c).overflow !== 'visible'))
      .map((t) => t.textContent ?? '');
    const overflowing = Array.from(document.querySelectorAll<HTMLElement>('#root *'))
      .filter((e) => !e.closest('[data-tabster-dummy], .kk-visually-hidden') && e.getClientRects().length > 0)
      .filter((e) => e.getBoundingClientRect().right > de.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} "${(e.textContent ?? '').slice(0, 30)}" right=${Math.round(e.getBoundingClientRect().right)}`);
    const panel = document.querySelector('[role=tabpanel]') as HTMLElement;
    return { innerWidth, clientWidth: de.clientWidth, scrollWidth: de.scrollWidth, scrollX, panelLeft: panel.getBoundingClientRect().left, clippedTabs, overflowing };
  });

/** Lets a lazily loaded tab and its first request settle. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => !/Hämtar|Loading/.test(document.querySelector('[role=tabpanel]')?.textContent ?? ''), undefined, { timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(300);
}

let users = 0;
const results: string[] = [];

for (const lang of ['sv', 'en'] as const) {
  for (const width of [320, 350]) {
    test(`${width} px (${lang}): every tab fits, no label clipped, the panel stays put`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 720 });
      await serveBuild(page);
      users += 1;
      // A development user id with å, ä and ö.
      await page.goto(`${server.url}/addin/harness.html?user=${encodeURIComponent(`åsa.öberg.ä${users}`)}&ext=${4000 + users}&lang=${lang}`);
      await page.getByTestId('preview-mex').waitFor();
      await until(page, 'sync-status', lang === 'sv' ? 'Ansluten.' : 'Connected.');
      // The preview at its widest: a near miss with its fix button.
      await page.evaluate(() => window.harness.setItem({ subject: 'NP/L lunch med en mycket lång beskrivning av vad som ska hända' }));
      await page.getByTestId('preview-fix').first().waitFor();
      // A tab's text is its label twice (Fluent reserves the bold label's width): read the visible one.
      const names = await page.getByRole('tab').evaluateAll((ts) => ts.map((t) => t.querySelector('.fui-Tab__content:not(.fui-Tab__content--reserved-space)')?.textContent ?? ''));
      expect(names).toEqual(lang === 'sv' ? ['Hänvisning', 'Aktiviteter', 'Snabbval', 'Kollegor', 'Inställningar'] : ['Diversion', 'Activities', 'Quick choices', 'Colleagues', 'Settings']);
      let left: number | null = null;
      for (const [i, name] of [...names.entries(), [0, names[0] as string] as const]) {
        await page.getByRole('tab').nth(i).click();
        if (name === names[4]) {
          // Settings at their widest: a profile forwarding to a number shows its number field.
          await page.getByRole('combobox', { name: 'Lunch' }).selectOption('number');
          // An unchecked checkbox must not look disabled: its label has the colour of a checked one's.
          const colours = await page.evaluate(() =>
            Array.from(document.querySelectorAll<HTMLInputElement>('.fui-Checkbox__input')).map((i) => ({
              checked: i.checked,
              colour: getComputedStyle(i.parentElement?.querySelector('.fui-Checkbox__label') as Element).color,
            })),
          );
          const checkedColour = colours.find((c) => c.checked)?.colour;
          expect(checkedColour).toBeTruthy();
          expect(colours.filter((c) => !c.checked).map((c) => c.colour)).toEqual(colours.filter((c) => !c.checked).map(() => checkedColour));
        }
        await settle(page);
        const m = await measure(page);
        // KK_LAYOUT_SHOTS=<dir>: a full-page screenshot of every tab, to look at.
        if (process.env.KK_LAYOUT_SHOTS) await page.screenshot({ path: join(process.env.KK_LAYOUT_SHOTS, `${lang}-${width}-${i}.png`), fullPage: true });
        results.push(`${lang} ${width}px ${name}: scrollWidth ${m.scrollWidth} / clientWidth ${m.clientWidth} / innerWidth ${m.innerWidth}, scrollX ${m.scrollX}, panel left ${m.panelLeft}`);
        expect({ tab: name, ...m, overflowing: m.overflowing.slice(0, 5) }).toEqual({
          tab: name,
          ...m,
          scrollWidth: expect.any(Number),
          clippedTabs: [],
          overflowing: [],
          scrollX: 0,
        });
        expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
        expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
        left ??= m.panelLeft;
        expect(m.panelLeft).toBe(left);
      }
      await page.close();
    });
  }
}

test('350 px: a refused number says "Kunde inte spara" next to it, the pane still fits, and nothing was stored', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 350, height: 720 });
  await serveBuild(page);
  users += 1;
  const user = `åke.ärlig.ö${users}`;
  await page.goto(`${server.url}/addin/harness.html?user=${encodeURIComponent(user)}&ext=${4000 + users}`);
  await until(page, 'sync-status', 'Ansluten.');
  await page.getByRole('tab', { name: 'Inställningar' }).click();
  await page.getByRole('checkbox', { name: 'Aktivera' }).uncheck();
  await page.getByRole('combobox', { name: 'Lunch' }).selectOption('number');
  await page.getByRole('textbox', { name: 'Nummer för Lunch' }).fill('12ab');
  await page.getByRole('button', { name: 'Spara' }).click();
  const number = page.getByRole('textbox', { name: 'Nummer för Lunch' });
  await page.locator('.fui-Field', { has: number }).getByText('Kunde inte spara', { exact: true }).waitFor();
  expect(await number.getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByTestId('settings-status').textContent()).toBe('Kunde inte spara: rätta det markerade fältet. Inget ändrades.');
  const m = await measure(page);
  expect({ overflowing: m.overflowing, clippedTabs: m.clippedTabs, scrollX: m.scrollX }).toEqual({ overflowing: [], clippedTabs: [], scrollX: 0 });
  // All or nothing: the unchecked Aktivera was not stored either.
  const stored = await page.evaluate(async (u) => {
    const r = await fetch('/addin/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: u }) });
    const { token } = (await r.json()) as { token: string };
    return (await fetch('/api/v1/me/preferences', { headers: { authorization: `Bearer ${token}` } })).json();
  }, user);
  expect(stored).toMatchObject({ settings: { enabled: true }, profile: { lunch: { mode: 'spoken', number: null } } });
  // Corrected, it saves.
  await number.fill('0701234567');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.getByText('Sparat.').waitFor();
  await page.close();
});

test('the harness booking starts today at the next full hour, so Spara och synka lists it under Aktiviteter', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 350, height: 720 });
  await serveBuild(page);
  users += 1;
  const before = Date.now();
  await page.goto(`${server.url}/addin/harness.html?user=${encodeURIComponent(`åsa.${users}`)}&ext=${4000 + users}`);
  await until(page, 'sync-status', 'Ansluten.');
  const { start, end } = await page.evaluate(() => window.harness.getItem());
  const s = Date.parse(start);
  expect(s).toBeGreaterThan(before);
  expect(s - before).toBeLessThanOrEqual(3_600_000);
  expect(s % 3_600_000).toBe(0);
  expect(Date.parse(end) - s).toBe(3_600_000);
  await page.selectOption('[data-testid=code-picker]', 'L');
  await until(page, 'preview-mex', '0');
  await page.getByRole('button', { name: 'Spara och synka' }).click();
  await until(page, 'sync-status', 'Synkad med din anknytning.');
  await page.getByRole('tab', { name: 'Aktiviteter' }).click();
  await page.getByTestId('activity-list').getByText(/Lunch/).first().waitFor();
  await page.close();
});

afterAll(() => {
  // What was measured, for the report.
  process.stdout.write(`${results.join('\n')}\n`);
});
