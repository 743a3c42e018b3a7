/** The endpoint in-process with calendar sync pointed at the loopback fake Graph; sleeps are recorded, not slept. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app';
import type { CalendarSync } from '../../../src/server/calendar/sync';
import { FakeGraph, type FakeGraphOptions } from '../../helpers/fake-graph';
import { loadConfig } from '../../../src/server/config';
import { JournalConnector } from '../../../src/server/connectors/journal';
import { Service } from '../../../src/server/service';
import { openStore } from '../../../src/server/store/open';
import type { Store, UserRow } from '../../../src/server/store/types';
import { FakeVerifier, injector, type Res, TID } from '../../helpers/server';

export const CLIENT = '22222222-2222-2222-2222-222222222222';
export const SECRET = 'fake-secret-value';
export const NOW = Date.parse('2026-11-24T10:00:00Z');

export interface Harness {
  app: FastifyInstance;
  store: Store;
  graph: FakeGraph;
  sync: CalendarSync;
  clock: { now: number };
  sleeps: number[];
  as: (token: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown) => Promise<Res>;
  user: (oid: string) => Promise<UserRow>;
  /** The desired switch state of an extension at `at` (null: no diversion). */
  stateAt: (extension: string, at: number) => Promise<{ key: string; from: number; to: number | null } | null>;
  close: () => Promise<void>;
}

export async function harness(env: Record<string, string> = {}, opts: { pageSize?: number; fakePageSize?: number; assertion?: FakeGraphOptions['assertion'] } = {}): Promise<Harness> {
  const graph = new FakeGraph({ tenant: TID, clientId: CLIENT, clientSecret: opts.assertion ? undefined : SECRET, assertion: opts.assertion, pageSize: opts.fakePageSize });
  await graph.listen();
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-graph-')),
    LOG_LEVEL: 'silent',
    GRAPH_TENANT_ID: TID,
    GRAPH_CLIENT_ID: CLIENT,
    ...(opts.assertion ? {} : { GRAPH_CLIENT_SECRET: SECRET }),
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_AUTHORITY: graph.authority,
    ...env,
  });
  const store = await openStore(':memory:');
  const clock = { now: NOW };
  const sleeps: number[] = [];
  const app = await buildApp({
    config,
    store,
    verifier: new FakeVerifier(),
    clock: () => clock.now,
    logger: false,
    connector: new JournalConnector(store, () => clock.now),
    graph: { sleep: async (ms) => void sleeps.push(ms), coalesceMs: 0, pageSize: opts.pageSize },
  });
  await app.ready();
  // A second Service without caches reads what the app stored.
  const reader = new Service(store, () => clock.now, 'Europe/Stockholm', 0);
  const as = injector(app);
  return {
    app,
    store,
    graph,
    sync: app.calendar as CalendarSync,
    clock,
    sleeps,
    as,
    user: async (oid) => (await store.getUser({ tid: TID, oid }))!,
    stateAt: async (extension, at) => {
      const s = await reader.extensionState(extension, at);
      return s.state ? { key: s.state.key, from: s.state.since, to: s.state.returnAt } : null;
    },
    close: async () => {
      await app.close();
      await store.close();
      await graph.close();
    },
  };
}

export async function linkUser(h: Harness, oid: string, extension: string): Promise<void> {
  const r = await h.as('admin.boss', 'PUT', `/api/v1/admin/users/${oid}`, { extension });
  if (r.statusCode !== 200) throw new Error(`link failed: ${r.statusCode} ${r.body}`);
}

export const at = (hhmm: string, day = '2026-11-24') => Date.parse(`${day}T${hhmm}:00Z`);
export const iso = (hhmm: string, day = '2026-11-24') => `${day}T${hhmm}:00.000Z`;
