/**
 * Starting and stopping the endpoint process: config, storage, sign-in, the app, retention,
 * and a graceful shutdown on SIGTERM/SIGINT (stop taking requests, finish in-flight ones,
 * close the database).
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { devSignInOffered } from './http/routes/addin';
import { buildApp } from './app';
import { cachingVerifier, createDevVerifier, createEntraVerifier, loadOrCreateDevKey } from './auth';
import type { TokenVerifier } from './auth/types';
import { type Config, redactUrl } from './config';
import { makeConnector } from './connectors';
import { Service } from './service';
import { openStore, sqliteFilePath } from './store/open';
import { checkDataFolders } from './store/private-files';
import { holdSqliteLock } from './store/sqlite-lock';
import type { Store } from './store/types';

const HOUR_MS = 3_600_000;

export async function makeVerifier(config: Config): Promise<TokenVerifier> {
  if (config.auth.mode === 'dev') {
    const key = await loadOrCreateDevKey(config.dataDir);
    return cachingVerifier(createDevVerifier(key, { scope: config.auth.scope }));
  }
  const a = config.auth;
  return cachingVerifier(createEntraVerifier({ authority: a.authority, tenants: a.tenants, audiences: a.audiences, scope: a.scope, v1IssuerBase: a.v1IssuerBase }));
}

export interface Running {
  app: FastifyInstance;
  store: Store;
  url: string;
  stop: () => Promise<void>;
}

/** Thrown by startServer when its `signal` fired during start-up; everything it opened is closed. */
export class StartAborted extends Error {
  override readonly name = 'StartAborted';
  constructor() {
    super('start-up stopped by a signal');
  }
}

export async function startServer(config: Config, options: { signal?: AbortSignal } = {}): Promise<Running> {
  const aborted = () => options.signal?.aborted === true;
  // What start-up has opened so far, closed in reverse order when it fails or is stopped.
  const opened: (() => Promise<void> | void)[] = [];
  const unwind = async () => {
    for (const close of opened.reverse()) await close();
  };
  const step = async <T>(what: () => Promise<T> | T, close?: (value: T) => Promise<void> | void): Promise<T> => {
    if (aborted()) throw new StartAborted();
    const value = await what();
    if (close) opened.push(() => close(value));
    return value;
  };
  try {
    // One endpoint per SQLite file; on PostgreSQL several share the work (delivery claims).
    const file = sqliteFilePath(config.databaseUrl);
    const lock = file === null ? null : await step(() => holdSqliteLock(file), (l) => l.release());
    const store = await step(() => openStore(config.databaseUrl), (s) => s.close());
    // Data folder and files open to other users: a warning per path on stderr, then carry on (issue 10).
    await step(() => checkDataFolders(config.dataDir, file, (m) => void process.stderr.write(`${m}\n`)));
    const verifier = await step(() => makeVerifier(config));
    const app = await step(
      () => buildApp({ config, store, verifier, connector: makeConnector(config, { store, clock: Date.now }) }),
      (a) => a.close(),
    );
    const retention = new Service(store, Date.now, config.orgTimeZone);
    const purge = async () => {
      try {
        const n = await retention.purge(config.retentionDays);
        app.log.info({ purged: n, retentionDays: config.retentionDays }, 'retention purge');
      } catch (err) {
        app.log.error({ err: { message: (err as Error).message } }, 'retention purge failed');
      }
    };
    const timer = await step(
      () => {
        const t = setInterval(purge, HOUR_MS);
        t.unref();
        return t;
      },
      (t) => clearInterval(t),
    );
    await step(purge);
    const address = await step(() => app.listen({ port: config.port, host: config.host }));
    // Whatever happened while the endpoint was down, the switch gets the state that holds now.
    await step(async () => app.scheduler?.start());
    if (aborted()) throw new StartAborted();
    // Which users' calendars this process reads (issue 18: shared with the other processes on
    // PostgreSQL); its first heartbeat is awaited so the first round reads what it took.
    await step(async () => app.leases?.start());
    // Calendar sync's first round runs in the background; polling and notifications follow.
    app.calendar?.start();
    app.google?.start();
    // Mails marked due before a restart (NOTIFY_MAIL=on), in the background like the first round.
    // With several processes, each sends those of the users whose calendar it reads (issue 18), so no mail goes twice.
    void app.mailer?.sweep((u) => app.leases?.holds('graph', u) ?? true);
    // The daily directory run (DIRECTORY_SYNC_AT), when linking from the directory is configured.
    app.directorySync?.start();
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await app.close();
      await store.close();
      lock?.release();
    };
    return { app, store, url: address, stop };
  } catch (e) {
    await unwind();
    throw e;
  }
}

/**
 * `kalenderkoppling serve`: runs until SIGTERM/SIGINT, then shuts down gracefully.
 *
 * The signal handlers are installed before anything is opened (issue 19): a supervisor may send
 * SIGTERM the moment it reads "listening", or while start-up is still under way. A signal during
 * start-up stops it at the next step and closes what it opened (lock, database, app), then the
 * process exits 0; one after start-up stops the running endpoint.
 */
export async function serve(config: Config, out: (s: string) => void): Promise<void> {
  const abort = new AbortController();
  let startup: Promise<Running> | undefined;
  const grace = closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    abort.abort();
    const running = await startup?.catch(() => undefined);
    if (!running) return; // stopped during start-up: startServer closed what it had opened
    if (err) running.app.log.error({ err: { message: err.message } }, 'shutting down after an error');
    else running.app.log.info({ signal }, 'shutting down');
    await running.stop();
  });
  out(`Kalenderkoppling endpoint starting (process ${process.pid}, database: ${redactUrl(config.databaseUrl)})\n`);
  let running: Running;
  try {
    startup = startServer(config, { signal: abort.signal });
    running = await startup;
  } catch (e) {
    // A signal's stop: the grace handler ends the process with status 0.
    if (e instanceof StartAborted) return;
    grace.uninstall();
    throw e;
  }
  out(`Kalenderkoppling endpoint listening on ${running.url}\n`);
  out(`  database: ${redactUrl(config.databaseUrl)}\n`);
  out(`  switch:   ${config.connector.name === 'journal' ? 'journal (no switch configured: GET /api/v1/admin/switch shows what it would get)' : `${config.connector.name} ${config.connector.url}`}\n`);
  out(`  sign-in:  ${config.auth.mode === 'dev' ? 'development tokens (kalenderkoppling token --user <id> --extension <n>)' : 'Microsoft Entra ID'}\n`);
  out(`  open:     ${running.url}/docs (API), ${running.url}/healthz\n`);
  if (devSignInOffered(config)) out(`  add-in:   ${running.url}/addin/harness.html (browser harness of the task pane)\n`);
}
