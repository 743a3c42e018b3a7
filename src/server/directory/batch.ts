/**
 * Graph JSON batching for directory reads: GET requests sent 20 to a `POST /$batch` through the
 * calendar's GraphClient (its token, its Retry-After handling of the batch itself, its limits),
 * and the sub-requests Graph throttled inside a batch (429/503/504) sent again after their
 * Retry-After. Also the OData quoting the directory's URLs need. GET only: nothing here writes.
 */
import { GraphError, type GraphClient, retryAfterMs, type Sleep } from '../calendar/graph-client';

/** Graph takes at most 20 requests in one batch. */
export const BATCH_SIZE = 20;
const RETRY_STATUSES = new Set([429, 503, 504]);
const MAX_ATTEMPTS = 6;
/** The GraphClient limits directory requests together under this key, as it does a mailbox's. */
export const DIRECTORY_KEY = 'directory';

export interface SubResponse {
  status: number;
  body: unknown;
}

interface BatchAnswer {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

/** An OData string literal: in single quotes, a quote inside doubled (`o'brien` → `'o''brien'`). */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The path of one user by object id or UPN. A UPN starting with `$` must be given as
 * `/users('$…')` (Graph reads `/users/$…` as a system segment).
 */
export function userPath(login: string): string {
  return login.startsWith('$') ? `/users(${encodeURIComponent(odataString(login))})` : `/users/${encodeURIComponent(login)}`;
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | null {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name && v !== undefined && v !== null) return String(v);
  return null;
}

function codeOf(body: unknown): string | null {
  const e = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof e?.code === 'string' ? e.code : null;
}

/**
 * Sends every `url` (relative to the Graph base, e.g. `/users/x?$select=id`) as GET in batches of
 * 20, all batches at once (the client keeps at most 4 in flight, and within GRAPH_MAX_CONCURRENCY).
 * Answers in the order asked. Throws GraphError when a batch fails or a sub-request stays throttled.
 */
export async function batchGet(client: GraphClient, baseUrl: string, urls: readonly string[], sleep: Sleep): Promise<SubResponse[]> {
  const out: SubResponse[] = new Array(urls.length);
  const chunks: number[][] = [];
  for (let i = 0; i < urls.length; i += BATCH_SIZE) chunks.push(Array.from({ length: Math.min(BATCH_SIZE, urls.length - i) }, (_, j) => i + j));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending = chunk;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const res = await client.request(DIRECTORY_KEY, 'POST', `${baseUrl}/$batch`, {
          body: { requests: pending.map((i) => ({ id: String(i), method: 'GET', url: urls[i] })) },
        });
        const answers = ((res.body as { responses?: unknown } | null)?.responses ?? []) as BatchAnswer[];
        const byId = new Map(answers.map((a) => [String(a.id), a]));
        const again: number[] = [];
        let waitMs = 0;
        for (const i of pending) {
          const a = byId.get(String(i));
          const status = typeof a?.status === 'number' ? a.status : 0;
          if (RETRY_STATUSES.has(status) || status === 0) {
            if (attempt >= MAX_ATTEMPTS) throw new GraphError(status, codeOf(a?.body), `Graph batch GET failed: HTTP ${status}`);
            again.push(i);
            waitMs = Math.max(waitMs, retryAfterMs(headerOf(a?.headers, 'retry-after'), attempt));
          } else out[i] = { status, body: a?.body ?? null };
        }
        if (again.length > 0) await sleep(waitMs);
        pending = again;
      }
    }),
  );
  return out;
}

/**
 * Every item of a collection (`url` absolute), following `@odata.nextLink`. A next link to another
 * origin than Graph's is refused: the bearer token goes only to Graph.
 */
export async function getAll(client: GraphClient, url: string, headers: Record<string, string> = {}): Promise<unknown[]> {
  const origin = new URL(url).origin;
  const items: unknown[] = [];
  for (let next: string | null = url; next; ) {
    if (new URL(next).origin !== origin) throw new GraphError(0, 'nextLinkElsewhere', 'Graph gave a next link to another host');
    const res = await client.request(DIRECTORY_KEY, 'GET', next, { headers });
    const body = res.body as { value?: unknown; '@odata.nextLink'?: unknown } | null;
    if (Array.isArray(body?.value)) items.push(...body.value);
    next = typeof body?.['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : null;
  }
  return items;
}
