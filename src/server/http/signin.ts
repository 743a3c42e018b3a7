/**
 * Sign-in for every route that is not declared public (issue 10).
 *
 * Whether a request needs sign-in is decided by the route the router matched, never by the
 * URL's spelling: `/%61pi/v1/me`, `/API/v1/me` or `//api/v1/me` are refused or answered exactly
 * as the route they reach. A route is public only when its options say `config: { public: true }`;
 * `markPublic(scope)` declares every route of an encapsulated scope public (third-party plugins:
 * the API docs, the add-in's static files). A request no route matched gets the 404 and nothing else.
 *
 * Failed sign-ins are counted per client address before any signature is checked: past
 * `failuresPerMinute`, an address gets 429 at the cost of a map look-up, except for a token this
 * process verified a moment ago (a signed-in user behind the same NAT keeps working).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { bearerToken } from '../auth/bearer';
import { AuthError, type Principal, type TokenVerifier } from '../auth/types';
import { TooManyFailuresError } from '../errors';
import type { Service } from '../service';
import type { UserRow } from '../service';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person (null on public routes). */
    principal: Principal | null;
    /** Their user row, created on first sign-in (null on public routes). */
    user: UserRow | null;
  }
  interface FastifyContextConfig {
    /** The route answers without sign-in (health, the add-in's files, Graph's notifications). */
    public?: boolean;
  }
}

/** Declares every route registered in `scope` (and its children) public. */
export function markPublic(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
}

export function isPublicRoute(req: FastifyRequest): boolean {
  return req.routeOptions.config?.public === true;
}

export interface SignInOptions {
  verifier: TokenVerifier;
  service: Service;
  /** Failed sign-ins per client address and minute before that address gets 429. */
  failuresPerMinute: number;
  clock?: () => number;
}

/**
 * Failed sign-ins per key in fixed one-minute windows. Bounded: when `maxKeys` addresses are
 * counted, expired windows are dropped, then the oldest entry.
 */
export class FailureCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 50_000,
  ) {}

  /** Seconds until `key` may try again, or 0 when it is under the limit. */
  blockedFor(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.count < this.max) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  failed(key: string, now: number): void {
    const w = this.windows.get(key);
    if (w && now - w.start < this.windowMs) {
      w.count++;
      return;
    }
    if (w) this.windows.delete(key);
    else if (this.windows.size >= this.maxKeys) this.evict(now);
    this.windows.set(key, { start: now, count: 1 });
  }

  private evict(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
    if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
  }
}

async function signIn(app: FastifyInstance, opts: SignInOptions): Promise<void> {
  const { verifier, service } = opts;
  const clock = opts.clock ?? Date.now;
  const failures = new FailureCounter(opts.failuresPerMinute);
  app.decorateRequest('principal', null);
  app.decorateRequest('user', null);

  // CORS preflights (OPTIONS) carry no credentials by the Fetch standard; @fastify/cors answers
  // them in its own hook, and its catch-all OPTIONS route only answers what it did not.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === 'OPTIONS')) route.config = { ...(route.config ?? {}), public: true };
  });

  app.addHook('onRequest', async (req) => {
    if (req.is404 || isPublicRoute(req)) return;
    const key = req.ip;
    const token = bearerToken(req.headers.authorization);
    const wait = failures.blockedFor(key, clock());
    if (wait > 0 && !verifier.knows?.(token)) throw new TooManyFailuresError(wait);
    try {
      req.principal = await verifier.verify(token);
    } catch (e) {
      if (e instanceof AuthError) failures.failed(key, clock());
      throw e;
    }
    req.user = await service.signIn({ tid: req.principal.tid, oid: req.principal.oid }, req.principal.name, { upn: req.principal.upn, mail: req.principal.mail });
  });
}

export const signInPlugin = fp(signIn, { name: 'kalenderkoppling-signin', fastify: '5.x' });
