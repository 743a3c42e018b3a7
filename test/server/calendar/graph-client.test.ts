/** The Graph client's limits with an injected fetch: 4 per mailbox, a cap overall, and a throttled mailbox not holding up others. */
import { type Fetch, GraphClient, GraphError, retryAfterMs } from '../../../src/server/calendar/graph-client';

const config = { tenantId: 't', clientId: 'c', credential: { kind: 'secret' as const, secret: 's' }, authority: 'http://127.0.0.1:1', maxConcurrency: 5 };

function tokenResponse() {
  return new Response(JSON.stringify({ access_token: 'tok', expires_in: 3599 }), { status: 200 });
}

/** A fetch whose Graph calls wait until released; counts how many are in flight, overall and per mailbox. */
function heldFetch() {
  const inFlight = new Map<string, number>();
  let total = 0;
  const max = { total: 0, perMailbox: 0 };
  const waiting: (() => void)[] = [];
  const fakeFetch = (async (url: string | URL) => {
    const u = String(url);
    if (u.includes('/oauth2/')) return tokenResponse();
    const mailbox = /users\/([^/]+)/.exec(u)![1]!;
    total++;
    inFlight.set(mailbox, (inFlight.get(mailbox) ?? 0) + 1);
    max.total = Math.max(max.total, total);
    max.perMailbox = Math.max(max.perMailbox, inFlight.get(mailbox)!);
    await new Promise<void>((r) => waiting.push(r));
    total--;
    inFlight.set(mailbox, inFlight.get(mailbox)! - 1);
    return new Response(JSON.stringify({ value: [] }), { status: 200 });
  }) as Fetch;
  const releaseAll = async () => {
    while (waiting.length > 0 || total > 0) {
      waiting.splice(0).forEach((r) => r());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { fetch: fakeFetch, max, releaseAll, waiting };
}

test('at most 4 requests per mailbox and GRAPH_MAX_CONCURRENCY overall', async () => {
  // With a cap of 5 the two mailboxes share it (3 + 2: the first to ask gets the odd slot).
  for (const [cap, perMailbox, total] of [[16, 4, 8], [5, 3, 5]] as const) {
    const f = heldFetch();
    const client = new GraphClient({ config: { ...config, maxConcurrency: cap }, fetch: f.fetch });
    const calls = [...Array(10)].flatMap((_, i) => [client.request('a', 'GET', `http://g/users/a/x${i}`), client.request('b', 'GET', `http://g/users/b/x${i}`)]);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(f.max).toEqual({ total, perMailbox });
    await f.releaseAll();
    await Promise.all(calls);
    expect(f.max).toEqual({ total, perMailbox });
  }
});

test('a mailbox waiting out Retry-After does not hold up another', async () => {
  const sleeps: number[] = [];
  const fakeFetch = (async (url: string | URL) => {
    const u = String(url);
    if (u.includes('/oauth2/')) return tokenResponse();
    if (u.includes('/users/slow/')) return new Response(JSON.stringify({ error: { code: 'TooManyRequests' } }), { status: 429, headers: { 'retry-after': '7' } });
    return new Response(JSON.stringify({ value: [] }), { status: 200 });
  }) as Fetch;
  let releaseFirst = () => undefined as void;
  const client = new GraphClient({
    config: { ...config, maxConcurrency: 1 },
    fetch: fakeFetch,
    // The first wait holds until the other mailbox is done; later ones pass at once.
    sleep: (ms) => {
      sleeps.push(ms);
      return sleeps.length === 1 ? new Promise<void>((r) => (releaseFirst = r)) : Promise.resolve();
    },
  });
  const slow = client.request('slow', 'GET', 'http://g/users/slow/delta').catch((e: unknown) => e);
  // Wait until the slow one sleeps, holding no slot (the cap is 1).
  while (sleeps.length === 0) await new Promise((r) => setImmediate(r));
  const fast = await client.request('fast', 'GET', 'http://g/users/fast/delta');
  expect(fast.status).toBe(200);
  expect(sleeps).toEqual([7000]);
  releaseFirst();
  // After 6 attempts the slow one fails with the status and code only.
  const err = (await slow) as GraphError;
  expect(err).toBeInstanceOf(GraphError);
  expect(err.summary).toBe('HTTP 429 TooManyRequests');
  expect(sleeps).toEqual([7000, 7000, 7000, 7000, 7000]);
});

test('Retry-After in seconds, as a date, or missing (1, 2, 4 … s), capped at 2 minutes', () => {
  expect(retryAfterMs('3', 1)).toBe(3000);
  expect(retryAfterMs('9999', 1)).toBe(120_000);
  expect(retryAfterMs(null, 1)).toBe(1000);
  expect(retryAfterMs(null, 3)).toBe(4000);
  expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString(), 1)).toBeGreaterThan(50_000);
});

test('a token is fetched once and reused; a network failure is a GraphError with status 0', async () => {
  let tokens = 0;
  const fakeFetch = (async (url: string | URL) => {
    if (String(url).includes('/oauth2/')) {
      tokens++;
      return tokenResponse();
    }
    throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  }) as Fetch;
  const client = new GraphClient({ config, fetch: fakeFetch });
  const a = client.request('a', 'GET', 'http://g/users/a/x').catch((e) => e);
  const b = client.request('b', 'GET', 'http://g/users/b/x').catch((e) => e);
  const [ea, eb] = await Promise.all([a, b]);
  expect(tokens).toBe(1);
  expect((ea as GraphError).summary).toBe('network: ECONNREFUSED');
  expect((eb as GraphError).status).toBe(0);
});
