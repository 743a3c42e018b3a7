/** Builds the endpoint in-process for tests: SQLite in memory, a fake clock, a fake token verifier. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app';
import { AuthError, type Principal, type TokenVerifier } from '../../src/server/auth/types';
import { type Config, loadConfig } from '../../src/server/config';
import { JournalConnector } from '../../src/server/connectors/journal';
import type { DirectoryLookup } from '../../src/server/directory/types';
import { openStore } from '../../src/server/store/open';
import type { Store } from '../../src/server/store/types';

export const TID = '11111111-1111-1111-1111-111111111111';

/** Tokens are "user.<oid>" or "admin.<oid>"; anything else is refused like a bad signature. */
export class FakeVerifier implements TokenVerifier {
  async verify(token: string): Promise<Principal> {
    const m = /^(user|admin)\.([\w-]+)$/.exec(token);
    if (!m) throw new AuthError(401, 'The token could not be verified.');
    const isAdmin = m[1] === 'admin';
    return { tid: TID, oid: m[2]!, name: `Name ${m[2]}`, upn: `${m[2]}@kommun.example`, mail: null, roles: isAdmin ? ['Admin'] : [], isAdmin };
  }
}

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  config: Config;
  clock: { now: number };
  /** inject with a bearer token */
  as: (token: string) => {
    get: (url: string) => Promise<Res>;
    del: (url: string) => Promise<Res>;
    put: (url: string, body: unknown) => Promise<Res>;
    post: (url: string, body?: unknown) => Promise<Res>;
  };
  close: () => Promise<void>;
}

export interface Res {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** In-process requests to `app` with a bearer token and an optional JSON body. */
export function injector(app: FastifyInstance) {
  return (token: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    }) as unknown as Promise<Res>;
}

export async function testServer(env: Record<string, string> = {}, now = Date.parse('2026-11-24T10:00:00Z'), opts: { journal?: boolean; directory?: DirectoryLookup } = {}): Promise<TestServer> {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-srv-')), LOG_LEVEL: 'silent', ...env });
  const store = await openStore(':memory:');
  const clock = { now };
  const connector = opts.journal ? new JournalConnector(store, () => clock.now) : undefined;
  const app = await buildApp({ config, store, verifier: new FakeVerifier(), clock: () => clock.now, logger: false, connector, directory: opts.directory });
  await app.ready();
  await app.scheduler?.start();
  const call = injector(app);
  return {
    app,
    store,
    config,
    clock,
    as: (token) => ({
      get: (url) => call(token, 'GET', url),
      del: (url) => call(token, 'DELETE', url),
      put: (url, body) => call(token, 'PUT', url, body),
      post: (url, body) => call(token, 'POST', url, body ?? {}),
    }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** Links a user to an extension through the admin API. */
export async function link(s: TestServer, oid: string, extension: string, shared = false): Promise<void> {
  const r = await s.as('admin.boss').put(`/api/v1/admin/users/${oid}`, { extension, shared });
  if (r.statusCode !== 200) throw new Error(`link failed: ${r.statusCode} ${r.body}`);
}
