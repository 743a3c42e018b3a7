/** Configuration from the environment: defaults, and one clear message naming a bad variable. */
import { ConfigError, isLoopback, loadConfig, redactUrl } from '../../src/server/config';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

test('defaults: SQLite under ./data, development sign-in on loopback port 3000', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', auth: { mode: 'dev' }, orgTimeZone: 'Europe/Stockholm', retentionDays: 30, addinOrigins: [] });
  expect(c.databaseUrl).toMatch(/data\/kalenderkoppling\.sqlite$/);
});

test('Entra configuration', () => {
  const c = loadConfig({ AUTH_MODE: 'entra', HOST: '0.0.0.0', ENTRA_TENANT_IDS: ` ${TENANT.toUpperCase()} `, ENTRA_AUDIENCE: 'api://abc, abc', DATABASE_URL: 'postgres://u:secret@db/kk' });
  expect(c.auth).toEqual({ mode: 'entra', tenants: [TENANT], audiences: ['api://abc', 'abc'], scope: 'access_as_user', authority: 'https://login.microsoftonline.com', v1IssuerBase: 'https://sts.windows.net' });
  expect(c.databaseUrl).toBe('postgres://u:secret@db/kk');
  expect(redactUrl(c.databaseUrl)).toBe('postgres://u:***@db/kk');
});

test.each<[Record<string, string>, string, RegExp]>([
  [{ PORT: 'eighty' }, 'PORT', /PORT must be a port number/],
  [{ PORT: '70000' }, 'PORT', /PORT/],
  [{ AUTH_MODE: 'magic' }, 'AUTH_MODE', /AUTH_MODE must be "entra" or "dev"/],
  [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS', /RETENTION_DAYS/],
  [{ ORG_TIME_ZONE: 'Europe/Stockholmm' }, 'ORG_TIME_ZONE', /ORG_TIME_ZONE/],
  [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', /TRUST_PROXY must be true or false/],
  [{ HOST: '0.0.0.0' }, 'HOST', /loopback address .* AUTH_MODE=dev/],
  [{ AUTH_MODE: 'entra', HOST: '0.0.0.0' }, 'ENTRA_TENANT_IDS', /ENTRA_TENANT_IDS is required/],
  [{ AUTH_MODE: 'entra', ENTRA_TENANT_IDS: 'contoso' }, 'ENTRA_TENANT_IDS', /GUIDs/],
  [{ AUTH_MODE: 'entra', ENTRA_TENANT_IDS: TENANT }, 'ENTRA_AUDIENCE', /ENTRA_AUDIENCE is required/],
  [{ AUTH_MODE: 'entra', ENTRA_TENANT_IDS: TENANT, ENTRA_AUDIENCE: 'x', ENTRA_AUTHORITY: 'ftp://x' }, 'ENTRA_AUTHORITY', /http\(s\) URL/],
  [{ ADDIN_ORIGINS: 'not a url' }, 'ADDIN_ORIGINS', /ADDIN_ORIGINS/],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /LOG_LEVEL/],
  [{ CONNECTOR: 'carrier-pigeon' }, 'CONNECTOR', /CONNECTOR must be "journal", "webhook" or "kamailio"/],
  [{ CONNECTOR: 'webhook' }, 'WEBHOOK_URL', /WEBHOOK_URL is required/],
  [{ CONNECTOR: 'webhook', WEBHOOK_URL: 'ftp://x/' }, 'WEBHOOK_URL', /http\(s\) URL/],
  [{ CONNECTOR: 'webhook', WEBHOOK_URL: 'https://switch.example/hook', WEBHOOK_SECRET: 'short' }, 'WEBHOOK_SECRET', /at least 16/],
  [{ WEBHOOK_BATCH_SIZE: '0' }, 'WEBHOOK_BATCH_SIZE', /WEBHOOK_BATCH_SIZE .*1–1000/],
  [{ WEBHOOK_BATCH_SIZE: '1001' }, 'WEBHOOK_BATCH_SIZE', /WEBHOOK_BATCH_SIZE .*1–1000/],
  [{ WEBHOOK_BATCH_SIZE: 'lots' }, 'WEBHOOK_BATCH_SIZE', /WEBHOOK_BATCH_SIZE .*1–1000/],
  [{ PRECOMPUTE_MINUTES: '61' }, 'PRECOMPUTE_MINUTES', /PRECOMPUTE_MINUTES .*0–60/],
])('%j is refused naming %s', (env, variable, message) => {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).variable).toBe(variable);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toMatch(/\n/);
});

test('the switch connector: the journal by default, or a webhook', () => {
  expect(loadConfig({}).connector).toEqual({ name: 'journal' });
  expect(loadConfig({ CONNECTOR: 'webhook', WEBHOOK_URL: 'https://switch.example/hook', WEBHOOK_SECRET: 'x'.repeat(16) }).connector).toEqual({
    name: 'webhook',
    url: 'https://switch.example/hook',
    secret: 'x'.repeat(16),
    timeoutMs: 10_000,
    batchSize: 1,
  });
  expect(loadConfig({ CONNECTOR: 'webhook', WEBHOOK_URL: 'https://switch.example/hook', WEBHOOK_SECRET: 'x'.repeat(16), WEBHOOK_BATCH_SIZE: '200' }).connector).toMatchObject({ batchSize: 200 });
});

test('loopback addresses', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) expect(isLoopback(h)).toBe(true);
  for (const h of ['0.0.0.0', '10.0.0.1', '::', 'example.se']) expect(isLoopback(h)).toBe(false);
});
