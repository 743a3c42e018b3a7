import { AuthError } from './types';

/** RFC 6750 `Authorization: Bearer <b64token>`; the scheme is case-insensitive. */
const BEARER_RE = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

/** The token of an `Authorization: Bearer …` header; AuthError(401) when missing or malformed. */
export function bearerToken(authorizationHeader: string | undefined): string {
  const match = typeof authorizationHeader === 'string' ? BEARER_RE.exec(authorizationHeader) : null;
  const token = match?.[1];
  if (token === undefined) throw new AuthError(401, 'Sign in: the request has no bearer token.');
  return token;
}
