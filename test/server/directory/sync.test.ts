/** Linking users to extensions from a directory attribute (DIRECTORY_EXTENSION_ATTRIBUTE), against the fake Graph. */
import { claimDailyRun } from '../../../src/server/calendar/leases';
import { TID } from '../../helpers/server';
import { type DirectoryHarness, directoryHarness, person } from './harness';

let h: DirectoryHarness;
afterEach(async () => h?.close());

const env = (attribute: string, more: Record<string, string> = {}) => ({ DIRECTORY_EXTENSION_ATTRIBUTE: attribute, ...more });

test('from businessPhones with the last 4 digits: a dry run shows the links and writes nothing', async () => {
  h = await directoryHarness(env('businessPhones', { DIRECTORY_EXTENSION_DIGITS: '4' }));
  h.graph.addUser(person(1, { businessPhones: ['+46 8 508 01021'] }));
  h.graph.addUser(person(2, { businessPhones: ['08-508 010 22', '+46 70 123 45 67'] }));
  h.graph.addUser(person(3, { businessPhones: [] }));
  h.graph.addUser(person(4, { businessPhones: ['ring växeln'] }));
  h.graph.addUser(person(5, { businessPhones: ['12'] }));
  const r = await h.sync.run({ dryRun: true });
  expect(r).toMatchObject({ attribute: 'businessPhones', dryRun: true, ranAt: h.clock.now, summary: { linked: 2, changed: 0, unchanged: 0, skipped: 3 } });
  expect(r.changes).toEqual([
    { oid: person(1).id, displayName: 'Person 1', upn: 'u1@kommun.example', before: null, after: '1021' },
    { oid: person(2).id, displayName: 'Person 2', upn: 'u2@kommun.example', before: null, after: '1022' },
  ]);
  expect(r.skipped).toEqual([
    { oid: person(3).id, upn: 'u3@kommun.example', reason: 'noValue' },
    { oid: person(4).id, upn: 'u4@kommun.example', reason: 'malformed' },
    { oid: person(5).id, upn: 'u5@kommun.example', reason: 'malformed' },
  ]);
  expect(await h.store.listUsers()).toEqual([]);
  expect(h.changed).toEqual([]);
  expect(h.sync.status().lastRun).toBe(r);
});

test('applying links the users with their name, UPN and e-mail, tells the scheduler, and a second run finds all unchanged', async () => {
  h = await directoryHarness(env('businessPhones', { DIRECTORY_EXTENSION_DIGITS: '4' }));
  h.graph.addUser(person(1, { businessPhones: ['+46 8 508 01021'] }));
  h.graph.addUser(person(2, { businessPhones: ['+46 8 508 01022'] }));
  const first = await h.sync.run({ dryRun: false });
  expect(first.summary).toEqual({ linked: 2, changed: 0, unchanged: 0, skipped: 0 });
  expect(await h.user(person(1).id)).toMatchObject({ extension: '1021', shared: false, displayName: 'Person 1', upn: 'u1@kommun.example', mail: 'person.1@kommun.example' });
  expect(h.changed.sort()).toEqual(['1021', '1022']);

  h.changed.length = 0;
  const again = await h.sync.run({ dryRun: false });
  expect(again.summary).toEqual({ linked: 0, changed: 0, unchanged: 2, skipped: 0 });
  expect(again.changes).toEqual([]);
  expect(h.changed).toEqual([]);
});

test('a user linked by hand to another extension is moved (changed); one whose value is gone keeps the link', async () => {
  h = await directoryHarness(env('extensionAttribute3'));
  await h.service.linkUser({ tid: TID, oid: person(1).id }, { extension: '1999', shared: true });
  await h.service.linkUser({ tid: TID, oid: person(2).id }, { extension: '2000', shared: false });
  h.changed.length = 0;
  h.graph.addUser(person(1, { onPremisesExtensionAttributes: { extensionAttribute3: '1021' } }));
  h.graph.addUser(person(2, { onPremisesExtensionAttributes: { extensionAttribute3: null } }));
  h.graph.addUser(person(3, { onPremisesExtensionAttributes: { extensionAttribute3: ' 1023 ' } }));
  const r = await h.sync.run({ dryRun: false });
  expect(r.summary).toEqual({ linked: 1, changed: 1, unchanged: 0, skipped: 1 });
  expect(r.changes.map((c) => [c.upn, c.before, c.after])).toEqual([
    ['u1@kommun.example', '1999', '1021'],
    ['u3@kommun.example', null, '1023'],
  ]);
  // Moving keeps the shared mark the admin set; the user without a value keeps their link and gets the directory's name.
  expect(await h.user(person(1).id)).toMatchObject({ extension: '1021', shared: true });
  expect(await h.user(person(2).id)).toMatchObject({ extension: '2000', displayName: 'Person 2', upn: 'u2@kommun.example' });
  expect(new Set(h.changed)).toEqual(new Set(['1999', '1021', '1023']));
});

test('also reads onPremisesExtensionAttributes.extensionAttributeN spelled out, mobilePhone and employeeId', async () => {
  h = await directoryHarness(env('onPremisesExtensionAttributes.extensionAttribute15'));
  h.graph.addUser(person(1, { onPremisesExtensionAttributes: { extensionAttribute15: '4711' } }));
  expect((await h.sync.run({ dryRun: true })).changes[0]).toMatchObject({ after: '4711' });
  await h.close();
  h = await directoryHarness(env('mobilePhone', { DIRECTORY_EXTENSION_DIGITS: '5' }));
  h.graph.addUser(person(1, { mobilePhone: '070-123 45 67' }));
  expect((await h.sync.run({ dryRun: true })).changes[0]).toMatchObject({ after: '34567' });
  await h.close();
  h = await directoryHarness(env('employeeId'));
  h.graph.addUser(person(1, { employeeId: '1234567890123456' }));
  expect((await h.sync.run({ dryRun: true })).skipped).toEqual([{ oid: person(1).id, upn: 'u1@kommun.example', reason: 'malformed' }]);
});

test('a value several users have is skipped as duplicate, also against a link made by hand, unless all are marked shared', async () => {
  h = await directoryHarness(env('extensionAttribute1'));
  h.graph.addUser(person(1, { onPremisesExtensionAttributes: { extensionAttribute1: '1021' } }));
  h.graph.addUser(person(2, { onPremisesExtensionAttributes: { extensionAttribute1: '1021' } }));
  h.graph.addUser(person(3, { onPremisesExtensionAttributes: { extensionAttribute1: '1030' } }));
  await h.service.linkUser({ tid: TID, oid: 'someone-by-hand' }, { extension: '1030', shared: false });
  const r = await h.sync.run({ dryRun: false });
  expect(r.summary).toEqual({ linked: 0, changed: 0, unchanged: 0, skipped: 3 });
  expect(r.skipped.map((s) => s.reason)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  expect(await h.user(person(1).id)).toBeNull();

  // Marked shared in the store (delad anknytning): linked together.
  await h.service.linkUser({ tid: TID, oid: person(1).id }, { extension: '1021', shared: true });
  await h.service.linkUser({ tid: TID, oid: person(2).id }, { extension: '1099', shared: true });
  const shared = await h.sync.run({ dryRun: false });
  expect(shared.summary).toMatchObject({ changed: 1, unchanged: 1 });
  expect(await h.user(person(2).id)).toMatchObject({ extension: '1021', shared: true });
});

test('DIRECTORY_GROUP_ID: only the group’s users, nested groups included, read page by page', async () => {
  const GROUP = 'aaaaaaaa-0000-4000-8000-000000000001';
  const NESTED = 'aaaaaaaa-0000-4000-8000-000000000002';
  h = await directoryHarness(env('businessPhones', { DIRECTORY_GROUP_ID: GROUP }), { pageSize: 2 });
  for (let n = 1; n <= 6; n++) h.graph.addUser(person(n, { businessPhones: [`10${n}0`] }));
  h.graph.addGroup(GROUP, [person(1).id, person(2).id, NESTED]);
  h.graph.addGroup(NESTED, [person(3).id, person(4).id, person(5).id, GROUP]);
  const r = await h.sync.run({ dryRun: true });
  expect(r.changes.map((c) => c.after)).toEqual(['1010', '1020', '1030', '1040', '1050']);
  expect(h.graph.requests.directory).toBe(3);
});

test('every user is read page by page (999 asked, the fake gives 100)', async () => {
  h = await directoryHarness(env('businessPhones'));
  for (let n = 1; n <= 250; n++) h.graph.addUser(person(n, { businessPhones: [String(10000 + n)] }));
  const r = await h.sync.run({ dryRun: false });
  expect(r.summary.linked).toBe(250);
  expect(h.graph.requests.directory).toBe(3);
  expect((await h.store.listUsers()).length).toBe(250);
});

test('a Graph failure writes nothing and keeps the last result', async () => {
  h = await directoryHarness(env('businessPhones', { DIRECTORY_GROUP_ID: 'aaaaaaaa-0000-4000-8000-00000000dead' }));
  await expect(h.sync.run({ dryRun: false })).rejects.toMatchObject({ status: 404 });
  expect(h.sync.status().lastRun).toBeNull();
});

test('logs only counts: no names, UPNs or numbers', async () => {
  h = await directoryHarness(env('businessPhones'));
  h.graph.addUser(person(1, { businessPhones: ['+46 8 508 01021'] }));
  await h.sync.run({ dryRun: false });
  const text = JSON.stringify(h.logs);
  expect(h.logs).toEqual([{ level: 'info', o: expect.objectContaining({ dryRun: false, linked: 1, skipped: 0 }), m: 'directory sync done' }]);
  for (const secret of ['Person 1', 'u1@kommun', 'person.1', '1021', person(1).id]) expect(text).not.toContain(secret);
});

describe('the daily run (DIRECTORY_SYNC_AT, ORG_TIME_ZONE)', () => {
  test('by default at 03:00 Stockholm time, applying what it finds', async () => {
    h = await directoryHarness(env('businessPhones'));
    h.graph.addUser(person(1, { businessPhones: ['1021'] }));
    h.sync.start();
    // 10:00Z on 24 November; 03:00 in Stockholm (UTC+1) is 02:00Z on the 25th.
    expect(h.sync.nextRunAt).toBe(Date.parse('2026-11-25T02:00:00Z'));
    const due = h.sync.nextRunAt!;
    while (h.clock.now < due) h.timers.fire();
    await waitFor(() => h.sync.status().lastRun !== null);
    expect(h.sync.status().lastRun).toMatchObject({ dryRun: false, ranAt: Date.parse('2026-11-25T02:00:00Z'), summary: { linked: 1 } });
    expect(await h.user(person(1).id)).toMatchObject({ extension: '1021' });
  });

  test('the timers wake hourly, run once at the time, and arm for the next day', async () => {
    h = await directoryHarness(env('businessPhones', { DIRECTORY_SYNC_AT: '06:30' }));
    h.graph.addUser(person(1, { businessPhones: ['1021'] }));
    h.sync.start();
    const due = Date.parse('2026-11-25T05:30:00Z');
    expect(h.sync.nextRunAt).toBe(due);
    const fired: number[] = [];
    while (h.clock.now < due) fired.push(h.timers.fire());
    expect(fired.every((at, i) => i === 0 || at - fired[i - 1]! <= 3_600_000)).toBe(true);
    await waitFor(() => h.sync.status().lastRun !== null);
    expect(h.sync.status().lastRun?.ranAt).toBe(due);
    await waitFor(() => h.timers.pending.length === 1);
    expect(h.sync.nextRunAt).toBe(Date.parse('2026-11-26T05:30:00Z'));
    await h.sync.stop();
    expect(h.timers.pending).toEqual([]);
    expect(h.sync.nextRunAt).toBeNull();
  });

  test('with several processes (issue 18) each daily run happens once: a run another process took is skipped here, the next day\'s runs', async () => {
    const claim = (owner: string) => async (store: DirectoryHarness['store'], due: number) => claimDailyRun(store, owner, h.clock.now, due);
    h = await directoryHarness(env('businessPhones'), { claimRun: claim('this') });
    h.graph.addUser(person(1, { businessPhones: ['1021'] }));
    h.sync.start();
    const first = h.sync.nextRunAt!;
    // Another process took tomorrow's 03:00 run first.
    expect(await claim('other')(h.store, first)).toBe(true);
    while (h.clock.now < first) h.timers.fire();
    await waitFor(() => h.logs.some((l) => l.m === 'daily directory run done by another process'));
    expect(h.sync.status().lastRun).toBeNull();
    expect(await h.user(person(1).id)).toBeNull();
    // The day after, nobody else has: this process runs it.
    await waitFor(() => h.sync.nextRunAt !== first && h.timers.pending.length === 1);
    const second = h.sync.nextRunAt!;
    expect(second - first).toBe(86_400_000);
    while (h.clock.now < second) h.timers.fire();
    await waitFor(() => h.sync.status().lastRun !== null);
    expect(h.sync.status().lastRun?.ranAt).toBe(second);
    expect(await h.user(person(1).id)).toMatchObject({ extension: '1021' });
    expect((await h.store.getLease('directory', { tid: 'daily', oid: String(second) }))?.owner).toBe('this');
    // Runs are forgotten once their lease has lapsed (two days after they were due), not kept for ever.
    expect((await h.store.listLeases('directory')).map((l) => Number(l.oid))).toEqual([first, second]);
    h.clock.now = first + 2 * 86_400_000 + 1;
    expect(await claim('this')(h.store, second + 86_400_000)).toBe(true);
    expect((await h.store.listLeases('directory')).map((l) => Number(l.oid))).toEqual([second, second + 86_400_000]);
  });

  test('across the switch to summer time, 03:00 local is 01:00Z', async () => {
    h = await directoryHarness(env('businessPhones'));
    h.clock.now = Date.parse('2026-03-28T12:00:00Z');
    h.sync.start();
    expect(h.sync.nextRunAt).toBe(Date.parse('2026-03-29T01:00:00Z'));
  });

  test('DIRECTORY_SYNC_AT=off: only on demand; without an attribute nothing starts', async () => {
    h = await directoryHarness(env('businessPhones', { DIRECTORY_SYNC_AT: 'off' }));
    h.sync.start();
    expect(h.timers.pending).toEqual([]);
    await h.close();
    h = await directoryHarness();
    h.sync.start();
    expect(h.timers.pending).toEqual([]);
    expect(h.sync.enabled).toBe(false);
    await expect(h.sync.run({ dryRun: true })).rejects.toThrow(/DIRECTORY_EXTENSION_ATTRIBUTE/);
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error('timed out');
}
