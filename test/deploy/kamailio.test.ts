/**
 * Issue 15: deploy/kamailio with the real processes. Kamailio (started by its own start script
 * on free ports), SIPp UAS "PBX" and "announce", a SIPp UAC per call. No endpoint yet: the
 * kkdiv htable is set directly through JSON-RPC. Never skipped: without kamailio or sipp
 * (Debian packages kamailio, sip-tester) the suite fails.
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { KK_KAMAILIO_SCRIPT, Kamailio, SippUas, requireSwitchTools, routeCall, sippCall, startKamailio, startSippUas } from '../helpers/kamailio';

jest.setTimeout(30_000);

let pbx: SippUas;
let announce: SippUas;
let kam: Kamailio;

beforeAll(async () => {
  requireSwitchTools();
  pbx = await startSippUas('pbx');
  announce = await startSippUas('announce');
  kam = await startKamailio({ pbx: pbx.hostport, announce: announce.hostport });
});

afterAll(async () => {
  await Promise.allSettled([kam?.stop(), pbx?.stop(), announce?.stop()]);
});

const sets = (ext: string, value: string) => kam.rpc('htable.sets', ['kkdiv', ext, value]);
const del = (ext: string) => kam.rpc('htable.delete', ['kkdiv', ext]);
const get = (ext: string) => kam.rpc('htable.get', ['kkdiv', ext]);

/** Calls ext; expects 200 and exactly one new INVITE at `to` (and none at the other UAS). */
async function callReaches(ext: string, to: SippUas) {
  const other = to === pbx ? announce : pbx;
  const before = other.invites().length;
  const r = await routeCall(ext, kam.sipPort, { pbx, announce });
  if (r.to !== (to === pbx ? 'pbx' : 'announce')) throw new Error(`call to ${ext}: ${JSON.stringify(r.to === 'other' ? { status: r.status } : { to: r.to })}, wanted the ${to.name}\n${r.to === 'other' ? r.output : ''}\n--- kamailio ---\n${kam.output().slice(-4000)}`);
  expect(other.invites()).toHaveLength(before);
  return r.invite;
}

test('(1) no entry: the PBX gets the INVITE, user part 1021, no X-KK headers', async () => {
  const invite = await callReaches('1021', pbx);
  expect(invite.user).toBe('1021');
  expect(invite.requestUri).toBe(`sip:1021@${pbx.hostport}`);
  expect(Object.keys(invite.headers).filter((h) => h.startsWith('x-kk-'))).toEqual([]);
});

test('(2) spoken: the announcement service gets it with the X-KK headers', async () => {
  expect((await sets('1021', 'kk1|5|spoken|0|1300|sv|')).result).toBeDefined();
  const invite = await callReaches('1021', announce);
  expect(invite.user).toBe('1021');
  expect(invite.requestUri).toBe(`sip:1021@${announce.hostport}`);
  expect(invite.header('X-KK-Extension')).toBe('1021');
  expect(invite.header('X-KK-Reason')).toBe('0');
  expect(invite.header('X-KK-Return')).toBe('1300');
  expect(invite.header('X-KK-Language')).toBe('sv');
});

test('(3) number: the caller gets 302 with Contact sip:<number>@<PBX host>', async () => {
  await sets('1021', 'kk1|6|number|0|1300|sv|0701234567');
  const before = pbx.invites().length + announce.invites().length;
  const call = await sippCall('1021', kam.sipPort);
  expect(call.status).toBe(302);
  expect(call.final!.startLine).toBe('SIP/2.0 302 Moved Temporarily');
  expect(call.contact).toBe('<sip:0701234567@127.0.0.1>');
  expect(pbx.invites().length + announce.invites().length).toBe(before);
});

test('(4) none (soft): the PBX, unchanged', async () => {
  await sets('1021', 'kk1|7|none|3|1400|sv|');
  const invite = await callReaches('1021', pbx);
  expect(invite.user).toBe('1021');
  expect(invite.header('X-KK-Reason')).toBeUndefined();
});

test('(5) a foreign value: the PBX, and the value stays', async () => {
  await sets('1021', 'hello');
  const invite = await callReaches('1021', pbx);
  expect(invite.user).toBe('1021');
  expect((await get('1021')).result).toEqual({ item: { name: '1021', value: 'hello', flags: 2, expire: 'NEVER' } });
});

test('(6) htable.delete: the PBX again', async () => {
  await sets('1021', 'kk1|8|spoken|1|none|en|');
  expect((await del('1021')).error).toBeUndefined();
  expect((await get('1021')).error).toBeDefined();
  const invite = await callReaches('1021', pbx);
  expect(invite.user).toBe('1021');
});

test('(7) htable.dump: the entries, one object per used slot', async () => {
  await sets('1021', 'kk1|9|spoken|0|1300|sv|');
  await sets('1022', 'kk1|10|number|2|0115|en|+46701234567');
  const r = await kam.rpc('htable.dump', ['kkdiv']);
  expect(r.error).toBeUndefined();
  const slots = r.result as { entry: number; size: number; slot: { name: string; value: string; type: string }[] }[];
  expect(Array.isArray(slots)).toBe(true);
  for (const s of slots) {
    expect(typeof s.entry).toBe('number');
    expect(s.size).toBe(s.slot.length);
  }
  const items = slots.flatMap((s) => s.slot).sort((a, b) => a.name.localeCompare(b.name));
  expect(items).toEqual([
    { name: '1021', value: 'kk1|9|spoken|0|1300|sv|', type: 'str' },
    { name: '1022', value: 'kk1|10|number|2|0115|en|+46701234567', type: 'str' },
  ]);
  await del('1022');
});

test('(8) a JSON-RPC batch (array) is not supported by jsonrpcs 5.6: nothing in it runs', async () => {
  const batch = [
    { jsonrpc: '2.0', method: 'htable.sets', params: ['kkdiv', '1099', 'kk1|1|spoken|0|none|sv|'], id: 1 },
    { jsonrpc: '2.0', method: 'core.version', id: 2 },
  ];
  const { status, text } = await kam.post(JSON.stringify(batch));
  expect(status).toBe(200);
  const body = JSON.parse(text) as unknown;
  expect(Array.isArray(body)).toBe(false);
  expect(body).toEqual({ jsonrpc: '2.0', result: {} });
  expect((await get('1099')).error).toBeDefined();
});

test('(9) no RPC anywhere else: the SIP port refuses HTTP (403), other paths on the RPC port 404', async () => {
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'htable.sets', params: ['kkdiv', '1098', 'kk1|1|spoken|0|none|sv|'], id: 1 });
  const onSip = await kam.post(body, { port: kam.sipPort });
  expect(onSip.status).toBe(403);
  expect(onSip.text).not.toContain('jsonrpc');
  const elsewhere = await kam.post(body, { path: '/' });
  expect(elsewhere.status).toBe(404);
  const rpc2 = await kam.post(body, { path: '/RPC2' });
  expect(rpc2.status).toBe(404);
  expect((await get('1098')).error).toBeDefined();
});

test('(10) the start script refuses a bad KK_SIP_PORT or KK_SHM_MB with one line and a non-zero exit', () => {
  for (const bad of ['abc', '0', '65536', '50 60', '-1']) {
    const r = spawnSync(KK_KAMAILIO_SCRIPT, [], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, KK_SIP_PORT: bad, KK_PBX: pbx.hostport, KK_ANNOUNCE: announce.hostport, KK_RUNTIME_DIR: '/nonexistent/should-not-be-created' },
    });
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`kk-kamailio: KK_SIP_PORT must be a port number 1-65535, got '${bad}'`]);
  }
  for (const bad of ['32', '16385', '1e3', '0256']) {
    const r = spawnSync(KK_KAMAILIO_SCRIPT, [], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, KK_SHM_MB: bad, KK_PBX: pbx.hostport, KK_ANNOUNCE: announce.hostport, KK_RUNTIME_DIR: '/nonexistent/should-not-be-created' } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`kk-kamailio: KK_SHM_MB must be a whole number of MB 64-16384, got '${bad}'`]);
  }
  const noPbx = spawnSync(KK_KAMAILIO_SCRIPT, [], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, KK_PBX: '', KK_ANNOUNCE: announce.hostport } });
  expect(noPbx.status).not.toBe(0);
  expect(noPbx.stderr.trim().split('\n')).toEqual(['kk-kamailio: KK_PBX is required (host:port)']);
});

test('(12) OPTIONS out of dialog is answered 200 by Kamailio itself (the health check)', async () => {
  // (A UAS records INVITEs only; Kamailio answering 200 itself is the point.)
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  const reply = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no reply to OPTIONS within 5 s')), 5_000);
    sock.once('message', (m) => {
      clearTimeout(t);
      resolve(m.toString());
    });
  });
  const options = [
    `OPTIONS sip:127.0.0.1:${kam.sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-kk-options-1;rport`,
    'Max-Forwards: 70',
    `From: <sip:health@127.0.0.1:${port}>;tag=kk1`,
    `To: <sip:127.0.0.1:${kam.sipPort}>`,
    'Call-ID: kk-options-1@127.0.0.1',
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  sock.send(options, kam.sipPort, '127.0.0.1');
  try {
    expect((await reply).split('\r\n')[0]).toBe('SIP/2.0 200 OK');
  } finally {
    sock.close();
  }
});

test('(13) a body that is not JSON gets a JSON-RPC parse error (400), and Kamailio keeps answering', async () => {
  const r = await kam.post('not json');
  expect(r.status).toBe(400);
  expect(JSON.parse(r.text)).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
  const missing = await kam.post(JSON.stringify({ jsonrpc: '2.0', method: 'htable.delete', params: ['kkdiv', 'nosuchkey'], id: 4 }));
  expect(missing.status).toBe(404);
  expect(JSON.parse(missing.text)).toEqual({ jsonrpc: '2.0', error: { code: 404, message: 'Key not found in htable.' }, id: 4 });
  expect((await kam.rpc('core.version')).result).toMatch(/^kamailio 5\./);
});

test('(14) a kk1 value of the wrong shape is not acted upon: the PBX, no X-KK headers', async () => {
  for (const bad of ['kk1|12|spoken|0|13:00|sv|', 'kk1|12|loud|0|1300|sv|', 'kk1|12|number|0|1300|sv|', 'kk1|12|spoken|0|1300|sv|\r\nX-Evil: 1', 'kk1|12|number|0|13:00|sv|0709999999']) {
    await sets('1023', bad);
    const invite = await callReaches('1023', pbx);
    expect(invite.user).toBe('1023');
    expect(Object.keys(invite.headers).filter((h) => h.startsWith('x-kk-') || h === 'x-evil')).toEqual([]);
  }
  await del('1023');
  // Warned about, but the value (which may hold a phone number) is not in Kamailio's log.
  expect(kam.output()).toMatch(/kkdiv value for 1023 is malformed/);
  expect(kam.output()).not.toContain('0709999999');
});

test('(11) kill -9 then restart: the table is empty (reconciliation refills it later)', async () => {
  await sets('1021', 'kk1|11|spoken|0|1300|sv|');
  expect((await get('1021')).result).toBeDefined();
  await kam.kill9();
  await kam.restart();
  const r = await kam.rpc('htable.dump', ['kkdiv']);
  expect(r.error).toBeUndefined();
  expect((r.result as { slot: unknown[] }[]).flatMap((s) => s.slot)).toEqual([]);
  const invite = await callReaches('1021', pbx);
  expect(invite.user).toBe('1021');
});
