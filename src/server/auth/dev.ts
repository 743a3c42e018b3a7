/**
 * AUTH_MODE=dev: a local issuer for development and tests (SPEC 12). The signing key lives in
 * `<dataDir>/dev-signing-key.json` (a private JWK, file mode 0600), created on first use.
 * Tokens look like Entra ones (tid, oid, name, roles, scp) but use the fixed dev tenant and the
 * issuer/audience `kalenderkoppling-dev`, so they are never accepted by the Entra verifier.
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { principalFromPayload, toAuthError } from './errors';
import { AuthError, type Principal, type TokenVerifier } from './types';

export const DEV_ISSUER = 'kalenderkoppling-dev';
export const DEV_AUDIENCE = 'kalenderkoppling-dev';
export const DEV_TENANT_ID = '00000000-0000-0000-0000-000000000000';
export const DEV_KEY_FILE = 'dev-signing-key.json';
export const DEFAULT_DEV_TOKEN_TTL_SECONDS = 12 * 60 * 60;
const CLOCK_TOLERANCE_SEC = 60;
const DEV_ALG = 'ES256';
const SUPPORTED_ALGS = ['ES256', 'RS256'] as const;
type DevAlg = (typeof SUPPORTED_ALGS)[number];

/**
 * User ids accepted by `signDevToken`: 1–64 letters of any script (with their combining marks:
 * "åsa.öberg", "zoë"), digits, `.`, `-`, `_`, `@`. No spaces, control or invisible characters.
 */
export const DEV_USER_RE = /^[\p{L}\p{M}\p{N}._@-]{1,64}$/u;

/** A development user id in the one form it is signed and stored in (NFC: "å" typed either way is one user). */
export function devUserId(user: string): string {
  return user.normalize('NFC');
}

export interface DevKey {
  alg: DevAlg;
  /** JWK thumbprint (RFC 7638) of the public key; put in the token header. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Where the key is stored. */
  file: string;
}

export interface DevTokenOptions {
  /** Becomes `oid` (and `sub`). */
  user: string;
  name?: string;
  /** Adds the app role `Admin`. */
  admin?: boolean;
  /** Put in `scp`; pass the scope the server requires. */
  scope: string;
  /** Lifetime in seconds, default 12 h. */
  ttlSeconds?: number;
  /** Issue time in Unix SECONDS (default: now); for tests. */
  now?: number;
}

/** Loads `<dataDir>/dev-signing-key.json`, creating the directory and an ES256 key on first use. */
export async function loadOrCreateDevKey(dataDir: string): Promise<DevKey> {
  const file = path.join(dataDir, DEV_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing !== undefined) return existing;

  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(DEV_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart(jwk));
  const stored: JWK = { ...jwk, alg: DEV_ALG, use: 'sig', kid };

  // Write to a private temp file, then link it into place: the key file appears complete or not
  // at all, and a concurrent creator (another process) wins without being overwritten.
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(tmp, file);
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) {
      await fs.unlink(tmp).catch(() => undefined);
      throw new Error(`Could not create the development signing key ${file}: ${(err as Error).message}`);
    }
  }
  await fs.unlink(tmp).catch(() => undefined);
  const created = await readKeyFile(file);
  if (created === undefined) throw new Error(`The development signing key ${file} disappeared while it was being created.`);
  return created;
}

/** Signs a development access token for `user`. Throws an Error for an invalid user id or options. */
export async function signDevToken(key: DevKey, opts: DevTokenOptions): Promise<string> {
  const user = typeof opts.user === 'string' ? devUserId(opts.user) : undefined;
  if (user === undefined || !DEV_USER_RE.test(user)) {
    throw new Error(
      'The user id must be 1–64 characters: letters (å, ä, ö and other scripts too), digits, ".", "-", "_" or "@", without spaces (for example åsa.öberg or anna@example.se).',
    );
  }
  if (typeof opts.scope !== 'string' || opts.scope.length === 0 || /\s/.test(opts.scope)) {
    throw new Error('The scope must be one non-empty word, e.g. access_as_user.');
  }
  const ttl = opts.ttlSeconds ?? DEFAULT_DEV_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('The token lifetime must be a positive whole number of seconds.');
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (!Number.isFinite(now)) throw new Error('"now" must be a Unix time in seconds.');
  const name = opts.name?.trim();
  if (name !== undefined && name.length > 256) throw new Error('The name must be at most 256 characters.');

  const claims: JWTPayload = {
    ver: '2.0',
    tid: DEV_TENANT_ID,
    oid: user,
    scp: opts.scope,
    roles: opts.admin === true ? ['Admin'] : [],
  };
  if (name !== undefined && name.length > 0) claims['name'] = name;

  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(user)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .sign(key.privateKey);
}

/** Verifies development tokens: only this key and its algorithm, dev issuer/audience, exp/nbf ±60 s, scope. */
export function createDevVerifier(key: DevKey, opts: { scope: string }): TokenVerifier {
  const algorithms = [key.alg];
  return {
    async verify(token: string): Promise<Principal> {
      if (typeof token !== 'string' || token.length === 0) {
        throw new AuthError(401, 'Sign in: the request has no bearer token.');
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key.publicKey, {
          algorithms,
          issuer: DEV_ISSUER,
          audience: DEV_AUDIENCE,
          clockTolerance: CLOCK_TOLERANCE_SEC,
          requiredClaims: ['exp'],
        }));
      } catch (err) {
        throw toAuthError(err, 'the development issuer', algorithms);
      }
      if (payload['tid'] !== DEV_TENANT_ID) {
        throw new AuthError(401, 'The token does not name the development organisation (tid).');
      }
      return principalFromPayload(payload, DEV_TENANT_ID, opts.scope);
    },
  };
}

async function readKeyFile(file: string): Promise<DevKey | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw new Error(`Could not read the development signing key ${file}: ${(err as Error).message}`);
  }
  const broken = (why: string): Error =>
    new Error(`The development signing key ${file} is not usable (${why}). Delete it to create a new one.`);

  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw broken('not JSON');
  }
  if (jwk === null || typeof jwk !== 'object' || typeof jwk.d !== 'string') throw broken('not a private JWK');
  const alg = jwk.alg ?? DEV_ALG;
  if (!(SUPPORTED_ALGS as readonly string[]).includes(alg)) throw broken(`algorithm ${alg} is not ES256 or RS256`);

  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  let kid: string;
  try {
    const pub = publicPart(jwk);
    kid = typeof jwk.kid === 'string' && jwk.kid.length > 0 ? jwk.kid : await calculateJwkThumbprint(pub);
    privateKey = (await importJWK({ ...jwk, alg }, alg)) as CryptoKey;
    publicKey = (await importJWK({ ...pub, alg }, alg)) as CryptoKey;
  } catch (err) {
    throw broken((err as Error).message);
  }

  // Keep the key private even if the file was copied around with looser permissions.
  if (process.platform !== 'win32') {
    const st = await fs.stat(file);
    if ((st.mode & 0o077) !== 0) await fs.chmod(file, 0o600).catch(() => undefined);
  }
  return { alg: alg as DevAlg, kid, privateKey, publicKey, file };
}

/** The public members of an EC or RSA JWK (what the thumbprint and verification use). */
function publicPart(jwk: JWK): JWK {
  if (jwk.kty === 'EC') return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  if (jwk.kty === 'RSA') return { kty: 'RSA', n: jwk.n, e: jwk.e };
  throw new Error(`unsupported key type ${String(jwk.kty)}`);
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}
