import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { AuthError, SignInUnavailableError, createEntraVerifier, type EntraVerifierOptions } from '../../../src/server/auth';
import { MAX_TOKEN_LENGTH } from '../../../src/server/auth/entra';

const TENANT = '11111111-2222-4333-8444-555555555555';
const OTHER_ALLOWED_TENANT = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const FOREIGN_TENANT = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
const BROKEN_TENANT = 'cccccccc-0000-4000-8000-000000000000';
const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const APP_ID_URI = `api://${CLIENT_ID}`;
const SCOPE = 'access_as_user';

interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, publicKey, publicJwk };
}

/** A loopback "authority" serving `/<tid>/discovery/v2.0/keys`; records every request path. */
class JwksServer {
  readonly requests: string[] = [];
  /** Keys served per tenant (lower-case tid). */
  readonly keys = new Map<string, JWK[]>();
  private server = http.createServer((req, res) => this.handle(req, res));
  authority = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.authority = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  requestsFor(tid: string): string[] {
    return this.requests.filter((p) => p.toLowerCase().includes(tid.toLowerCase()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push(url);
    const m = /^\/([^/]+)\/discovery\/v2\.0\/keys$/.exec(url);
    const tid = m?.[1]?.toLowerCase();
    if (tid === BROKEN_TENANT) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      return;
    }
    const keys = tid === undefined ? undefined : this.keys.get(tid);
    if (keys === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  }
}

const server = new JwksServer();
let keyA: TestKey;
let keyB: TestKey;
let keyRotated: TestKey;
let keyUnknown: TestKey;

beforeAll(async () => {
  [keyA, keyB, keyRotated, keyUnknown] = await Promise.all([
    makeKey('key-a'),
    makeKey('key-b'),
    makeKey('key-rotated'),
    makeKey('key-unknown'),
  ]);
  await server.start();
});

afterAll(async () => {
  await server.stop();
});

beforeEach(() => {
  server.requests.length = 0;
  server.keys.clear();
  server.keys.set(TENANT, [keyA.publicJwk, keyB.publicJwk]);
  server.keys.set(OTHER_ALLOWED_TENANT, [keyA.publicJwk]);
  server.keys.set(FOREIGN_TENANT, [keyA.publicJwk]);
  jest.restoreAllMocks();
});

function verifier(overrides: Partial<EntraVerifierOptions> = {}) {
  return createEntraVerifier({
    authority: server.authority,
    tenants: [TENANT, OTHER_ALLOWED_TENANT],
    audiences: [APP_ID_URI, CLIENT_ID],
    scope: SCOPE,
    ...overrides,
  });
}

const nowSec = (): number => Math.floor(Date.now() / 1000);

function v2Claims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSec();
  return {
    ver: '2.0',
    iss: `${server.authority}/${TENANT}/v2.0`,
    aud: CLIENT_ID,
    tid: TENANT,
    oid: 'aaaaaaaa-1111-4222-8333-444444444444',
    sub: 'pairwise-subject',
    name: 'Anna Berg',
    preferred_username: 'Anna.Berg@kommun.example',
    scp: SCOPE,
    iat: now - 10,
    nbf: now - 10,
    exp: now + 3600,
    ...overrides,
  };
}

function v1Claims(overrides: JWTPayload = {}): JWTPayload {
  return v2Claims({ ver: '1.0', iss: `https://sts.windows.net/${TENANT}/`, aud: APP_ID_URI, ...overrides });
}

async function sign(claims: JWTPayload, key: TestKey = keyA, kid: string = key.kid): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key.privateKey);
}

function b64url(s: string | Uint8Array): string {
  return Buffer.from(s).toString('base64url');
}

/** RS256 over any header (SignJWT refuses some, e.g. an unknown `crit`) and any payload string. */
async function signRaw(header: Record<string, unknown>, payload: JWTPayload | string, key: TestKey = keyA): Promise<string> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${b64url(JSON.stringify(header))}.${b64url(body)}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

function withoutVer(claims: JWTPayload): JWTPayload {
  const { ver: _ver, ...rest } = claims;
  return rest;
}

async function expectAuthError(token: string, status: 401 | 403, message: RegExp, v = verifier()): Promise<AuthError> {
  let caught: unknown;
  try {
    await v.verify(token);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AuthError);
  const err = caught as AuthError;
  expect(err.statusCode).toBe(status);
  expect(err.message).toMatch(message);
  if (token.length > 0) expect(err.message).not.toContain(token);
  // Not even a part of the token (e.g. its signature) leaks into the message.
  for (const part of token.split('.')) if (part.length > 8) expect(err.message).not.toContain(part);
  return err;
}

describe('createEntraVerifier: valid tokens', () => {
  test('accepts a v2.0 token and fetches the tenant JWKS from the authority', async () => {
    const principal = await verifier().verify(await sign(v2Claims()));
    expect(principal).toEqual({
      tid: TENANT,
      oid: 'aaaaaaaa-1111-4222-8333-444444444444',
      name: 'Anna Berg',
      upn: 'Anna.Berg@kommun.example',
      mail: null,
      roles: [],
      isAdmin: false,
    });
    expect(server.requests).toEqual([`/${TENANT}/discovery/v2.0/keys`]);
  });

  test('the sign-in name: preferred_username (v2.0) or upn (v1.0), and email, only when they are addresses', async () => {
    const v = verifier();
    expect(await v.verify(await sign(v2Claims({ email: 'anna@kommun.example' })))).toMatchObject({ upn: 'Anna.Berg@kommun.example', mail: 'anna@kommun.example' });
    expect(await v.verify(await sign(v2Claims({ preferred_username: undefined, upn: 'anna@kommun.example' })))).toMatchObject({ upn: 'anna@kommun.example' });
    expect(await v.verify(await sign(v2Claims({ preferred_username: 'not an address', email: ['x@y.se'] })))).toMatchObject({ upn: null, mail: null });
  });

  test('accepts a v1.0 token (sts.windows.net issuer, api:// audience)', async () => {
    const principal = await verifier().verify(await sign(v1Claims()));
    expect(principal.tid).toBe(TENANT);
    expect(principal.isAdmin).toBe(false);
  });

  test('accepts a v1.0 token whose audience is the bare client id', async () => {
    await expect(verifier().verify(await sign(v1Claims({ aud: CLIENT_ID })))).resolves.toMatchObject({ tid: TENANT });
  });

  test('accepts a v2.0 token with the api:// audience and an aud array', async () => {
    await expect(verifier().verify(await sign(v2Claims({ aud: APP_ID_URI })))).resolves.toBeDefined();
    await expect(verifier().verify(await sign(v2Claims({ aud: ['other', CLIENT_ID] })))).resolves.toBeDefined();
  });

  test('the v1 issuer base is configurable', async () => {
    const v = verifier({ v1IssuerBase: 'https://sts.example.test/' });
    await expect(v.verify(await sign(v1Claims({ iss: `https://sts.example.test/${TENANT}/` })))).resolves.toBeDefined();
    await expectAuthError(await sign(v1Claims()), 401, /issued by someone this service does not trust/, v);
  });

  test('the Admin app role makes the person an administrator; other roles are kept', async () => {
    const principal = await verifier().verify(await sign(v2Claims({ roles: ['Reader', 'Admin'] })));
    expect(principal.roles).toEqual(['Reader', 'Admin']);
    expect(principal.isAdmin).toBe(true);
    const notAdmin = await verifier().verify(await sign(v2Claims({ roles: ['admin', 'Administrators'] })));
    expect(notAdmin.isAdmin).toBe(false);
  });

  test('the required scope may be one of several in scp', async () => {
    await expect(verifier().verify(await sign(v2Claims({ scp: 'User.Read access_as_user' })))).resolves.toBeDefined();
  });

  test('a token without name gives name null', async () => {
    const claims = v2Claims();
    delete claims['name'];
    await expect(verifier().verify(await sign(claims))).resolves.toMatchObject({ name: null });
  });

  test('a second allowed tenant works, with its own JWKS URL', async () => {
    const claims = v2Claims({ tid: OTHER_ALLOWED_TENANT, iss: `${server.authority}/${OTHER_ALLOWED_TENANT}/v2.0` });
    await expect(verifier().verify(await sign(claims))).resolves.toMatchObject({ tid: OTHER_ALLOWED_TENANT });
    expect(server.requests).toEqual([`/${OTHER_ALLOWED_TENANT}/discovery/v2.0/keys`]);
  });

  test('the JWKS is cached: many verifications, one fetch', async () => {
    const v = verifier();
    const token = await sign(v2Claims());
    await v.verify(token);
    await Promise.all([v.verify(token), v.verify(await sign(v2Claims(), keyB)), v.verify(await sign(v1Claims()))]);
    expect(server.requests).toHaveLength(1);
  });

  test('accepts a token expired less than 60 s ago (clock skew)', async () => {
    await expect(verifier().verify(await sign(v2Claims({ exp: nowSec() - 30 })))).resolves.toBeDefined();
  });

  test('accepts a token whose nbf is less than 60 s ahead (clock skew)', async () => {
    await expect(verifier().verify(await sign(v2Claims({ nbf: nowSec() + 30 })))).resolves.toBeDefined();
  });

  test('key rotation: a token signed with a newly published key verifies after a refetch', async () => {
    const v = verifier();
    await v.verify(await sign(v2Claims()));
    expect(server.requests).toHaveLength(1);

    // Entra rotates: the JWKS now carries a new key. Time passes beyond jose's 30 s refetch cooldown.
    server.keys.set(TENANT, [keyRotated.publicJwk]);
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 31_000);

    const principal = await v.verify(await sign(v2Claims(), keyRotated));
    expect(principal.tid).toBe(TENANT);
    expect(server.requests).toHaveLength(2);
  });
});

describe('createEntraVerifier: rejected tokens', () => {
  test('alg none (unsigned token) → 401, no JWKS fetch', async () => {
    const header = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const token = `${header}.${b64url(JSON.stringify(v2Claims()))}.`;
    await expectAuthError(token, 401, /algorithm .* does not accept \(only RS256\)/);
    expect(server.requests).toHaveLength(0);
  });

  test('HS256 signed with the RSA public key (PEM, JWK JSON, modulus) as secret → 401', async () => {
    const pem = await exportSPKI(keyA.publicKey);
    const secrets = [
      new TextEncoder().encode(pem),
      new TextEncoder().encode(JSON.stringify(keyA.publicJwk)),
      Buffer.from(keyA.publicJwk.n ?? '', 'base64url'),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(v2Claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: keyA.kid }).sign(secret);
      await expectAuthError(token, 401, /algorithm .* does not accept/);
    }
    expect(server.requests).toHaveLength(0);
  });

  test('jose itself refuses HS256 and none with algorithms: [RS256] (defence in depth)', async () => {
    const jwks = createLocalJWKSet({ keys: [keyA.publicJwk] });
    const hs = await new SignJWT(v2Claims())
      .setProtectedHeader({ alg: 'HS256', kid: keyA.kid })
      .sign(new TextEncoder().encode(await exportSPKI(keyA.publicKey)));
    await expect(jwtVerify(hs, jwks, { algorithms: ['RS256'] })).rejects.toBeInstanceOf(joseErrors.JOSEAlgNotAllowed);
    const none = `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(v2Claims()))}.`;
    await expect(jwtVerify(none, jwks, { algorithms: ['RS256'] })).rejects.toBeInstanceOf(joseErrors.JOSEError);
  });

  test('RS256 header on a token signed with another algorithm key (PS256) fails the signature', async () => {
    const { privateKey } = await generateKeyPair('PS256');
    const forged = await new SignJWT(v2Claims()).setProtectedHeader({ alg: 'PS256', kid: keyA.kid }).sign(privateKey);
    const [, payload, signature] = forged.split('.');
    const token = `${b64url(JSON.stringify({ alg: 'RS256', kid: keyA.kid }))}.${payload}.${signature}`;
    await expectAuthError(token, 401, /signature is not valid/);
  });

  test('a tampered payload fails the signature', async () => {
    const token = await sign(v2Claims());
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${b64url(JSON.stringify(v2Claims({ roles: ['Admin'] })))}.${signature}`;
    await expectAuthError(tampered, 401, /signature is not valid/);
  });

  test('wrong issuer → 401', async () => {
    await expectAuthError(await sign(v2Claims({ iss: `https://evil.example/${TENANT}/v2.0` })), 401, /issued by someone/);
    // v2.0 token with the v1 issuer, and the issuer of another (allowed) tenant.
    await expectAuthError(await sign(v2Claims({ iss: `https://sts.windows.net/${TENANT}/` })), 401, /issuer/);
    await expectAuthError(
      await sign(v2Claims({ iss: `${server.authority}/${OTHER_ALLOWED_TENANT}/v2.0` })),
      401,
      /issuer/,
    );
    const noIss = v2Claims();
    delete noIss['iss'];
    await expectAuthError(await sign(noIss), 401, /no issuer/);
  });

  test('wrong audience → 401', async () => {
    await expectAuthError(await sign(v2Claims({ aud: 'api://some-other-app' })), 401, /^The token is for another application \(audience\)\.$/);
    await expectAuthError(await sign(v1Claims({ aud: 'https://graph.microsoft.com' })), 401, /another application/);
  });

  test('tenant not in the allowed list → 403, and its JWKS is never fetched', async () => {
    const claims = v2Claims({ tid: FOREIGN_TENANT, iss: `${server.authority}/${FOREIGN_TENANT}/v2.0` });
    const err = await expectAuthError(await sign(claims), 403, /Your organisation \(tenant .*\) is not allowed/);
    expect(err.message).toContain(FOREIGN_TENANT);
    expect(server.requestsFor(FOREIGN_TENANT)).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  test('missing or non-GUID tid → 401 without a fetch', async () => {
    const claims = v2Claims();
    delete claims['tid'];
    await expectAuthError(await sign(claims), 401, /no valid tid/);
    await expectAuthError(await sign(v2Claims({ tid: '../../evil' })), 401, /no valid tid/);
    expect(server.requests).toEqual([]);
  });

  test('expired more than 60 s ago → 401', async () => {
    await expectAuthError(await sign(v2Claims({ exp: nowSec() - 90 })), 401, /^The token has expired/);
  });

  test('a token without exp → 401', async () => {
    const claims = v2Claims();
    delete claims['exp'];
    await expectAuthError(await sign(claims), 401, /no expiry/);
  });

  test('nbf more than 60 s in the future → 401', async () => {
    await expectAuthError(await sign(v2Claims({ nbf: nowSec() + 300 })), 401, /not valid yet/);
  });

  test('missing scope → 403; other scopes only → 403; scope as substring → 403', async () => {
    const noScp = v2Claims();
    delete noScp['scp'];
    await expectAuthError(await sign(noScp), 403, /does not grant the "access_as_user" permission/);
    await expectAuthError(await sign(v2Claims({ scp: 'User.Read openid' })), 403, /permission \(scope\)/);
    await expectAuthError(await sign(v2Claims({ scp: 'access_as_user_extra' })), 403, /permission/);
  });

  test('missing oid → 401', async () => {
    const claims = v2Claims();
    delete claims['oid'];
    await expectAuthError(await sign(claims), 401, /does not identify a user/);
    await expectAuthError(await sign(v2Claims({ oid: '' })), 401, /does not identify a user/);
  });

  test('signed by a key that is not in the JWKS (unknown kid) → 401, one fetch only', async () => {
    await expectAuthError(await sign(v2Claims(), keyUnknown), 401, /key that .* does not publish \(unknown key id\)/);
    expect(server.requests).toHaveLength(1);
  });

  test('signed by an unknown key but claiming a published kid → 401 signature', async () => {
    await expectAuthError(await sign(v2Claims(), keyUnknown, keyA.kid), 401, /signature is not valid/);
  });

  test('garbage tokens → 401 without a fetch', async () => {
    for (const token of ['not-a-token', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.e30', '...', 'x'.repeat(2000)]) {
      await expectAuthError(token, 401, /malformed/);
    }
    await expectAuthError('', 401, /no bearer token/);
    expect(server.requests).toEqual([]);
  });

  test('JWKS endpoint failing → SignInUnavailableError (503), not an AuthError', async () => {
    const v = verifier({ tenants: [TENANT, BROKEN_TENANT] });
    const claims = v2Claims({ tid: BROKEN_TENANT, iss: `${server.authority}/${BROKEN_TENANT}/v2.0` });
    const token = await sign(claims);
    const err = await v.verify(token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignInUnavailableError);
    expect(err).not.toBeInstanceOf(AuthError);
    expect((err as SignInUnavailableError).statusCode).toBe(503);
    expect((err as Error).message).not.toContain(token);
  });

  test('authority unreachable → SignInUnavailableError', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const { port } = dead.address() as AddressInfo;
    await new Promise<void>((r) => dead.close(() => r()));
    const v = verifier({ authority: `http://127.0.0.1:${port}` });
    const claims = v2Claims({ iss: `http://127.0.0.1:${port}/${TENANT}/v2.0` });
    await expect(v.verify(await sign(claims))).rejects.toBeInstanceOf(SignInUnavailableError);
  });
});

describe('createEntraVerifier: hostile and unusual tokens', () => {
  test('a token without ver verifies with the v2 or the v1 issuer, and with nothing else', async () => {
    await expect(verifier().verify(await sign(withoutVer(v2Claims())))).resolves.toMatchObject({ tid: TENANT });
    await expect(verifier().verify(await sign(withoutVer(v1Claims())))).resolves.toMatchObject({ tid: TENANT });
    for (const iss of [
      `https://evil.example/${TENANT}/v2.0`,
      `${server.authority}/${TENANT}/`,
      `https://sts.windows.net/${TENANT}/v2.0`,
      `${server.authority}/${OTHER_ALLOWED_TENANT}/v2.0`,
      `https://sts.windows.net/${OTHER_ALLOWED_TENANT}/`,
    ]) {
      await expectAuthError(await sign(withoutVer(v2Claims({ iss }))), 401, /issued by someone this service does not trust/);
    }
  });

  test('an unknown ver ("3.0", "2", the number 2) → 401, even with a matching issuer', async () => {
    for (const ver of ['3.0', '2', 2, null]) {
      await expectAuthError(await sign(v2Claims({ ver })), 401, /unknown version \(ver\)/);
    }
    expect(server.requests).toEqual([]);
  });

  test('a v1.0 token with the v2 issuer → 401; a v2.0 token with the v1 issuer → 401', async () => {
    await expectAuthError(await sign(v1Claims({ iss: `${server.authority}/${TENANT}/v2.0` })), 401, /issued by someone/);
    await expectAuthError(await sign(v2Claims({ iss: `https://sts.windows.net/${TENANT}/` })), 401, /issued by someone/);
  });

  test('an app-only token (client credentials: roles Admin, no scp) → 403, never an admin', async () => {
    // The service principal's token has an oid too, so only the missing delegated scope (or
    // idtyp "app", when that optional claim is present) stops it. 403: genuine token, wrong kind.
    const app = (extra: JWTPayload): JWTPayload => {
      const claims = v2Claims({ roles: ['Admin'], ...extra });
      delete claims['scp'];
      delete claims['name'];
      return claims;
    };
    await expectAuthError(await sign(app({ idtyp: 'app' })), 403, /belongs to an application, not to a signed-in user/);
    await expectAuthError(await sign(app({})), 403, /does not grant the "access_as_user" permission/);
    await expectAuthError(await sign(app({ ver: '1.0', iss: `https://sts.windows.net/${TENANT}/`, appidacr: '1' })), 403, /permission/);
    // idtyp "app" wins even if such a token somehow carried the scope.
    await expectAuthError(await sign(app({ idtyp: 'app', scp: SCOPE })), 403, /belongs to an application/);
    // A user token that says so is fine.
    await expect(verifier().verify(await sign(v2Claims({ idtyp: 'user', roles: ['Admin'] })))).resolves.toMatchObject({ isAdmin: true });
  });

  test('JWS crit header (unknown extension, a claim name, b64:false) → 401 before any key lookup', async () => {
    const headers = [
      { alg: 'RS256', typ: 'JWT', kid: keyA.kid, crit: ['exp'] },
      { alg: 'RS256', typ: 'JWT', kid: keyA.kid, crit: ['exp'], exp: nowSec() + 3600 },
      { alg: 'RS256', typ: 'JWT', kid: keyA.kid, crit: ['urn:example:must-understand'], 'urn:example:must-understand': true },
      { alg: 'RS256', typ: 'JWT', kid: keyA.kid, crit: ['b64'], b64: false },
    ];
    for (const header of headers) {
      await expectAuthError(await signRaw(header, v2Claims()), 401, /header carries "crit"/);
    }
    expect(server.requests).toEqual([]);
  });

  test('jku / x5u pointing at other keys → 401, and that URL is never fetched', async () => {
    // The attacker publishes their own key at a URL the test server really serves.
    server.keys.set(FOREIGN_TENANT, [keyUnknown.publicJwk]);
    const attackerJwks = `${server.authority}/${FOREIGN_TENANT}/discovery/v2.0/keys`;
    for (const param of ['jku', 'x5u']) {
      const token = await signRaw({ alg: 'RS256', typ: 'JWT', kid: keyUnknown.kid, [param]: attackerJwks }, v2Claims(), keyUnknown);
      await expectAuthError(token, 401, new RegExp(`header carries "${param}"`));
    }
    expect(server.requestsFor(FOREIGN_TENANT)).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  test("an embedded jwk / x5c (the attacker's own key in the header) → 401, no key lookup", async () => {
    const seen: string[] = [];
    const v = verifier({
      jwksFor: (tid) => {
        seen.push(tid);
        return createLocalJWKSet({ keys: [keyA.publicJwk] });
      },
    });
    const jwk = keyUnknown.publicJwk;
    for (const header of [
      { alg: 'RS256', typ: 'JWT', jwk },
      { alg: 'RS256', typ: 'JWT', kid: keyA.kid, jwk },
      { alg: 'RS256', typ: 'JWT', kid: jwk.kid, jwk },
      { alg: 'RS256', typ: 'JWT', x5c: [b64url('not really a certificate')] },
    ]) {
      const param = 'jwk' in header ? 'jwk' : 'x5c';
      await expectAuthError(await signRaw(header, v2Claims(), keyUnknown), 401, new RegExp(`header carries "${param}"`), v);
    }
    expect(seen).toEqual([]);
  });

  test('jose alone also ignores jku and an embedded jwk (defence in depth)', async () => {
    const jwks = createLocalJWKSet({ keys: [keyA.publicJwk] });
    const jku = await signRaw({ alg: 'RS256', kid: keyA.kid, jku: 'https://evil.example/keys' }, v2Claims(), keyUnknown);
    await expect(jwtVerify(jku, jwks, { algorithms: ['RS256'] })).rejects.toBeInstanceOf(joseErrors.JWSSignatureVerificationFailed);
    const jwk = await signRaw({ alg: 'RS256', kid: keyA.kid, jwk: keyUnknown.publicJwk }, v2Claims(), keyUnknown);
    await expect(jwtVerify(jwk, jwks, { algorithms: ['RS256'] })).rejects.toBeInstanceOf(joseErrors.JWSSignatureVerificationFailed);
  });

  test('a nested JWT (cty "JWT", payload not JSON) → 401 malformed, no fetch', async () => {
    const inner = await sign(v2Claims({ roles: ['Admin'] }));
    await expectAuthError(await signRaw({ alg: 'RS256', typ: 'JWT', cty: 'JWT', kid: keyA.kid }, inner), 401, /malformed/);
    expect(server.requests).toEqual([]);
  });

  test('roles that are not an array of strings give no roles and no admin, without a TypeError', async () => {
    for (const roles of ['Admin', 'Admin Reader', { 0: 'Admin', length: 1 }, [['Admin']], null, 1]) {
      const principal = await verifier().verify(await sign(v2Claims({ roles })));
      expect(principal.roles).toEqual([]);
      expect(principal.isAdmin).toBe(false);
    }
  });

  test('tokens longer than MAX_TOKEN_LENGTH → 401 before decoding, no fetch', async () => {
    expect(MAX_TOKEN_LENGTH).toBe(16 * 1024);
    const junk = (n: number): string => b64url(Buffer.alloc(n, 0xfb)).slice(0, n);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keyA.kid }));
    const hugePayload = b64url(JSON.stringify(v2Claims({ filler: 'x'.repeat(200_000) })));
    // Correctly signed and otherwise valid, only too big (it would verify without the limit).
    const signedBig = await sign(v2Claims({ groups: Array.from({ length: 500 }, (_, i) => `group-${i}-${'g'.repeat(30)}`) }));
    expect(signedBig.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    for (const token of [
      junk(20 * 1024),
      junk(200 * 1024),
      `${junk(10 * 1024)}.${junk(10 * 1024)}.${junk(342)}`,
      `${header}.${hugePayload}.${junk(342)}`,
      signedBig,
    ]) {
      await expectAuthError(token, 401, /^The token is too long \(more than 16384 characters\)/);
    }
    expect(server.requests).toEqual([]);
  });

  test('a token with 200 group ids (Entra’s JWT maximum) stays below the limit and verifies', async () => {
    const groups = Array.from({ length: 200 }, (_, i) => `${i.toString(16).padStart(8, '0')}-1111-4222-8333-444444444444`);
    const token = await sign(v2Claims({ groups, wids: ['62e90394-69f5-4237-9190-012177145e10'], roles: ['Admin', 'Reader'] }));
    expect(token.length).toBeGreaterThan(10_000);
    expect(token.length).toBeLessThan(MAX_TOKEN_LENGTH);
    await expect(verifier().verify(token)).resolves.toMatchObject({ isAdmin: true });
  });
});

describe('createEntraVerifier: options', () => {
  test('a custom jwksFor is used instead of the network', async () => {
    const seen: string[] = [];
    const v = verifier({
      jwksFor: (tid) => {
        seen.push(tid);
        return createLocalJWKSet({ keys: [keyB.publicJwk] });
      },
    });
    await expect(v.verify(await sign(v2Claims(), keyB))).resolves.toBeDefined();
    expect(seen).toEqual([TENANT]);
    expect(server.requests).toEqual([]);
  });

  test('tenants compare case-insensitively and the authority may end with a slash', async () => {
    const v = verifier({ tenants: [TENANT.toUpperCase()], authority: `${server.authority}/` });
    await expect(v.verify(await sign(v2Claims()))).resolves.toBeDefined();
  });

  test('clockToleranceSec 0 rejects a token that expired 30 s ago', async () => {
    await expectAuthError(await sign(v2Claims({ exp: nowSec() - 30 })), 401, /expired/, verifier({ clockToleranceSec: 0 }));
  });

  test('bad configuration is refused up front', () => {
    expect(() => verifier({ tenants: [] })).toThrow(/at least one allowed tenant/);
    expect(() => verifier({ tenants: ['contoso.onmicrosoft.com'] })).toThrow(/not a tenant id/);
    expect(() => verifier({ audiences: [] })).toThrow(/audience/);
    expect(() => verifier({ scope: '' })).toThrow(/scope/);
    expect(() => verifier({ clockToleranceSec: 300 })).toThrow(/0–60/);
    expect(() => verifier({ authority: 'not a url' })).toThrow(/not a URL/);
  });
});
