/**
 * Verified tokens are remembered for a short while, so a busy add-in does not pay a signature
 * check on every request. A token is kept at most `ttlMs` and never past its own expiry; the
 * oldest entries go first when the cache is full.
 */
import { decodeJwt } from 'jose';
import type { Principal, TokenVerifier } from './types';

export function cachingVerifier(inner: TokenVerifier, opts: { max?: number; ttlMs?: number; now?: () => number } = {}): TokenVerifier {
  const max = opts.max ?? 10_000;
  const ttlMs = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { principal: Principal; until: number }>();
  return {
    knows(token: string): boolean {
      const hit = cache.get(token);
      return hit !== undefined && hit.until > now();
    },
    async verify(token: string): Promise<Principal> {
      const hit = cache.get(token);
      const t = now();
      if (hit && hit.until > t) return hit.principal;
      if (hit) cache.delete(token);
      const principal = await inner.verify(token);
      const exp = decodeJwt(token).exp;
      const until = Math.min(t + ttlMs, typeof exp === 'number' ? exp * 1000 : t);
      if (until > t) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(token, { principal, until });
      }
      return principal;
    },
  };
}
