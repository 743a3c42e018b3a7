/**
 * The directory's admin routes in a small app: the real sign-in plugin, error handler and route
 * plugin (the app factory wires the same plugin), with the directory against the fake Graph.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DirectorySync } from '../../../src/server/directory';
import { errorHandler, notFoundHandler } from '../../../src/server/errors';
import { directoryRoutes } from '../../../src/server/http/routes/directory';
import { signInPlugin } from '../../../src/server/http/signin';
import { FakeVerifier, injector, TID } from '../../helpers/server';
import { type DirectoryHarness, directoryHarness, person } from './harness';

let h: DirectoryHarness | null = null;
let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  await h?.close();
  app = null;
  h = null;
});

async function appWith(directorySync: DirectorySync | null, service = h!.service): Promise<ReturnType<typeof injector>> {
  app = Fastify({ logger: false, ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(signInPlugin, { verifier: new FakeVerifier(), service, failuresPerMinute: 30 });
  app.setErrorHandler(errorHandler(262_144));
  app.setNotFoundHandler(notFoundHandler);
  await app.register(directoryRoutes, { directorySync });
  await app.ready();
  return injector(app);
}

test('an admin sees the settings, runs a dry run, applies, and then sees the last run', async () => {
  h = await directoryHarness({ DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones', DIRECTORY_EXTENSION_DIGITS: '4' });
  h.graph.addUser(person(1, { businessPhones: ['+46 8 508 01021'] }));
  const as = await appWith(h.sync);

  const before = await as('admin.boss', 'GET', '/api/v1/admin/directory');
  expect(before.statusCode).toBe(200);
  expect(before.json()).toEqual({ enabled: true, attribute: 'businessPhones', digits: 4, syncAt: '03:00', lastRunAt: null, lastRun: null });

  const dry = await as('admin.boss', 'POST', '/api/v1/admin/directory/sync', {});
  expect(dry.statusCode).toBe(200);
  expect(dry.json()).toEqual({
    attribute: 'businessPhones',
    ranAt: '2026-11-24T10:00:00Z',
    dryRun: true,
    summary: { linked: 1, changed: 0, unchanged: 0, skipped: 0 },
    changes: [{ oid: person(1).id, displayName: 'Person 1', upn: 'u1@kommun.example', before: null, after: '1021' }],
    skipped: [],
  });
  expect(await h.user(person(1).id)).toBeNull();

  const applied = await as('admin.boss', 'POST', '/api/v1/admin/directory/sync', { dryRun: false });
  expect(applied.json()).toMatchObject({ dryRun: false, summary: { linked: 1 } });
  expect(await h.user(person(1).id)).toMatchObject({ extension: '1021' });

  const after = (await as('admin.boss', 'GET', '/api/v1/admin/directory')).json();
  expect(after).toMatchObject({ lastRunAt: '2026-11-24T10:00:00Z', lastRun: { dryRun: false, summary: { linked: 1 } } });
});

test('a POST without a body is a dry run; unknown fields are refused', async () => {
  h = await directoryHarness({ DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones' });
  const as = await appWith(h.sync);
  const empty = await app!.inject({ method: 'POST', url: '/api/v1/admin/directory/sync', headers: { authorization: 'Bearer admin.boss' } });
  expect(empty.statusCode).toBe(200);
  expect(empty.json()).toMatchObject({ dryRun: true });
  const bad = await as('admin.boss', 'POST', '/api/v1/admin/directory/sync', { dryRun: 'no' });
  expect(bad.statusCode).toBe(400);
  expect((await as('admin.boss', 'POST', '/api/v1/admin/directory/sync', { apply: true })).statusCode).toBe(400);
});

test('not an admin: 403 on both routes; not signed in: 401', async () => {
  h = await directoryHarness({ DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones' });
  const as = await appWith(h.sync);
  expect((await as('user.anna', 'GET', '/api/v1/admin/directory')).statusCode).toBe(403);
  expect((await as('user.anna', 'POST', '/api/v1/admin/directory/sync', { dryRun: false })).statusCode).toBe(403);
  expect((await as('nonsense', 'GET', '/api/v1/admin/directory')).statusCode).toBe(401);
  expect(h.graph.requests.total).toBe(0);
});

test('without an attribute, or without Graph: the status says off and a run is 409', async () => {
  h = await directoryHarness();
  let as = await appWith(h.sync);
  expect((await as('admin.boss', 'GET', '/api/v1/admin/directory')).json()).toMatchObject({ enabled: false, attribute: null, lastRun: null });
  const off = await as('admin.boss', 'POST', '/api/v1/admin/directory/sync', { dryRun: true });
  expect(off.statusCode).toBe(409);
  expect(off.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(off.json().detail).toMatch(/DIRECTORY_EXTENSION_ATTRIBUTE/);

  await app!.close();
  as = await appWith(null);
  expect((await as('admin.boss', 'GET', '/api/v1/admin/directory')).json()).toEqual({ enabled: false, attribute: null, digits: 0, syncAt: null, lastRunAt: null, lastRun: null });
  expect((await as('admin.boss', 'POST', '/api/v1/admin/directory/sync', {})).statusCode).toBe(409);
});

test('Graph failing is a 502 naming the status and code only', async () => {
  h = await directoryHarness({ DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones', DIRECTORY_GROUP_ID: 'aaaaaaaa-0000-4000-8000-00000000dead' });
  const as = await appWith(h.sync);
  const r = await as('admin.boss', 'POST', '/api/v1/admin/directory/sync', { dryRun: false });
  expect(r.statusCode).toBe(502);
  expect(r.json()).toMatchObject({ status: 502, title: 'Directory unavailable', detail: 'Microsoft Graph answered HTTP 404 Request_ResourceNotFound; nothing was changed.' });
  // Only the admin who signed in is stored.
  expect((await h.store.listUsers()).map((u) => [u.tid, u.oid])).toEqual([[TID, 'boss']]);
});
