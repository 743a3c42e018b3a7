/**
 * End to end over loopback HTTP: startServer with calendar sync configured, the fake Graph
 * validating the notification URL on subscription (as Graph does), a notification posted by the
 * fake reaching the endpoint, and the switch journal receiving the new state. Stopped on close.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGraph, freeLoopbackPort } from '../../helpers/fake-graph';
import { loadConfig } from '../../../src/server/config';
import { type Running, startServer } from '../../../src/server/main';
import { TID } from '../../helpers/server';
import { CLIENT, SECRET } from './harness';

let graph: FakeGraph;
let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  await graph.close();
});

test('startServer runs calendar sync; a Graph notification reaches the switch journal', async () => {
  graph = new FakeGraph({ tenant: TID, clientId: CLIENT, clientSecret: SECRET, validateSubscriptions: true });
  await graph.listen();
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'kk-graph-e2e-'));
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: String(port),
    LOG_LEVEL: 'silent',
    ...graph.endpointEnv(port),
  });
  // A user linked before start: the first round (started by startServer) subscribes and reads.
  const { openStore } = await import('../../../src/server/store/open');
  const pre = await openStore(config.databaseUrl);
  await pre.linkUser({ tid: TID, oid: 'anna' }, { extension: '1021', shared: false }, Date.now());
  await pre.close();

  running = await startServer(config);
  const calendar = running.app.calendar!;
  expect(calendar).not.toBeNull();
  await calendar.idle();
  expect(graph.subscriptions.size).toBe(1);

  const start = new Date(Date.now() - 60_000).toISOString();
  const end = new Date(Date.now() + 3_600_000).toISOString();
  graph.put('anna', { id: 'now1', subject: 'NP/M: Möte', start, end });
  expect(await graph.notify('anna')).toBe(202);
  await calendar.idle();
  await running.app.scheduler!.drained();
  const journal = await running.store.listJournal(10);
  expect(journal.find((j) => j.extension === '1021' && (j.state as { code?: string } | null)?.code === 'M')).toBeDefined();
});
