import { bearerToken } from '../../../src/server/auth/bearer';
import { AuthError } from '../../../src/server/auth/types';

describe('bearerToken', () => {
  test('returns the token of a Bearer header (scheme case-insensitive)', () => {
    expect(bearerToken('Bearer abc.def-ghi_jkl')).toBe('abc.def-ghi_jkl');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('BEARER  a+b/c==')).toBe('a+b/c==');
  });

  test.each([undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearerabc', 'Bearer a b', 'Bearer a,b', 'token abc'])(
    'rejects %p with 401',
    (header) => {
      let err: unknown;
      try {
        bearerToken(header);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AuthError);
      expect((err as AuthError).statusCode).toBe(401);
      expect((err as AuthError).message).toBe('Sign in: the request has no bearer token.');
    },
  );
});
