/**
 * Google Calendar through Google's own libraries (issue 17): a service account signs in as each
 * Workspace user (domain-wide delegation, google-auth-library's JWT with `subject`), and
 * @googleapis/calendar lists their events. Throttling (403 rateLimitExceeded, 429) and Google's
 * 5xx are retried here with exponential backoff (Retry-After when given), the library's own
 * retries off, at most GOOGLE_MAX_CONCURRENCY requests at once.
 */
import { calendar_v3 } from '@googleapis/calendar';
import { JWT } from 'google-auth-library';
import { Limiter, retryAfterMs, type Sleep } from '../graph-client';
import type { GoogleConfig } from './config';
import type { GoogleEvent } from './mapping';

/** Read-only access to events is all calendar sync needs (docs/admin.md: the scope to delegate). */
export const GOOGLE_SCOPE = 'https://www.googleapis.com/auth/calendar.events.readonly';
/** Where google-auth-library posts its JWT-bearer grant; GOOGLE_TOKEN_URL replaces it (tests). */
const GOOGLE_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';
const MAX_ATTEMPTS = 5;
const THROTTLED = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/** A Google answer that is not a success; `reason` is Google's error reason when given. */
export class GoogleError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'GoogleError';
  }
  /** What an admin sees: status and reason only, never a response body (it may quote calendar data). */
  get summary(): string {
    return this.status === 0 ? `network: ${this.reason ?? 'error'}` : `HTTP ${this.status}${this.reason ? ` ${this.reason}` : ''}`;
  }
}

export interface EventPage {
  items: GoogleEvent[];
  nextPageToken: string | null;
  nextSyncToken: string | null;
}

export interface ListParams {
  timeMin?: string;
  timeMax?: string;
  syncToken?: string;
  pageToken?: string;
  maxResults: number;
}

export class GoogleClient {
  private readonly auths = new Map<string, JWT>();
  private readonly limiter: Limiter;
  private readonly sleep: Sleep;
  /** Requests sent, retries included (the benchmark reads it). */
  requests = 0;

  constructor(private readonly o: { config: GoogleConfig; sleep?: Sleep }) {
    this.limiter = new Limiter(o.config.maxConcurrency);
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** One signed-in client per user: the library caches the user's token and renews it before it ends. */
  private calendarFor(email: string): calendar_v3.Calendar {
    let auth = this.auths.get(email);
    if (!auth) {
      // Node's own fetch (gaxios would load node-fetch by a dynamic import, which Jest cannot run).
      auth = new JWT({ email: this.o.config.clientEmail, key: this.o.config.privateKeyPem, scopes: [GOOGLE_SCOPE], subject: email, transporterOptions: { fetchImplementation: fetch } });
      const tokenUrl = this.o.config.tokenUrl;
      if (tokenUrl !== GOOGLE_TOKEN_ENDPOINT) {
        // The library has no option for its token URL; its transporter's interceptor is the documented hook.
        auth.transporter.interceptors.request.add({
          resolved: async (req) => {
            if (String(req.url) === GOOGLE_TOKEN_ENDPOINT) req.url = new URL(tokenUrl);
            return req;
          },
        });
      }
      this.auths.set(email, auth);
    }
    return new calendar_v3.Calendar({ auth, rootUrl: `${this.o.config.apiUrl}/` });
  }

  /** One page of events.list on the user's primary calendar (singleEvents: series come as their instances). */
  listEvents(email: string, p: ListParams, deadline?: () => number): Promise<EventPage> {
    const cal = this.calendarFor(email);
    return this.call(async (timeout) => {
      const res = await cal.events.list(
        { calendarId: 'primary', singleEvents: true, maxResults: p.maxResults, timeMin: p.timeMin, timeMax: p.timeMax, syncToken: p.syncToken, pageToken: p.pageToken },
        { retry: false, ...(timeout !== undefined ? { timeout } : {}) },
      );
      const d = res.data;
      return { items: (d.items ?? []) as GoogleEvent[], nextPageToken: d.nextPageToken ?? null, nextSyncToken: d.nextSyncToken ?? null };
    }, deadline);
  }

  /** events.watch on the user's primary calendar: Google posts to `address` on every change, with `token`, until `expiration`. */
  watch(email: string, channel: { id: string; token: string; address: string }): Promise<{ resourceId: string; expiration: number }> {
    const cal = this.calendarFor(email);
    return this.call(async () => {
      const res = await cal.events.watch({ calendarId: 'primary', requestBody: { id: channel.id, type: 'web_hook', address: channel.address, token: channel.token } }, { retry: false });
      const expiration = Number(res.data.expiration);
      if (!res.data.resourceId || !Number.isFinite(expiration)) throw new GoogleError(200, 'invalidResponse', 'Google answered a watch without resourceId or expiration');
      return { resourceId: res.data.resourceId, expiration };
    });
  }

  /** channels.stop: Google stops posting for that channel (404: it had already). */
  async stop(email: string, channel: { id: string; resourceId: string }): Promise<void> {
    const cal = this.calendarFor(email);
    try {
      await this.call(() => cal.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } }, { retry: false }));
    } catch (err) {
      if (!(err instanceof GoogleError && err.status === 404)) throw err;
    }
  }

  /**
   * Runs a request in a free slot; throttling and 5xx are waited out and tried again. `deadline`
   * (issue 18), called once a slot is free, gives the instant the attempt must end by (its
   * timeout) or throws LeaseLost when none may start.
   */
  private async call<T>(fn: (timeoutMs?: number) => Promise<T>, deadline?: () => number): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.limiter.run(async () => {
        const until = deadline?.() ?? Infinity;
        this.requests++;
        try {
          return { ok: true as const, value: await fn(Number.isFinite(until) ? Math.max(1, until - Date.now()) : undefined) };
        } catch (err) {
          return { ok: false as const, error: toGoogleError(err), retryAfter: retryAfterOf(err) };
        }
      });
      if (outcome.ok) return outcome.value;
      const e = outcome.error;
      const retryable = e.status === 429 || (e.status === 403 && THROTTLED.has(e.reason ?? '')) || e.status >= 500 || e.status === 0;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw e;
      await this.sleep(retryAfterMs(outcome.retryAfter, attempt));
    }
  }
}

type LibraryError = { status?: unknown; code?: unknown; response?: { status?: number; data?: unknown; headers?: unknown } };

/** A GaxiosError (or a network failure) as a GoogleError: status and Google's reason only. */
export function toGoogleError(err: unknown): GoogleError {
  if (err instanceof GoogleError) return err;
  const e = err as LibraryError;
  const status = typeof e?.response?.status === 'number' ? e.response.status : typeof e?.status === 'number' ? e.status : 0;
  const data = e?.response?.data as { error?: { errors?: { reason?: unknown }[]; status?: unknown } | string } | undefined;
  const inner = typeof data?.error === 'object' ? data.error : undefined;
  const reason = typeof inner?.errors?.[0]?.reason === 'string' ? inner.errors[0].reason : typeof data?.error === 'string' ? data.error : status === 0 && typeof e?.code === 'string' ? e.code : null;
  return new GoogleError(status, reason, `Google Calendar request failed: ${status === 0 ? 'network' : `HTTP ${status}`}${reason ? ` ${reason}` : ''}`);
}

function retryAfterOf(err: unknown): string | null {
  const h = (err as LibraryError)?.response?.headers as { get?: (n: string) => string | null; [k: string]: unknown } | undefined;
  if (!h) return null;
  if (typeof h.get === 'function') return h.get('retry-after');
  const v = h['retry-after'];
  return typeof v === 'string' ? v : null;
}
