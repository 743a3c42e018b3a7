/** Which sign-in the pane uses: development token, nested app authentication, or the Office dialog. */
import { devTokenSource, loadAddinConfig, NO_CONFIG, tokenSourceFor } from '../../src/taskpane/auth';
import { dialogToken } from '../../src/taskpane/office/dialog';

const ENTRA = { ...NO_CONFIG, clientId: '22222222-2222-2222-2222-222222222222', scope: 'api://x/access_as_user' };

test('development sign-in wins; then NAA where NestedAppAuth 1.1 is there; then the dialog; else none', async () => {
  expect(tokenSourceFor('', { ...NO_CONFIG, devSignIn: true }, { naa: true })).not.toBeNull();
  expect(tokenSourceFor('', NO_CONFIG, { naa: true })).toBeNull();
  expect(tokenSourceFor('', ENTRA, { naa: false })).toBeNull();
  let opened = 0;
  const viaDialog = tokenSourceFor('', ENTRA, { naa: false, dialog: async () => (opened++, 'tok') });
  expect(await viaDialog?.token()).toBe('tok');
  expect(await viaDialog?.token()).toBe('tok');
  expect(opened).toBe(1);
});

test('the development token is fetched once, with the user and extension', async () => {
  const bodies: string[] = [];
  const fetchFn = (async (_u: string, init: RequestInit) => {
    bodies.push(String(init.body));
    return { ok: true, json: async () => ({ token: 'dev-token' }) };
  }) as unknown as typeof fetch;
  const src = devTokenSource('http://kk', 'anna', '1234', fetchFn);
  expect(await src.token()).toBe('dev-token');
  expect(await src.token()).toBe('dev-token');
  expect(bodies).toEqual([JSON.stringify({ user: 'anna', extension: '1234' })]);
});

test('no endpoint: the config cannot be loaded and the pane runs unconnected', async () => {
  const failing = (async () => {
    throw new TypeError('network');
  }) as unknown as typeof fetch;
  expect(await loadAddinConfig('http://nowhere', failing)).toBeNull();
});

test('the dialog fallback returns the token the sign-in page sends, and null when the user closes it', async () => {
  const fakeOffice = (message: string | null) => {
    const handlers: Record<string, (arg: unknown) => void> = {};
    const dialog = { close: jest.fn(), addEventHandler: (t: string, h: (a: unknown) => void) => (handlers[t] = h) };
    return {
      dialog,
      office: {
        AsyncResultStatus: { Succeeded: 'succeeded' },
        EventType: { DialogMessageReceived: 'msg', DialogEventReceived: 'evt' },
        context: {
          ui: {
            displayDialogAsync: (_url: string, _o: unknown, cb: (r: unknown) => void) => {
              cb({ status: 'succeeded', value: dialog });
              if (message === null) handlers.evt?.({ error: 12006 });
              else handlers.msg?.({ message });
            },
          },
        },
      } as unknown as typeof Office,
    };
  };
  const ok = fakeOffice(JSON.stringify({ token: 'abc' }));
  expect(await dialogToken('https://kk/addin/signin.html', ok.office)).toBe('abc');
  expect(ok.dialog.close).toHaveBeenCalled();
  expect(await dialogToken('https://kk/addin/signin.html', fakeOffice(JSON.stringify({ error: 'failed' })).office)).toBeNull();
  expect(await dialogToken('https://kk/addin/signin.html', fakeOffice(null).office)).toBeNull();
});
