/**
 * A fake Google Calendar API for tests, on 127.0.0.1 only: the OAuth token endpoint of a service
 * account with domain-wide delegation (a signed JWT assertion naming the impersonated user),
 * events.list with singleEvents=true (time window, paging, sync tokens with cancelled tombstones,
 * 410 once sync tokens are invalidated), events.watch with the push messages Google sends,
 * channels.stop, and injected rate-limit and backend failures, all with Google's JSON error shape.
 * Users' e-mail addresses compare case-insensitively: the fake keeps them lowercased.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { type ClientRequest, createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type JWTPayload } from 'jose';

/** The audience google-auth-library signs into every assertion, whatever URL the token request goes to. */
export const GOOGLE_TOKEN_AUD = 'https://oauth2.googleapis.com/token';

type EventTime = { dateTime?: string; date?: string; timeZone?: string };

/** An event as events.list returns it with singleEvents=true. */
export interface FakeGoogleEvent {
  id: string;
  status?: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  location?: string;
  start?: EventTime;
  end?: EventTime;
  visibility?: 'default' | 'public' | 'private' | 'confidential';
  transparency?: 'opaque' | 'transparent';
  attendees?: { email: string; self?: boolean; organizer?: boolean; responseStatus: 'needsAction' | 'declined' | 'tentative' | 'accepted' }[];
  recurringEventId?: string;
  originalStartTime?: EventTime;
  /** Set by the fake on every change (ISO, ms precision). */
  updated?: string;
}

export interface FakeGoogleOptions {
  /** The service account's e-mail: the assertion's `iss`. */
  clientEmail: string;
  /** The service account's public key (SPKI PEM) that assertions must verify against. */
  publicKeyPem: string;
  /** The Workspace domain: the impersonated user (`sub`) must be in it. */
  domain?: string;
  /** The largest page events.list answers (and its default). Default 250, as Google's. */
  pageSize?: number;
}

export interface FakeGoogle {
  /** API root for the client's rootUrl, e.g. 'http://127.0.0.1:PORT/' (the API is under /calendar/v3/...). */
  url: string;
  /** Where google-auth-library's token request must be pointed: 'http://127.0.0.1:PORT/token'. */
  tokenUrl: string;
  /** Creates or replaces an event in that user's primary calendar (status confirmed unless given); bumps `updated`. */
  put(email: string, event: FakeGoogleEvent): void;
  /**
   * Expands a weekly/daily series into instances as singleEvents=true shows them: ids `${id}_${YYYYMMDDTHHMMSSZ}`
   * of each original start (UTC, basic format), recurringEventId = id, originalStartTime = the instance's original
   * start. Instances are `everyDays` × 24 h apart (UTC, no daylight-saving shift). Instances of an earlier series
   * with this id that the new one lacks are cancelled, as Google does when a series is shortened.
   */
  putSeries(email: string, series: { id: string; summary: string; start: string; end: string; count: number; everyDays: number } & Partial<FakeGoogleEvent>): string[];
  /** Marks an event cancelled (kept as a tombstone: a sync token sees it as {id, status:'cancelled', updated}). */
  cancel(email: string, id: string): void;
  /** Every sync token issued so far for that user becomes invalid: the next events.list with one answers 410. */
  invalidateSyncTokens(email: string): void;
  /**
   * The next `n` API requests for that user (events.list and watch) answer `status` (403 with reason
   * rateLimitExceeded, 429 rateLimitExceeded, or 500 backendError), as Google's error JSON; optional Retry-After seconds header.
   */
  failNext(email: string, n: number, status: 403 | 429 | 500, retryAfterSeconds?: number): void;
  /** Every request received: method, path (as sent), the user (token's sub; null on /token and when refused), query, status answered. */
  requests: { method: string; path: string; user: string | null; query: Record<string, string>; status: number }[];
  /** Tokens issued per user (email → count). */
  tokensIssued: Map<string, number>;
  /** Open watch channels. */
  channels: { id: string; resourceId: string; user: string; address: string; token?: string; expiration: number }[];
  close(): Promise<void>;
}

const READ_SCOPES = ['https://www.googleapis.com/auth/calendar.readonly', 'https://www.googleapis.com/auth/calendar.events.readonly'];
const DAY = 86_400_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const FAILURES = {
  403: ['usageLimits', 'rateLimitExceeded', 'Rate Limit Exceeded'],
  429: ['usageLimits', 'rateLimitExceeded', 'Rate Limit Exceeded'],
  500: ['global', 'backendError', 'Backend Error'],
} as const;

type Answer = { status: number; body?: unknown; headers?: Record<string, string>; after?: () => void };
type Channel = FakeGoogle['channels'][number] & { resourceUri: string; messages: number };

interface Stored {
  event: FakeGoogleEvent;
  seq: number;
  startMs: number;
  endMs: number;
}

interface Calendar {
  events: Map<string, Stored>;
  failures: { status: 403 | 429 | 500; retryAfter?: number }[];
  /** Bumped by invalidateSyncTokens: sync tokens of an older epoch answer 410. */
  epoch: number;
  resourceId: string;
  updated: string;
}

/** A query's result as of its first page; its page tokens point into it. */
interface Snapshot {
  query: string;
  items: unknown[];
  seq: number;
}

const googleError = (code: number, reason: string, message: string, domain = 'global', headers?: Record<string, string>): Answer => ({
  status: code,
  body: { error: { code, message, errors: [{ domain, reason, message }] } },
  headers,
});
const invalid = (message: string) => googleError(400, 'invalid', message);
const oauthError = (status: number, error: string, description: string): Answer => ({ status, body: { error, error_description: description } });
const opaque = () => randomBytes(18).toString('base64url');
/** RFC 3339 in UTC without milliseconds, as Google writes event times. */
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** An event time as an instant; an all-day `date` D counts as D 00:00 UTC (so date D to D+1 covers that UTC day). */
function instant(t: EventTime | undefined): number {
  return t?.dateTime !== undefined ? Date.parse(t.dateTime) : t?.date !== undefined ? Date.parse(`${t.date}T00:00:00Z`) : NaN;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGoogle(opts: FakeGoogleOptions): Promise<FakeGoogle> {
  const publicKey = createPublicKey(opts.publicKeyPem);
  const domain = opts.domain?.toLowerCase();
  const maxPage = opts.pageSize ?? 250;
  const calendars = new Map<string, Calendar>();
  const tokens = new Map<string, { user: string; scope: string; expires: number }>();
  const syncTokens = new Map<string, { user: string; seq: number; epoch: number }>();
  const pageTokens = new Map<string, { snapshot: Snapshot; offset: number }>();
  const channels: Channel[] = [];
  const outgoing = new Set<ClientRequest>();
  let seq = 0;
  let lastUpdated = 0;

  /** Strictly increasing change times, so every change has its own `updated`. */
  const stamp = () => new Date((lastUpdated = Math.max(Date.now(), lastUpdated + 1))).toISOString();

  const calendar = (user: string): Calendar => {
    let c = calendars.get(user);
    if (!c) {
      c = { events: new Map(), failures: [], epoch: 0, resourceId: opaque(), updated: new Date().toISOString() };
      calendars.set(user, c);
    }
    return c;
  };

  const store = (user: string, event: FakeGoogleEvent): void => {
    const startMs = instant(event.start);
    const endMs = instant(event.end);
    if (!(endMs >= startMs)) throw new Error(`fake-google: event ${event.id} needs a start and an end (dateTime or date), the end not before the start`);
    const c = calendar(user);
    c.updated = stamp();
    c.events.set(event.id, { event: { ...structuredClone(event), status: event.status ?? 'confirmed', updated: c.updated }, seq: ++seq, startMs, endMs });
  };

  /** Google's push message to one channel: headers only, empty body; delivery is fire and forget. */
  const push = (c: Channel, state: 'sync' | 'exists'): void => {
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': c.id,
      ...(c.token === undefined ? {} : { 'X-Goog-Channel-Token': c.token }),
      'X-Goog-Channel-Expiration': new Date(c.expiration).toUTCString(),
      'X-Goog-Resource-ID': c.resourceId,
      'X-Goog-Resource-URI': c.resourceUri,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(++c.messages),
      'Content-Length': '0',
    };
    const options = { method: 'POST', headers, agent: false as const };
    const r = c.address.startsWith('https:') ? httpsRequest(c.address, options, (res) => res.resume()) : httpRequest(c.address, options, (res) => res.resume());
    outgoing.add(r);
    r.on('close', () => outgoing.delete(r)).on('error', () => undefined);
    r.end();
  };
  const changed = (user: string): void => {
    for (const c of channels) if (c.user === user && c.expiration > Date.now()) push(c, 'exists');
  };

  async function token(req: IncomingMessage): Promise<Answer> {
    const form = new URLSearchParams(await readBody(req));
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', 'Expected an application/x-www-form-urlencoded body');
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
    const assertion = form.get('assertion');
    if (!assertion) return oauthError(400, 'invalid_request', 'Missing required parameter: assertion');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(assertion, publicKey, {
        algorithms: ['RS256'],
        issuer: opts.clientEmail,
        audience: GOOGLE_TOKEN_AUD,
        requiredClaims: ['iat', 'exp'],
        maxTokenAge: 3600,
        clockTolerance: 60,
      }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') return oauthError(401, 'unauthorized_client', 'Invalid JWT Signature.');
      return oauthError(400, 'invalid_grant', `Invalid JWT: ${(err as Error).message}`);
    }
    if (claims.exp! - claims.iat! > 3600) return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    const scope = typeof claims.scope === 'string' ? claims.scope : '';
    if (!scope.split(' ').some((s) => READ_SCOPES.includes(s))) return oauthError(400, 'invalid_grant', `Invalid JWT: scope names no calendar read scope (${READ_SCOPES.join(' or ')})`);
    const user = typeof claims.sub === 'string' ? claims.sub.toLowerCase() : '';
    if (!/^[^@\s]+@[^@\s]+$/.test(user) || (domain !== undefined && !user.endsWith(`@${domain}`))) return oauthError(400, 'invalid_grant', 'Invalid email or User ID');
    const accessToken = `ya29.fake-${opaque()}`;
    tokens.set(accessToken, { user, scope, expires: Date.now() + 3600_000 });
    fake.tokensIssued.set(user, (fake.tokensIssued.get(user) ?? 0) + 1);
    return { status: 200, body: { access_token: accessToken, expires_in: 3600, token_type: 'Bearer' } };
  }

  /**
   * events.list. Without a sync token: the events overlapping [timeMin, timeMax) (end after timeMin, start
   * before timeMax; all-day dates as UTC days), cancelled ones only with showDeleted=true. With one: every
   * event changed since it was issued, cancelled ones as tombstones, whatever their time. Both ordered by
   * start, then id. A page token belongs to its query: the other parameters must repeat the first page's.
   */
  function list(user: string, q: URLSearchParams): Answer {
    if (q.get('singleEvents') !== 'true') return invalid('The fake supports only singleEvents=true.');
    const syncToken = q.get('syncToken');
    const timeMin = q.get('timeMin');
    const timeMax = q.get('timeMax');
    const showDeleted = q.get('showDeleted');
    const orderBy = q.get('orderBy');
    for (const p of ['q', 'updatedMin', 'iCalUID', 'privateExtendedProperty', 'sharedExtendedProperty', 'timeMin', 'timeMax', 'orderBy']) {
      if (!q.has(p)) continue;
      if (syncToken !== null) return invalid(`${p} cannot be combined with syncToken.`);
      if (!['timeMin', 'timeMax', 'orderBy'].includes(p)) return invalid(`The fake does not support ${p}.`);
    }
    if (syncToken !== null && showDeleted === 'false') return invalid('showDeleted cannot be false with syncToken: deleted events are always in an incremental result.');
    if (orderBy !== null && orderBy !== 'startTime') return invalid(`The fake supports only orderBy=startTime, not ${orderBy}.`);
    for (const [p, v] of [['timeMin', timeMin], ['timeMax', timeMax]] as const) if (v !== null && !RFC3339.test(v)) return invalid(`Bad ${p}: ${v} is not an RFC 3339 time with an offset.`);
    const min = timeMin === null ? -Infinity : Date.parse(timeMin);
    const max = timeMax === null ? Infinity : Date.parse(timeMax);
    if (min >= max) return googleError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    const maxResults = q.get('maxResults');
    if (maxResults !== null && !/^[1-9]\d*$/.test(maxResults)) return invalid(`Invalid value for maxResults: ${maxResults}`);
    const size = Math.min(Number(maxResults ?? maxPage), maxPage);

    const c = calendar(user);
    const since = syncToken === null ? null : syncTokens.get(syncToken);
    if (since !== null && (since?.user !== user || since.epoch !== c.epoch)) return googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
    const query = JSON.stringify([timeMin, timeMax, syncToken, showDeleted, orderBy]);
    const pageToken = q.get('pageToken');
    const page = pageToken === null ? { snapshot: { query, seq, items: select(c, since?.seq ?? null, min, max, showDeleted === 'true') }, offset: 0 } : pageTokens.get(pageToken);
    if (page?.snapshot.query !== query) return invalid('Invalid pageToken: it belongs to another query.');

    const end = page.offset + size;
    const more = end < page.snapshot.items.length;
    const next = opaque();
    if (more) pageTokens.set(next, { snapshot: page.snapshot, offset: end });
    else syncTokens.set(next, { user, seq: page.snapshot.seq, epoch: c.epoch });
    const body = { kind: 'calendar#events', summary: user, timeZone: 'Europe/Stockholm', updated: c.updated, items: page.snapshot.items.slice(page.offset, end) };
    return { status: 200, body: { ...body, ...(more ? { nextPageToken: next } : { nextSyncToken: next }) } };
  }

  function select(c: Calendar, since: number | null, min: number, max: number, showDeleted: boolean): unknown[] {
    return [...c.events.values()]
      .filter((s) => (since !== null ? s.seq > since : (showDeleted || s.event.status !== 'cancelled') && s.endMs > min && s.startMs < max))
      .sort((a, b) => a.startMs - b.startMs || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0))
      .map(({ event: e, seq: n }) => {
        const head = { kind: 'calendar#event', etag: `"${n}"` };
        if (e.status !== 'cancelled') return { ...head, ...structuredClone(e) };
        // Google guarantees only these on a cancelled event (the instance's two only when it is one).
        const instance = e.recurringEventId === undefined ? {} : { recurringEventId: e.recurringEventId, originalStartTime: structuredClone(e.originalStartTime) };
        return { ...head, id: e.id, status: e.status, updated: e.updated, ...instance };
      });
  }

  /** events.watch: a web_hook channel on the user's events; Google's `sync` message follows the answer. Unlike Google, http addresses are allowed. */
  function watch(user: string, calendarId: string, b: Record<string, unknown>): Answer {
    if (typeof b.id !== 'string' || b.id === '') return invalid('Channel id is required.');
    if (b.type !== 'web_hook' && b.type !== 'webhook') return googleError(400, 'push.channelTypeNotSupported', `Unknown channel type: ${String(b.type)}`, 'push');
    if (typeof b.address !== 'string' || !/^https?:\/\/[^/]/.test(b.address)) return googleError(400, 'push.webhookUrlNotHttps', `Invalid callback address: ${String(b.address)}`, 'push');
    if (b.token !== undefined && typeof b.token !== 'string') return invalid('Channel token must be a string.');
    if (channels.some((ch) => ch.id === b.id)) return googleError(400, 'channelIdNotUnique', `Channel id ${b.id} not unique`, 'push');
    const now = Date.now();
    const asked = b.expiration === undefined ? now + 7 * DAY : Number(b.expiration);
    if (!Number.isSafeInteger(asked)) return invalid(`Invalid expiration: ${String(b.expiration)}`);
    const resourceUri = `${fake.url}calendar/v3/calendars/${calendarId}/events?alt=json`;
    const ch: Channel = { id: b.id, resourceId: calendar(user).resourceId, user, address: b.address, token: b.token, expiration: Math.min(asked, now + 30 * DAY), resourceUri, messages: 0 };
    channels.push(ch);
    return {
      status: 200,
      body: { kind: 'api#channel', id: ch.id, resourceId: ch.resourceId, resourceUri, token: ch.token, expiration: String(ch.expiration) },
      after: () => push(ch, 'sync'),
    };
  }

  /** channels.stop: only the channel's own user may stop it. */
  function stop(user: string, b: Record<string, unknown>): Answer {
    const i = channels.findIndex((ch) => ch.id === b.id && ch.resourceId === b.resourceId && ch.user === user);
    if (i < 0) return googleError(404, 'notFound', `Channel '${String(b.id)}' not found for project`);
    channels.splice(i, 1);
    return { status: 204 };
  }

  async function route(req: IncomingMessage, url: URL, entry: FakeGoogle['requests'][number]): Promise<Answer> {
    const path = url.pathname;
    if (req.method === 'POST' && path === '/token') return token(req);
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const t = bearer === undefined ? undefined : tokens.get(bearer);
    if (!t || t.expires <= Date.now()) return googleError(401, 'authError', 'Invalid Credentials');
    entry.user = t.user;
    const json = async () => {
      try {
        const b: unknown = JSON.parse(await readBody(req));
        return typeof b === 'object' && b !== null ? (b as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    };
    const events = /^\/calendar\/v3\/calendars\/([^/]+)\/events(\/watch)?$/.exec(path);
    if (events && req.method === (events[2] ? 'POST' : 'GET')) {
      const failure = calendar(t.user).failures.shift();
      if (failure) {
        const [domain, reason, message] = FAILURES[failure.status];
        return googleError(failure.status, reason, message, domain, failure.retryAfter === undefined ? undefined : { 'Retry-After': String(failure.retryAfter) });
      }
      const id = decodeURIComponent(events[1]!).toLowerCase();
      if (id !== 'primary' && id !== t.user) return googleError(404, 'notFound', 'Not Found');
      if (!events[2]) return list(t.user, url.searchParams);
      const b = await json();
      return b ? watch(t.user, events[1]!, b) : googleError(400, 'parseError', 'Parse Error');
    }
    if (req.method === 'POST' && path === '/calendar/v3/channels/stop') {
      const b = await json();
      return b ? stop(t.user, b) : googleError(400, 'parseError', 'Parse Error');
    }
    return googleError(404, 'notFound', 'Not Found');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry = { method: req.method ?? '', path: url.pathname, user: null as string | null, query: Object.fromEntries(url.searchParams), status: 0 };
    void route(req, url, entry)
      .catch((err: unknown) => googleError(500, 'backendError', `fake-google: ${String(err)}`))
      .then((a) => {
        entry.status = a.status;
        fake.requests.push(entry);
        res.writeHead(a.status, { ...(a.body === undefined ? {} : { 'Content-Type': 'application/json; charset=UTF-8' }), ...a.headers });
        res.end(a.body === undefined ? undefined : JSON.stringify(a.body));
        a.after?.();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const fake: FakeGoogle = {
    url: base,
    tokenUrl: `${base}token`,
    requests: [],
    tokensIssued: new Map(),
    channels,
    put(email, event) {
      store(email.toLowerCase(), event);
      changed(email.toLowerCase());
    },
    putSeries(email, { id, summary, start, end, count, everyDays, ...rest }) {
      const user = email.toLowerCase();
      const first = Date.parse(start);
      const duration = Date.parse(end) - first;
      if (!(duration >= 0) || !(count >= 1) || !(everyDays >= 1)) throw new Error(`fake-google: series ${id} needs start ≤ end (ISO times), count ≥ 1 and everyDays ≥ 1`);
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const at = first + i * everyDays * DAY;
        const instanceId = `${id}_${new Date(at).toISOString().replace(/[-:]|\.\d{3}/g, '')}`;
        const original = { dateTime: rfc3339(at), timeZone: 'UTC' };
        store(user, { ...rest, id: instanceId, summary, start: original, end: { dateTime: rfc3339(at + duration), timeZone: 'UTC' }, recurringEventId: id, originalStartTime: original });
        ids.push(instanceId);
      }
      for (const s of [...calendar(user).events.values()]) {
        if (s.event.recurringEventId === id && s.event.status !== 'cancelled' && !ids.includes(s.event.id)) store(user, { ...s.event, status: 'cancelled' });
      }
      changed(user);
      return ids;
    },
    cancel(email, id) {
      const user = email.toLowerCase();
      const s = calendar(user).events.get(id);
      if (!s) throw new Error(`fake-google: ${user} has no event ${id}`);
      store(user, { ...s.event, status: 'cancelled' });
      changed(user);
    },
    invalidateSyncTokens(email) {
      calendar(email.toLowerCase()).epoch++;
    },
    failNext(email, n, status, retryAfterSeconds) {
      for (let i = 0; i < n; i++) calendar(email.toLowerCase()).failures.push({ status, retryAfter: retryAfterSeconds });
    },
    async close() {
      for (const r of outgoing) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
