/**
 * The generic HTTPS webhook connector (SPEC 11): POST the delivery as JSON with an HMAC-SHA256
 * signature of the raw body and an idempotency key. 2xx: delivered. 4xx other than 408/429:
 * permanent for that version. 5xx, 408, 429, timeouts and network errors: retry (honouring
 * Retry-After). Contract and an example receiver: docs/integration.md (with issue 4).
 */
import { createHmac } from 'node:crypto';
import type { Delivery, DeliveryResult, SwitchConnector } from '../types';

export interface WebhookConfig {
  url: string;
  secret: string;
  timeoutMs?: number;
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
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

export class WebhookConnector implements SwitchConnector {
  readonly name = 'webhook';
  private readonly fetch: typeof fetch;

  readonly timeoutMs: number;

  constructor(private readonly config: WebhookConfig) {
    this.fetch = config.fetch ?? fetch;
    this.timeoutMs = config.timeoutMs ?? 10_000;
  }

  async apply(d: Delivery): Promise<DeliveryResult> {
    const body = JSON.stringify({ extension: d.extension, version: d.version, state: d.state, sentAt: d.sentAt });
    let res: Response;
    try {
      res = await this.fetch(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signBody(this.config.secret, body),
          'Idempotency-Key': `${d.extension}:${d.version}`,
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const err = e as Error;
      const what = err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `${err.message}${(err.cause as Error | undefined)?.message ? `: ${(err.cause as Error).message}` : ''}`;
      return { ok: false, permanent: false, error: what };
    }
    // Drain the body so the connection can be reused; its content is not needed.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const transient = res.status >= 500 || res.status === 408 || res.status === 429;
    return {
      ok: false,
      permanent: !transient,
      status: res.status,
      error: `the receiver answered ${res.status}`,
      retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    };
  }
}
