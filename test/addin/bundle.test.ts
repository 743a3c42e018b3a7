/**
 * The built task pane (npm test builds it first): the first preview needs only the initial
 * script, under the 200 KB gzipped budget; MSAL and the holiday tables come on demand.
 */
import { execFileSync } from 'node:child_process';
import { createContext, runInContext } from 'node:vm';
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

test('the built commands.js is one file that runs in a bare JavaScript runtime: no DOM, no window, no chunks to load', async () => {
  // Classic Outlook on Windows loads only this file into a JavaScript-only runtime (issue 14).
  const associated = new Map<string, (event: { completed: () => void }) => Promise<void>>();
  const shown: unknown[] = [];
  type Cb = (r: { status: string; value: unknown }) => void;
  const ok = (value: unknown) => ({ status: 'succeeded', value });
  const sandbox = {
    Office: {
      AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
      MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: 'informationalMessage', ErrorMessage: 'errorMessage' } },
      actions: { associate: (name: string, fn: never) => associated.set(name, fn) },
      onReady: () => Promise.resolve({ host: 'Outlook' }),
      context: {
        displayLanguage: 'sv-SE',
        roamingSettings: { get: () => undefined },
        mailbox: {
          item: {
            subject: { getAsync: (cb: Cb) => cb(ok('NP/L lunch')) },
            start: { getAsync: (cb: Cb) => cb(ok(new Date('2026-12-03T11:00:00Z'))) },
            end: { getAsync: (cb: Cb) => cb(ok(new Date('2026-12-03T12:00:00Z'))) },
            notificationMessages: { replaceAsync: (key: string, d: { message: string }, cb: Cb) => (shown.push([key, d.message]), cb(ok(null))) },
          },
        },
      },
    },
  };
  createContext(sandbox);
  runInContext(readFileSync(join(DIR, 'commands.js'), 'utf8'), sandbox);
  expect([...associated.keys()]).toEqual(expect.arrayContaining(['onAppointmentSendHandler', 'onNewAppointmentHandler', 'onAppointmentTimeChangedHandler', 'onAppointmentRecurrenceChangedHandler']));
  const completed = jest.fn();
  await associated.get('onNewAppointmentHandler')!({ completed });
  expect(completed).toHaveBeenCalledTimes(1);
  expect(shown).toEqual([['kkInfo', 'NP/L hänvisar inte: kolon saknas']]);
});
