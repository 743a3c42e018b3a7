/**
 * The Kamailio connector (SPEC 11, issue 15): each desired state becomes one entry of an htable
 * that Kamailio's routing config reads on every call, set and deleted through Kamailio's
 * JSON-RPC (modules xhttp + jsonrpcs). The layout is fixed with deploy/kamailio/:
 * key = the extension, value = `kk1|<version>|<mode>|<reason>|<return>|<language>|<number>`,
 * no entry = no diversion. Level-triggered: `htable.sets` of the same value again changes
 * nothing, and the outbox only ever hands over the newest version. `readBack` (htable.dump)
 * lets the scheduler's reconciliation (scheduler/reconcile.ts) put back what a restarted
 * Kamailio lost. Contract: docs/integration.md.
 */
import { type Delivery, type DeliveryResult, defineConnector, type SwitchConnector, type SwitchState } from '../types';
import { KAMAILIO_ENV, kamailioConfig } from './config';

export { KAMAILIO_ENV, kamailioConfig, type KamailioSettings } from './config';

/** Marks values put there by Kalenderkoppling (format 1); others are never changed or removed. */
export const VALUE_MARKER = 'kk1';

export interface KamailioConfig {
  url: string;
  table?: string;
  timeoutMs?: number;
}

/** A state that can never be written (a number with a `|` in it): permanent for that version. */
export class UnencodableState extends Error {
  override readonly name = 'UnencodableState';
}

/** The htable value for a non-null state (issue 15 contract; the fields are SPEC 11's). */
export function encodeValue(version: number, s: SwitchState): string {
  const ret = s.returnTime ?? s.returnDate ?? (s.returnAt === null ? 'none' : '');
  const number = s.forwarding === 'number' ? (s.number ?? '') : '';
  if (s.forwarding === 'number' && !/^\+?[0-9]+$/.test(number)) throw new UnencodableState('the forwarding number is not digits with an optional leading +');
  const fields = [VALUE_MARKER, String(version), s.forwarding, s.reasonCode === null ? '' : String(s.reasonCode), ret, s.language, number];
  if (fields.some((f) => f.includes('|'))) throw new UnencodableState('a field contains "|"');
  return fields.join('|');
}

/** The version in a value of ours (`kk1|<version>|…`), or null for a value we did not write. */
export function ourVersion(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const parts = value.split('|');
  if (parts.length < 7 || parts[0] !== VALUE_MARKER || !/^[0-9]{1,15}$/.test(parts[1]!)) return null;
  return Number(parts[1]);
}

/**
 * The (name, value) pairs of an htable.dump result. Kamailio 5.x answers
 * `[{ entry, size, slot: [{ name, value, type }] }]`; older versions put the items in an object
 * (`slot: { item: {…} }`), and a flat list `[{ name, value }]` is accepted too.
 */
export function dumpItems(result: unknown): { name: string; value: unknown }[] {
  const out: { name: string; value: unknown }[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 4 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, depth + 1));
    const o = node as Record<string, unknown>;
    if (typeof o.name === 'string' && 'value' in o) return void out.push({ name: o.name, value: o.value });
    if ('slot' in o) return visit(o.slot, depth + 1);
    if ('item' in o) return visit(o.item, depth + 1);
  };
  visit(result, 0);
  return out;
}

interface RpcError {
  code?: number;
  message?: string;
}

type RpcOutcome = { ok: true; result: unknown } | { ok: false; transport: boolean; status?: number; error: string; rpc?: RpcError };

/** JSON-RPC 2.0 codes that mean the request itself is wrong: sending it again cannot help. */
const PERMANENT_CODES = new Set([-32600, -32602]);

export class KamailioConnector implements SwitchConnector {
  readonly name = 'kamailio';
  readonly timeoutMs: number;
  readonly table: string;
  private nextId = 1;
  /** The last RPC failed to reach Kamailio: the next one that does is a reconnect. */
  private unreachable = false;
  private readonly reconnectListeners: (() => void)[] = [];

  constructor(private readonly config: KamailioConfig) {
    this.timeoutMs = config.timeoutMs ?? 5_000;
    this.table = config.table ?? 'kkdiv';
  }

  /** One JSON-RPC call over HTTP POST (fetch keeps the connection alive between calls). */
  private async call(method: string, params: unknown[], timeoutMs = this.timeoutMs): Promise<RpcOutcome> {
    const outcome = await this.send(method, params, timeoutMs);
    if (!outcome.ok && outcome.transport) {
      this.unreachable = true;
    } else if (this.unreachable) {
      this.unreachable = false;
      for (const l of this.reconnectListeners) {
        try {
          l();
        } catch {
          // A listener's failure is its own business.
        }
      }
    }
    return outcome;
  }

  private async send(method: string, params: unknown[], timeoutMs: number): Promise<RpcOutcome> {
    const id = this.nextId++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method, params, id }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
      const cause = err.cause?.code ?? err.cause?.message;
      return { ok: false, transport: true, error: timedOut ? `no answer from Kamailio within ${timeoutMs} ms` : `Kamailio unreachable: ${err.message}${cause ? ` (${cause})` : ''}` };
    }
    let body: { result?: unknown; error?: RpcError } | null = null;
    try {
      body = text.trim() === '' ? {} : (JSON.parse(text) as typeof body);
    } catch {
      body = null;
    }
    // jsonrpcs answers a fault with the fault's code as the HTTP status (500 mostly) and the
    // JSON-RPC error in the body: Kamailio was reached and said no.
    if (body && typeof body === 'object' && body.error && typeof body.error === 'object') {
      const rpc = body.error;
      return { ok: false, transport: false, status: res.status, rpc, error: `${method}: ${rpc.message ?? 'error'}${rpc.code !== undefined ? ` (${rpc.code})` : ''}` };
    }
    if (res.status < 200 || res.status >= 300) return { ok: false, transport: true, status: res.status, error: `Kamailio's RPC answered HTTP ${res.status}` };
    if (body === null) return { ok: false, transport: true, status: res.status, error: "Kamailio's RPC answer is not JSON" };
    return { ok: true, result: body && typeof body === 'object' ? body.result : undefined };
  }

  async apply(d: Delivery): Promise<DeliveryResult> {
    let outcome: RpcOutcome;
    if (d.state === null) {
      outcome = await this.call('htable.delete', [this.table, d.extension]);
      // No entry is what a null state wants (newer Kamailio versions may say so as an error).
      if (!outcome.ok && outcome.rpc && isNotFound(outcome.rpc)) return { ok: true, status: outcome.status };
    } else {
      let value: string;
      try {
        value = encodeValue(d.version, d.state);
      } catch (e) {
        return { ok: false, permanent: true, error: (e as Error).message };
      }
      outcome = await this.call('htable.sets', [this.table, d.extension, value]);
    }
    if (outcome.ok) return { ok: true, status: 200 };
    const permanent = outcome.rpc?.code !== undefined && PERMANENT_CODES.has(outcome.rpc.code);
    return { ok: false, permanent, error: outcome.error, ...(outcome.status !== undefined ? { status: outcome.status } : {}) };
  }

  /** What the table holds now: extension → version, for values of ours only (`kk1|…`). */
  async readBack(): Promise<Map<string, number>> {
    // A full table is one answer of some megabytes: more time than one set.
    const outcome = await this.call('htable.dump', [this.table], Math.max(this.timeoutMs, 30_000));
    if (!outcome.ok) throw new Error(`reading back the table failed: ${outcome.error}`);
    const held = new Map<string, number>();
    for (const { name, value } of dumpItems(outcome.result)) {
      const version = ourVersion(value);
      if (version !== null) held.set(name, version);
    }
    return held;
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }
}

function isNotFound(e: RpcError): boolean {
  const m = e.message ?? '';
  return e.code === 404 || (!/no such htable/i.test(m) && /not found|n[o']t exist/i.test(m));
}

/** The registry's entry (CONNECTOR=kamailio): KAMAILIO_RPC_URL, KAMAILIO_TIMEOUT_MS, KAMAILIO_TABLE. */
export const KAMAILIO = defineConnector({
  env: KAMAILIO_ENV,
  settings: kamailioConfig,
  create: ({ url, table, timeoutMs }) => new KamailioConnector({ url, table, timeoutMs }),
});
