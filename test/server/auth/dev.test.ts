import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import {
  AuthError,
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_KEY_FILE,
  DEV_TENANT_ID,
  createDevVerifier,
  loadOrCreateDevKey,
  signDevToken,
  type DevKey,
} from '../../../src/server/auth';

const SCOPE = 'access_as_user';
let tmp: string;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kk-dev-auth-'));
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function expectAuthError(promise: Promise<unknown>, status: 401 | 403, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).statusCode).toBe(status);
  expect((err as AuthError).message).toMatch(message);
}

describe('loadOrCreateDevKey', () => {
  test('creates the data dir and a 0600 key file on first use, reuses it afterwards', async () => {
    const dataDir = path.join(tmp, 'nested', 'data');
    const first = await loadOrCreateDevKey(dataDir);
    const file = path.join(dataDir, DEV_KEY_FILE);
    expect(first.file).toBe(file);
    const st = await fs.stat(file);
    if (process.platform !== 'win32') expect(st.mode & 0o777).toBe(0o600);

    const jwk = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: first.kid });
    expect(typeof jwk['d']).toBe('string');

    const second = await loadOrCreateDevKey(dataDir);
    expect(second.kid).toBe(first.kid);
    // A token signed with the first load verifies with the second.
    const token = await signDevToken(first, { user: 'anna', scope: SCOPE });
    await expect(createDevVerifier(second, { scope: SCOPE }).verify(token)).resolves.toMatchObject({ oid: 'anna' });
    // No temp files left behind.
    expect(await fs.readdir(dataDir)).toEqual([DEV_KEY_FILE]);
  });

  test('concurrent first loads agree on one key', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateDevKey(tmp)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(await fs.readdir(tmp)).toEqual([DEV_KEY_FILE]);
  });

  test('tightens a key file that is readable by others', async () => {
    if (process.platform === 'win32') return;
    await loadOrCreateDevKey(tmp);
    const file = path.join(tmp, DEV_KEY_FILE);
    await fs.chmod(file, 0o644);
    await loadOrCreateDevKey(tmp);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  test('a corrupt key file gives a clear error', async () => {
    await fs.writeFile(path.join(tmp, DEV_KEY_FILE), 'not json', { mode: 0o600 });
    await expect(loadOrCreateDevKey(tmp)).rejects.toThrow(/dev-signing-key\.json is not usable \(not JSON\)\. Delete it/);
    await fs.writeFile(path.join(tmp, DEV_KEY_FILE), '{"kty":"EC","crv":"P-256","x":"a","y":"b"}', { mode: 0o600 });
    await expect(loadOrCreateDevKey(tmp)).rejects.toThrow(/not a private JWK/);
  });
});

describe('signDevToken + createDevVerifier', () => {
  let key: DevKey;
  beforeEach(async () => {
    key = await loadOrCreateDevKey(tmp);
  });

  test('signs a token with the dev claims and verifies it', async () => {
    const token = await signDevToken(key, { user: 'anna.berg@example.se', name: 'Anna Berg', scope: SCOPE });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: key.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
      tid: DEV_TENANT_ID,
      oid: 'anna.berg@example.se',
      sub: 'anna.berg@example.se',
      name: 'Anna Berg',
      scp: SCOPE,
      roles: [],
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(12 * 60 * 60);

    const principal = await createDevVerifier(key, { scope: SCOPE }).verify(token);
    expect(principal).toEqual({
      tid: DEV_TENANT_ID,
      oid: 'anna.berg@example.se',
      name: 'Anna Berg',
      upn: null,
      mail: null,
      roles: [],
      isAdmin: false,
    });
  });

  test('admin gets the Admin role; name is optional', async () => {
    const token = await signDevToken(key, { user: 'boss', admin: true, scope: SCOPE });
    const principal = await createDevVerifier(key, { scope: SCOPE }).verify(token);
    expect(principal).toMatchObject({ oid: 'boss', name: null, roles: ['Admin'], isAdmin: true });
  });

  test('an expired token is rejected (beyond 60 s skew), a just-expired one accepted', async () => {
    const v = createDevVerifier(key, { scope: SCOPE });
    const now = Math.floor(Date.now() / 1000);
    const old = await signDevToken(key, { user: 'anna', scope: SCOPE, now: now - 13 * 3600 });
    await expectAuthError(v.verify(old), 401, /expired/);
    const justExpired = await signDevToken(key, { user: 'anna', scope: SCOPE, now: now - 100, ttlSeconds: 70 });
    await expect(v.verify(justExpired)).resolves.toBeDefined();
  });

  test('a token not valid yet is rejected', async () => {
    const token = await signDevToken(key, { user: 'anna', scope: SCOPE, now: Math.floor(Date.now() / 1000) + 600 });
    await expectAuthError(createDevVerifier(key, { scope: SCOPE }).verify(token), 401, /not valid yet/);
  });

  test('a token from another dev key is rejected', async () => {
    const otherDir = path.join(tmp, 'other');
    const other = await loadOrCreateDevKey(otherDir);
    expect(other.kid).not.toBe(key.kid);
    const token = await signDevToken(other, { user: 'anna', scope: SCOPE });
    await expectAuthError(createDevVerifier(key, { scope: SCOPE }).verify(token), 401, /signature is not valid/);
  });

  test('wrong issuer, audience or tenant with the right key is rejected', async () => {
    const v = createDevVerifier(key, { scope: SCOPE });
    const base = { tid: DEV_TENANT_ID, oid: 'anna', scp: SCOPE };
    const build = (claims: Record<string, unknown>, iss: string, aud: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: key.kid })
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key.privateKey);
    await expectAuthError(v.verify(await build(base, 'someone-else', DEV_AUDIENCE)), 401, /issuer/);
    await expectAuthError(v.verify(await build(base, DEV_ISSUER, 'api://other')), 401, /another application/);
    await expectAuthError(
      v.verify(await build({ ...base, tid: '11111111-2222-4333-8444-555555555555' }, DEV_ISSUER, DEV_AUDIENCE)),
      401,
      /development organisation/,
    );
    await expect(v.verify(await build(base, DEV_ISSUER, DEV_AUDIENCE))).resolves.toMatchObject({ oid: 'anna' });
  });

  test('a token lacking the required scope → 403', async () => {
    const token = await signDevToken(key, { user: 'anna', scope: 'something_else' });
    await expectAuthError(createDevVerifier(key, { scope: SCOPE }).verify(token), 403, /permission \(scope\)/);
  });

  test('garbage and alg none are rejected', async () => {
    const v = createDevVerifier(key, { scope: SCOPE });
    await expectAuthError(v.verify('garbage'), 401, /malformed/);
    await expectAuthError(v.verify(''), 401, /no bearer token/);
    const claims = decodeJwt(await signDevToken(key, { user: 'anna', scope: SCOPE }));
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    await expectAuthError(v.verify(none), 401, /.+/);
  });

  test('invalid user ids are refused with a clear message', async () => {
    for (const user of ['', 'x'.repeat(65), 'anna berg', 'anna/../x', 'åsa\u200b', 'anna\n', 'a;b']) {
      await expect(signDevToken(key, { user, scope: SCOPE })).rejects.toThrow(/user id must be 1–64 characters/);
    }
    for (const user of ['a', 'x'.repeat(64), 'anna.berg', 'anna-b_c', 'anna@example.se', 'A1', 'åsa', 'åsa.öberg', 'zoë']) {
      await expect(signDevToken(key, { user, scope: SCOPE })).resolves.toEqual(expect.any(String));
    }
  });

  test('invalid lifetime or scope are refused', async () => {
    await expect(signDevToken(key, { user: 'anna', scope: SCOPE, ttlSeconds: 0 })).rejects.toThrow(/lifetime/);
    await expect(signDevToken(key, { user: 'anna', scope: SCOPE, ttlSeconds: 1.5 })).rejects.toThrow(/lifetime/);
    await expect(signDevToken(key, { user: 'anna', scope: 'a b' })).rejects.toThrow(/scope/);
  });
});
