/**
 * A switch's webhook receiver on loopback (docs/integration.md): checks the signature, answers
 * after an optional delay, and records every request, so tests can check what the switch got:
 * the newest acknowledged state per extension, versions in order, and whether one extension was
 * ever being delivered twice at the same moment. A body that is a JSON array is a batch
 * (WEBHOOK_BATCH_SIZE > 1, issue 16): each item gets its own status (`status`), answered as
 * `{"results": [...]}`; `batchStatus` answers the whole POST with another status instead.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  extension: string;
  version: number;
  code: string | null;
  arrivedAt: number;
  status: number;
}

export interface Receiver {
  url: string;
  secret: string;
  received: Received[];
  /** Per extension, the newest version answered 200 and its code. */
  acknowledged: Map<string, { version: number; code: string | null }>;
  /** Extensions that had two requests in flight at once (must stay empty). */
  overlaps: string[];
  /** The number of items of each batch POST, in arrival order (empty without batches). */
  batches: number[];
  close(): Promise<void>;
}

export interface ReceiverOptions {
  delayMs?: () => number;
  /** Per delivery (each item of a batch alike): the status to answer, default 200. */
  status?: (r: Received) => number;
  /** Per batch POST: a status for the whole POST (then no results), or undefined to answer per item. */
  batchStatus?: (items: number) => number | undefined;
}

type Body = { extension: string; version: number; state: { code: string } | null; idempotencyKey?: string };

export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const secret = 'receiver-secret-0123456789';
  const received: Received[] = [];
  const acknowledged = new Map<string, { version: number; code: string | null }>();
  const overlaps: string[] = [];
  const batches: number[] = [];
  const inFlight = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (req.headers['x-kalenderkoppling-signature'] !== `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`) {
        res.writeHead(401).end();
        return;
      }
      const doc = JSON.parse(raw.toString('utf8')) as Body | Body[];
      const batch = Array.isArray(doc);
      const items = batch ? doc : [doc];
      if (batch) batches.push(items.length);
      const whole = batch ? opts.batchStatus?.(items.length) : undefined;
      const rs = items.map((body) => {
        const r: Received = { extension: body.extension, version: body.version, code: body.state?.code ?? null, arrivedAt: Date.now(), status: 0 };
        r.status = whole ?? opts.status?.(r) ?? 200;
        received.push(r);
        if (inFlight.has(r.extension)) overlaps.push(r.extension);
        inFlight.add(r.extension);
        return r;
      });
      const answer = () => {
        for (const r of rs) {
          inFlight.delete(r.extension);
          if (r.status === 200) {
            const prev = acknowledged.get(r.extension);
            if (!prev || prev.version <= r.version) acknowledged.set(r.extension, { version: r.version, code: r.code });
          }
        }
        if (!batch) res.writeHead(rs[0]!.status).end();
        else if (whole !== undefined) res.writeHead(whole).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: rs.map((r, i) => ({ idempotencyKey: items[i]!.idempotencyKey, status: r.status })) }));
      };
      // A sender that dies mid-request: its delivery is over for the switch too.
      res.on('close', () => {
        for (const r of rs) inFlight.delete(r.extension);
      });
      const delay = opts.delayMs?.() ?? 0;
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/switch`,
    secret,
    received,
    acknowledged,
    overlaps,
    batches,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
