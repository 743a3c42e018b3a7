/** Finding users by UPN or e-mail through Graph's JSON batches (the CSV import's DirectoryLookup). */
import { GraphError } from '../../../src/server/calendar/graph-client';
import { type DirectoryHarness, directoryHarness, person } from './harness';

let h: DirectoryHarness;
afterEach(async () => h?.close());

test('50 UPNs are resolved in at most 3 batches of at most 20, keyed by the login as asked (lowercased)', async () => {
  h = await directoryHarness();
  for (let n = 1; n <= 50; n++) h.graph.addUser(person(n));
  const logins = Array.from({ length: 50 }, (_, i) => (i === 0 ? 'U1@Kommun.Example' : `u${i + 1}@kommun.example`));
  const found = await h.lookup.resolve(logins);
  expect(found.size).toBe(50);
  expect(found.get('u1@kommun.example')).toEqual({ oid: person(1).id, displayName: 'Person 1', upn: 'u1@kommun.example', mail: 'person.1@kommun.example' });
  expect(found.get('u50@kommun.example')?.oid).toBe(person(50).id);
  expect(h.graph.requests.batch).toBeLessThanOrEqual(3);
  expect(Math.max(...h.graph.batchSizes)).toBeLessThanOrEqual(20);
  expect(h.graph.batchSizes.reduce((a, b) => a + b, 0)).toBe(50);
  expect(h.graph.requests.token).toBe(1);
});

test('an address that is nobody’s UPN is looked up as mail; unknown logins are absent', async () => {
  h = await directoryHarness();
  h.graph.addUser(person(1, { mail: 'anna.andersson@kommun.example' }));
  h.graph.addUser(person(2));
  const found = await h.lookup.resolve(['anna.andersson@kommun.example', 'u2@kommun.example', 'nobody@kommun.example', 'no-at-sign', '  ', '']);
  expect([...found.keys()].sort()).toEqual(['anna.andersson@kommun.example', 'u2@kommun.example']);
  expect(found.get('anna.andersson@kommun.example')?.upn).toBe('u1@kommun.example');
  // First every login as a UPN, then the two addresses Graph did not know as one by mail (the
  // login without @ is not tried as an address).
  expect(h.graph.batchSizes).toEqual([4, 2]);
});

test('quotes in an address are doubled for OData and a UPN starting with $ is asked for as users(\'…\')', async () => {
  h = await directoryHarness();
  h.graph.addUser(person(1, { mail: "o'brien+test@kommun.example" }));
  h.graph.addUser(person(2, { userPrincipalName: '$svc@kommun.example' }));
  const found = await h.lookup.resolve(["O'Brien+test@kommun.example", '$svc@kommun.example']);
  expect(found.get("o'brien+test@kommun.example")?.oid).toBe(person(1).id);
  expect(found.get('$svc@kommun.example')?.oid).toBe(person(2).id);
});

test('an address two users share is named for neither', async () => {
  h = await directoryHarness();
  h.graph.addUser(person(1, { mail: 'vaxel@kommun.example' }));
  h.graph.addUser(person(2, { mail: 'vaxel@kommun.example' }));
  expect((await h.lookup.resolve(['vaxel@kommun.example'])).size).toBe(0);
});

test('a throttled batch (429 with Retry-After) is sent again after the wait', async () => {
  h = await directoryHarness();
  for (let n = 1; n <= 3; n++) h.graph.addUser(person(n));
  h.graph.failBatch(429, { retryAfter: 7 });
  const found = await h.lookup.resolve(['u1@kommun.example', 'u2@kommun.example', 'u3@kommun.example']);
  expect(found.size).toBe(3);
  expect(h.sleeps).toEqual([7000]);
  expect(h.graph.requests.batch).toBe(2);
});

test('sub-requests throttled inside a batch are sent again after their Retry-After', async () => {
  h = await directoryHarness();
  for (let n = 1; n <= 3; n++) h.graph.addUser(person(n));
  h.graph.failBatch(429, { retryAfter: 3, inside: true, times: 2 });
  const found = await h.lookup.resolve(['u1@kommun.example', 'u2@kommun.example', 'u3@kommun.example']);
  expect(found.size).toBe(3);
  expect(h.sleeps).toEqual([3000, 3000]);
  expect(h.graph.batchSizes).toEqual([3, 3, 3]);
});

test('a directory that stays throttled is an error, not an empty answer', async () => {
  h = await directoryHarness();
  h.graph.addUser(person(1));
  h.graph.failBatch(503, { inside: true, times: 10 });
  const err = await h.lookup.resolve(['u1@kommun.example']).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GraphError);
  expect((err as GraphError).summary).toBe('HTTP 503 ServiceUnavailable');
});

test('no logins, no requests', async () => {
  h = await directoryHarness();
  expect((await h.lookup.resolve([])).size).toBe(0);
  expect(h.graph.requests.total).toBe(0);
});
