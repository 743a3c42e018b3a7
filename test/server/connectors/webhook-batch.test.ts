/**
 * The webhook connector's batch mode (WEBHOOK_BATCH_SIZE > 1, issue 16) against receivers on
 * loopback: one signed POST with an array, each item answered on its own; and through the
 * endpoint's outbox with real timers: items that fail are retried alone, the others are
 * delivered once and never wait for them.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../src/server/app';
import { loadConfig } from '../../../src/server/config';
import type { Delivery } from '../../../src/server/connectors/types';
import { BATCH_HEADER, batchResults, SIGNATURE_HEADER, WebhookConnector } from '../../../src/server/connectors/webhook';
import { openStore } from '../../../src/server/store/open';
import { FakeVerifier } from '../../helpers/server';
import { startReceiver } from '../../helpers/switch-receiver';

const delivery = (extension: string, version = 1): Delivery => ({ extension, version, state: null, sentAt: '2026-12-03T11:00:00.000Z' });

/** A receiver answering every POST with `answer`, recording the raw requests. */
async function rawReceiver(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/switch`, requests, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('one signed POST carries the array, each item with its idempotency key; each result counts for its item', async () => {
  const statuses: Record<string, number> = { '1001': 200, '1002': 503, '1003': 400, '1004': 429, '1005': 204 };
  const r = await startReceiver({ status: (x) => statuses[x.extension]! });
  const c = new WebhookConnector({ url: r.url, secret: r.secret, batchSize: 10, timeoutMs: 2_000 });
  try {
    const results = await c.applyBatch(Object.keys(statuses).map((e) => delivery(e, 7)));
    expect(results.map((x) => (x.ok ? 'ok' : x.permanent ? 'permanent' : 'retry'))).toEqual(['ok', 'retry', 'permanent', 'retry', 'ok']);
    expect(r.batches).toEqual([5]);
    expect(r.received.map((x) => `${x.extension}:${x.version}`)).toEqual(['1001:7', '1002:7', '1003:7', '1004:7', '1005:7']);
  } finally {
    await c.close();
    await r.close();
  }
});

test('the body, its signature and the batch header, as docs/integration.md describes them', async () => {
  const raw = await rawReceiver((_req, body, res) => {
    const items = JSON.parse(body) as { idempotencyKey: string }[];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: items.map((i) => ({ idempotencyKey: i.idempotencyKey, status: 200 })) }));
  });
  const c = new WebhookConnector({ url: raw.url, secret: 's'.repeat(16), batchSize: 3 });
  try {
    expect((await c.applyBatch([delivery('1021', 4), delivery('1022', 9)])).every((x) => x.ok)).toBe(true);
    const [req] = raw.requests;
    expect(req!.headers[BATCH_HEADER.toLowerCase()]).toBe('2');
    expect(req!.headers['idempotency-key']).toBeUndefined();
    expect(req!.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(`sha256=${createHmac('sha256', 's'.repeat(16)).update(req!.body).digest('hex')}`);
    expect(JSON.parse(req!.body)).toEqual([
      { extension: '1021', version: 4, state: null, sentAt: '2026-12-03T11:00:00.000Z', idempotencyKey: '1021:4' },
      { extension: '1022', version: 9, state: null, sentAt: '2026-12-03T11:00:00.000Z', idempotencyKey: '1022:9' },
    ]);
  } finally {
    await c.close();
    await raw.close();
  }
});

test('a whole answer that is not 2xx counts for every item; an unreadable answer or a left-out item is retried', async () => {
  let mode = 'whole503';
  const raw = await rawReceiver((_req, body, res) => {
    const items = JSON.parse(body) as { idempotencyKey: string }[];
    if (mode === 'whole503') return void res.writeHead(503, { 'retry-after': '7' }).end();
    if (mode === 'whole401') return void res.writeHead(401).end();
    if (mode === 'empty') return void res.writeHead(200).end();
    if (mode === 'notjson') return void res.writeHead(200).end('ok');
    res.writeHead(200).end(JSON.stringify({ results: [{ idempotencyKey: items[0]!.idempotencyKey, status: 200, retryAfter: 3 }, { idempotencyKey: 'junk' }] }));
  });
  const c = new WebhookConnector({ url: raw.url, secret: 's'.repeat(16), batchSize: 3 });
  const two = [delivery('1021'), delivery('1022')];
  try {
    expect(await c.applyBatch(two)).toEqual([
      { ok: false, permanent: false, status: 503, error: 'the receiver answered 503', retryAfterMs: 7_000 },
      { ok: false, permanent: false, status: 503, error: 'the receiver answered 503', retryAfterMs: 7_000 },
    ]);
    mode = 'whole401';
    expect((await c.applyBatch(two)).map((x) => !x.ok && x.permanent)).toEqual([true, true]);
    for (mode of ['empty', 'notjson']) {
      const res = await c.applyBatch(two);
      expect(res.every((x) => !x.ok && !x.permanent && /without a readable/.test(x.error))).toBe(true);
    }
    mode = 'partial';
    const res = await c.applyBatch(two);
    expect(res[0]).toEqual({ ok: true, status: 200 });
    expect(res[1]).toEqual({ ok: false, permanent: false, error: 'the receiver left this item out of its answer' });
  } finally {
    await c.close();
    await raw.close();
  }
});

test('batchResults reads only well-formed items', () => {
  expect(batchResults('{"results":[{"idempotencyKey":"1:1","status":200},{"idempotencyKey":"2:1","status":"200"},{"status":200},{"idempotencyKey":"3:1","status":503,"retryAfter":-1},{"idempotencyKey":"4:1","status":429,"retryAfter":2}]}')).toEqual(
    new Map([
      ['1:1', { status: 200 }],
      ['3:1', { status: 503 }],
      ['4:1', { status: 429, retryAfterMs: 2_000 }],
    ]),
  );
  expect(batchResults('[]')).toBeNull();
  expect(batchResults('null')).toBeNull();
  expect(batchResults('')).toBeNull();
});

test('no answer within the timeout: every item is retried', async () => {
  const raw = await rawReceiver(() => undefined);
  const c = new WebhookConnector({ url: raw.url, secret: 's'.repeat(16), batchSize: 3, timeoutMs: 200 });
  try {
    const res = await c.applyBatch([delivery('1021'), delivery('1022')]);
    expect(res).toEqual([
      { ok: false, permanent: false, error: 'no answer within 200 ms' },
      { ok: false, permanent: false, error: 'no answer within 200 ms' },
    ]);
  } finally {
    await c.close();
    await raw.close();
  }
});

test('through the outbox: batches of at most WEBHOOK_BATCH_SIZE; failing items are retried alone and hold nobody up', async () => {
  const N = 60;
  const failing = new Set(['2003', '2017', '2041']);
  const failuresLeft = new Map([...failing].map((e) => [e, 2]));
  const r = await startReceiver({
    status: (x) => {
      const left = failuresLeft.get(x.extension) ?? 0;
      if (left > 0 && x.code !== null) {
        failuresLeft.set(x.extension, left - 1);
        return 503;
      }
      return 200;
    },
  });
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-whb-')), LOG_LEVEL: 'silent' });
  const store = await openStore(':memory:');
  const app = await buildApp({ config, store, verifier: new FakeVerifier(), logger: false, connector: new WebhookConnector({ url: r.url, secret: r.secret, timeoutMs: 2_000, batchSize: 25 }) });
  try {
    await app.ready();
    const ext = (i: number) => String(2000 + i);
    for (let i = 0; i < N; i++) {
      const link = await app.inject({ method: 'PUT', url: `/api/v1/admin/users/u${i}`, headers: { authorization: 'Bearer admin.boss', 'content-type': 'application/json' }, payload: { extension: ext(i) } });
      expect(link.statusCode).toBe(200);
    }
    await app.scheduler!.start();
    await app.scheduler!.drained();
    r.received.length = 0;
    r.batches.length = 0;
    for (let i = 0; i < N; i++) {
      const put = await app.inject({
        method: 'PUT',
        url: `/api/v1/me/bookings/b${i}`,
        headers: { authorization: `Bearer user.u${i}`, 'content-type': 'application/json' },
        payload: { subject: 'NP/L: Lunch', start: new Date(Date.now() - 60_000).toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() },
      });
      expect(put.statusCode).toBe(200);
    }
    const done = () => [...Array(N).keys()].every((i) => r.acknowledged.get(ext(i))?.code === 'L');
    const until = Date.now() + 20_000;
    while (!done() && Date.now() < until) await new Promise((res) => setTimeout(res, 50));
    expect(done()).toBe(true);
    expect(Math.max(...r.batches)).toBeLessThanOrEqual(25);
    expect(Math.max(...r.batches)).toBeGreaterThan(1);
    // Everyone else: one request each, never sent again because a neighbour failed.
    const per = new Map<string, number>();
    for (const x of r.received) per.set(x.extension, (per.get(x.extension) ?? 0) + 1);
    for (let i = 0; i < N; i++) expect([ext(i), per.get(ext(i))]).toEqual([ext(i), failing.has(ext(i)) ? 3 : 1]);
    // The failing ones arrived last, after every other extension had its state.
    const lastOther = Math.max(...r.received.filter((x) => !failing.has(x.extension)).map((x) => x.arrivedAt));
    const failingDone = Math.max(...r.received.filter((x) => failing.has(x.extension) && x.status === 200).map((x) => x.arrivedAt));
    expect(failingDone).toBeGreaterThan(lastOther);
    expect(r.overlaps).toEqual([]);
  } finally {
    await app.close();
    await r.close();
  }
}, 30_000);
