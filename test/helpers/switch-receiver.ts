/**
 * A switch's webhook receiver on loopback (docs/integration.md): checks the signature, answers
 * after an optional delay, and records every request, so tests can check what the switch got:
 * the newest acknowledged state per extension, versions in order, and whether one extension was
 * ever being delivered twice at the same moment.
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
  close(): Promise<void>;
}

export async function startReceiver(opts: { delayMs?: () => number; status?: (r: Received) => number } = {}): Promise<Receiver> {
  const secret = 'receiver-secret-0123456789';
  const received: Received[] = [];
  const acknowledged = new Map<string, { version: number; code: string | null }>();
  const overlaps: string[] = [];
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
      const body = JSON.parse(raw.toString('utf8')) as { extension: string; version: number; state: { code: string } | null };
      const r: Received = { extension: body.extension, version: body.version, code: body.state?.code ?? null, arrivedAt: Date.now(), status: 0 };
      r.status = opts.status?.(r) ?? 200;
      received.push(r);
      if (inFlight.has(r.extension)) overlaps.push(r.extension);
      inFlight.add(r.extension);
      const answer = () => {
        inFlight.delete(r.extension);
        if (r.status === 200) {
          const prev = acknowledged.get(r.extension);
          if (!prev || prev.version <= r.version) acknowledged.set(r.extension, { version: r.version, code: r.code });
        }
        res.writeHead(r.status).end();
      };
      // A sender that dies mid-request: its delivery is over for the switch too.
      res.on('close', () => inFlight.delete(r.extension));
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
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
