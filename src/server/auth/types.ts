/**
 * Sign-in contract (SPEC 12): a verifier turns a bearer token into the signed-in person, or
 * throws an AuthError the HTTP layer maps to 401/403. Entra ID in production, a local
 * development issuer when explicitly configured.
 */

export interface Principal {
  /** Entra tenant id (`tid`). */
  tid: string;
  /** Entra object id (`oid`): identifies the user within the tenant. */
  oid: string;
  /** Display name from the token (`name`), if any. */
  name: string | null;
  /** Sign-in name (`preferred_username` in v2.0 tokens, `upn` in v1.0), when it is an address. */
  upn: string | null;
  /** E-mail (the optional `email` claim), when given. */
  mail: string | null;
  /** App roles (`roles` claim). */
  roles: string[];
  /** The app role `Admin`. */
  isAdmin: boolean;
}

export interface TokenVerifier {
  /** Validates the token (signature, issuer, audience, time, tenant, scope); throws AuthError. */
  verify(token: string): Promise<Principal>;
  /** Whether `token` was verified a moment ago and is still good (no signature check); optional. */
  knows?(token: string): boolean;
}

export class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
