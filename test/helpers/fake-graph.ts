/**
 * A fake Microsoft Graph for tests and the benchmark, on 127.0.0.1 only: the token endpoint,
 * /users/{id}/calendarView/delta with paging, delta links, @removed and 410, injected failures
 * (429/503 with Retry-After, 500), and /subscriptions (with the validation handshake when asked);
 * and the directory: /users/{id|upn} with $select, /users with $filter (mail or UPN eq) and
 * paging, a group's transitive users, and JSON batches (/$batch) with injected throttling; and
 * /users/{id}/sendMail (recorded, with injected failures).
 * Test-only, so not in dist: bench/graph.js transpiles this file at start. It imports only Node's
 * built-ins (keep it so; the bench loads it outside the project's module graph).
 */
import { type KeyObject, randomUUID, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEvent {
  id: string;
  subject: string;
  start: string;
  end: string;
  isAllDay?: boolean;
  location?: string;
  body?: string;
  sensitivity?: string;
  showAs?: string;
  isCancelled?: boolean;
  responseStatus?: string;
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  seriesMasterId?: string;
}

interface Stored {
  event: FakeEvent;
  seq: number;
  lastModified: string;
  removed: boolean;
}

interface Mailbox {
  events: Map<string, Stored>;
  failures: { status: number; retryAfter?: number; code?: string }[];
  expired: boolean;
}

/** A directory user as Graph stores one; the fake answers only the fields a $select names. */
export type FakeUser = { id: string; userPrincipalName: string; businessPhones?: string[]; onPremisesExtensionAttributes?: Record<string, string | null> } & {
  [field in 'displayName' | 'mail' | 'mobilePhone' | 'employeeId']?: string | null;
};

/** What Graph returns without $select (onPremisesExtensionAttributes and employeeId only when selected). */
const DEFAULT_USER_FIELDS = ['id', 'displayName', 'userPrincipalName', 'mail', 'businessPhones', 'mobilePhone'];
type Answer = { status: number; body: unknown; headers?: Record<string, string> };
const notFound = (what: string): Answer => ({ status: 404, body: { error: { code: 'Request_ResourceNotFound', message: `${what} does not exist` } } });

export interface FakeSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  clientState: string;
  expirationDateTime: string;
}

/** A TCP port free on 127.0.0.1 right now (for an endpoint whose URL must be known before it listens). */
export async function freeLoopbackPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface FakeGraphOptions {
  tenant: string;
  clientId: string;
  clientSecret?: string;
  /** Default page size when the client sends no Prefer: odata.maxpagesize. */
  pageSize?: number;
  /** Without a client secret: the key the client assertion must be signed with, and its x5t. */
  assertion?: { publicKey: KeyObject; x5t: string };
  /** POST a validationToken to the notification URL before creating a subscription (as Graph does). */
  validateSubscriptions?: boolean;
  /** Directory users a page (GET /users, group members) when $top asks for more. Default 100. */
  directoryPageSize?: number;
  /**
   * Issue 18: a delta request for a mailbox while another for it is in flight (two processes
   * using its delta link at once) is answered 409 and recorded in `concurrentDelta`.
   */
  refuseConcurrentDelta?: boolean;
  /** Each delta request is answered after this many ms (widens any overlap). */
  deltaDelayMs?: number;
}

const toGraphTime = (iso: string) => ({ dateTime: new Date(iso).toISOString().replace('Z', '0000'), timeZone: 'UTC' });

export class FakeGraph {
  private server: Server | null = null;
  private seq = 0;
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly pages = new Map<string, { items: unknown[]; offset: number; deltaToken: string }>();
  private readonly tokens = new Set<string>();
  readonly subscriptions = new Map<string, FakeSubscription>();
  /** Requests by kind: token, delta, subscriptions; batch (each $batch) and directory (each user or list read, in a batch or not). */
  readonly requests = { token: 0, delta: 0, subscriptions: 0, total: 0, batch: 0, directory: 0 };
  private readonly users = new Map<string, FakeUser>();
  private readonly groups = new Map<string, string[]>();
  private readonly batchFailures: { status: number; retryAfter?: number; inside: boolean }[] = [];
  /** How many sub-requests each $batch received held. */
  readonly batchSizes: number[] = [];
  /** Every delta request's mailbox id and whether it was a first request (full) or followed a link. */
  readonly deltaLog: { user: string; kind: 'initial' | 'page' | 'delta'; at: number }[] = [];
  /** Prefer headers seen on delta requests. */
  lastPrefer: string | null = null;
  /** Delta requests that came while another for the same mailbox was in flight (refuseConcurrentDelta). */
  readonly concurrentDelta: { user: string; at: number }[] = [];
  private readonly deltaInFlight = new Map<string, number>();
  /** Every mail sendMail accepted: the sender as the path names it, and the message and saveToSentItems as posted. */
  readonly sentMails: { sender: string; message: { subject: string; body: { contentType: string; content: string }; toRecipients: { emailAddress: { address: string } }[] }; saveToSentItems: unknown }[] = [];
  private readonly mailFailures: number[] = [];
  url = '';

  constructor(private readonly o: FakeGraphOptions) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: 'fakeError', message: String(err) } }));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get authority(): string {
    return this.url;
  }

  /** The GRAPH_* variables of an endpoint on loopback `port` that syncs from this fake. */
  endpointEnv(port: number): Record<string, string> {
    return {
      GRAPH_TENANT_ID: this.o.tenant,
      GRAPH_CLIENT_ID: this.o.clientId,
      ...(this.o.clientSecret !== undefined ? { GRAPH_CLIENT_SECRET: this.o.clientSecret } : {}),
      GRAPH_BASE_URL: this.baseUrl,
      GRAPH_AUTHORITY: this.authority,
      GRAPH_NOTIFICATION_URL: `http://127.0.0.1:${port}/api/v1/graph/notifications`,
    };
  }
  get baseUrl(): string {
    return `${this.url}/v1.0`;
  }

  private mailbox(user: string): Mailbox {
    let m = this.mailboxes.get(user);
    if (!m) {
      m = { events: new Map(), failures: [], expired: false };
      this.mailboxes.set(user, m);
    }
    return m;
  }

  /** Adds or changes an event (a new lastModified and change number). */
  put(user: string, event: FakeEvent, lastModified = new Date(Date.UTC(2026, 10, 1) + ++this.seq * 1000).toISOString()): void {
    const seq = ++this.seq;
    this.mailbox(user).events.set(event.id, { event: { ...event }, seq, lastModified, removed: false });
  }

  remove(user: string, id: string): void {
    const s = this.mailbox(user).events.get(id);
    if (s) this.mailbox(user).events.set(id, { ...s, seq: ++this.seq, removed: true });
  }

  /** The next `times` delta requests for this mailbox answer `status` (with Retry-After seconds). */
  fail(user: string, status: number, opts: { times?: number; retryAfter?: number; code?: string } = {}): void {
    for (let i = 0; i < (opts.times ?? 1); i++) this.mailbox(user).failures.push({ status, retryAfter: opts.retryAfter, code: opts.code });
  }

  /** Delta links of this mailbox answer 410 syncStateNotFound until a new initial round. */
  expireDeltaLinks(user: string): void {
    this.mailbox(user).expired = true;
  }

  /** The next `times` sendMail requests answer `status` (403 ErrorAccessDenied, or a server error). */
  failSendMail(status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.mailFailures.push(status);
  }

  /** Adds or replaces a directory user. */
  addUser(user: FakeUser): void {
    this.users.set(user.id.toLowerCase(), { ...user });
  }

  /** A group whose members are user ids or other groups' ids (transitiveMembers flattens them). */
  addGroup(id: string, members: string[]): void {
    this.groups.set(id.toLowerCase(), members.map((m) => m.toLowerCase()));
  }

  /** The next `times` $batch requests answer `status` as a whole or, with `inside`, in each of their sub-requests. */
  failBatch(status: number, opts: { times?: number; retryAfter?: number; inside?: boolean } = {}): void {
    for (let i = 0; i < (opts.times ?? 1); i++) this.batchFailures.push({ status, retryAfter: opts.retryAfter, inside: opts.inside ?? false });
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private async body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private graphEvent(user: string, s: Stored): unknown {
    if (s.removed) return { '@odata.type': '#microsoft.graph.event', id: s.event.id, '@removed': { reason: 'deleted' } };
    const e = s.event;
    return {
      '@odata.type': '#microsoft.graph.event',
      '@odata.etag': `W/"${s.seq}"`,
      id: e.id,
      subject: e.subject,
      start: toGraphTime(e.start),
      end: toGraphTime(e.end),
      isAllDay: e.isAllDay ?? false,
      location: { displayName: e.location ?? '' },
      body: { contentType: 'text', content: e.body ?? '' },
      sensitivity: e.sensitivity ?? 'normal',
      showAs: e.showAs ?? 'busy',
      isCancelled: e.isCancelled ?? false,
      responseStatus: { response: e.responseStatus ?? 'organizer', time: '0001-01-01T00:00:00Z' },
      lastModifiedDateTime: s.lastModified.replace('Z', '0000Z'),
      type: e.type ?? 'singleInstance',
      seriesMasterId: e.seriesMasterId ?? null,
      organizer: { emailAddress: { name: 'x', address: `${user}@example.test` } },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.total++;
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;

    if (req.method === 'POST' && path === `/${this.o.tenant}/oauth2/v2.0/token`) {
      this.requests.token++;
      const form = new URLSearchParams(await this.body(req));
      const okClient = form.get('client_id') === this.o.clientId && form.get('grant_type') === 'client_credentials' && form.get('scope') === 'https://graph.microsoft.com/.default';
      const okSecret = this.o.clientSecret === undefined ? this.assertionOk(form, `${this.url}${path}`) : form.get('client_secret') === this.o.clientSecret;
      if (!okClient || !okSecret) return this.json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      const token = randomUUID();
      this.tokens.add(token);
      return this.json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.tokens.has(bearer)) return this.json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });

    const sendMail = req.method === 'POST' ? /^\/v1\.0\/users\/([^/]+)\/sendMail$/.exec(path) : null;
    if (sendMail) {
      const b = JSON.parse(await this.body(req)) as { message?: FakeGraph['sentMails'][number]['message']; saveToSentItems?: unknown };
      const status = this.mailFailures.shift();
      if (status) return this.json(res, status, { error: { code: status === 403 ? 'ErrorAccessDenied' : 'ServiceUnavailable', message: 'fake failure' } });
      if (!b.message?.toRecipients?.[0]?.emailAddress?.address) return this.json(res, 400, { error: { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' } });
      this.sentMails.push({ sender: decodeURIComponent(sendMail[1]!), message: b.message, saveToSentItems: b.saveToSentItems });
      return this.json(res, 202, undefined); // Graph: 202 Accepted, no body
    }
    if (req.method === 'POST' && path === '/v1.0/$batch') return this.batch(res, JSON.parse(await this.body(req)) as { requests?: { id: string; method: string; url: string }[] });
    const dir = req.method === 'GET' ? this.directory(url) : null;
    if (dir) return this.json(res, dir.status, dir.body, dir.headers);

    const delta = /^\/v1\.0\/users\/([^/]+)\/calendarView\/delta$/.exec(path);
    if (req.method === 'GET' && delta) {
      this.requests.delta++;
      const user = decodeURIComponent(delta[1]!);
      if (this.o.refuseConcurrentDelta || this.o.deltaDelayMs) {
        const n = this.deltaInFlight.get(user) ?? 0;
        if (n > 0 && this.o.refuseConcurrentDelta) {
          this.concurrentDelta.push({ user, at: Date.now() });
          return this.json(res, 409, { error: { code: 'concurrentDeltaUse', message: 'another request for this mailbox is in flight' } });
        }
        this.deltaInFlight.set(user, n + 1);
        try {
          if (this.o.deltaDelayMs) await new Promise((r) => setTimeout(r, this.o.deltaDelayMs));
          return this.delta(req, res, url, user);
        } finally {
          this.deltaInFlight.set(user, (this.deltaInFlight.get(user) ?? 1) - 1);
        }
      }
      return this.delta(req, res, url, user);
    }

    if (path === '/v1.0/subscriptions' && req.method === 'POST') {
      this.requests.subscriptions++;
      const b = JSON.parse(await this.body(req)) as Omit<FakeSubscription, 'id'>;
      if (!b.notificationUrl || !b.clientState || !/^\/users\/[^/]+\/events$/.test(b.resource ?? '')) {
        return this.json(res, 400, { error: { code: 'InvalidRequest', message: 'bad subscription' } });
      }
      if (this.o.validateSubscriptions) {
        const token = `validation-${randomUUID()}`;
        const ok = await fetch(`${b.notificationUrl}?validationToken=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, signal: AbortSignal.timeout(10_000) })
          .then(async (r) => r.status === 200 && (await r.text()) === token)
          .catch(() => false);
        if (!ok) return this.json(res, 400, { error: { code: 'InvalidRequest', message: 'Subscription validation request failed.' } });
      }
      const sub: FakeSubscription = { id: randomUUID(), resource: b.resource, changeType: b.changeType, notificationUrl: b.notificationUrl, clientState: b.clientState, expirationDateTime: b.expirationDateTime };
      this.subscriptions.set(sub.id, sub);
      const { clientState: _hidden, ...shown } = sub;
      return this.json(res, 201, shown);
    }
    const subPath = /^\/v1\.0\/subscriptions\/([^/]+)$/.exec(path);
    if (subPath && req.method === 'PATCH') {
      this.requests.subscriptions++;
      const sub = this.subscriptions.get(decodeURIComponent(subPath[1]!));
      if (!sub) return this.json(res, 404, { error: { code: 'ResourceNotFound', message: 'subscription not found' } });
      sub.expirationDateTime = (JSON.parse(await this.body(req)) as { expirationDateTime: string }).expirationDateTime;
      const { clientState: _hidden, ...shown } = sub;
      return this.json(res, 200, shown);
    }
    return this.json(res, 404, { error: { code: 'ResourceNotFound', message: `no ${req.method} ${path}` } });
  }

  private batch(res: ServerResponse, b: { requests?: { id: string; method: string; url: string }[] }): void {
    this.requests.batch++;
    const requests = b.requests ?? [];
    this.batchSizes.push(requests.length);
    if (requests.length === 0 || requests.length > 20) return this.json(res, 400, { error: { code: 'BadRequest', message: 'A batch holds 1 to 20 requests' } });
    const f = this.batchFailures.shift();
    const fail: Answer | undefined = f && { status: f.status, body: { error: { code: f.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: 'fake failure' } }, headers: f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {} };
    if (fail && !f?.inside) return this.json(res, fail.status, fail.body, fail.headers);
    const responses = requests.map((r) => {
      const a = fail ?? (r.method === 'GET' ? (this.directory(new URL(r.url.replace(/^\/?/, `${this.baseUrl}/`))) ?? notFound(r.url)) : { status: 405, body: null });
      return { id: r.id, status: a.status, headers: { 'Content-Type': 'application/json', ...a.headers }, body: a.body };
    });
    return this.json(res, 200, { responses: responses.reverse() }); // Graph answers in any order
  }

  /** The directory's GET routes, as a batch's sub-request or on their own; null: not one of them. */
  private directory(url: URL): Answer | null {
    const path = decodeURIComponent(url.pathname);
    const select = url.searchParams.get('$select')?.split(',') ?? DEFAULT_USER_FIELDS;
    const shown = (u: FakeUser) => Object.fromEntries(select.map((f) => [f, (u as unknown as Record<string, unknown>)[f] ?? (f === 'businessPhones' ? [] : null)]));
    const one = /^\/v1\.0\/users(?:\/([^/]+)|\('((?:[^']|'')+)'\))$/.exec(path);
    if (one) {
      this.requests.directory++;
      const key = (one[1] ?? one[2]!.replace(/''/g, "'")).toLowerCase();
      const u = this.users.get(key) ?? [...this.users.values()].find((x) => x.userPrincipalName.toLowerCase() === key);
      return u ? { status: 200, body: shown(u) } : notFound(`Resource '${key}'`);
    }
    let list: FakeUser[];
    const group = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/.exec(path)?.[1]?.toLowerCase();
    if (path === '/v1.0/users') {
      const filter = url.searchParams.get('$filter');
      const m = filter === null ? null : /^(mail|userPrincipalName) eq '((?:[^']|'')*)'$/.exec(filter);
      if (filter !== null && !m) return { status: 400, body: { error: { code: 'Request_UnsupportedQuery', message: 'fake: only mail or userPrincipalName eq' } } };
      const want = m?.[2]!.replace(/''/g, "'").toLowerCase();
      list = [...this.users.values()].filter((u) => !m || (m[1] === 'mail' ? u.mail : u.userPrincipalName)?.toLowerCase() === want);
    } else if (group) {
      if (!this.groups.has(group)) return notFound(`Resource '${group}'`);
      const ids = new Set<string>();
      const walk = (g: string, seen: Set<string>) => this.groups.get(g)?.forEach((m) => (this.groups.has(m) ? !seen.has(m) && walk(m, seen.add(m)) : ids.add(m)));
      walk(group, new Set([group]));
      list = [...ids].flatMap((id) => this.users.get(id) ?? []);
    } else return null;
    this.requests.directory++;
    const size = Math.min(Number(url.searchParams.get('$top') ?? 100), this.o.directoryPageSize ?? 100);
    const offset = Number(url.searchParams.get('$skiptoken') ?? 0);
    const next = new URL(url.toString());
    next.searchParams.set('$skiptoken', String(offset + size));
    return { status: 200, body: { '@odata.context': 'fake', ...(offset + size < list.length ? { '@odata.nextLink': next.toString() } : {}), value: list.slice(offset, offset + size).map(shown) } };
  }

  /** A client assertion: RS256 with the expected x5t, signed by the key, for this client and token endpoint. */
  private assertionOk(form: URLSearchParams, endpoint: string): boolean {
    const jwt = form.get('client_assertion');
    if (!this.o.assertion || !jwt || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return false;
    const [h, p, sig] = jwt.split('.');
    if (!h || !p || !sig) return false;
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string; x5t?: string };
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss?: string; sub?: string; aud?: string; exp?: number };
    if (header.alg !== 'RS256' || header.x5t !== this.o.assertion.x5t) return false;
    if (claims.iss !== this.o.clientId || claims.sub !== this.o.clientId || claims.aud !== endpoint) return false;
    return verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.o.assertion.publicKey, Buffer.from(sig, 'base64url'));
  }

  /** calendarView/delta: a first request, a page (skip token) or the changes since a delta link. */
  private delta(req: IncomingMessage, res: ServerResponse, url: URL, user: string): void {
    this.lastPrefer = (req.headers.prefer as string | undefined) ?? null;
    const m = this.mailbox(user);
    const failure = m.failures.shift();
    if (failure) {
      return this.json(res, failure.status, { error: { code: failure.code ?? (failure.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable'), message: 'fake failure' } }, failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {});
    }
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(this.lastPrefer ?? '')?.[1] ?? this.o.pageSize ?? 10);
    const skip = url.searchParams.get('$skiptoken');
    const dtoken = url.searchParams.get('$deltatoken');
    if (skip) {
      this.deltaLog.push({ user, kind: 'page', at: Date.now() });
      return this.page(res, user, skip, pageSize);
    }
    let start: number;
    let end: number;
    let since = 0;
    if (dtoken) {
      this.deltaLog.push({ user, kind: 'delta', at: Date.now() });
      if (m.expired) return this.json(res, 410, { error: { code: 'syncStateNotFound', message: 'The sync state generation is not found.' } });
      const t = JSON.parse(Buffer.from(dtoken, 'base64url').toString('utf8')) as { user: string; seq: number; start: number; end: number };
      if (t.user !== user) return this.json(res, 400, { error: { code: 'badRequest', message: 'token of another mailbox' } });
      ({ start, end } = t);
      since = t.seq;
    } else {
      this.deltaLog.push({ user, kind: 'initial', at: Date.now() });
      m.expired = false;
      start = Date.parse(url.searchParams.get('startDateTime') ?? '');
      end = Date.parse(url.searchParams.get('endDateTime') ?? '');
      if (!Number.isFinite(start) || !Number.isFinite(end)) return this.json(res, 400, { error: { code: 'ErrorInvalidParameter', message: 'startDateTime and endDateTime are required' } });
    }
    const inWindow = (e: FakeEvent) => Date.parse(e.start) < end && Date.parse(e.end) > start;
    const items: unknown[] = [];
    for (const s of m.events.values()) {
      if (s.seq <= since) continue;
      if (since === 0) {
        if (!s.removed && inWindow(s.event) && s.event.type !== 'seriesMaster') items.push(this.graphEvent(user, s));
      } else if (s.removed || !inWindow(s.event)) items.push({ '@odata.type': '#microsoft.graph.event', id: s.event.id, '@removed': { reason: 'deleted' } });
      else if (s.event.type !== 'seriesMaster') items.push(this.graphEvent(user, s));
    }
    const deltaToken = Buffer.from(JSON.stringify({ user, seq: this.seq, start, end })).toString('base64url');
    const id = randomUUID();
    this.pages.set(id, { items, offset: 0, deltaToken });
    return this.page(res, user, id, pageSize);
  }

  private page(res: ServerResponse, user: string, id: string, pageSize: number): void {
    const p = this.pages.get(id);
    if (!p) return this.json(res, 410, { error: { code: 'syncStateNotFound', message: 'skip token unknown' } });
    const slice = p.items.slice(p.offset, p.offset + pageSize);
    p.offset += slice.length;
    const base = `${this.baseUrl}/users/${encodeURIComponent(user)}/calendarView/delta`;
    if (p.offset < p.items.length) return this.json(res, 200, { '@odata.context': 'fake', '@odata.nextLink': `${base}?$skiptoken=${id}`, value: slice });
    this.pages.delete(id);
    return this.json(res, 200, { '@odata.context': 'fake', '@odata.deltaLink': `${base}?$deltatoken=${p.deltaToken}`, value: slice });
  }

  /** Graph's change notification for a user's subscription(s), posted to the endpoint as Graph does. */
  async notify(user: string, opts: { lifecycleEvent?: string; clientState?: string; url?: string } = {}): Promise<number> {
    let status = 0;
    for (const sub of this.subscriptions.values()) {
      if (sub.resource !== `/users/${user}/events`) continue;
      const item = opts.lifecycleEvent
        ? { subscriptionId: sub.id, clientState: opts.clientState ?? sub.clientState, lifecycleEvent: opts.lifecycleEvent, resource: sub.resource }
        : { subscriptionId: sub.id, clientState: opts.clientState ?? sub.clientState, changeType: 'updated', resource: `Users/${user}/Events/x`, tenantId: this.o.tenant };
      const r = await fetch(opts.url ?? sub.notificationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: [item] }) });
      status = r.status;
      await r.arrayBuffer();
    }
    return status;
  }
}
