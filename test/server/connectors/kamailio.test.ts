/**
 * The Kamailio connector (issue 15) against a fake Kamailio JSON-RPC endpoint on loopback: it
 * keeps an htable, records every call, answers faults as jsonrpcs does (the fault code as the
 * HTTP status, the JSON-RPC error in the body) and can be made to fail or go away.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CATALOG, effectiveState } from '../../../src/core';
import { dumpItems, encodeValue, KamailioConnector, ourVersion } from '../../../src/server/connectors/kamailio';
import { type Delivery, type SwitchState, switchState } from '../../../src/server/connectors/types';
import { loadConfig } from '../../../src/server/config';

interface Call {
  method: string;
  params: unknown[];
}

let server: Server;
let url: string;
let calls: Call[];
let table: Map<string, string | number>;
/** Per call: undefined = behave like Kamailio; else this answer. */
let override: (c: Call) => { status: number; body: string } | undefined;
/** The dump's shape: Kamailio 5.x (slot arrays) or a flat list. */
let dumpShape: 'kamailio' | 'flat';

function kamailio(c: Call): { status: number; body: unknown } {
  const fault = (code: number, message: string) => ({ status: code, body: { jsonrpc: '2.0', error: { code, message }, id: 1 } });
  const ok = (result?: unknown) => ({ status: 200, body: { jsonrpc: '2.0', ...(result === undefined ? {} : { result }), id: 1 } });
  const [name, key, value] = c.params as string[];
  if (name !== 'kkdiv') return fault(500, 'No such htable');
  if (c.method === 'htable.sets') {
    if (value === undefined) return fault(500, 'Not enough parameters (htable name, key name and value)');
    table.set(key!, value);
    return ok();
  }
  if (c.method === 'htable.delete') {
    table.delete(key!);
    return ok();
  }
  if (c.method === 'htable.dump') {
    const items = [...table].map(([n, v]) => ({ name: n, value: v, type: typeof v === 'number' ? 'int' : 'str' }));
    if (dumpShape === 'flat') return ok(items);
    // Two per slot, so a slot with several items is covered.
    const entries = [];
    for (let i = 0; i < items.length; i += 2) entries.push({ entry: i * 7, size: items.slice(i, i + 2).length, slot: items.slice(i, i + 2) });
    return entries.length === 0 ? ok() : ok(entries);
  }
  return fault(-32601, 'Method Not Found');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const rq = JSON.parse(body) as { method: string; params: unknown[]; id: number };
      const c = { method: rq.method, params: rq.params };
      calls.push(c);
      const o = override(c);
      const a = o ?? kamailio(c);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify({ ...(a.body as object), id: rq.id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  calls = [];
  table = new Map();
  override = () => undefined;
  dumpShape = 'kamailio';
});

const at = Date.parse('2026-11-24T10:30:00Z');
const state = (forwarding: { mode: 'spoken' | 'none' | 'number'; number: string | null }, to: number | null, key = 'L', language: 'sv' | 'en' = 'sv'): SwitchState =>
  switchState(effectiveState([{ id: 'a', source: 'calendar', key, forwarding, from: Date.parse('2026-11-24T10:00:00Z'), to, text: null }], at, DEFAULT_CATALOG), at, 'Europe/Stockholm', language)!;
const delivery = (version: number, s: SwitchState | null, extension = '1021'): Delivery => ({ extension, version, state: s, sentAt: '2026-11-24T10:30:00Z' });
const connector = () => new KamailioConnector({ url, timeoutMs: 2_000 });

describe('the value (issue 15 contract)', () => {
  test('spoken with a return time the same day', () => {
    expect(encodeValue(17, state({ mode: 'spoken', number: null }, Date.parse('2026-11-24T12:00:00Z')))).toBe('kk1|17|spoken|0|1300|sv|');
  });
  test('number: the forwarding number last', () => {
    expect(encodeValue(18, state({ mode: 'number', number: '0701234567' }, Date.parse('2026-11-24T12:00:00Z')))).toBe('kk1|18|number|0|1300|sv|0701234567');
  });
  test('none (soft) in English, and a return date on another day', () => {
    const s = state({ mode: 'none', number: null }, Date.parse('2026-11-26T12:00:00Z'), 'L', 'en');
    expect(s.returnDate).toBe('1126');
    expect(encodeValue(19, s)).toBe('kk1|19|none|0|1126|en|');
  });
  test('no return (Tills vidare): none', () => {
    expect(encodeValue(3, state({ mode: 'spoken', number: null }, null))).toBe('kk1|3|spoken|0|none|sv|');
  });
  test('no MEX code: the reason is empty', () => {
    expect(encodeValue(4, { ...state({ mode: 'spoken', number: null }, null), reasonCode: null })).toBe('kk1|4|spoken||none|sv|');
  });
  test('a number with anything but digits and + cannot be written: permanent', async () => {
    const r = await connector().apply(delivery(5, { ...state({ mode: 'number', number: '07|1' }, null) }));
    expect(r).toMatchObject({ ok: false, permanent: true });
    expect(calls).toEqual([]);
  });
  test('ourVersion reads our values only', () => {
    expect(ourVersion('kk1|17|spoken|0|1300|sv|')).toBe(17);
    expect(ourVersion('kk2|17|spoken|0|1300|sv|')).toBeNull();
    expect(ourVersion('kk1|x|spoken|0|1300|sv|')).toBeNull();
    expect(ourVersion('kk1|17')).toBeNull();
    expect(ourVersion('something else')).toBeNull();
    expect(ourVersion(17)).toBeNull();
  });
});

describe('apply', () => {
  test('a state: htable.sets on the table; the same again is harmless', async () => {
    const c = connector();
    const d = delivery(17, state({ mode: 'spoken', number: null }, Date.parse('2026-11-24T12:00:00Z')));
    expect(await c.apply(d)).toEqual({ ok: true, status: 200 });
    expect(await c.apply(d)).toEqual({ ok: true, status: 200 });
    expect(calls).toEqual([
      { method: 'htable.sets', params: ['kkdiv', '1021', 'kk1|17|spoken|0|1300|sv|'] },
      { method: 'htable.sets', params: ['kkdiv', '1021', 'kk1|17|spoken|0|1300|sv|'] },
    ]);
    expect(table.get('1021')).toBe('kk1|17|spoken|0|1300|sv|');
  });
  test('null: htable.delete; a key that is not there is fine', async () => {
    const c = connector();
    table.set('1021', 'kk1|1|spoken|0|none|sv|');
    expect(await c.apply(delivery(2, null))).toMatchObject({ ok: true });
    expect(table.has('1021')).toBe(false);
    expect(await c.apply(delivery(3, null))).toMatchObject({ ok: true });
    expect(calls.map((x) => x.method)).toEqual(['htable.delete', 'htable.delete']);
  });
  test('a "not found" fault to a delete is a success too', async () => {
    override = (c) => (c.method === 'htable.delete' ? { status: 404, body: JSON.stringify({ jsonrpc: '2.0', error: { code: 404, message: 'Key not found' }, id: 1 }) } : undefined);
    expect(await connector().apply(delivery(3, null))).toMatchObject({ ok: true });
  });
  test('another table name (KAMAILIO_TABLE)', async () => {
    const c = new KamailioConnector({ url, table: 'other' });
    const r = await c.apply(delivery(1, null));
    // The fake only has kkdiv: "No such htable" is a fault, retried (the config may be fixed).
    expect(r).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('No such htable') });
    expect(calls[0]).toEqual({ method: 'htable.delete', params: ['other', '1021'] });
  });
  test('a fault is retried; "invalid params" is permanent', async () => {
    override = () => ({ status: 500, body: JSON.stringify({ jsonrpc: '2.0', error: { code: 500, message: 'Failed to set the item' }, id: 1 }) });
    const s = state({ mode: 'spoken', number: null }, null);
    expect(await connector().apply(delivery(1, s))).toMatchObject({ ok: false, permanent: false, status: 500, error: 'htable.sets: Failed to set the item (500)' });
    override = () => ({ status: 200, body: JSON.stringify({ jsonrpc: '2.0', error: { code: -32602, message: 'Invalid params' }, id: 1 }) });
    expect(await connector().apply(delivery(1, s))).toMatchObject({ ok: false, permanent: true });
  });
  test('HTTP errors, non-JSON answers, timeouts and a closed port are retried', async () => {
    const s = state({ mode: 'spoken', number: null }, null);
    override = () => ({ status: 403, body: 'Forbidden' });
    expect(await connector().apply(delivery(1, s))).toMatchObject({ ok: false, permanent: false, status: 403 });
    override = () => ({ status: 200, body: '<html>' });
    expect(await connector().apply(delivery(1, s))).toMatchObject({ ok: false, permanent: false });
    const slow = createServer(() => undefined);
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/RPC`;
    expect(await new KamailioConnector({ url: slowUrl, timeoutMs: 200 }).apply(delivery(1, s))).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('200 ms') });
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
    expect(await new KamailioConnector({ url: slowUrl, timeoutMs: 1_000 }).apply(delivery(1, s))).toMatchObject({ ok: false, permanent: false, error: expect.stringContaining('unreachable') });
  });
});

describe('readBack (htable.dump)', () => {
  test.each(['kamailio', 'flat'] as const)('our entries with their versions, foreign ones left out (%s shape)', async (shape) => {
    dumpShape = shape;
    table.set('1021', 'kk1|17|spoken|0|1300|sv|');
    table.set('1022', 'kk1|18|number|0|1300|sv|0701234567');
    table.set('1023', 'manual diversion');
    table.set('1024', 42);
    table.set('1025', 'kk1|19|none|3|1400|en|');
    const held = await connector().readBack();
    expect([...held].sort()).toEqual([
      ['1021', 17],
      ['1022', 18],
      ['1025', 19],
    ]);
    expect(calls).toEqual([{ method: 'htable.dump', params: ['kkdiv'] }]);
  });
  test('an empty table (no result at all, or [])', async () => {
    expect((await connector().readBack()).size).toBe(0);
    override = () => ({ status: 200, body: JSON.stringify({ jsonrpc: '2.0', result: [], id: 1 }) });
    expect((await connector().readBack()).size).toBe(0);
  });
  test('older Kamailio: items in a slot object', () => {
    expect(dumpItems([{ entry: 3, size: 1, slot: { item: { name: '1021', value: 'kk1|2|spoken|0|none|sv|', type: 'str' } } }])).toEqual([{ name: '1021', value: 'kk1|2|spoken|0|none|sv|' }]);
  });
  test('a failure throws (reconciliation logs it and tries again)', async () => {
    override = () => ({ status: 500, body: JSON.stringify({ jsonrpc: '2.0', error: { code: 500, message: 'No such htable' }, id: 1 }) });
    await expect(connector().readBack()).rejects.toThrow(/No such htable/);
  });
});

test('onReconnect: called when an RPC succeeds after one that could not reach Kamailio', async () => {
  const c = connector();
  const reconnects: number[] = [];
  c.onReconnect(() => reconnects.push(calls.length));
  const s = state({ mode: 'spoken', number: null }, null);
  await c.apply(delivery(1, s));
  expect(reconnects).toEqual([]);
  override = () => ({ status: 503, body: 'down' });
  await c.apply(delivery(2, s));
  await expect(c.readBack()).rejects.toThrow();
  expect(reconnects).toEqual([]);
  override = () => undefined;
  await c.apply(delivery(3, s));
  expect(reconnects).toEqual([4]);
  await c.apply(delivery(4, s));
  expect(reconnects).toEqual([4]);
});

describe('configuration', () => {
  const base = { CONNECTOR: 'kamailio' };
  test('KAMAILIO_RPC_URL is required and must be http(s); the table defaults to kkdiv', () => {
    expect(() => loadConfig(base)).toThrow(/KAMAILIO_RPC_URL is required with CONNECTOR=kamailio/);
    expect(() => loadConfig({ ...base, KAMAILIO_RPC_URL: 'ftp://x' })).toThrow(/KAMAILIO_RPC_URL must be an http\(s\) URL/);
    expect(loadConfig({ ...base, KAMAILIO_RPC_URL: 'http://127.0.0.1:5071/RPC' }).connector).toEqual({ name: 'kamailio', url: 'http://127.0.0.1:5071/RPC', table: 'kkdiv', timeoutMs: 5_000 });
    expect(loadConfig({ ...base, KAMAILIO_RPC_URL: 'http://127.0.0.1:5071/RPC', KAMAILIO_TABLE: 'div2', KAMAILIO_TIMEOUT_MS: '800' }).connector).toMatchObject({ table: 'div2', timeoutMs: 800 });
    expect(() => loadConfig({ ...base, KAMAILIO_RPC_URL: 'http://127.0.0.1:5071/RPC', KAMAILIO_TABLE: 'a b' })).toThrow(/KAMAILIO_TABLE must be/);
  });
  test('RECONCILE_SECONDS: 60 by default, 0 for off, at most a day', () => {
    expect(loadConfig({}).reconcileSeconds).toBe(60);
    expect(loadConfig({ RECONCILE_SECONDS: '0' }).reconcileSeconds).toBe(0);
    expect(() => loadConfig({ RECONCILE_SECONDS: '86401' })).toThrow(/RECONCILE_SECONDS must be/);
  });
});
