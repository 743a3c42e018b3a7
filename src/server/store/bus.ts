/**
 * Messages between the endpoint processes on one database (issue 18): a change made through one
 * process reaches the others' schedulers at once, and a calendar notification received by one
 * process reaches the process that reads that user's calendar.
 *
 * - PostgreSQL: `LISTEN`/`NOTIFY` on a channel of this installation's schema (two installations,
 *   or test runs in their own schemas, on one database never hear each other). One dedicated
 *   connection listens and reconnects with backoff when it breaks; messages go out through the
 *   pool (`pg_notify`). A message sent while a process's listener is down is lost for that
 *   process: what it would have caused, polling does later (the scheduler's wake-ups, calendar
 *   polls), so the bus only makes things sooner, never correct.
 * - SQLite: one process (sqlite-lock.ts), so there is no one to tell.
 *
 * Messages carry the sender's name: a process never acts on its own (it hears them too).
 */
import { createHash } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';

export interface BusMessage {
  /** What it is about: 'changed' (extensions to recompute), 'sync' (a user's calendar). */
  topic: string;
  /** The sending process (Scheduler.owner). */
  from: string;
  [field: string]: unknown;
}

export interface Bus {
  /** Sends to the other processes on this database. */
  publish(message: BusMessage): Promise<void>;
  /** Calls `fn` with every message, the process's own too (skip those by `from`); returns the unsubscribe. */
  subscribe(fn: (message: BusMessage) => void): () => void;
  /** Whether messages from the other processes can arrive now. */
  listening(): boolean;
  close(): Promise<void>;
}

/** NOTIFY's payload limit is 8,000 bytes; stay well below it. */
export const BUS_PAYLOAD_MAX = 7_000;

/** The bus of a database with one process (SQLite): nothing to send, nothing arrives. */
export const soloBus: Bus = {
  publish: async () => undefined,
  subscribe: () => () => undefined,
  listening: () => true,
  close: async () => undefined,
};

/** The channel of the installation in `schema`: an identifier under PostgreSQL's 63 characters. */
export function busChannel(schema: string): string {
  return `kk_bus_${createHash('sha256').update(schema).digest('hex').slice(0, 24)}`;
}

export interface PgBusOptions {
  /** How to open the listening connection (the pool's own settings). */
  client: ClientConfig;
  /** Sends one NOTIFY through the pool. */
  notify: (channel: string, payload: string) => Promise<void>;
  /** The schema the tables are in (current_schema() of the pool's sessions). */
  schema: string;
  /** Called on a broken listener and each failed reconnect (a line for the log; no data). */
  onError?: (message: string) => void;
}

export class PgBus implements Bus {
  readonly channel: string;
  private client: Client | null = null;
  private readonly subscribers = new Set<(m: BusMessage) => void>();
  private closed = false;
  private started = false;
  private connected = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: PgBusOptions) {
    this.channel = busChannel(o.schema);
  }

  /** Opens the listening connection (at the first subscriber): at once, then retried with backoff until it listens. */
  private start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect().catch((err: Error) => {
      this.o.onError?.(`bus listener could not connect (${err.message})`);
      this.retry();
    });
  }

  private async connect(): Promise<void> {
    const client = new Client(this.o.client);
    client.on('error', (err) => this.broken(client, err));
    client.on('end', () => this.broken(client, new Error('connection ended')));
    client.on('notification', (n) => {
      if (n.channel !== this.channel || !n.payload) return;
      let m: BusMessage;
      try {
        m = JSON.parse(n.payload) as BusMessage;
      } catch {
        return;
      }
      if (typeof m?.topic !== 'string' || typeof m.from !== 'string') return;
      for (const fn of this.subscribers) fn(m);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.connected = true;
    this.retryMs = 250;
  }

  private broken(client: Client, err: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.connected = false;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.o.onError?.(`bus listener lost (${err.message}); reconnecting`);
    this.retry();
  }

  private retry(): void {
    if (this.closed || this.retryTimer) return;
    const ms = this.retryMs;
    this.retryMs = Math.min(10_000, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((err: Error) => {
        this.o.onError?.(`bus listener reconnect failed (${err.message})`);
        this.retry();
      });
    }, ms);
    this.retryTimer.unref();
  }

  async publish(message: BusMessage): Promise<void> {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > BUS_PAYLOAD_MAX) throw new RangeError(`bus message of ${payload.length} bytes is over ${BUS_PAYLOAD_MAX}`);
    await this.o.notify(this.channel, payload);
  }

  subscribe(fn: (message: BusMessage) => void): () => void {
    this.subscribers.add(fn);
    this.start();
    return () => this.subscribers.delete(fn);
  }

  listening(): boolean {
    return this.connected;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const c = this.client;
    this.client = null;
    this.connected = false;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }
}
