/**
 * The endpoint serves the built add-in under /addin/ (npm test builds it first): pages Outlook
 * may frame, office.js allowed, the harness and development tokens only with development
 * sign-in on loopback.
 */
import { createDevVerifier, loadOrCreateDevKey } from '../../src/server/auth/dev';
import { addinCsp, naaSettings } from '../../src/server/http/routes/addin';
import { loadConfig } from '../../src/server/config';
import { testServer, type TestServer } from '../helpers/server';

const ENTRA = {
  AUTH_MODE: 'entra',
  HOST: '0.0.0.0',
  ENTRA_TENANT_IDS: '11111111-1111-1111-1111-111111111111',
  ENTRA_AUDIENCE: 'api://22222222-2222-2222-2222-222222222222,22222222-2222-2222-2222-222222222222',
};

describe('development sign-in on loopback', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => s.close());

  test('the task pane is served with a policy that lets Outlook frame it and load office.js', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/addin/taskpane.html' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
    expect(r.body).toMatch(/<script defer[^>]*src="?taskpane\.js/);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self' https://outlook.office.com https://outlook.office365.com");
    // Issue 10: only Outlook's and Office's hosts may frame the pane, not every microsoft.com site.
    expect(/frame-ancestors[^;]*\*\.microsoft\.com/.test(csp)).toBe(false);
    expect(csp).toContain('script-src \'self\' https://appsforoffice.microsoft.com');
    expect(r.headers['x-frame-options']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  test('the API keeps helmet\'s strict policy (not frameable)', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/healthz' });
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
    expect(String(r.headers['content-security-policy'])).not.toContain('outlook');
  });

  test('commands runtime, icons, manifest and harness are there', async () => {
    for (const url of ['/addin/commands.html', '/addin/commands.js', '/addin/assets/icon-80.png', '/addin/manifest.xml', '/addin/harness.html']) {
      const r = await s.app.inject({ method: 'GET', url });
      expect([url, r.statusCode]).toEqual([url, 200]);
    }
  });

  test('config.json offers development sign-in; the dev token is accepted by the development verifier and links the extension', async () => {
    const c = await s.app.inject({ method: 'GET', url: '/addin/config.json' });
    expect(c.json()).toEqual({ devSignIn: true, clientId: null, scope: null, authority: null });
    const t = await s.app.inject({ method: 'POST', url: '/addin/dev/token', payload: { user: 'anna', extension: '4321' } });
    expect(t.statusCode).toBe(200);
    const token = t.json().token as string;
    const verifier = createDevVerifier(await loadOrCreateDevKey(s.config.dataDir), { scope: s.config.auth.scope });
    expect(await verifier.verify(token)).toMatchObject({ oid: 'anna' });
    const users = await s.as('admin.boss').get('/api/v1/admin/users');
    expect(JSON.stringify(users.json())).toContain('4321');
    const bad = await s.app.inject({ method: 'POST', url: '/addin/dev/token', payload: { user: 'anna', extension: '12ab' } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('Entra sign-in', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(ENTRA);
  });
  afterAll(async () => s.close());

  test('no harness and no development tokens; config.json names the client id and scope for NAA', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/addin/harness.html' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/addin/harness.js' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'POST', url: '/addin/dev/token', payload: {} })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/addin/taskpane.html' })).statusCode).toBe(200);
    // Source maps stay in development (issue 10), also when a development build is deployed.
    expect((await s.app.inject({ method: 'GET', url: '/addin/taskpane.js' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/addin/taskpane.js.map' })).statusCode).toBe(404);
    const c = await s.app.inject({ method: 'GET', url: '/addin/config.json' });
    expect(c.json()).toEqual({
      devSignIn: false,
      clientId: '22222222-2222-2222-2222-222222222222',
      scope: 'api://22222222-2222-2222-2222-222222222222/access_as_user',
      authority: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111',
    });
  });
});

test('naaSettings derives the scope from a bare client id too; the policy never allows inline scripts', () => {
  const config = loadConfig({ ...ENTRA, ENTRA_AUDIENCE: '33333333-3333-3333-3333-333333333333', DATA_DIR: '/tmp/kk-unused' });
  expect(naaSettings(config)).toMatchObject({ clientId: '33333333-3333-3333-3333-333333333333', scope: 'api://33333333-3333-3333-3333-333333333333/access_as_user' });
  expect(addinCsp()).not.toMatch(/script-src[^;]*unsafe-inline/);
});
