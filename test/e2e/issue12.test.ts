/**
 * Issue 12, the guide's flows in Chromium on the browser harness against the real endpoint:
 * a manual activity Tills vidare with operator-only text, a recurring one (Varannan vecka, Nästa
 * arbetsdag) previewed, saved and deleted in two steps, a quick choice edited to a Slutdatum and
 * started, a colleague's lunch found by extension, Språk switched to Engelska, and axe-core on
 * every tab in both languages. Controls are found by the words the guide uses.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Running } from '../../src/server/main';
import { api as sharedApi, type Browser, devToken as sharedDevToken, endpoint, launch, text, until } from './browser';

jest.setTimeout(60_000);

let server: Running;
let browser: Browser;

beforeAll(async () => {
  server = await endpoint();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const ZONE = 'Europe/Stockholm';

const TABS = {
  sv: ['Hänvisning', 'Aktiviteter', 'Snabbval', 'Kollegor', 'Inställningar'],
  en: ['Diversion', 'Activities', 'Quick choices', 'Colleagues', 'Settings'],
} as const;

interface Activity {
  id: string;
  source: string;
  key: string;
  from: string;
  to: string | null;
  text: string | null;
  operatorOnly: boolean;
  ruleId?: string;
}

/** A development token for `user` (and links the extension when given). */
const devToken = (user: string, extension?: string) => sharedDevToken(server.url, user, extension ? { extension } : {});
const api = <T>(token: string, method: string, path: string, body?: unknown) => sharedApi<T>(server.url, token, method, path, body);

const activities = async (token: string, from = Date.now() - 86_400_000, to = Date.now() + 60 * 86_400_000): Promise<Activity[]> =>
  (await api<{ activities: Activity[] }>(token, 'GET', `/api/v1/me/activities?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`)).activities;

/** YYYY-MM-DD of an instant in Stockholm. */
const localDate = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

let users = 0;
/** The harness as a new linked user; resolves once the pane is connected. */
async function open(query = '', lang: 'sv' | 'en' = 'sv'): Promise<{ page: Page; user: string; ext: string }> {
  users += 1;
  const user = `issue12.${users}`;
  const ext = String(6200 + users);
  const page = await browser.context.newPage();
  // A missing control fails the test in seconds, not at Jest's limit.
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/addin/harness.html?user=${user}&ext=${ext}${lang === 'en' ? '&lang=en' : ''}${query}`);
  await page.getByTestId('preview-mex').waitFor();
  await until(page, 'sync-status', lang === 'sv' ? 'Ansluten.' : 'Connected.');
  return { page, user, ext };
}

const status = (page: Page) => page.getByRole('tabpanel').getByRole('status').last();

test('Aktiviteter: a manual activity Tills vidare with text for operators only is listed and stored with to: null', async () => {
  const { page, user } = await open();
  await page.getByRole('tab', { name: 'Aktiviteter' }).click();
  await page.getByRole('button', { name: 'Ny aktivitet', exact: true }).click();
  const form = page.getByRole('form', { name: 'Ny aktivitet' });
  await form.getByRole('combobox', { name: 'Aktivitet', exact: true }).selectOption({ label: 'Möte' });
  await form.getByRole('checkbox', { name: 'Tills vidare' }).check();
  // Till is not asked for when the activity lasts until further notice.
  expect(await form.getByLabel('Till, klockslag').isDisabled()).toBe(true);
  await form.getByRole('textbox', { name: 'Information' }).fill('Nås via växeln');
  await form.getByRole('checkbox', { name: 'Visa bara informationen för telefonister' }).check();
  await form.getByRole('button', { name: 'Spara' }).click();
  await form.waitFor({ state: 'detached' });

  const list = page.getByTestId('activity-list');
  const row = list.getByRole('listitem').filter({ hasText: 'Möte' });
  await row.waitFor();
  expect(await row.textContent()).toMatch(/^Möte · \d{4}-\d{2}-\d{2} \d{2}:\d{2} – Tills vidare/);
  expect(await row.textContent()).toContain('manuell');
  expect(await row.textContent()).toContain('Nås via växeln (bara för telefonister)');
  expect(await status(page).textContent()).toBe('Sparat.');

  const token = await devToken(user);
  const mine = (await api<{ activities: Activity[] }>(token, 'GET', '/api/v1/me/activities')).activities;
  expect(mine).toEqual([expect.objectContaining({ source: 'manual', key: 'M', to: null, operatorOnly: true, text: 'Nås via växeln' })]);
  await page.close();
});

test('Aktiviteter: Varannan vecka to Nästa arbetsdag is previewed, listed as one rule, and deleted an occurrence and then the rule', async () => {
  const { page, user } = await open();
  const token = await devToken(user);
  await page.getByRole('tab', { name: 'Aktiviteter' }).click();
  await page.getByRole('button', { name: 'Ny återkommande aktivitet' }).click();
  const form = page.getByRole('form', { name: 'Ny återkommande aktivitet' });
  await form.getByRole('combobox', { name: 'Aktivitet', exact: true }).selectOption({ label: 'Kurs' });
  await form.getByRole('checkbox', { name: 'Nästa arbetsdag' }).check();
  await form.getByRole('combobox', { name: 'Aktiviteten återkommer' }).selectOption({ label: 'Varannan vecka' });

  // Before saving: the next occurrences, two weeks apart, each to the next working day.
  const preview = form.getByRole('region', { name: 'Kommande tillfällen' }).getByTestId('recurring-preview').getByRole('listitem');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="recurring-preview"] li').length === 5);
  const items = await preview.allTextContents();
  const starts = items.map((s) => Date.parse(`${/\d{4}-\d{2}-\d{2}/.exec(s)?.[0]}T12:00:00Z`));
  expect(starts.slice(1).map((s, i) => Math.round((s - (starts[i] as number)) / 86_400_000))).toEqual([14, 14, 14, 14]);
  expect(items[0]).toMatch(/ – .* 08:00$/);
  expect(await activities(token)).toEqual([]);

  await form.getByRole('button', { name: 'Spara' }).click();
  await form.waitFor({ state: 'detached' });
  const list = page.getByTestId('activity-list');
  await list.getByRole('listitem').first().waitFor();
  const rows = list.getByRole('listitem');
  expect(await rows.count()).toBe(1);
  await until(page, 'activity-list', /^Kurs · Varannan vecka \d{2}:\d{2} – nästa arbetsdag, tills vidare/);

  const stored = (await activities(token)).filter((a) => a.source === 'recurring').sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  expect(stored.length).toBeGreaterThanOrEqual(4);
  const ruleId = stored[0]?.ruleId ?? /^rec:(.+):\d+$/.exec(stored[0]?.id ?? '')?.[1];
  expect(ruleId).toBeTruthy();
  const first = stored[0] as Activity;

  // Ta bort on the rule: only this occurrence (the first).
  await rows.first().getByRole('button', { name: /^Ta bort: Kurs Varannan vecka/ }).click();
  await page.getByRole('group', { name: 'Ta bort hela den återkommande aktiviteten eller bara detta tillfälle?' }).getByRole('button', { name: /^Bara detta tillfälle/ }).click();
  await page.getByRole('tabpanel').getByRole('status').filter({ hasText: 'Borttagen.' }).waitFor();
  const afterSkip = (await activities(token)).filter((a) => a.source === 'recurring');
  expect(afterSkip.map((a) => a.id).sort()).toEqual(stored.filter((a) => a.id !== first.id).map((a) => a.id).sort());
  // Still one row for the rule, with its rhythm.
  await until(page, 'activity-list', /^Kurs · Varannan vecka \d{2}:\d{2} – nästa arbetsdag/);
  expect(await list.getByRole('listitem').count()).toBe(1);

  // And now the whole rule.
  await list.getByRole('button', { name: /^Ta bort: Kurs Varannan vecka/ }).click();
  await page.getByRole('group', { name: 'Ta bort hela den återkommande aktiviteten eller bara detta tillfälle?' }).getByRole('button', { name: 'Hela den återkommande aktiviteten' }).click();
  await list.waitFor({ state: 'detached' });
  expect(await activities(token)).toEqual([]);
  await page.close();
});

test('Snabbval: a quick choice edited to a Slutdatum tomorrow is saved, started with one click, and is in force', async () => {
  const { page, user } = await open();
  const token = await devToken(user);
  await api(token, 'PUT', '/api/v1/me/quick', [{ key: 'L', length: 'standard' }]);
  const tomorrow = localDate(Date.now() + 86_400_000);
  await page.getByRole('tab', { name: 'Snabbval' }).click();
  await page.getByRole('button', { name: 'Lunch · Standardlängd' }).waitFor();
  await page.getByRole('button', { name: 'Redigera snabbval' }).click();
  const choice = page.getByRole('group', { name: 'Snabbval 1' });
  await choice.getByRole('combobox', { name: 'Standardlängd' }).selectOption({ label: 'Slutdatum' });
  await choice.getByLabel('Slutdatum', { exact: true }).fill(`${tomorrow}T10:00`);
  await page.getByRole('region', { name: 'Redigera snabbval' }).getByRole('button', { name: 'Spara' }).click();
  await page.getByRole('tabpanel').getByRole('status').filter({ hasText: 'Snabbvalen är sparade.' }).waitFor();
  const stored = await api<{ length: unknown }[]>(token, 'GET', '/api/v1/me/quick');
  const until10 = stored[0]?.length as { until: string };
  expect(localDate(Date.parse(until10.until))).toBe(tomorrow);

  await page.getByRole('button', { name: `Lunch · till ${tomorrow} 10:00` }).click();
  await page.getByRole('tabpanel').getByRole('status').filter({ hasText: `Lunch startad, åter ${tomorrow} 10:00` }).waitFor();
  const state = await api<{ state: { key: string; returnAt: string } | null }>(token, 'GET', '/api/v1/me/state');
  expect(state.state).toMatchObject({ key: 'L', returnAt: until10.until });
  await page.close();
});

test('Kollegor: a linked colleague at lunch now is found by extension with "➔"', async () => {
  const { page } = await open();
  const colleagueExt = '77123';
  const other = await devToken('issue12.kollega', colleagueExt);
  const now = Date.now();
  await api(other, 'PUT', '/api/v1/me/bookings/issue12-lunch', {
    subject: 'NP/L: Lunch',
    start: new Date(now - 10 * 60_000).toISOString(),
    end: new Date(now + 50 * 60_000).toISOString(),
    lastModified: new Date(now).toISOString(),
  });
  await page.getByRole('tab', { name: 'Kollegor' }).click();
  const search = page.getByTestId('colleague-search');
  await page.getByRole('searchbox', { name: 'Sök kollega (namn eller anknytning)' }).fill(colleagueExt);
  expect(await search.inputValue()).toBe(colleagueExt);
  const result = page.getByTestId('colleague-result').filter({ hasText: `Anknytning ${colleagueExt}` });
  await result.waitFor();
  expect(await result.textContent()).toMatch(/Lunch ➔ (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}/);
  expect(await page.getByTestId('colleague-result').count()).toBe(1);
  await page.close();
});

test('Språk Engelska: what a caller hears turns English while the pane stays Swedish', async () => {
  const { page } = await open('&start=2026-12-15T11:00:00Z');
  await page.selectOption('[data-testid=code-picker]', 'L');
  await until(page, 'preview-spoken', 'Lunch. Åter klockan 13.00.');
  await page.getByRole('tab', { name: 'Inställningar' }).click();
  await page.getByRole('combobox', { name: /^Språk/ }).selectOption({ label: 'Engelska' });
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await until(page, 'settings-status', 'Sparat.');
  await page.getByRole('tab', { name: 'Hänvisning' }).click();
  await until(page, 'preview-spoken', 'Lunch. Back at 13:00.');
  expect(await text(page, 'preview-spoken')).not.toMatch(/Åter/);
  expect(await page.getByTestId('preview-spoken').getAttribute('lang')).toBe('en-GB');
  // The pane itself is still Swedish.
  // (A tab's text is its label twice, Fluent reserving the bold label's width: read the visible one.)
  const tabs = await page.getByRole('tab').evaluateAll((ts) => ts.map((t) => t.querySelector('.fui-Tab__content:not(.fui-Tab__content--reserved-space)')?.textContent ?? ''));
  expect(tabs).toEqual([...TABS.sv]);
  expect(await text(page, 'preview-label')).toBe('Lunch');
  expect(await text(page, 'preview-forwarding')).toBe('Talad hänvisning');
  await page.getByRole('button', { name: 'Spara och synka' }).waitFor();
  await page.close();
});

for (const lang of ['sv', 'en'] as const) {
  test(`axe-core (${lang}): no serious or critical violation on any of the five tabs`, async () => {
    const { page, user } = await open('', lang);
    // Something on every tab: an activity, a quick choice, a colleague hit.
    const token = await devToken(user);
    await api(token, 'POST', '/api/v1/me/activities', { key: 'M', to: null, text: 'Rum 4', operatorOnly: true });
    await api(token, 'PUT', '/api/v1/me/quick', [{ key: 'L', length: 'standard' }]);
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const run = () =>
      page.evaluate(async () => {
        // Fluent's focus manager (tabster) adds aria-hidden focus sentinels that pass focus on at
        // once; axe flags them (aria-hidden-focus) though no user can stop on them (as taskpane.test.ts).
        type Axe = { run: (ctx: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        const r = await (window as unknown as { axe: Axe }).axe.run({ include: [['body']], exclude: [['[data-tabster-dummy]']] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
      });
    const seen: Record<string, string[]> = {};
    for (const name of TABS[lang]) {
      await page.getByRole('tab', { name, exact: true }).click();
      if (name === TABS[lang][1]) await page.getByTestId('activity-list').waitFor();
      if (name === TABS[lang][2]) await page.getByRole('button', { name: lang === 'sv' ? 'Redigera snabbval' : 'Edit quick choices' }).waitFor();
      if (name === TABS[lang][3]) {
        await page.getByTestId('colleague-search').fill(String(6200 + users));
        await page.getByTestId('colleague-result').waitFor();
      }
      if (name === TABS[lang][4]) await page.getByRole('checkbox', { name: lang === 'sv' ? 'Aktivera' : 'Enable' }).waitFor();
      if (name === TABS[lang][0]) await page.getByTestId('preview-mex').waitFor();
      seen[name] = await run();
      // The tabs' forms too: Ny aktivitet, Ny återkommande aktivitet, Redigera snabbval.
      const w = lang === 'sv'
        ? { single: 'Ny aktivitet', recurring: 'Ny återkommande aktivitet', edit: 'Redigera snabbval', cancel: 'Avbryt' }
        : { single: 'New activity', recurring: 'New recurring activity', edit: 'Edit quick choices', cancel: 'Cancel' };
      const forms = name === TABS[lang][1] ? [w.single, w.recurring] : name === TABS[lang][2] ? [w.edit] : [];
      for (const button of forms) {
        await page.getByRole('button', { name: button, exact: true }).click();
        await page.getByRole(button === w.edit ? 'region' : 'form', { name: button, exact: true }).waitFor();
        seen[`${name}: ${button}`] = await run();
        await page.getByRole('tabpanel').getByRole('button', { name: w.cancel, exact: true }).click();
      }
    }
    expect(Object.keys(seen)).toHaveLength(8);
    expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((n) => [n, []])));
    await page.close();
  });
}
