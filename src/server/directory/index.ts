/**
 * The organisation's directory (Microsoft Entra ID through Graph, issue 13), built from the
 * configuration: the lookup the CSV import uses, and the directory sync (linking from an
 * attribute). Both exist whenever Graph is configured; the sync is `enabled` only with
 * DIRECTORY_EXTENSION_ATTRIBUTE. The app wires them; nothing here registers routes.
 */
import { type Fetch, GraphClient, type Sleep } from '../calendar/graph-client';
import type { Config } from '../config';
import type { Log, Timers } from '../runtime';
import type { Service } from '../service';
import { GraphDirectory } from './graph-directory';
import { DirectorySync } from './sync';
import type { DirectoryLookup } from './types';

export type { DirectoryConfig, DirectoryAttribute } from './config';
export { GraphDirectory } from './graph-directory';
export { DirectorySync, type DirectoryStatus, type DirectorySyncResult, nextDailyRun, runDirectorySync } from './sync';
export type { DirectoryLookup, DirectoryUser } from './types';

export interface DirectoryDeps {
  service: Service;
  clock: () => number;
  /** Calendar sync's client, so both share one token and one cap on requests; else one is made. */
  client?: GraphClient;
  fetch?: Fetch;
  sleep?: Sleep;
  timers?: Timers;
  log?: Log;
  /** See DirectorySyncOptions.claimRun (issue 18). */
  claimRun?: (due: number) => Promise<boolean>;
}

/** null when Graph is not configured. */
export function createDirectory(config: Pick<Config, 'graph' | 'directory' | 'orgTimeZone'>, deps: DirectoryDeps): { lookup: DirectoryLookup; sync: DirectorySync } | null {
  const graph = config.graph;
  if (!graph) return null;
  const client = deps.client ?? new GraphClient({ config: graph, fetch: deps.fetch, sleep: deps.sleep, clock: deps.clock });
  const lookup = new GraphDirectory({ client, baseUrl: graph.baseUrl, sleep: deps.sleep });
  const sync = new DirectorySync({
    config: config.directory,
    tenantId: graph.tenantId,
    orgTimeZone: config.orgTimeZone,
    directory: lookup,
    service: deps.service,
    clock: deps.clock,
    timers: deps.timers,
    log: deps.log,
    claimRun: deps.claimRun,
  });
  return { lookup, sync };
}
