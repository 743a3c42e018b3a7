/**
 * Shared helpers of the verifiers: turning jose's errors into messages a person can act on, and
 * the claims of a verified token into a Principal.
 *
 * Status codes (SPEC 12):
 * - 401 — the token itself is missing, malformed, forged, expired or not meant for us
 *   (signature, algorithm, issuer, audience, exp/nbf, missing tid/oid). Signing in again helps.
 * - 403 — the token is intact but does not allow the request: the organisation (tenant) is not in
 *   the allowed list, or the token lacks the required scope. Signing in again does not help; an
 *   administrator has to act (allow the tenant, grant consent for the scope).
 *   The tenant check runs on the unverified payload (before any JWKS fetch, so a foreign tenant
 *   costs no network call); a forged token that claims a foreign tenant therefore also gets 403,
 *   which reveals nothing.
 * - 503 (SignInUnavailableError, not an AuthError) — the signing keys could not be fetched
 *   (Entra unreachable, timeout, bad JWKS response). The token may be fine; the person cannot fix
 *   this. Fastify's default error handler uses `statusCode`.
 *
 * Messages never contain the token.
 */

import { errors as joseErrors } from 'jose';
import type { JWTPayload } from 'jose';
import { AuthError, type Principal } from './types';

/** The keys that check sign-in tokens could not be fetched: a server-side problem, not the caller's. */
export class SignInUnavailableError extends Error {
  readonly statusCode = 503 as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInUnavailableError';
  }
}

/** Codes of jose errors that mean "the key set could not be obtained", not "the token is bad". */
const KEY_SET_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/**
 * Maps any error thrown by jose's jwtVerify (or the key resolver) to an AuthError, or to a
 * SignInUnavailableError when the signing keys could not be fetched.
 * `keySource` names where the keys come from, for that last message.
 */
export function toAuthError(err: unknown, keySource: string, allowedAlgs: readonly string[]): Error {
  if (err instanceof AuthError || err instanceof SignInUnavailableError) return err;
  if (!(err instanceof joseErrors.JOSEError)) {
    // fetch() network failures (TypeError: fetch failed, ECONNREFUSED, ...) land here.
    return new SignInUnavailableError(
      `Sign-in cannot be checked right now: the signing keys could not be fetched from ${keySource}. Try again later.`,
      { cause: err },
    );
  }
  if (err instanceof joseErrors.JWTExpired) {
    return new AuthError(401, 'The token has expired. Sign in again.');
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    const missing = err.reason === 'missing';
    switch (err.claim) {
      case 'iss':
        return new AuthError(
          401,
          missing ? 'The token has no issuer (iss).' : 'The token was issued by someone this service does not trust (issuer).',
        );
      case 'aud':
        return new AuthError(
          401,
          missing ? 'The token names no application (audience).' : 'The token is for another application (audience).',
        );
      case 'nbf':
        return new AuthError(401, 'The token is not valid yet (not before). Check the clock of this computer.');
      case 'exp':
        return new AuthError(401, 'The token has no expiry time (exp).');
      default:
        return new AuthError(401, `The token is not valid: the "${err.claim}" claim failed the check.`);
    }
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    return new AuthError(401, `The token is signed with an algorithm this service does not accept (only ${allowedAlgs.join(', ')}).`);
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new AuthError(401, 'The token signature is not valid.');
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey) {
    return new AuthError(401, `The token is signed with a key that ${keySource} does not publish (unknown key id).`);
  }
  if (err instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new AuthError(401, 'The token does not say which signing key it uses (key id), and several match.');
  }
  if (KEY_SET_UNAVAILABLE.has(err.code)) {
    return new SignInUnavailableError(
      `Sign-in cannot be checked right now: the signing keys could not be fetched from ${keySource}. Try again later.`,
      { cause: err },
    );
  }
  // ERR_JWS_INVALID, ERR_JWT_INVALID, ERR_JOSE_NOT_SUPPORTED, ERR_JWK_INVALID, ...
  return new AuthError(401, 'The token is malformed. Sign in again.');
}

/** The `scp` claim split into scopes (it is space-separated). */
export function scopesOf(payload: JWTPayload): string[] {
  const scp = payload['scp'];
  return typeof scp === 'string' ? scp.split(' ').filter((s) => s.length > 0) : [];
}

/** A claim that holds an address such as anna@kommun.se (at most 256 characters), else null. */
function address(v: unknown): string | null {
  return typeof v === 'string' && v.length <= 256 && /^[^\s@]+@[^\s@]+$/.test(v) ? v : null;
}

/**
 * Builds the Principal from a verified payload: requires `oid` (401 without it) and the scope
 * (403 without it). `tid` must already have been checked by the caller.
 */
export function principalFromPayload(payload: JWTPayload, tid: string, scope: string): Principal {
  const oid = payload['oid'];
  if (typeof oid !== 'string' || oid.length === 0) {
    return fail(new AuthError(401, 'The token does not identify a user (no oid claim). Sign in as a user.'));
  }
  // App-only tokens (client credentials) identify an application, not a person: they carry app
  // `roles` (possibly "Admin") but never `scp`. They are refused with 403, like any token without
  // the delegated scope: the token is genuine, but no user consented to act through this service,
  // and signing in again with the same flow will not change that. So an application can never
  // become an administrator. `idtyp` ("app" or "user") is an optional claim; when present it
  // settles the question, otherwise the missing scope does.
  if (payload['idtyp'] === 'app') {
    return fail(
      new AuthError(403, 'The token belongs to an application, not to a signed-in user (app-only token). Sign in as a user.'),
    );
  }
  if (!scopesOf(payload).includes(scope)) {
    return fail(
      new AuthError(
        403,
        `The token does not grant the "${scope}" permission (scope). Ask your administrator to consent to it, then sign in again.`,
      ),
    );
  }
  // `roles` must be an array of strings; anything else (e.g. the string "Admin") counts as no roles.
  const rawRoles = payload['roles'];
  const roles = Array.isArray(rawRoles) ? rawRoles.filter((r): r is string => typeof r === 'string') : [];
  const name = payload['name'];
  return {
    tid,
    oid,
    name: typeof name === 'string' && name.length > 0 ? name : null,
    upn: address(payload['preferred_username']) ?? address(payload['upn']),
    mail: address(payload['email']),
    roles,
    isAdmin: roles.includes('Admin'),
  };
}

function fail(err: AuthError): never {
  throw err;
}

/** Entra tenant ids are GUIDs; only such values are echoed in messages. */
export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
