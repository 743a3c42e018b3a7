/**
 * A load balancer on 127.0.0.1 for tests with several endpoint processes (issue 18): each HTTP
 * request goes to the next backend in turn; a backend that refuses the connection (a killed
 * process) is skipped for that request, as a balancer's health check would soon do. 502 when
 * none answers. `hits` counts the requests each backend was given.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  /** The backends' base URLs (http://127.0.0.1:port), changeable while it runs. */
  backends: string[];
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startBalancer(backends: string[] = []): Promise<Balancer> {
  let next = 0;
  const hits = new Map<string, number>();
  const b: Balancer = { url: '', backends, hits, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const order = b.backends.map((_, i) => b.backends[(next + i) % b.backends.length]!);
      next = (next + 1) % Math.max(1, b.backends.length);
      const attempt = (i: number): void => {
        const target = order[i];
        if (!target) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end('no backend answered');
          return;
        }
        const u = new URL(req.url ?? '/', target);
        const out = request(u, { method: req.method, headers: { ...req.headers, host: u.host } }, (up) => {
          hits.set(target, (hits.get(target) ?? 0) + 1);
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        out.on('error', () => attempt(i + 1));
        out.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  b.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  b.close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return b;
}
