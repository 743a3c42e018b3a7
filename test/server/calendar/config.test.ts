/** GRAPH_* configuration: off unless configured, one-line errors naming the variable, and the certificate credential end to end. */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/server/config';
import { TID } from '../../helpers/server';
import { at, CLIENT, type Harness, harness, iso, linkUser } from './harness';

const base = { GRAPH_TENANT_ID: TID, GRAPH_CLIENT_ID: CLIENT };

test('calendar sync is off when not configured; defaults when it is', () => {
  expect(loadConfig({}).graph).toBeNull();
  expect(loadConfig({ ...base, GRAPH_CLIENT_SECRET: 's3cret' }).graph).toEqual({
    tenantId: TID,
    clientId: CLIENT,
    credential: { kind: 'secret', secret: 's3cret' },
    baseUrl: 'https://graph.microsoft.com/v1.0',
    authority: 'https://login.microsoftonline.com',
    pollSeconds: 300,
    windowDays: 60,
    notificationUrl: null,
    maxConcurrency: 16,
  });
});

test.each<[Record<string, string>, RegExp]>([
  [{ GRAPH_CLIENT_ID: CLIENT, GRAPH_CLIENT_SECRET: 'x' }, /^Invalid configuration: GRAPH_TENANT_ID is required/],
  [{ ...base, GRAPH_TENANT_ID: 'contoso' }, /^Invalid configuration: GRAPH_TENANT_ID must be a tenant id/],
  [{ GRAPH_TENANT_ID: TID, GRAPH_CLIENT_SECRET: 'x' }, /^Invalid configuration: GRAPH_CLIENT_ID is required/],
  [base, /^Invalid configuration: GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH is required/],
  [{ ...base, GRAPH_CLIENT_SECRET: 'x', GRAPH_CERTIFICATE_PATH: '/x.pem' }, /^Invalid configuration: GRAPH_CLIENT_SECRET and GRAPH_CERTIFICATE_PATH are both set/],
  [{ ...base, GRAPH_CERTIFICATE_PATH: '/nonexistent/cert.pem' }, /^Invalid configuration: GRAPH_CERTIFICATE_PATH cannot be read/],
  [{ ...base, GRAPH_CLIENT_SECRET: 'x', GRAPH_POLL_SECONDS: 'often' }, /^Invalid configuration: GRAPH_POLL_SECONDS must be seconds between polls/],
  [{ ...base, GRAPH_CLIENT_SECRET: 'x', GRAPH_WINDOW_DAYS: '0' }, /^Invalid configuration: GRAPH_WINDOW_DAYS/],
  [{ ...base, GRAPH_CLIENT_SECRET: 'x', GRAPH_BASE_URL: 'ftp://graph' }, /^Invalid configuration: GRAPH_BASE_URL must be an http\(s\) URL/],
  [{ ...base, GRAPH_CLIENT_SECRET: 'x', GRAPH_NOTIFICATION_URL: 'http://kk.example.se/api/v1/graph/notifications' }, /^Invalid configuration: GRAPH_NOTIFICATION_URL must be an https URL/],
  [{ ...base, GRAPH_CLIENT_SECRET: 'x', GRAPH_MAX_CONCURRENCY: '0' }, /^Invalid configuration: GRAPH_MAX_CONCURRENCY/],
])('%j is refused with a message naming the variable', (env, message) => {
  expect(() => loadConfig(env)).toThrow(message);
  try {
    loadConfig(env);
  } catch (e) {
    expect((e as Error).message).not.toContain('\n');
  }
});

describe('certificate credential', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'kk-cert-'));
  const path = join(dir, 'app.pem');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const thumbprint = createHash('sha1').update('a certificate').digest('hex').toUpperCase();
  const x5t = Buffer.from(thumbprint, 'hex').toString('base64url');
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  test('a PEM key without a certificate needs the thumbprint', () => {
    expect(() => loadConfig({ ...base, GRAPH_CERTIFICATE_PATH: path })).toThrow(/^Invalid configuration: GRAPH_CERTIFICATE_THUMBPRINT is required/);
    expect(loadConfig({ ...base, GRAPH_CERTIFICATE_PATH: path, GRAPH_CERTIFICATE_THUMBPRINT: thumbprint }).graph?.credential).toMatchObject({ kind: 'certificate', x5t });
  });

  test('a token is obtained with a signed client assertion, and the calendar is read', async () => {
    h = await harness({ GRAPH_CERTIFICATE_PATH: path, GRAPH_CERTIFICATE_THUMBPRINT: thumbprint }, { assertion: { publicKey, x5t } });
    await linkUser(h, 'anna', '1021');
    h.graph.put('anna', { id: 'e1', subject: 'NP/L:', start: iso('11:00'), end: iso('12:00') });
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ ok: true, stored: 1 });
    expect(await h.stateAt('1021', at('11:30'))).toMatchObject({ key: 'L' });
  });

  test('an assertion signed with another key is refused', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    h = await harness({ GRAPH_CERTIFICATE_PATH: path, GRAPH_CERTIFICATE_THUMBPRINT: thumbprint }, { assertion: { publicKey: other.publicKey, x5t } });
    await linkUser(h, 'anna', '1021');
    const [r] = await h.sync.runAll();
    expect(r).toMatchObject({ ok: false, error: 'HTTP 401 invalid_client' });
  });
});
