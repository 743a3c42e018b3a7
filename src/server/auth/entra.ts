/**
 * AUTH_MODE=entra: validates Microsoft Entra ID v1.0 and v2.0 access tokens (SPEC 12).
 *
 * Order of checks (cheap and offline first, so junk and foreign tenants cost no network call):
 *   0. the token is at most MAX_TOKEN_LENGTH characters                        (before decoding)
 *   1. the token decodes, its header says RS256 and carries no key-bearing or critical parameter
 *      (jku, jwk, x5u, x5c, crit), and `tid` is an allowed tenant; `ver` is absent, 1.0 or 2.0
 *                                                                              (unverified)
 *   2. signature via the tenant's JWKS (fetched once, cached, refetched on an unknown kid),
 *      issuer, audience, exp/nbf with clock skew                                  (jose)
 *   3. `oid` present, not an app-only token, required scope in `scp`, roles → Principal
 * Status codes: 401 invalid token, 403 tenant not allowed / scope missing, 503 keys unavailable
 * (see errors.ts for the reasoning).
 */

import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey, ProtectedHeaderParameters } from 'jose';
import { GUID_RE, principalFromPayload, toAuthError } from './errors';
import { AuthError, type Principal, type TokenVerifier } from './types';

export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
/** Issuer base of v1.0 access tokens: `https://sts.windows.net/<tid>/`. */
export const DEFAULT_V1_ISSUER_BASE = 'https://sts.windows.net';
/** Largest clock skew accepted for exp/nbf, in seconds (also the default). */
export const MAX_CLOCK_TOLERANCE_SEC = 60;

/**
 * Longest token accepted, in characters, checked before anything is decoded (so a huge token
 * costs no base64/JSON work). Entra access tokens stay well below it even with many group claims:
 * Entra puts at most 200 groups into a JWT (more become an overage claim), about 12 KB in all.
 * Node's default limit for all request headers together (maxHeaderSize) is 16 KiB as well.
 */
export const MAX_TOKEN_LENGTH = 16 * 1024;

const ALGORITHMS = ['RS256'] as const;

/**
 * JWS header parameters refused outright. jku/x5u point at keys elsewhere and jwk/x5c embed a key:
 * the keys come only from the tenant's JWKS at the configured authority, never from the token
 * (jose ignores these anyway; refusing them makes the intent explicit and costs no fetch).
 * crit would demand extensions we do not implement. Entra access tokens carry none of them.
 */
const REFUSED_HEADER_PARAMS = ['jku', 'jwk', 'x5u', 'x5c', 'crit'] as const;

export interface EntraVerifierOptions {
  /** e.g. `https://login.microsoftonline.com` (trailing slashes are ignored). */
  authority: string;
  /** Allowed tenant ids (`tid`), compared case-insensitively. */
  tenants: string[];
  /** Accepted `aud` values, e.g. `api://<client-id>` and `<client-id>`. */
  audiences: string[];
  /** Required delegated scope, e.g. `access_as_user`; must appear in the space-separated `scp`. */
  scope: string;
  /** Base of the v1.0 issuer (default `https://sts.windows.net`), configurable for tests. */
  v1IssuerBase?: string;
  /** Clock skew for exp/nbf in seconds, 0–60 (default 60). */
  clockToleranceSec?: number;
  /** Key resolver of a tenant; default: a cached `createRemoteJWKSet` of the tenant's JWKS URL. */
  jwksFor?: (tid: string) => JWTVerifyGetKey;
}

/** The JWKS URL of a tenant: `${authority}/${tid}/discovery/v2.0/keys`. */
export function entraJwksUrl(authority: string, tid: string): URL {
  return new URL(`${trimSlashes(authority)}/${encodeURIComponent(tid)}/discovery/v2.0/keys`);
}

export function createEntraVerifier(opts: EntraVerifierOptions): TokenVerifier {
  const authority = trimSlashes(opts.authority);
  const v1IssuerBase = trimSlashes(opts.v1IssuerBase ?? DEFAULT_V1_ISSUER_BASE);
  const tolerance = opts.clockToleranceSec ?? MAX_CLOCK_TOLERANCE_SEC;
  checkOptions(opts, authority, tolerance);

  const allowedTenants = new Set(opts.tenants.map((t) => t.trim().toLowerCase()));
  const audiences = [...opts.audiences];
  const scope = opts.scope;

  // One remote key set per tenant, created on first use; jose caches the keys (10 min), refetches
  // on an unknown kid (at most every 30 s) and so follows Entra's key rotation.
  const keySets = new Map<string, JWTVerifyGetKey>();
  const jwksFor =
    opts.jwksFor ??
    ((tid: string): JWTVerifyGetKey => {
      let keySet = keySets.get(tid);
      if (keySet === undefined) {
        keySet = createRemoteJWKSet(entraJwksUrl(authority, tid));
        keySets.set(tid, keySet);
      }
      return keySet;
    });

  return {
    async verify(token: string): Promise<Principal> {
      const { header, payload } = decodeUnverified(token);

      if (header.alg !== 'RS256') {
        throw new AuthError(401, 'The token is signed with an algorithm this service does not accept (only RS256).');
      }
      const refused = REFUSED_HEADER_PARAMS.find((param) => Object.hasOwn(header, param));
      if (refused !== undefined) {
        throw new AuthError(401, `The token header carries "${refused}", which this service does not accept.`);
      }
      const tid = payload['tid'];
      if (typeof tid !== 'string' || !GUID_RE.test(tid)) {
        throw new AuthError(401, 'The token does not name an organisation (no valid tid claim).');
      }
      const tenant = tid.toLowerCase();
      if (!allowedTenants.has(tenant)) {
        throw new AuthError(
          403,
          `Your organisation (tenant ${tid}) is not allowed to use this service. Ask the administrator to add it.`,
        );
      }

      // v2.0 tokens: `${authority}/${tid}/v2.0`; v1.0 tokens: `${v1IssuerBase}/${tid}/`. The token's
      // own `ver` picks one; a token without `ver` may match either (never anything else). Any
      // other `ver` (e.g. "3.0", or the number 2) is refused rather than treated as absent.
      const v2Issuer = `${authority}/${tid}/v2.0`;
      const v1Issuer = `${v1IssuerBase}/${tid}/`;
      const ver = payload['ver'];
      if (ver !== undefined && ver !== '1.0' && ver !== '2.0') {
        throw new AuthError(401, 'The token has an unknown version (ver); only Entra v1.0 and v2.0 access tokens are accepted.');
      }
      const issuer = ver === '2.0' ? v2Issuer : ver === '1.0' ? v1Issuer : [v2Issuer, v1Issuer];

      let verified: JWTPayload;
      try {
        const result = await jwtVerify(token, jwksFor(tenant), {
          algorithms: [...ALGORITHMS],
          issuer,
          audience: audiences,
          clockTolerance: tolerance,
          requiredClaims: ['exp'],
        });
        verified = result.payload;
      } catch (err) {
        throw toAuthError(err, `Microsoft Entra (tenant ${tid})`, ALGORITHMS);
      }
      // The issuer check pins the tenant in `iss` to the (unverified) `tid` read above; both are
      // now signed, so `verified.tid === tid`.
      return principalFromPayload(verified, tid, scope);
    },
  };
}

function decodeUnverified(token: string): { header: ProtectedHeaderParameters; payload: JWTPayload } {
  if (typeof token !== 'string' || token.length === 0) {
    throw new AuthError(401, 'Sign in: the request has no bearer token.');
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new AuthError(401, `The token is too long (more than ${MAX_TOKEN_LENGTH} characters) to be a sign-in token. Sign in again.`);
  }
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch {
    throw new AuthError(401, 'The token is malformed (it is not a signed JWT). Sign in again.');
  }
}

function checkOptions(opts: EntraVerifierOptions, authority: string, tolerance: number): void {
  let url: URL;
  try {
    url = new URL(authority);
  } catch {
    throw new Error(`Entra sign-in: the authority "${opts.authority}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Entra sign-in: the authority "${opts.authority}" must be an https URL.`);
  }
  if (opts.tenants.length === 0) throw new Error('Entra sign-in: configure at least one allowed tenant id.');
  const badTenant = opts.tenants.find((t) => !GUID_RE.test(t.trim()));
  if (badTenant !== undefined) throw new Error(`Entra sign-in: "${badTenant}" is not a tenant id (a GUID).`);
  if (opts.audiences.length === 0 || opts.audiences.some((a) => a.length === 0)) {
    throw new Error('Entra sign-in: configure at least one audience (e.g. api://<client-id> and the client id).');
  }
  if (opts.scope.length === 0 || /\s/.test(opts.scope)) {
    throw new Error('Entra sign-in: the required scope must be one non-empty word, e.g. access_as_user.');
  }
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SEC) {
    throw new Error(`Entra sign-in: the clock tolerance must be 0–${MAX_CLOCK_TOLERANCE_SEC} seconds.`);
  }
}

function trimSlashes(s: string): string {
  return s.replace(/\/+$/, '');
}
