/** The signed-in caller of a request, as the sign-in hook left it (src/server/http/signin.ts). */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors';
import type { UserRow } from '../service';

/** The user row of a route that needs sign-in (the hook has set it, or answered 401). */
export function userOf(req: FastifyRequest): UserRow {
  return req.user as UserRow;
}

/** 403 unless the caller has the Admin app role. */
export function requireAdmin(req: FastifyRequest): void {
  if (!req.principal?.isAdmin) throw new ForbiddenError('This needs the Admin app role.');
}

/** The OpenAPI tag of a resource's routes. */
export const tag = (t: string) => ({ tags: [t] });
