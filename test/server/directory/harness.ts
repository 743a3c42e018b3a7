/** The directory against the loopback fake Graph: a store in memory, the Service, and sleeps and timers recorded, not waited. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/server/config';
import { createDirectory, type DirectorySync, type GraphDirectory } from '../../../src/server/directory';
import type { Timers } from '../../../src/server/runtime';
import { Service } from '../../../src/server/service';
import { openStore } from '../../../src/server/store/open';
import type { Store, UserRow } from '../../../src/server/store/types';
import { FakeGraph, type FakeUser } from '../../helpers/fake-graph';
import { TID } from '../../helpers/server';

export const CLIENT = '22222222-2222-2222-2222-222222222222';
export const SECRET = 'fake-secret-value';
export const NOW = Date.parse('2026-11-24T10:00:00Z');

/** Timers stepped by hand: `fire()` runs the earliest pending one after moving the clock to it. */
export class FakeTimers implements Timers {
  pending: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  constructor(private readonly clock: { now: number }) {}
  setTimeout = (fn: () => void, ms: number) => {
    const t = { at: this.clock.now + ms, fn, id: ++this.seq };
    this.pending.push(t);
    return t.id;
  };
  clearTimeout = (id: unknown) => {
    this.pending = this.pending.filter((t) => t.id !== id);
  };
  fire(): number {
    this.pending.sort((a, b) => a.at - b.at);
    const t = this.pending.shift();
    if (!t) throw new Error('no timer pending');
    this.clock.now = Math.max(this.clock.now, t.at);
    t.fn();
    return t.at;
  }
}

export interface DirectoryHarness {
  graph: FakeGraph;
  store: Store;
  service: Service;
  lookup: GraphDirectory;
  sync: DirectorySync;
  clock: { now: number };
  timers: FakeTimers;
  sleeps: number[];
  /** Extensions the scheduler was told of, in order. */
  changed: string[];
  logs: { level: string; o: object; m: string }[];
  user: (oid: string) => Promise<UserRow | null>;
  close: () => Promise<void>;
}

export async function directoryHarness(env: Record<string, string> = {}, opts: { pageSize?: number; claimRun?: (store: Store, due: number) => Promise<boolean> } = {}): Promise<DirectoryHarness> {
  const graph = new FakeGraph({ tenant: TID, clientId: CLIENT, clientSecret: SECRET, directoryPageSize: opts.pageSize });
  await graph.listen();
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-dir-')),
    LOG_LEVEL: 'silent',
    GRAPH_TENANT_ID: TID,
    GRAPH_CLIENT_ID: CLIENT,
    GRAPH_CLIENT_SECRET: SECRET,
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_AUTHORITY: graph.authority,
    ...env,
  });
  const store = await openStore(':memory:');
  const clock = { now: NOW };
  const service = new Service(store, () => clock.now, config.orgTimeZone, 0);
  const changed: string[] = [];
  service.onChange = (extensions) => void changed.push(...extensions);
  const sleeps: number[] = [];
  const timers = new FakeTimers(clock);
  const logs: DirectoryHarness['logs'] = [];
  const log = (level: string) => (o: object, m: string) => void logs.push({ level, o, m });
  const created = createDirectory(config, {
    service,
    clock: () => clock.now,
    sleep: async (ms) => void sleeps.push(ms),
    timers,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    claimRun: opts.claimRun ? (due) => opts.claimRun!(store, due) : undefined,
  })!;
  return {
    graph,
    store,
    service,
    lookup: created.lookup as GraphDirectory,
    sync: created.sync,
    clock,
    timers,
    sleeps,
    changed,
    logs,
    user: (oid) => store.getUser({ tid: TID, oid }),
    close: async () => {
      await created.sync.stop();
      await store.close();
      await graph.close();
    },
  };
}

/** A directory user `u<n>` with UPN u<n>@kommun.example and the given fields. */
export function person(n: number | string, extra: Partial<FakeUser> = {}): FakeUser {
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName: `Person ${n}`, userPrincipalName: `u${n}@kommun.example`, mail: `person.${n}@kommun.example`, ...extra };
}
