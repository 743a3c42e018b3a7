/** The webhook connector against a real receiver on loopback (SPEC 11). */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CATALOG, effectiveState } from '../../../src/core';
import { type Delivery, switchState } from '../../../src/server/connectors/types';
import { retryAfterMs, SIGNATURE_HEADER, WebhookConnector } from '../../../src/server/connectors/webhook';

const SECRET = 'a-secret-of-some-length';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let url: string;
let received: Received[];
let answer: (n: number) => { status: number; headers?: Record<string, string>; delayMs?: number };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const a = answer(received.length);
      setTimeout(() => {
        res.writeHead(a.status, a.headers ?? {});
        res.end('{}');
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/switch`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  received = [];
  answer = () => ({ status: 200 });
});

const at = Date.parse('2026-11-24T10:30:00Z');
const lunch = effectiveState(
  [{ id: 'a', source: 'calendar', key: 'L', forwarding: { mode: 'spoken', number: null }, from: Date.parse('2026-11-24T10:00:00Z'), to: Date.parse('2026-11-24T11:00:00Z'), text: 'Lunch med teamet' }],
  at,
  DEFAULT_CATALOG,
);
const delivery = (version = 7): Delivery => ({ extension: '1021', version, state: switchState(lunch, at, 'Europe/Stockholm', 'sv'), sentAt: '2026-11-24T10:30:00Z' });

test('the SPEC 11 state: code, MEX digit, return time on the same day, spoken message, text', () => {
  expect(delivery().state).toEqual({
    code: 'L',
    mex: 0,
    label: 'Lunch',
    forwarding: 'spoken',
    number: null,
    soft: false,
    since: '2026-11-24T10:00:00Z',
    returnAt: '2026-11-24T11:00:00Z',
    reasonCode: 0,
    returnTime: '1200',
    language: 'sv',
    spoken: 'Lunch. Åter klockan 12.00.',
    text: 'Lunch med teamet',
  });
  expect(switchState(null, at, 'Europe/Stockholm', 'sv')).toBeNull();
});

test('operator-only text never reaches the switch', () => {
  const s = effectiveState([{ id: 'b', source: 'manual', key: 'M', forwarding: { mode: 'none', number: null }, from: at - 1, to: null, text: 'Nås på mobilen', operatorOnly: true }], at, DEFAULT_CATALOG);
  expect(switchState(s, at, 'Europe/Stockholm', 'en')).toMatchObject({ code: 'M', soft: true, spoken: null, text: null, returnAt: null, reasonCode: 3 });
});

test('a 2xx delivers; the body is signed with HMAC-SHA256 and carries the idempotency key', async () => {
  const c = new WebhookConnector({ url, secret: SECRET });
  expect(await c.apply(delivery())).toEqual({ ok: true, status: 200 });
  const [r] = received;
  expect(r!.headers['idempotency-key']).toBe('1021:7');
  expect(r!.headers['content-type']).toBe('application/json');
  const expected = `sha256=${createHmac('sha256', SECRET).update(r!.body).digest('hex')}`;
  expect(r!.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(expected);
  expect(JSON.parse(r!.body)).toMatchObject({ extension: '1021', version: 7, sentAt: '2026-11-24T10:30:00Z', state: { code: 'L', returnTime: '1200' } });
});

test.each([
  [503, false],
  [500, false],
  [408, false],
  [429, false],
  [400, true],
  [404, true],
  [410, true],
])('status %i: permanent %s', async (status, permanent) => {
  answer = () => ({ status });
  const r = await new WebhookConnector({ url, secret: SECRET }).apply(delivery());
  expect(r).toMatchObject({ ok: false, permanent, status, error: `the receiver answered ${status}` });
});

test('Retry-After is passed on', async () => {
  answer = () => ({ status: 503, headers: { 'retry-after': '30' } });
  expect(await new WebhookConnector({ url, secret: SECRET }).apply(delivery())).toMatchObject({ ok: false, permanent: false, retryAfterMs: 30_000 });
  expect(retryAfterMs('Wed, 25 Nov 2026 10:00:10 GMT', Date.parse('2026-11-25T10:00:00Z'))).toBe(10_000);
  expect(retryAfterMs('soon')).toBeUndefined();
});

test('a receiver that does not answer in time, or is not there, is a transient failure', async () => {
  answer = () => ({ status: 200, delayMs: 1_000 });
  expect(await new WebhookConnector({ url, secret: SECRET, timeoutMs: 100 }).apply(delivery())).toMatchObject({ ok: false, permanent: false, error: expect.stringMatching(/no answer within 100 ms/) });
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  expect(await new WebhookConnector({ url: `http://127.0.0.1:${port}/`, secret: SECRET }).apply(delivery())).toMatchObject({ ok: false, permanent: false });
});
