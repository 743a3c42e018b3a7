/**
 * Development user ids with å, ä, ö (issue 12): POST /addin/dev/token signs them, the development
 * verifier accepts the token, and the store keeps the user under the same id (NFC, however the
 * letters were typed), end to end through the real development sign-in.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app';
import { createDevVerifier, DEV_USER_RE, loadOrCreateDevKey, signDevToken } from '../../src/server/auth/dev';
import { loadConfig } from '../../src/server/config';
import { openStore } from '../../src/server/store/open';
import type { Store } from '../../src/server/store/types';

let app: FastifyInstance;
let store: Store;
beforeAll(async () => {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-devuser-')), LOG_LEVEL: 'silent' });
  store = await openStore(':memory:');
  const verifier = createDevVerifier(await loadOrCreateDevKey(config.dataDir), { scope: config.auth.scope });
  app = await buildApp({ config, store, verifier, logger: false });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const token = (payload: unknown) => app.inject({ method: 'POST', url: '/addin/dev/token', payload: payload as object });

test('"åsa.öberg" gets a token that signs in as åsa.öberg, linked to the extension asked for', async () => {
  const t = await token({ user: 'åsa.öberg', extension: '4711' });
  expect(t.statusCode).toBe(200);
  const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${t.json().token}` } });
  expect(me.statusCode).toBe(200);
  expect(me.json()).toMatchObject({ oid: 'åsa.öberg', extension: '4711', linked: true });
  // Her own routes work: the stored row is found under the same id.
  const settings = await app.inject({ url: '/api/v1/me/settings', headers: { authorization: `Bearer ${t.json().token}` } });
  expect(settings.statusCode).toBe(200);
});

test('the same name typed with combining marks (NFD) is the same user', async () => {
  const t = await token({ user: 'a\u030asa.o\u0308berg' });
  expect(t.statusCode).toBe(200);
  const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${t.json().token}` } });
  expect(me.json()).toMatchObject({ oid: 'åsa.öberg', extension: '4711' });
  const rows = (await store.listUsers()).filter((u) => u.oid.normalize('NFC') === 'åsa.öberg');
  expect(rows).toHaveLength(1);
});

test('letters of other scripts are allowed; spaces and invisible characters are refused with a message naming user', async () => {
  expect(DEV_USER_RE.test('zoë')).toBe(true);
  expect(DEV_USER_RE.test('ørjan_ås')).toBe(true);
  expect(DEV_USER_RE.test('ИванПетров')).toBe(true);
  for (const bad of ['åsa öberg', 'åsa\u200bberg', '', 'x'.repeat(65), 'a/b']) {
    const r = await token({ user: bad });
    expect([bad, r.statusCode]).toEqual([bad, 400]);
    expect(r.json()).toMatchObject({ field: 'user', detail: expect.stringMatching(/letters \(å, ä, ö/) });
  }
});

test('signDevToken puts the NFC id in oid and sub', async () => {
  const key = await loadOrCreateDevKey(mkdtempSync(join(tmpdir(), 'kk-devkey-')));
  const jwt = await signDevToken(key, { user: 'o\u0308rjan', scope: 'access_as_user' });
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { oid: string; sub: string };
  expect(claims).toMatchObject({ oid: 'örjan', sub: 'örjan' });
});
