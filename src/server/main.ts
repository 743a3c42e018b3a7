/**
 * Starting and stopping the endpoint process: config, storage, sign-in, the app, retention,
 * and a graceful shutdown on SIGTERM/SIGINT (stop taking requests, finish in-flight ones,
 * close the database).
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { devSignInOffered } from './addin';
import { buildApp } from './app';
import { cachingVerifier, createDevVerifier, createEntraVerifier, loadOrCreateDevKey } from './auth';
import type { TokenVerifier } from './auth/types';
import { type Config, redactUrl } from './config';
import { makeConnector } from './connectors';
import { Service } from './service';
import { openStore, sqliteFilePath } from './store/open';
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

export async function startServer(config: Config): Promise<Running> {
  // One endpoint per SQLite file; on PostgreSQL several share the work (delivery claims).
  const file = sqliteFilePath(config.databaseUrl);
  const lock = file === null ? null : holdSqliteLock(file);
  let store: Store;
  let app: FastifyInstance;
  try {
    store = await openStore(config.databaseUrl);
  } catch (e) {
    lock?.release();
    throw e;
  }
  try {
    app = await buildApp({ config, store, verifier: await makeVerifier(config), connector: makeConnector(config, { store, clock: Date.now }) });
  } catch (e) {
    await store.close();
    lock?.release();
    throw e;
  }
  const retention = new Service(store, Date.now, config.orgTimeZone);
  const purge = async () => {
    try {
      const n = await retention.purge(config.retentionDays);
      app.log.info({ purged: n, retentionDays: config.retentionDays }, 'retention purge');
    } catch (err) {
      app.log.error({ err: { message: (err as Error).message } }, 'retention purge failed');
    }
  };
  const timer = setInterval(purge, HOUR_MS);
  timer.unref();
  await purge();

  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
    // Whatever happened while the endpoint was down, the switch gets the state that holds now.
    await app.scheduler?.start();
  } catch (e) {
    clearInterval(timer);
    await app.close();
    await store.close();
    lock?.release();
    throw e;
  }
  // Calendar sync's first round runs in the background; polling and notifications follow.
  app.calendar?.start();
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
}

/** `kalenderkoppling serve`: runs until SIGTERM/SIGINT, then shuts down gracefully. */
export async function serve(config: Config, out: (s: string) => void): Promise<void> {
  const running = await startServer(config);
  out(`Kalenderkoppling endpoint listening on ${running.url}\n`);
  out(`  database: ${redactUrl(config.databaseUrl)}\n`);
  out(`  switch:   ${config.connector.name === 'journal' ? 'journal (no switch configured: GET /api/v1/admin/switch shows what it would get)' : `webhook ${config.connector.url}`}\n`);
  out(`  sign-in:  ${config.auth.mode === 'dev' ? 'development tokens (kalenderkoppling token --user <id> --extension <n>)' : 'Microsoft Entra ID'}\n`);
  out(`  open:     ${running.url}/docs (API), ${running.url}/healthz\n`);
  if (devSignInOffered(config)) out(`  add-in:   ${running.url}/addin/harness.html (browser harness of the task pane)\n`);
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) running.app.log.error({ err: { message: err.message } }, 'shutting down after an error');
    else running.app.log.info({ signal }, 'shutting down');
    await running.stop();
  });
}
