/**
 * The generic HTTPS webhook connector (SPEC 11): POST the delivery as JSON with an HMAC-SHA256
 * signature of the raw body and an idempotency key. 2xx: delivered. 4xx other than 408/429:
 * permanent for that version. 5xx, 408, 429, timeouts and network errors: retry (honouring
 * Retry-After). Contract and an example receiver: docs/integration.md (with issue 4).
 * With WEBHOOK_BATCH_SIZE > 1 (issue 16) one POST carries up to that many deliveries as a JSON
 * array, and the receiver answers each item on its own (docs/integration.md "Batches").
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import httpsModule from 'node:https';
import { type Delivery, type DeliveryResult, defineConnector, type SwitchConnector } from '../types';
import { WEBHOOK_ENV, webhookConfig } from './config';

export { WEBHOOK_ENV, webhookConfig, type WebhookSettings } from './config';

export interface WebhookConfig {
  url: string;
  secret: string;
  timeoutMs?: number;
  /** Deliveries per POST (default 1: one delivery per POST, no array). */
  batchSize?: number;
}

export const SIGNATURE_HEADER = 'X-Kalenderkoppling-Signature';
/** On a batch POST: how many items the array holds. */
export const BATCH_HEADER = 'X-Kalenderkoppling-Batch';
/** The most of a batch answer read (a result per item is about 60 bytes). */
const MAX_ANSWER_BYTES = 1 << 20;

type Answer = { status: number; retryAfterMs?: number; body: string } | { error: string };

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const idempotencyKey = (d: Delivery) => `${d.extension}:${d.version}`;

/** SPEC 11 for one status: 2xx delivered; 5xx, 408, 429 retried; any other 4xx (or 1xx/3xx) permanent. */
function byStatus(status: number, retryAfter?: number): DeliveryResult {
  if (status >= 200 && status < 300) return { ok: true, status };
  const transient = status >= 500 || status === 408 || status === 429;
  return { ok: false, permanent: !transient, status, error: `the receiver answered ${status}`, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) };
}

/** A batch answer's results by idempotency key; null when the body is not `{"results": [...]}`. */
export function batchResults(body: string): Map<string, { status: number; retryAfterMs?: number }> | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return null;
  }
  const list = (doc as { results?: unknown } | null)?.results;
  if (!Array.isArray(list)) return null;
  const out = new Map<string, { status: number; retryAfterMs?: number }>();
  for (const r of list as { idempotencyKey?: unknown; status?: unknown; retryAfter?: unknown }[]) {
    if (typeof r?.idempotencyKey !== 'string' || !Number.isInteger(r.status)) continue;
    const after = typeof r.retryAfter === 'number' && Number.isFinite(r.retryAfter) && r.retryAfter >= 0 ? r.retryAfter * 1000 : undefined;
    out.set(r.idempotencyKey, { status: r.status as number, ...(after !== undefined ? { retryAfterMs: after } : {}) });
  }
  return out;
}

export class WebhookConnector implements SwitchConnector {
  readonly name = 'webhook';
  readonly timeoutMs: number;
  readonly batchSize: number;
  private readonly target: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;

  constructor(private readonly config: WebhookConfig) {
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.batchSize = config.batchSize ?? 1;
    this.target = new URL(config.url);
    // node:http with keep-alive rather than fetch: in a burst of 50,000 deliveries fetch cost
    // several times more CPU per request (BENCHMARKS.md, bench:burst).
    const https = this.target.protocol === 'https:';
    this.agent = https ? new httpsModule.Agent({ keepAlive: true, maxSockets: 256 }) : new http.Agent({ keepAlive: true, maxSockets: 256 });
    this.request = https ? httpsModule.request : http.request;
  }

  apply(d: Delivery): Promise<DeliveryResult> {
    const body = JSON.stringify({ extension: d.extension, version: d.version, state: d.state, sentAt: d.sentAt });
    return this.post(body, { 'Idempotency-Key': idempotencyKey(d) }, false).then((a) => ('error' in a ? { ok: false, permanent: false, error: a.error } : byStatus(a.status, a.retryAfterMs)));
  }

  /**
   * One POST for many: the body is a JSON array of the single delivery's objects, each with its
   * `idempotencyKey`; the answer, `{"results": [{"idempotencyKey", "status", "retryAfter"?}]}`,
   * says per item what a single POST's status would say. An item the answer leaves out is
   * retried; an answer that is not 2xx counts for every item.
   */
  async applyBatch(ds: Delivery[]): Promise<DeliveryResult[]> {
    const body = JSON.stringify(ds.map((d) => ({ extension: d.extension, version: d.version, state: d.state, sentAt: d.sentAt, idempotencyKey: idempotencyKey(d) })));
    const a = await this.post(body, { [BATCH_HEADER]: String(ds.length) }, true);
    if ('error' in a) return ds.map(() => ({ ok: false, permanent: false, error: a.error }));
    if (a.status < 200 || a.status >= 300) return ds.map(() => byStatus(a.status, a.retryAfterMs));
    const results = batchResults(a.body);
    if (results === null) return ds.map(() => ({ ok: false, permanent: false, status: a.status, error: 'the receiver answered a batch without a readable {"results": [...]}' }));
    return ds.map((d) => {
      const r = results.get(idempotencyKey(d));
      return r === undefined ? { ok: false, permanent: false, error: 'the receiver left this item out of its answer' } : byStatus(r.status, r.retryAfterMs);
    });
  }

  /** One signed POST; the answer's status, Retry-After and (when `read`) body, or why there is none. */
  private post(body: string, headers: Record<string, string>, read: boolean): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      let settled = false;
      const done = (r: Answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = this.request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [SIGNATURE_HEADER]: signBody(this.config.secret, body), ...headers },
        },
        (res) => {
          // The body is drained either way, so the connection can be reused.
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (read && size <= MAX_ANSWER_BYTES) chunks.push(c);
          });
          res.on('error', (e) => done({ error: e.message }));
          res.on('end', () => {
            const header = res.headers['retry-after'];
            const after = retryAfterMs(Array.isArray(header) ? (header[0] ?? null) : (header ?? null));
            done({ status: res.statusCode ?? 0, ...(after !== undefined ? { retryAfterMs: after } : {}), body: size <= MAX_ANSWER_BYTES ? Buffer.concat(chunks).toString('utf8') : '' });
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new TimeoutError(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (e) => {
        const cause = (e as Error & { code?: string }).code;
        done({ error: e instanceof TimeoutError ? e.message : `${e.message}${cause && !e.message.includes(cause) ? ` (${cause})` : ''}` });
      });
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

/** The registry's entry (CONNECTOR=webhook): WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_TIMEOUT_MS, WEBHOOK_BATCH_SIZE. */
export const WEBHOOK = defineConnector({
  env: WEBHOOK_ENV,
  settings: webhookConfig,
  create: ({ url, secret, timeoutMs, batchSize }) => new WebhookConnector({ url, secret, timeoutMs, batchSize }),
});
