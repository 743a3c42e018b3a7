/**
 * Issue 15: the endpoint's kamailio connector against the real Kamailio of deploy/kamailio (no
 * endpoint yet): each state it applies routes the next call as the switch should, the read-back
 * sees what it put there, a missing key deletes as done, and after kill -9 and a restart the
 * read-back is empty and the connector reports the reconnect (what reconciliation acts on).
 */
import { KamailioConnector } from '../../src/server/connectors/kamailio';
import type { SwitchState } from '../../src/server/connectors/types';
import { type Kamailio, type SippUas, sippCall, startKamailio, startSippUas } from '../helpers/kamailio';

jest.setTimeout(30_000);

let pbx: SippUas;
let announce: SippUas;
let kam: Kamailio;
let connector: KamailioConnector;

beforeAll(async () => {
  pbx = await startSippUas('pbx');
  announce = await startSippUas('announce');
  kam = await startKamailio({ pbx: pbx.hostport, announce: announce.hostport });
  connector = new KamailioConnector({ url: `http://127.0.0.1:${kam.rpcPort}/RPC`, timeoutMs: 2_000 });
});
afterAll(async () => {
  await Promise.allSettled([kam?.stop(), pbx?.stop(), announce?.stop()]);
});

function lunch(patch: Partial<SwitchState> = {}): SwitchState {
  return {
    code: 'L',
    mex: 0,
    label: 'Lunch',
    forwarding: 'spoken',
    number: null,
    soft: false,
    since: '2026-12-03T11:00:00Z',
    returnAt: '2026-12-03T12:00:00Z',
    reasonCode: 0,
    returnTime: '1300',
    language: 'sv',
    spoken: 'Lunch. Åter klockan 13.00.',
    text: null,
    ...patch,
  };
}
const apply = (version: number, state: SwitchState | null) => connector.apply({ extension: '1021', version, state, sentAt: new Date().toISOString() });

test('spoken: the call goes to the announcement service with the MEX code and the return time', async () => {
  expect(await apply(1, lunch())).toEqual(expect.objectContaining({ ok: true }));
  const before = announce.invites().length;
  const call = await sippCall('1021', kam.sipPort);
  expect(call.status).toBe(200);
  const got = (await announce.waitForInvites(before + 1)).at(-1)!;
  expect([got.header('X-KK-Extension'), got.header('X-KK-Reason'), got.header('X-KK-Return'), got.header('X-KK-Language')]).toEqual(['1021', '0', '1300', 'sv']);
  expect(await connector.readBack()).toEqual(new Map([['1021', 1]]));
});

test('number: 302 to the number; soft: the PBX; null: deleted, the PBX again, and deleting again is done', async () => {
  expect((await apply(2, lunch({ forwarding: 'number', number: '0701234567' }))).ok).toBe(true);
  const moved = await sippCall('1021', kam.sipPort);
  expect(moved.status).toBe(302);
  expect(moved.contact).toMatch(/sip:0701234567@127\.0\.0\.1/);

  expect((await apply(3, lunch({ forwarding: 'none', soft: true }))).ok).toBe(true);
  const before = pbx.invites().length;
  expect((await sippCall('1021', kam.sipPort)).status).toBe(200);
  await pbx.waitForInvites(before + 1);
  expect(await connector.readBack()).toEqual(new Map([['1021', 3]]));

  expect((await apply(4, null)).ok).toBe(true);
  expect(await connector.readBack()).toEqual(new Map());
  expect((await apply(5, null)).ok).toBe(true);
});

test('a foreign value is not read back as ours', async () => {
  await kam.rpc('htable.sets', ['kkdiv', '1099', 'set by hand']);
  expect((await connector.readBack()).has('1099')).toBe(false);
  await kam.rpc('htable.delete', ['kkdiv', '1099']);
});

test('kill -9 and a restart: a failed delivery is retryable, then the connector reports the reconnect and reads an empty table', async () => {
  expect((await apply(6, lunch())).ok).toBe(true);
  const reconnects = jest.fn();
  connector.onReconnect(reconnects);
  await kam.kill9();
  const down = await apply(7, lunch({ returnTime: '1330' }));
  expect(down).toEqual(expect.objectContaining({ ok: false, permanent: false }));
  await kam.restart();
  expect(await connector.readBack()).toEqual(new Map());
  expect(reconnects).toHaveBeenCalledTimes(1);
});
