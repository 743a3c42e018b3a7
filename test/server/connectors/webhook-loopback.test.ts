/**
 * The endpoint with the webhook connector and real timers, against a receiver on loopback that
 * answers 503 for a while (issue 4): the final state arrives, nothing older after anything newer,
 * and the gaps between retries grow.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app';
import { loadConfig } from '../../../src/server/config';
import { WebhookConnector } from '../../../src/server/connectors/webhook';
import { openStore } from '../../../src/server/store/open';
import type { Store } from '../../../src/server/store/types';
import { FakeVerifier } from '../../helpers/server';

const SECRET = 'loopback-secret-0123456789';
let receiver: Server;
let url: string;
const got: { version: number; code: string | null; at: number; status: number }[] = [];
let failuresLeft = 4;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signed = req.headers['x-kalenderkoppling-signature'] === `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      const body = JSON.parse(raw.toString('utf8')) as { version: number; state: { code: string } | null };
      const status = !signed ? 401 : failuresLeft-- > 0 ? 503 : 200;
      got.push({ version: body.version, code: body.state?.code ?? null, at: Date.now(), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/switch`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

test('503 for a while, then 200: the newest state arrives, in order, with growing gaps', async () => {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-wh-')), LOG_LEVEL: 'silent' });
  const store: Store = await openStore(':memory:');
  const app: FastifyInstance = await buildApp({ config, store, verifier: new FakeVerifier(), logger: false, connector: new WebhookConnector({ url, secret: SECRET, timeoutMs: 2_000 }) });
  try {
    await app.ready();
    const link = await app.inject({ method: 'PUT', url: '/api/v1/admin/users/anna', headers: { authorization: 'Bearer admin.boss', 'content-type': 'application/json' }, payload: { extension: '1021' } });
    expect(link.statusCode).toBe(200);
    await app.scheduler!.start();
    const put = (id: string, subject: string) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/me/bookings/${id}`,
        headers: { authorization: 'Bearer user.anna', 'content-type': 'application/json' },
        payload: { subject, start: new Date(Date.now() - 60_000).toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() },
      });
    expect((await put('a', 'NP/L: Lunch')).statusCode).toBe(200);
    // Wait until the lunch has been refused a few times and then accepted, then change again.
    const until = (cond: () => boolean) => (async () => {
      const stop = Date.now() + 20_000;
      while (Date.now() < stop && !cond()) await new Promise((r) => setTimeout(r, 50));
    })();
    await until(() => got.some((g) => g.status === 200 && g.code === 'L'));
    expect((await put('b', 'NP/TR: Resa')).statusCode).toBe(200);
    await until(() => got.some((g) => g.status === 200 && g.code === 'TR'));

    const ok = got.filter((g) => g.status === 200);
    expect(ok.at(-1)).toMatchObject({ code: 'TR' });
    // Versions never go backwards at the receiver.
    const versions = got.map((g) => g.version);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    // The retries of one version come further and further apart.
    const failing = got.filter((g) => g.status === 503);
    expect(failing.length).toBe(4);
    const sameVersionGaps: number[] = [];
    for (let i = 1; i < got.length; i++) if (got[i]!.version === got[i - 1]!.version) sameVersionGaps.push(got[i]!.at - got[i - 1]!.at);
    expect(sameVersionGaps.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < sameVersionGaps.length; i++) expect(sameVersionGaps[i]!).toBeGreaterThan(sameVersionGaps[i - 1]! * 1.2);
    // The answer is recorded a moment after it arrives (successes are written in batches).
    await app.scheduler!.idle();
    const st = (await app.inject({ url: '/api/v1/me/state', headers: { authorization: 'Bearer user.anna' } })).json();
    expect(st.delivery).toMatchObject({ delivered: true, lastError: null });
  } finally {
    await app.close();
    await store.close();
  }
}, 60_000);
