/** GOOGLE_* configuration (issue 17): off by default, the key file read once, one clear line per bad variable. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../../src/server/config';

const dir = mkdtempSync(join(tmpdir(), 'kk-google-config-'));
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const keyFile = join(dir, 'key.json');
writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: 'kk@projekt.iam.gserviceaccount.com', private_key: privateKey, token_uri: 'https://oauth2.googleapis.com/token' }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('off unless configured; with a key file and a domain, the key and the defaults', () => {
  expect(loadConfig({}).google).toBeNull();
  const c = loadConfig({ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: ' Skola.Example.SE ' }).google;
  expect(c).toEqual({
    clientEmail: 'kk@projekt.iam.gserviceaccount.com',
    privateKeyPem: privateKey,
    domain: 'skola.example.se',
    pollSeconds: 300,
    windowDays: 60,
    apiUrl: 'https://www.googleapis.com',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    notificationUrl: null,
    maxConcurrency: 16,
  });
});

test.each<[Record<string, string>, string, RegExp]>([
  [{ GOOGLE_DOMAIN: 'skola.example.se' }, 'GOOGLE_SERVICE_ACCOUNT_FILE', /GOOGLE_SERVICE_ACCOUNT_FILE is required/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile }, 'GOOGLE_DOMAIN', /GOOGLE_DOMAIN is required/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: 'not a domain' }, 'GOOGLE_DOMAIN', /must be a domain name/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: join(dir, 'missing.json'), GOOGLE_DOMAIN: 'skola.example.se' }, 'GOOGLE_SERVICE_ACCOUNT_FILE', /cannot be read \(ENOENT/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: file('bad.json', '{not json'), GOOGLE_DOMAIN: 'skola.example.se' }, 'GOOGLE_SERVICE_ACCOUNT_FILE', /is not JSON/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: file('user.json', JSON.stringify({ type: 'authorized_user', client_id: 'x' })), GOOGLE_DOMAIN: 'skola.example.se' }, 'GOOGLE_SERVICE_ACCOUNT_FILE', /client_email and private_key/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: 'skola.example.se', GOOGLE_POLL_SECONDS: '5' }, 'GOOGLE_POLL_SECONDS', /GOOGLE_POLL_SECONDS/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: 'skola.example.se', GOOGLE_WINDOW_DAYS: '400' }, 'GOOGLE_WINDOW_DAYS', /GOOGLE_WINDOW_DAYS/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: 'skola.example.se', GOOGLE_API_URL: 'ftp://x' }, 'GOOGLE_API_URL', /http\(s\) URL/],
  [{ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: 'skola.example.se', GOOGLE_NOTIFICATION_URL: 'http://kk.example.se/api/v1/google/notifications' }, 'GOOGLE_NOTIFICATION_URL', /must be an https URL/],
])('%j → one line naming %s', (env, variable, message) => {
  let err: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).variable).toBe(variable);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message).not.toMatch(/\n/);
  // The key's contents never appear in an error.
  expect((err as Error).message).not.toContain('PRIVATE KEY');
});
