/**
 * The generic HTTPS webhook connector (SPEC 11): POST the delivery as JSON with an HMAC-SHA256
 * signature of the raw body and an idempotency key. 2xx: delivered. 4xx other than 408/429:
 * permanent for that version. 5xx, 408, 429, timeouts and network errors: retry (honouring
 * Retry-After). Contract and an example receiver: docs/integration.md (with issue 4).
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
}

export const SIGNATURE_HEADER = 'X-Kalenderkoppling-Signature';

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

export class WebhookConnector implements SwitchConnector {
  readonly name = 'webhook';
  readonly timeoutMs: number;
  private readonly target: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;

  constructor(private readonly config: WebhookConfig) {
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.target = new URL(config.url);
    // node:http with keep-alive rather than fetch: in a burst of 50,000 deliveries fetch cost
    // several times more CPU per request (BENCHMARKS.md, bench:burst).
    const https = this.target.protocol === 'https:';
    this.agent = https ? new httpsModule.Agent({ keepAlive: true, maxSockets: 256 }) : new http.Agent({ keepAlive: true, maxSockets: 256 });
    this.request = https ? httpsModule.request : http.request;
  }

  apply(d: Delivery): Promise<DeliveryResult> {
    const body = JSON.stringify({ extension: d.extension, version: d.version, state: d.state, sentAt: d.sentAt });
    return new Promise<DeliveryResult>((resolve) => {
      let settled = false;
      const done = (r: DeliveryResult) => {
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
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [SIGNATURE_HEADER]: signBody(this.config.secret, body),
            'Idempotency-Key': `${d.extension}:${d.version}`,
          },
        },
        (res) => {
          // Drain the body so the connection can be reused; its content is not needed.
          res.resume();
          res.on('error', (e) => done({ ok: false, permanent: false, error: e.message }));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return done({ ok: true, status });
            const transient = status >= 500 || status === 408 || status === 429;
            const header = res.headers['retry-after'];
            done({ ok: false, permanent: !transient, status, error: `the receiver answered ${status}`, retryAfterMs: retryAfterMs(Array.isArray(header) ? (header[0] ?? null) : (header ?? null)) });
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new TimeoutError(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (e) => {
        const cause = (e as Error & { code?: string }).code;
        done({ ok: false, permanent: false, error: e instanceof TimeoutError ? e.message : `${e.message}${cause && !e.message.includes(cause) ? ` (${cause})` : ''}` });
      });
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

/** The registry's entry (CONNECTOR=webhook): WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_TIMEOUT_MS. */
export const WEBHOOK = defineConnector({
  env: WEBHOOK_ENV,
  settings: webhookConfig,
  create: ({ url, secret, timeoutMs }) => new WebhookConnector({ url, secret, timeoutMs }),
});
