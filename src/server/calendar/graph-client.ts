/**
 * Talking to Microsoft Graph app-only: an OAuth2 client-credentials token (client secret, or a
 * certificate-signed client assertion) cached until shortly before it expires, and requests
 * that honour Retry-After on 429/503/504, with at most 4 requests in flight per mailbox and a
 * cap on all requests together. fetch, sleep and the clock are injected (tests use a loopback fake).
 * Not done: token acquisition through msal-node (it refuses non-https authorities; see decisions).
 */
import { ValidationError } from '../../core';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { GraphConfig } from './config';
import { LeaseLost } from './leases';

export type Fetch = typeof fetch;
export type Sleep = (ms: number) => Promise<void>;

/** A Graph or token endpoint answer that is not a success; `code` is Graph's error code when given. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
  /** What an admin sees: status and code only, never a response body (it may quote calendar data). */
  get summary(): string {
    return this.status === 0 ? `network: ${this.code ?? 'error'}` : `HTTP ${this.status}${this.code ? ` ${this.code}` : ''}`;
  }
}

/** A failure as logs and the admin view name it: a Graph status and code, or the kind of bad input. */
export function describe(err: unknown): string {
  if (err instanceof GraphError) return err.summary;
  if (err instanceof ValidationError) return `invalid ${err.field}`;
  return (err as Error)?.name ?? 'error';
}

/** A counting semaphore: `run` waits for a free slot. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
  get idle(): boolean {
    return this.active === 0;
  }
}

export const PER_MAILBOX = 4;
const RETRY_STATUSES = new Set([429, 503, 504]);
const MAX_ATTEMPTS = 6;
const MAX_RETRY_AFTER_MS = 120_000;

export interface GraphClientOptions {
  config: Pick<GraphConfig, 'tenantId' | 'clientId' | 'credential' | 'authority' | 'maxConcurrency'>;
  fetch?: Fetch;
  sleep?: Sleep;
  clock?: () => number;
}

export interface GraphResponse {
  status: number;
  body: unknown;
}

export class GraphClient {
  private readonly fetch: Fetch;
  private readonly sleep: Sleep;
  private readonly clock: () => number;
  private readonly all: Limiter;
  private readonly mailboxes = new Map<string, Limiter>();
  private token: { value: string; expiresAt: number } | null = null;
  private tokenPending: Promise<string> | null = null;
  /** Requests sent (token requests included): the benchmark prints it. */
  requests = 0;

  constructor(private readonly o: GraphClientOptions) {
    this.fetch = o.fetch ?? fetch;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.clock = o.clock ?? Date.now;
    this.all = new Limiter(o.config.maxConcurrency);
  }

  /** An access token for https://graph.microsoft.com/.default; fetched once and reused until 5 minutes before it expires. */
  async accessToken(): Promise<string> {
    if (this.token && this.clock() < this.token.expiresAt) return this.token.value;
    this.tokenPending ??= this.fetchToken().finally(() => {
      this.tokenPending = null;
    });
    return this.tokenPending;
  }

  private async fetchToken(): Promise<string> {
    const c = this.o.config;
    const endpoint = `${c.authority}/${c.tenantId}/oauth2/v2.0/token`;
    const form = new URLSearchParams({ client_id: c.clientId, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' });
    if (c.credential.kind === 'secret') form.set('client_secret', c.credential.secret);
    else {
      const now = Math.floor(this.clock() / 1000);
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t: c.credential.x5t })
        .setIssuer(c.clientId)
        .setSubject(c.clientId)
        .setAudience(endpoint)
        .setJti(randomUUID())
        .setNotBefore(now)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(createPrivateKey(c.credential.privateKeyPem));
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', assertion);
    }
    const res = await this.send(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const body = res.body as { access_token?: unknown; expires_in?: unknown; error?: unknown } | null;
    if (res.status !== 200 || typeof body?.access_token !== 'string') {
      throw new GraphError(res.status, typeof body?.error === 'string' ? body.error : null, `token request failed: HTTP ${res.status}`);
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3599);
    this.token = { value: body.access_token, expiresAt: this.clock() + Math.max(60, lifetime - 300) * 1000 };
    return body.access_token;
  }

  /** Forget the cached token (after a 401). */
  dropToken(): void {
    this.token = null;
  }

  /**
   * One Graph request for a mailbox, retried after Retry-After on 429/503/504 (the slot is given
   * back while waiting, so other mailboxes go on). Throws GraphError for other failures.
   */
  /**
   * `deadline` (issue 18): called right before each attempt is sent, it returns the instant the
   * attempt must have ended by (it is aborted then) or throws (LeaseLost) when none may start.
   */
  async request(mailbox: string, method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown; deadline?: () => number } = {}): Promise<GraphResponse> {
    let limiter = this.mailboxes.get(mailbox);
    if (!limiter) {
      limiter = new Limiter(PER_MAILBOX);
      this.mailboxes.set(mailbox, limiter);
    }
    let renewedToken = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const res = await limiter.run(() =>
        this.send(url, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        }, opts.deadline),
      );
      if (limiter.idle) this.mailboxes.delete(mailbox);
      if (res.status >= 200 && res.status < 300) return res;
      if (res.status === 401 && !renewedToken) {
        renewedToken = true;
        this.dropToken();
        continue;
      }
      const code = errorCode(res.body);
      if (RETRY_STATUSES.has(res.status) && attempt < MAX_ATTEMPTS) {
        await this.sleep(retryAfterMs(res.retryAfter, attempt));
        continue;
      }
      throw new GraphError(res.status, code, `Graph ${method} failed: HTTP ${res.status}${code ? ` ${code}` : ''}`);
    }
  }

  private async send(url: string, init: RequestInit, deadline?: () => number): Promise<GraphResponse & { retryAfter: string | null }> {
    let res: Response;
    let text: string;
    try {
      res = await this.all.run(() => {
        // Checked once a slot is free: waiting for one may have used up the time.
        const until = deadline?.() ?? Infinity;
        this.requests++;
        return this.fetch(url, Number.isFinite(until) ? { ...init, signal: AbortSignal.timeout(Math.max(1, until - this.clock())) } : init);
      });
      text = await res.text();
    } catch (err) {
      if (err instanceof LeaseLost) throw err;
      const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new GraphError(0, code, `Graph unreachable: ${code}`);
    }
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
  }
}

function errorCode(body: unknown): string | null {
  const e = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof e?.code === 'string' ? e.code : null;
}

/** Retry-After in seconds (or an HTTP date); without one, 1, 2, 4 … seconds. */
export function retryAfterMs(header: string | null, attempt: number): number {
  if (header) {
    const s = Number(header);
    if (Number.isFinite(s) && s >= 0) return Math.min(MAX_RETRY_AFTER_MS, s * 1000);
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - Date.now()));
  }
  return Math.min(MAX_RETRY_AFTER_MS, 1000 * 2 ** (attempt - 1));
}
