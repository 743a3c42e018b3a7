/** Change notifications: subscriptions, the validation handshake, clientState, lifecycle events, and a notification starting a round. */
import { RENEW_BEFORE_MS } from '../../../src/server/calendar/sync';
import { TID } from '../../helpers/server';
import { at, type Harness, harness, iso, linkUser } from './harness';

let h: Harness;
const URL_ = 'http://127.0.0.1:9/api/v1/graph/notifications';

beforeEach(async () => {
  h = await harness({ GRAPH_NOTIFICATION_URL: URL_ });
  await linkUser(h, 'anna', '1021');
  await h.sync.runAll();
});
afterEach(async () => h.close());

const post = (body: string, query = '', contentType = 'application/json') =>
  h.app.inject({ method: 'POST', url: `/api/v1/graph/notifications${query}`, headers: { 'content-type': contentType }, payload: body });

function subscription() {
  const subs = [...h.graph.subscriptions.values()];
  expect(subs).toHaveLength(1);
  return subs[0]!;
}

test('a round creates one subscription per user, on its events, with a random clientState that is stored', async () => {
  const sub = subscription();
  expect(sub).toMatchObject({ resource: '/users/anna/events', changeType: 'created,updated,deleted', notificationUrl: URL_ });
  expect(sub.clientState.length).toBeGreaterThanOrEqual(32);
  const row = await h.store.getCalendarSync({ tid: TID, oid: 'anna' });
  expect(row).toMatchObject({ subscriptionId: sub.id, clientState: sub.clientState });
  // A second round keeps it (far from expiry).
  await h.sync.runAll();
  expect(h.graph.subscriptions.size).toBe(1);
  const admin = await h.as('admin.boss', 'GET', '/api/v1/admin/calendar');
  expect(admin.json()).toMatchObject({ enabled: true, notifications: true, users: [{ oid: 'anna', subscriptionActive: true }] });
});

test('the validation handshake echoes the token as text/plain, without a bearer token', async () => {
  const r = await post('', '?validationToken=Validation%3A%20Testing%20client%20application%20reachability', 'text/plain');
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain/);
  expect(r.body).toBe('Validation: Testing client application reachability');
});

test('a notification with the right clientState starts a delta round for that user', async () => {
  const sub = subscription();
  h.graph.put('anna', { id: 'e1', subject: 'NP/L: Lunch', start: iso('11:00'), end: iso('12:00') });
  const before = h.graph.deltaLog.length;
  const r = await post(JSON.stringify({ value: [{ subscriptionId: sub.id, clientState: sub.clientState, changeType: 'created', resource: 'Users/anna/Events/e1' }] }));
  expect(r.statusCode).toBe(202);
  await h.sync.idle();
  expect(h.graph.deltaLog.slice(before).map((d) => d.kind)).toEqual(['delta']);
  expect(await h.stateAt('1021', at('11:30'))).toMatchObject({ key: 'L' });
});

test('a wrong clientState or an unknown subscription is refused and starts nothing', async () => {
  const sub = subscription();
  const before = h.graph.deltaLog.length;
  const wrong = await post(JSON.stringify({ value: [{ subscriptionId: sub.id, clientState: 'guess', changeType: 'created' }] }));
  expect(wrong.statusCode).toBe(403);
  const unknown = await post(JSON.stringify({ value: [{ subscriptionId: 'nope', clientState: sub.clientState }] }));
  expect(unknown.statusCode).toBe(403);
  await h.sync.idle();
  expect(h.graph.deltaLog.length).toBe(before);
});

test('bad bodies get a 400, never a 5xx', async () => {
  expect((await post('{not json')).statusCode).toBe(400);
  expect((await post('{"value": 3}')).statusCode).toBe(400);
  expect((await post('')).statusCode).toBe(400);
  expect((await post('null')).statusCode).toBe(400);
});

test('lifecycle: missed starts over, reauthorizationRequired renews, subscriptionRemoved recreates', async () => {
  const sub = subscription();
  const send = (lifecycleEvent: string, s = sub) => post(JSON.stringify({ value: [{ subscriptionId: s.id, clientState: s.clientState, lifecycleEvent }] }));

  const before = h.graph.deltaLog.length;
  expect((await send('missed')).statusCode).toBe(202);
  await h.sync.idle();
  expect(h.graph.deltaLog.slice(before).map((d) => d.kind)).toEqual(['initial']);

  const renewalsBefore = h.graph.requests.subscriptions;
  const oldExpiry = sub.expirationDateTime;
  h.clock.now += 3_600_000;
  expect((await send('reauthorizationRequired')).statusCode).toBe(202);
  await h.sync.idle();
  expect(h.graph.requests.subscriptions).toBe(renewalsBefore + 1);
  expect(Date.parse(sub.expirationDateTime)).toBeGreaterThan(Date.parse(oldExpiry));

  h.graph.subscriptions.delete(sub.id);
  expect((await send('subscriptionRemoved')).statusCode).toBe(202);
  await h.sync.idle();
  const fresh = subscription();
  expect(fresh.id).not.toBe(sub.id);
  expect(fresh.clientState).not.toBe(sub.clientState);
  expect((await h.store.getCalendarSync({ tid: TID, oid: 'anna' }))?.subscriptionId).toBe(fresh.id);
});

test('a subscription close to expiry is renewed by the poll round; one Graph no longer has is recreated', async () => {
  const sub = subscription();
  const row = await h.store.getCalendarSync({ tid: TID, oid: 'anna' });
  h.clock.now = row!.subscriptionExpiresAt! - RENEW_BEFORE_MS + 60_000;
  await h.sync.runAll();
  expect(h.graph.subscriptions.get(sub.id)?.expirationDateTime).not.toBe(new Date(row!.subscriptionExpiresAt!).toISOString());
  expect(h.graph.subscriptions.size).toBe(1);

  h.graph.subscriptions.clear();
  const again = await h.store.getCalendarSync({ tid: TID, oid: 'anna' });
  h.clock.now = again!.subscriptionExpiresAt! - RENEW_BEFORE_MS + 60_000;
  await h.sync.runAll();
  expect(h.graph.subscriptions.size).toBe(1);
  expect([...h.graph.subscriptions.values()][0]!.id).not.toBe(sub.id);
});
