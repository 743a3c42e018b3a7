/**
 * The scheduler across real endpoint processes (issue 4), over loopback HTTP with the webhook
 * connector and a receiver that answers slowly:
 * - kill -9 in the middle of a burst on SQLite, restart: every extension converges to the state
 *   that holds now, and no extension ever goes back to an older version;
 * - two processes on one PostgreSQL: every extension's final state is delivered, and no
 *   extension is ever being delivered by both at the same moment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callEndpoint, devTokens, type Endpoint, startEndpoint, stopEndpoint, waitFor } from '../../helpers/endpoint';
import { postgresAvailability, throwawaySchema } from '../../helpers/postgres';
import { type Receiver, startReceiver } from '../../helpers/switch-receiver';

const MIN = 60_000;

type Tokens = Awaited<ReturnType<typeof devTokens>>;

/** Runs `fn` over `items`, `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

const ext = (i: number) => String(3000 + i);
const user = (i: number) => `u${i}`;

async function linkAll(e: Endpoint, tok: Tokens, n: number) {
  const admin = await tok('boss', true);
  await pool([...Array(n).keys()], 8, async (i) => void (await callEndpoint(e, admin, 'PUT', `/api/v1/admin/users/${user(i)}`, { extension: ext(i) })));
}

/** A booking that started a minute ago and lasts an hour: it holds now. */
function nowBooking(subject: string) {
  return { subject, start: new Date(Date.now() - MIN).toISOString(), end: new Date(Date.now() + 60 * MIN).toISOString() };
}

/** Every extension's newest acknowledged state is the expected one. */
function converged(r: Receiver, expected: Map<string, string | null>): boolean {
  for (const [e, code] of expected) {
    const got = r.acknowledged.get(e);
    if (!got || got.code !== code) return false;
  }
  return true;
}

/** Per extension, versions arrive in order (a re-sent version is fine, an older one is not). */
function versionsNeverGoBack(r: Receiver): string[] {
  const last = new Map<string, number>();
  const bad: string[] = [];
  for (const x of r.received) {
    if ((last.get(x.extension) ?? 0) > x.version) bad.push(`${x.extension}: v${x.version} after v${last.get(x.extension)}`);
    last.set(x.extension, Math.max(last.get(x.extension) ?? 0, x.version));
  }
  return bad;
}

function webhookEnv(r: Receiver, dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, PORT: '0', CONNECTOR: 'webhook', WEBHOOK_URL: r.url, WEBHOOK_SECRET: r.secret, WEBHOOK_TIMEOUT_MS: '5000', DELIVERY_CONCURRENCY: '4' };
}

test('kill -9 in the middle of a burst, restart: every extension converges to the state that holds now', async () => {
  const N = 120;
  const receiver = await startReceiver({ delayMs: () => 40 });
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-kill-'));
  const env = webhookEnv(receiver, dataDir);
  const tok = await devTokens(dataDir);
  let first: Endpoint | undefined;
  let second: Endpoint | undefined;
  try {
    first = await startEndpoint(env);
    await linkAll(first, tok, N);
    // The burst: lunch for the even extensions, a meeting for the odd ones; every third one's
    // booking is deleted again at once, so it must end cleared.
    const expected = new Map<string, string | null>();
    await pool([...Array(N).keys()], 8, async (i) => {
      const t = await tok(user(i));
      await callEndpoint(first!, t, 'PUT', '/api/v1/me/bookings/b1', nowBooking(i % 2 === 0 ? 'NP/L: Lunch' : 'NP/M: Möte'));
      if (i % 3 === 0) await callEndpoint(first!, t, 'DELETE', '/api/v1/me/bookings/b1');
      expected.set(ext(i), i % 3 === 0 ? null : i % 2 === 0 ? 'L' : 'M');
    });
    // Kill it while the burst is being delivered: some diversions have arrived, many have not.
    expect(await waitFor(() => receiver.received.filter((x) => x.code !== null).length >= 10, 20_000)).toBe(true);
    await stopEndpoint(first, 'SIGKILL');
    const beforeRestart = receiver.received.length;
    expect(converged(receiver, expected)).toBe(false);

    second = await startEndpoint(env);
    expect(await waitFor(() => converged(receiver, expected), 45_000)).toBe(true);
    expect(receiver.received.length).toBeGreaterThan(beforeRestart);
    expect(versionsNeverGoBack(receiver)).toEqual([]);
    const deliveries = (await (await callEndpoint(second, await tok('boss', true), 'GET', '/api/v1/admin/deliveries?limit=1000')).json()) as { deliveries: { extension: string; delivered: boolean }[] };
    const ours = deliveries.deliveries.filter((d) => expected.has(d.extension));
    expect(ours).toHaveLength(N);
    expect(ours.every((d) => d.delivered)).toBe(true);
  } finally {
    if (second) await stopEndpoint(second);
    if (first) await stopEndpoint(first, 'SIGKILL');
    await receiver.close();
  }
}, 120_000);

const pg = postgresAvailability('Two endpoint processes on PostgreSQL');

(pg.skip ? test.skip : test)('two processes on one PostgreSQL: every final state delivered, no extension delivered twice at once', async () => {
  if (pg.unavailable !== null) throw new Error(`PostgreSQL is required in CI (CI=true): ${pg.unavailable}; set TEST_DATABASE_URL`);
  const N = 80;
  const db = await throwawaySchema('kk_two_proc');
  const receiver = await startReceiver({ delayMs: () => 5 + Math.floor(Math.random() * 30) });
  const dataDir = mkdtempSync(join(tmpdir(), 'kk-two-'));
  const env = { ...webhookEnv(receiver, dataDir), DATABASE_URL: db.url };
  const tok = await devTokens(dataDir);
  const endpoints: Endpoint[] = [];
  try {
    endpoints.push(await startEndpoint(env));
    endpoints.push(await startEndpoint(env));
    const [a, b] = endpoints as [Endpoint, Endpoint];
    await linkAll(a, tok, N);
    // Three versions per extension, pushed alternately through both processes.
    const codes = ['L', 'M', 'TR'] as const;
    const expected = new Map<string, string | null>();
    await pool([...Array(N).keys()], 8, async (i) => {
      const t = await tok(user(i));
      for (const [k, code] of codes.entries()) await callEndpoint((i + k) % 2 === 0 ? a : b, t, 'PUT', '/api/v1/me/bookings/b1', nowBooking(`NP/${code}: x`));
      expected.set(ext(i), 'TR');
    });
    if (!(await waitFor(() => converged(receiver, expected), 45_000))) {
      const missing = [...expected.keys()].filter((e) => receiver.acknowledged.get(e)?.code !== expected.get(e));
      const d = await (await callEndpoint(a, await tok('boss', true), 'GET', '/api/v1/admin/deliveries?limit=1000')).json();
      process.stderr.write(`DEBUG missing ${missing.join(',')}\n${JSON.stringify(d.deliveries.filter((x: {extension: string}) => missing.includes(x.extension)))}\nA:${a.output().slice(-3000)}\nB:${b.output().slice(-3000)}\n`);
    }
    expect(converged(receiver, expected)).toBe(true);
    expect(receiver.overlaps).toEqual([]);
    expect(versionsNeverGoBack(receiver)).toEqual([]);
    // A version may arrive twice one after the other only when its first answer did not reach
    // the sender in time (a logged failure, then a retry; SPEC 11 makes that harmless).
    const failed = new Set<string>();
    for (const e of endpoints) {
      for (const line of e.output().split('\n')) {
        if (!line.includes('delivery failed')) continue;
        const o = JSON.parse(line) as { extension: string; version: number };
        failed.add(`${o.extension}:${o.version}`);
      }
    }
    const seen = new Set<string>();
    const twice: string[] = [];
    for (const x of receiver.received.filter((r) => r.status === 200)) {
      const k = `${x.extension}:${x.version}`;
      if (seen.has(k) && !failed.has(k)) twice.push(k);
      seen.add(k);
    }
    expect(twice).toEqual([]);
    for (const e of endpoints) expect(e.output()).not.toMatch(/"level":(50|60)/);
  } finally {
    for (const e of endpoints) await stopEndpoint(e);
    await receiver.close();
    await db.drop();
  }
}, 120_000);
