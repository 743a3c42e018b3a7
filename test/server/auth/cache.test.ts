/** The verified-token cache: fewer signature checks, never past a token's expiry or the TTL. */
import { cachingVerifier } from '../../../src/server/auth/cache';
import { AuthError, type Principal, type TokenVerifier } from '../../../src/server/auth/types';

// Unsigned JWT-shaped tokens: the cache only decodes exp; the inner verifier decides validity.
const tokenWith = (sub: string, exp: number) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub, exp })).toString('base64url')}.sig`;
const principal = (oid: string): Principal => ({ tid: 't', oid, name: null, upn: null, mail: null, roles: [], isAdmin: false });

function counting(valid = true): TokenVerifier & { calls: number } {
  const v = {
    calls: 0,
    async verify(token: string) {
      v.calls++;
      if (!valid) throw new AuthError(401, 'The token has expired.');
      return principal(token.length.toString());
    },
  };
  return v;
}

test('a verified token is checked once within the TTL, again after it', async () => {
  let now = 1_000_000;
  const inner = counting();
  const v = cachingVerifier(inner, { ttlMs: 60_000, now: () => now });
  const t = tokenWith('a', now / 1000 + 3600);
  await v.verify(t);
  await v.verify(t);
  expect(inner.calls).toBe(1);
  now += 60_001;
  await v.verify(t);
  expect(inner.calls).toBe(2);
});

test('never past the token’s own expiry', async () => {
  let now = 1_000_000;
  const inner = counting();
  const v = cachingVerifier(inner, { ttlMs: 60_000, now: () => now });
  const t = tokenWith('a', now / 1000 + 10);
  await v.verify(t);
  now += 10_000;
  await v.verify(t);
  expect(inner.calls).toBe(2);
});

test('refusals are not cached', async () => {
  const inner = counting(false);
  const v = cachingVerifier(inner);
  const t = tokenWith('a', Date.now() / 1000 + 3600);
  await expect(v.verify(t)).rejects.toThrow(AuthError);
  await expect(v.verify(t)).rejects.toThrow(AuthError);
  expect(inner.calls).toBe(2);
});

test('the oldest entry goes when the cache is full', async () => {
  const inner = counting();
  const v = cachingVerifier(inner, { max: 2 });
  const exp = Date.now() / 1000 + 3600;
  const [a, b, c] = ['a', 'b', 'c'].map((s) => tokenWith(s, exp));
  await v.verify(a!);
  await v.verify(b!);
  await v.verify(c!);
  expect(inner.calls).toBe(3);
  await v.verify(c!);
  await v.verify(b!);
  expect(inner.calls).toBe(3);
  await v.verify(a!);
  expect(inner.calls).toBe(4);
});
