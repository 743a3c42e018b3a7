/**
 * Issue 15, the whole chain on loopback: a booking → the endpoint (`kalenderkoppling serve`,
 * CONNECTOR=kamailio) → Kamailio with deploy/kamailio's configuration → a caller's call (SIPp),
 * with one SIPp as the PBX and one as the announcement service. Extension 1021 is u1's.
 * The tests run in order and share the processes; each leaves 1021 as it found it or says so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { callEndpoint, devTokens, type Endpoint, startEndpoint, stopEndpoint, waitFor } from '../helpers/endpoint';
import { type Kamailio, routeCall, type SippUas, startKamailio, startSippUas } from '../helpers/kamailio';

jest.setTimeout(60_000);

const EXT = '1021';
const MIN = 60_000;
/** Short, so that test 6 (a restarted Kamailio is back in step by itself) is quick. */
const RECONCILE_SECONDS = 3;

let pbx: SippUas;
let announce: SippUas;
let kam: Kamailio;
let endpoint: Endpoint | undefined;
let env: Record<string, string>;
let tok: Awaited<ReturnType<typeof devTokens>>;

beforeAll(async () => {
  pbx = await startSippUas('pbx');
  announce = await startSippUas('announce');
  kam = await startKamailio({ pbx: pbx.hostport, announce: announce.hostport });
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-chain-'));
  env = {
    DATA_DIR: dataDir,
    PORT: '0',
    CONNECTOR: 'kamailio',
    KAMAILIO_RPC_URL: `http://127.0.0.1:${kam.rpcPort}/RPC`,
    KAMAILIO_TIMEOUT_MS: '2000',
    RECONCILE_SECONDS: String(RECONCILE_SECONDS),
    LOG_LEVEL: 'info',
  };
  tok = await devTokens(dataDir);
  endpoint = await startEndpoint(env);
  await api('PUT', '/api/v1/admin/users/u1', { extension: EXT }, true);
}, 60_000);

afterAll(async () => {
  if (endpoint) await stopEndpoint(endpoint);
  await Promise.allSettled([kam?.stop(), pbx?.stop(), announce?.stop()]);
});

afterEach(() => {
  // The endpoint must never have logged an error (level 50) or a fatal (60) on the way.
  if (endpoint) expect(endpoint.output()).not.toMatch(/"level":(50|60)/);
});

async function api(method: string, path: string, body?: unknown, admin = false): Promise<Response> {
  return callEndpoint(endpoint!, await tok(admin ? 'boss' : 'u1', admin), method, path, body);
}

function booking(subject: string, startMs: number, endMs: number) {
  return { subject, start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() };
}

/** Kamailio's kkdiv entry for 1021, split (`kk1|version|mode|reason|return|language|number`), or null when it has none. */
async function entry(): Promise<string[] | null> {
  const r = await kam.rpc('htable.get', ['kkdiv', EXT]);
  if (r.error) return null;
  return String((r.result as { item: { value: string } }).item.value).split('|');
}

/** Waits until Kamailio's entry satisfies `ok` (bounded), returning it. */
async function entryWhere(ok: (e: string[] | null) => boolean, ms = 10_000): Promise<string[] | null> {
  let last: string[] | null = null;
  const held = await waitFor(async () => ok((last = await entry())), ms);
  if (!held) throw new Error(`Kamailio's entry for ${EXT} is ${JSON.stringify(last)}\nendpoint:\n${endpoint?.output().slice(-3000)}`);
  return last;
}

/** What MX-ONE shows as the return (SPEC 10): HHMM on the same local day, else MMDD. */
function mxReturn(endMs: number): string {
  const zone = 'Europe/Stockholm';
  const end = DateTime.fromMillis(endMs, { zone });
  return end.hasSame(DateTime.now().setZone(zone), 'day') ? end.toFormat('HHmm') : end.toFormat('MMdd');
}

const call = () => routeCall(EXT, kam.sipPort, { pbx, announce });

test('1. no booking: the PBX gets the call, unchanged', async () => {
  expect(await entry()).toBeNull();
  const r = await call();
  expect(r.to).toBe('pbx');
  if (r.to === 'pbx') expect(r.invite.startLine).toMatch(new RegExp(`^INVITE sip:${EXT}@`));
});

test('2. a lunch booking in force, Talad hänvisning: the announcement service gets it with X-KK-Reason 0 and the return time', async () => {
  const end = Date.now() + 30 * MIN;
  await api('PUT', '/api/v1/me/bookings/b1', booking('NP/L: Lunch', Date.now() - MIN, end));
  await entryWhere((e) => e?.[2] === 'spoken');
  const r = await call();
  expect(r.to).toBe('announce');
  if (r.to !== 'announce') return;
  expect(['X-KK-Extension', 'X-KK-Reason', 'X-KK-Return', 'X-KK-Language'].map((h) => r.invite.header(h))).toEqual([EXT, '0', mxReturn(end), 'sv']);
  // The endpoint says the switch has it.
  const state = (await (await api('GET', '/api/v1/me/state')).json()) as { delivery: { delivered: boolean; version: number } };
  expect(state.delivery.delivered).toBe(true);
  expect((await entry())?.[1]).toBe(String(state.delivery.version));
});

test('3. Till nummer 0701234567 (the lunch profile): the caller gets 302 with that number', async () => {
  await api('PUT', '/api/v1/me/profile', { lunch: { mode: 'number', number: '0701234567' } });
  await entryWhere((e) => e?.[2] === 'number');
  const r = await call();
  expect(r).toEqual({ to: 'moved', contact: expect.stringMatching(/^<?sip:0701234567@127\.0\.0\.1[>;]?/) });
  await api('PUT', '/api/v1/me/profile', {});
  await entryWhere((e) => e?.[2] === 'spoken');
});

test('4. a shared extension (soft, SPEC 8.2 rule 7): the PBX gets the call although lunch is in force', async () => {
  await api('PUT', '/api/v1/admin/users/u1', { extension: EXT, shared: true }, true);
  await entryWhere((e) => e?.[2] === 'none');
  expect((await call()).to).toBe('pbx');
  await api('PUT', '/api/v1/admin/users/u1', { extension: EXT, shared: false }, true);
  await entryWhere((e) => e?.[2] === 'spoken');
  expect((await call()).to).toBe('announce');
});

test('5. the booking ends: calls reach the PBX again within 2 s of its end', async () => {
  await api('DELETE', '/api/v1/me/bookings/b1');
  await entryWhere((e) => e === null);
  const end = Date.now() + 5_000;
  await api('PUT', '/api/v1/me/bookings/b2', booking('NP/L: Kort lunch', Date.now() - MIN, end));
  await entryWhere((e) => e?.[2] === 'spoken');
  expect((await call()).to).toBe('announce');
  // Watch the entry go: it must be gone within 2 s of the end (and not before the end).
  await entryWhere((e) => e === null, end - Date.now() + 2_000);
  const gone = Date.now();
  expect(gone).toBeGreaterThanOrEqual(end);
  expect(gone - end).toBeLessThanOrEqual(2_000);
  expect((await call()).to).toBe('pbx');
});

test('6. Kamailio killed (kill -9) and restarted: calls are diverted again within RECONCILE_SECONDS, by nobody', async () => {
  await api('PUT', '/api/v1/me/bookings/b3', booking('NP/L: Lunch', Date.now() - MIN, Date.now() + 30 * MIN));
  const held = await entryWhere((e) => e?.[2] === 'spoken');
  const logBefore = endpoint!.output().length;
  await kam.kill9();
  await kam.restart();
  const restarted = Date.now();
  expect(await entry()).toBeNull();
  // One reconciliation period, plus a second for the round itself.
  const back = await entryWhere((e) => e !== null, RECONCILE_SECONDS * 1000 + 1_000);
  expect(Date.now() - restarted).toBeLessThanOrEqual(RECONCILE_SECONDS * 1000 + 1_000);
  expect(back).toEqual(held);
  const r = await call();
  expect(r.to).toBe('announce');
  // It was the reconciliation that put it back, not a delivery of a new state.
  const rounds = endpoint!.output().slice(logBefore).split('\n').filter((l) => l.includes('reconciliation: states differing'));
  expect(rounds.some((l) => (JSON.parse(l) as { resent: number }).resent >= 1)).toBe(true);
});

test('7. the endpoint stopped while a booking starts, started again: Kamailio is updated', async () => {
  const start = Date.now() + 3_000;
  const end = Date.now() + 45 * MIN;
  // A meeting that starts in 3 s and ends after the lunch: the lunch's return moves to the
  // meeting's end at once (SPEC 9.3), and from its start the meeting wins (SPEC 9.2).
  await api('PUT', '/api/v1/me/bookings/b4', booking('NP/M: Möte', start, end));
  const before = await entryWhere((e) => e?.[3] === '0' && e[4] === mxReturn(end));
  await stopEndpoint(endpoint!);
  endpoint = undefined;
  await new Promise((r) => setTimeout(r, start - Date.now() + 1_000));
  // Nobody told Kamailio: it still holds the lunch.
  expect(await entry()).toEqual(before);
  expect((await call()).to).toBe('announce');

  endpoint = await startEndpoint(env);
  const after = await entryWhere((e) => e?.[3] === '3');
  expect(Number(after![1])).toBeGreaterThan(Number(before![1]));
  const r = await call();
  expect(r.to).toBe('announce');
  if (r.to === 'announce') expect([r.invite.header('X-KK-Reason'), r.invite.header('X-KK-Return')]).toEqual(['3', mxReturn(end)]);
});
