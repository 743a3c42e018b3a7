export { AuthError } from './types';
export type { Principal, TokenVerifier } from './types';
export { SignInUnavailableError } from './errors';
export { bearerToken } from './bearer';
export {
  createEntraVerifier,
  entraJwksUrl,
  DEFAULT_AUTHORITY,
  DEFAULT_V1_ISSUER_BASE,
  MAX_CLOCK_TOLERANCE_SEC,
} from './entra';
export type { EntraVerifierOptions } from './entra';
export {
  loadOrCreateDevKey,
  signDevToken,
  createDevVerifier,
  DEV_ISSUER,
  DEV_AUDIENCE,
  DEV_TENANT_ID,
  DEV_KEY_FILE,
  DEV_USER_RE,
  DEFAULT_DEV_TOKEN_TTL_SECONDS,
} from './dev';
export type { DevKey, DevTokenOptions } from './dev';
export { cachingVerifier } from './cache';
