/**
 * The built task pane (npm test builds it first): the first preview needs only the initial
 * script, under the 200 KB gzipped budget; MSAL and the holiday tables come on demand.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '..', 'dist', 'addin');

test('npm run size passes: initial JavaScript within budget', () => {
  const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'bench', 'size.js')], { encoding: 'utf8' });
  const m = /task pane initial JavaScript: ([\d.]+) KB gzipped/.exec(out);
  expect(m).not.toBeNull();
  expect(Number(m![1])).toBeLessThanOrEqual(200);
});

test('MSAL and date-holidays are separate chunks, not in the initial script', () => {
  const initial = readFileSync(join(DIR, 'taskpane.js'), 'utf8');
  expect(initial).not.toContain('msal.js.browser');
  expect(initial).not.toMatch(/moment|Holidays\.prototype/);
  const chunks = readdirSync(DIR);
  const msal = chunks.find((f) => /^msal\.[0-9a-f]+\.js$/.test(f));
  const holidays = chunks.find((f) => /^holidays\.[0-9a-f]+\.js$/.test(f));
  expect(msal).toBeDefined();
  expect(holidays).toBeDefined();
  expect(readFileSync(join(DIR, msal!), 'utf8')).toContain('msal.js.browser');
});

test('the commands runtime has no React (the Windows JavaScript runtime has no DOM)', () => {
  const commands = readFileSync(join(DIR, 'commands.js'), 'utf8');
  expect(commands).toContain('onAppointmentSendHandler');
  expect(commands).not.toMatch(/react-dom|createRoot/);
});
