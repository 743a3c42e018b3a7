/**
 * Issue 11: the response schemas are the one source of the API document. Every route in /docs
 * declares its success response with a schema and its errors as problem+json, and what the
 * endpoint answers matches them.
 */
import { Value } from 'typebox/value';
import { Problem } from '../../src/server/http/schemas';
import { link, type TestServer, testServer } from '../helpers/server';

let s: TestServer;
beforeAll(async () => {
  s = await testServer({}, Date.parse('2026-11-24T10:00:00Z'), { journal: true });
  await link(s, 'anna', '1021');
});
afterAll(() => s.close());

type Op = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

test('every operation in the API document has a success response with a schema and 4XX/5XX problem documents', async () => {
  const doc = (await s.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, Op>> };
  const ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
  expect(ops.length).toBeGreaterThan(20);
  for (const { route, op } of ops) {
    const codes = Object.keys(op.responses);
    const ok = codes.filter((c) => /^2\d\d$/.test(c));
    expect([route, ok.length > 0]).toEqual([route, true]);
    for (const c of ok) {
      if (c === '204' || c === '202') continue;
      const content = op.responses[c]!.content ?? {};
      expect([route, c, Object.values(content).some((m) => m.schema !== undefined)]).toEqual([route, c, true]);
    }
    for (const c of ['4XX', '5XX']) expect([route, c, Object.keys(op.responses[c]?.content ?? {})]).toEqual([route, c, ['application/problem+json']]);
  }
});

test('errors the routes answer are problem documents of the declared shape', async () => {
  const answers = [
    await s.app.inject({ url: '/api/v1/me' }),
    await s.as('user.anna').put('/api/v1/me/bookings/x', { start: 'nope', end: 'nope' }),
    await s.as('user.anna').get('/api/v1/admin/users'),
    await s.as('user.nolink').get('/api/v1/me/state'),
    await s.as('admin.boss').del('/api/v1/admin/users/nobody-here'),
  ];
  expect(answers.map((r) => r.statusCode)).toEqual([401, 400, 403, 403, 404]);
  for (const r of answers) {
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Value.Check(Problem, r.json())).toBe(true);
  }
});

test('responses carry only what their schema lists', async () => {
  const r = await s.as('user.anna').post('/api/v1/me/activities', { key: 'L', from: '2026-11-24T11:00:00Z', to: '2026-11-24T12:00:00Z' });
  expect(r.statusCode).toBe(201);
  expect(Object.keys(r.json()).sort()).toEqual(['dismissed', 'forwarding', 'from', 'id', 'key', 'operatorOnly', 'source', 'text', 'to']);
  const users = (await s.as('admin.boss').get('/api/v1/admin/users')).json().users as Record<string, unknown>[];
  for (const u of users) expect(Object.keys(u).sort()).toEqual(['calendar', 'delivery', 'displayName', 'diversion', 'extension', 'mail', 'oid', 'shared', 'tid', 'upn']);
});
