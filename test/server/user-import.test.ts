/**
 * Issue 13: the CSV import of users and extensions (POST /api/v1/admin/users/import). The file's
 * parsing and every row's classification, dry run and apply, all or nothing on a failure
 * half-way, text/csv for scripts, and the same apply on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { DirectoryLookup, DirectoryUser } from '../../src/server/directory/types';
import { Service } from '../../src/server/service';
import { IMPORT_MAX_BYTES, parseImportCsv } from '../../src/server/service/user-import';
import { openStore } from '../../src/server/store/open';
import type { Store, UserRow } from '../../src/server/store/types';
import { postgresAvailability, throwawaySchema } from '../helpers/postgres';
import { FakeVerifier, injector, link, type Res, TID, type TestServer, testServer } from '../helpers/server';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const G1 = '0b6f3a52-1111-4000-8000-000000000001';
const G2 = '0b6f3a52-2222-4000-8000-000000000002';
const G3 = '0b6f3a52-3333-4000-8000-000000000003';
const URL = '/api/v1/admin/users/import';

type Row = { line: number; user: string; oid: string | null; displayName: string | null; extension: string | null; shared: boolean; status: string; reason: { code: string; message: { sv: string; en: string } } | null; before: unknown };

let s: TestServer;
afterEach(async () => {
  await s?.close();
});

const importCsv = (csv: string, dryRun?: boolean): Promise<Res> => s.as('admin.boss').post(URL, dryRun === undefined ? { csv } : { csv, dryRun });
const rowsOf = (r: Res) => r.json().rows as Row[];
const byUser = (r: Res) => Object.fromEntries(rowsOf(r).map((x) => [x.user, x]));
/** Users with an extension (the admin signing in is stored too, unlinked). */
const linked = async (store: Store) => (await store.listUsers()).filter((u) => u.extension !== null);
const users = async (store: Store) => (await store.listUsers()).map((u) => ({ oid: u.oid, extension: u.extension, shared: u.shared, displayName: u.displayName, updatedAt: u.updatedAt }));
const postCsv = (body: string | Buffer, query = '', type = 'text/csv; charset=utf-8', token = 'admin.boss') =>
  s.app.inject({ method: 'POST', url: `${URL}${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body }) as unknown as Promise<Res>;

/** A directory that knows the given users and records what it was asked. */
function fakeDirectory(known: DirectoryUser[], fail = false): DirectoryLookup & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async resolve(logins) {
      asked.push([...logins]);
      if (fail) throw new Error('Graph said 503');
      const out = new Map<string, DirectoryUser>();
      for (const l of logins) {
        const u = known.find((k) => k.upn === l.toLowerCase() || k.mail === l.toLowerCase());
        if (u) out.set(l.toLowerCase(), u);
      }
      return out;
    },
  };
}

describe('parsing the file', () => {
  test('semicolons (Excel in Swedish), a BOM, Swedish headers in any case, CRLF, blank lines: each row keeps its line', () => {
    const rows = parseImportCsv(`\uFEFFE-post;Anknytning;DELAD;Namn\r\nanna@kommun.se;1021;ja;"Andersson; Anna"\r\n\r\n${G1};1022;;\r\n;;;\r\nnils@kommun.se;"10\r\n23";nej;Nils\r\n`);
    expect(rows).toEqual([
      { line: 2, user: 'anna@kommun.se', extension: '1021', shared: 'ja', displayName: 'Andersson; Anna', short: null },
      { line: 4, user: G1, extension: '1022', shared: '', displayName: null, short: null },
      { line: 6, user: 'nils@kommun.se', extension: '10\n23', shared: 'nej', displayName: 'Nils', short: null },
    ]);
  });

  test('commas, English headers and their aliases (upn, objectId, name); a short row is marked', () => {
    expect(parseImportCsv('upn,extension,shared,name\n"a@x.se",1021,yes,"Andersson, Anna"\nb@x.se,1022\n')).toEqual([
      { line: 2, user: 'a@x.se', extension: '1021', shared: 'yes', displayName: 'Andersson, Anna', short: null },
      { line: 3, user: 'b@x.se', extension: '1022', shared: '', displayName: null, short: { got: 2, want: 4 } },
    ]);
    expect(parseImportCsv('objectId,Extension\n' + G1 + ',55\n')[0]).toMatchObject({ user: G1, extension: '55' });
  });

  test('no user column, no extension column, two user columns, nothing at all, an unclosed quote: 400 naming csv', () => {
    for (const csv of ['namn;anknytning\nAnna;1021\n', 'upn;delad\na@x.se;ja\n', 'upn;oid;extension\na@x.se;x;1021\n', '', '\n\n', 'upn;extension\n"a@x.se;1021\n']) {
      expect(() => parseImportCsv(csv)).toThrow(expect.objectContaining({ name: 'ValidationError', field: 'csv' }));
    }
  });
});

describe('POST /api/v1/admin/users/import', () => {
  beforeEach(async () => {
    s = await testServer({}, NOW);
  });

  test('object ids, a UPN known from sign-in (any case), an unknown UPN: classified, nothing stored by a dry run', async () => {
    await s.as('user.anna').get('/api/v1/me');
    await s.as('admin.boss').get('/api/v1/me');
    const before = await users(s.store);
    const r = await importCsv(`e-post;anknytning;delad;namn\n${G1.toUpperCase()};1021;nej;Olle O\nAnna@Kommun.Example;1022;;\nnisse@kommun.se;1023;ja;\n`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ dryRun: true, applied: false, summary: { new: 2, changed: 0, unchanged: 0, error: 1 } });
    expect(rowsOf(r)).toEqual([
      { line: 2, user: G1.toUpperCase(), oid: G1, displayName: 'Olle O', extension: '1021', shared: false, status: 'new', reason: null, before: null },
      { line: 3, user: 'Anna@Kommun.Example', oid: 'anna', displayName: 'Name anna', extension: '1022', shared: false, status: 'new', reason: null, before: { extension: null, shared: false, displayName: 'Name anna' } },
      {
        line: 4,
        user: 'nisse@kommun.se',
        oid: null,
        displayName: null,
        extension: '1023',
        shared: true,
        status: 'error',
        reason: {
          code: 'unknownUser',
          message: {
            sv: 'Okänd användare: nisse@kommun.se har inte loggat in och katalogen (Graph) är inte konfigurerad.',
            en: 'Unknown user: nisse@kommun.se has not signed in yet and directory lookup (Graph) is not configured.',
          },
        },
        before: null,
      },
    ]);
    expect(await users(s.store)).toEqual(before);
  });

  test('apply stores exactly the good rows in the admin’s tenant, and the signed-in user sees the link at once; re-importing changes nothing', async () => {
    await s.as('user.anna').get('/api/v1/me');
    const csv = `user,extension,shared,displayName\n${G1},1021,no,Olle O\nanna@kommun.example,1022,,\nnisse@kommun.se,1023,,\n${G2},12a,,\n`;
    const r = await importCsv(csv, false);
    expect(r.json()).toMatchObject({ dryRun: false, applied: true, summary: { new: 2, changed: 0, unchanged: 0, error: 2 } });
    expect(await s.store.getUser({ tid: TID, oid: G1 })).toMatchObject({ extension: '1021', shared: false, displayName: 'Olle O' });
    expect(await s.store.getUser({ tid: TID, oid: G2 })).toBeNull();
    expect((await linked(s.store)).map((u) => [u.oid, u.extension]).sort()).toEqual([
      [G1, '1021'],
      ['anna', '1022'],
    ]);
    // Anna's row was cached at her sign-in: the import forgets it.
    expect((await s.as('user.anna').get('/api/v1/me')).json()).toMatchObject({ extension: '1022', linked: true });

    const stored = await users(s.store);
    s.clock.now += 60_000;
    const again = await importCsv(csv, false);
    expect(again.json()).toMatchObject({ dryRun: false, applied: false, summary: { new: 0, changed: 0, unchanged: 2, error: 2 } });
    expect(rowsOf(again).filter((x) => x.status !== 'error').map((x) => x.status)).toEqual(['unchanged', 'unchanged']);
    expect(await users(s.store)).toEqual(stored);
  });

  test('changed rows carry what was stored before; no name cell (or an empty one) keeps the stored name', async () => {
    // Signing in stores their UPNs (and the token's names, which the admin then replaces).
    await s.as('user.anna').get('/api/v1/me');
    await s.as('user.bo').get('/api/v1/me');
    await s.as('admin.boss').put('/api/v1/admin/users/anna', { extension: '1021', displayName: 'Anna Andersson' });
    await s.as('admin.boss').put('/api/v1/admin/users/bo', { extension: '1030', displayName: 'Bo B' });
    const r = await importCsv('upn;anknytning;delad;namn\nanna@kommun.example;1021;ja;\nbo@kommun.example;1030;;Bo Bengtsson\n', false);
    expect(rowsOf(r).map(({ status, displayName, before }) => ({ status, displayName, before }))).toEqual([
      { status: 'changed', displayName: 'Anna Andersson', before: { extension: '1021', shared: false, displayName: 'Anna Andersson' } },
      { status: 'changed', displayName: 'Bo Bengtsson', before: { extension: '1030', shared: false, displayName: 'Bo B' } },
    ]);
    expect(await s.store.getUser({ tid: TID, oid: 'anna' })).toMatchObject({ extension: '1021', shared: true, displayName: 'Anna Andersson' });
    expect(await s.store.getUser({ tid: TID, oid: 'bo' })).toMatchObject({ displayName: 'Bo Bengtsson' });
    const noNames = await importCsv('upn;anknytning;delad\nanna@kommun.example;1021;ja\nbo@kommun.example;1030;nej\n');
    expect(rowsOf(noNames).map((x) => x.status)).toEqual(['unchanged', 'unchanged']);
  });

  test('every kind of error, each on its line with its reason; error rows are never applied', async () => {
    await link(s, 'olle', '2000');
    await s.as('user.olle').get('/api/v1/me');
    await link(s, 'delad1', '3000', true);
    const csv = [
      'user;extension;shared;name', // 1
      `${G1};12a;;`, // 2 extensionMalformed
      `${G2};1021;;`, // 3
      `${G2};1022;;`, // 4 duplicateUser (line 3)
      `${G3};1021;;`, // 5 duplicateExtension (line 3)
      '', // 6
      'a@x.se;1050;kanske;', // 7 sharedMalformed
      `${G1.replace('1111', '4444')};1060`, // 8 missingColumn
      `${G1.replace('1111', '5555')};;;`, // 9 missingValue
      `${G1.replace('1111', '6666')};2000;;`, // 10 duplicateExtension (olle, in the store)
      `${G1.replace('1111', '7777')};3000;ja;`, // 11 fine: shared with a shared user
      'xyz;1070;;', // 12 unknownUser (not a login)
    ].join('\n');
    const r = await importCsv(csv, false);
    expect(r.statusCode).toBe(200);
    const got = rowsOf(r).map((x) => [x.line, x.status, x.reason?.code ?? null, x.reason?.message.sv ?? null]);
    expect(got).toEqual([
      [2, 'error', 'extensionMalformed', 'Anknytningen måste vara 2–15 siffror (fick "12a").'],
      [3, 'new', null, null],
      [4, 'error', 'duplicateUser', 'Användaren finns redan på rad 3.'],
      [5, 'error', 'duplicateExtension', 'Anknytning 1021 finns redan på rad 3 utan att vara delad.'],
      [7, 'error', 'sharedMalformed', 'Delad måste vara ja eller nej.'],
      [8, 'error', 'missingColumn', 'Raden har 2 kolumner men rubriken har 4.'],
      [9, 'error', 'missingValue', 'Anknytning saknas.'],
      [10, 'error', 'duplicateExtension', 'Anknytning 2000 är redan kopplad till olle@kommun.example utan att vara delad.'],
      [11, 'new', null, null],
      [12, 'error', 'unknownUser', 'Okänd användare: "xyz" är varken ett objekt-id, en UPN eller en e-postadress.'],
    ]);
    for (const x of rowsOf(r)) if (x.reason) expect(x.reason.message.en.length).toBeGreaterThan(10);
    expect(r.json().summary).toEqual({ new: 2, changed: 0, unchanged: 0, error: 8 });
    expect((await linked(s.store)).map((u) => [u.oid, u.extension, u.shared]).sort()).toEqual([
      [G2, '1021', false],
      [G1.replace('1111', '7777'), '3000', true],
      ['delad1', '3000', true],
      ['olle', '2000', false],
    ].sort());
  });

  test('the same extension twice: fine when both rows say shared; a user moving off an extension frees it, one staying does not', async () => {
    await link(s, 'olle', '2000');
    await link(s, 'stina', '2100');
    await s.as('user.olle').get('/api/v1/me');
    await s.as('user.stina').get('/api/v1/me');
    const r = await importCsv(
      [
        'upn;anknytning;delad',
        `${G1};1021;ja`,
        `${G2};1021;ja`,
        `${G3};1021;nej`, // the third is not shared
        'olle@kommun.example;2001;', // Olle moves off 2000 ...
        `${G1.replace('1111', '4444')};2000;`, // ... so 2000 is free
        'stina@kommun.example;2101;kanske', // Stina's row is wrong: she stays on 2100 ...
        `${G1.replace('1111', '5555')};2100;`, // ... so 2100 is not free
      ].join('\n'),
    );
    expect(rowsOf(r).map((x) => [x.line, x.status, x.reason?.code ?? null])).toEqual([
      [2, 'new', null],
      [3, 'new', null],
      [4, 'error', 'duplicateExtension'],
      [5, 'changed', null],
      [6, 'new', null],
      [7, 'error', 'sharedMalformed'],
      [8, 'error', 'duplicateExtension'],
    ]);
    expect(rowsOf(r)[2]!.reason!.message.sv).toBe('Anknytning 1021 finns redan på rad 2 utan att vara delad.');
  });

  test('a blocked move keeps the user where they are, which blocks the row wanting their extension', async () => {
    await link(s, 'zed', '5001'); // not in the file
    await link(s, 'ada', '5000');
    await s.as('user.ada').get('/api/v1/me');
    const r = await importCsv(`user;extension\n${G1};5000\nada@kommun.example;5001\n`, false);
    expect(rowsOf(r).map((x) => [x.line, x.status, x.reason?.message.en ?? null])).toEqual([
      [2, 'error', 'Extension 5000 is already linked to ada@kommun.example, and not as shared by both.'],
      [3, 'error', 'Extension 5001 is already linked to zed, and not as shared by both.'],
    ]);
    expect(r.json().applied).toBe(false);
  });

  test('the log has counts, never extensions, names or logins (SPEC 12)', async () => {
    const logs: string[] = [];
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-imp-')), LOG_LEVEL: 'info' });
    const store = await openStore(':memory:');
    const app = await buildApp({ config, store, verifier: new FakeVerifier(), clock: () => NOW, logger: { level: 'info', stream: { write: (l: string) => logs.push(l) } } });
    try {
      const r = await injector(app)('admin.boss', 'POST', URL, { csv: `user;extension;shared;name\n${G1};104711;ja;Hemlig Person\nsecret@kommun.se;104712;;\n`, dryRun: false });
      expect(r.statusCode).toBe(200);
      const text = logs.join('');
      expect(text).toMatch(/users imported/);
      expect(text).toMatch(/"new":1/);
      for (const secret of ['104711', '104712', 'Hemlig', 'secret@']) expect(text).not.toContain(secret);
    } finally {
      await app.close();
      await store.close();
    }
  });

  test('text/csv for scripts: ?dryRun=false applies, no query is a dry run; another content type is a 415 saying what to send', async () => {
    const csv = `\uFEFFuser;extension\n${G1};1021\n`;
    const dry = await postCsv(Buffer.from(csv, 'utf8'));
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, applied: false, summary: { new: 1 } });
    expect(await s.store.getUser({ tid: TID, oid: G1 })).toBeNull();
    const applied = await postCsv(Buffer.from(csv, 'utf8'), '?dryRun=false', 'text/csv');
    expect(applied.json()).toMatchObject({ dryRun: false, applied: true, summary: { new: 1 } });
    expect(await s.store.getUser({ tid: TID, oid: G1 })).toMatchObject({ extension: '1021' });
    const curlDefault = await postCsv(csv, '?dryRun=false', 'application/x-www-form-urlencoded');
    expect(curlDefault.statusCode).toBe(415);
    expect(curlDefault.json().detail).toMatch(/text\/csv/);
    expect((await postCsv(csv, '?dryRun=maybe')).json()).toMatchObject({ status: 400, field: expect.stringMatching(/^querystring/) });
  });

  test('only admins: 403 for a user, 401 without sign-in; nothing stored', async () => {
    const csv = `user;extension\n${G1};1021\n`;
    expect((await s.as('user.anna').post(URL, { csv, dryRun: false })).statusCode).toBe(403);
    expect((await postCsv(csv, '?dryRun=false', 'text/csv', 'user.anna')).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'POST', url: URL, payload: { csv } })).statusCode).toBe(401);
    expect(await s.store.getUser({ tid: TID, oid: G1 })).toBeNull();
  });

  test('over 5 MB, over 20,000 rows, no extension column, no csv, unknown fields: 400 naming the field', async () => {
    const big = `user;extension\n${`${G1};1021\n`.repeat(Math.ceil(IMPORT_MAX_BYTES / 42) + 10)}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(IMPORT_MAX_BYTES);
    const tooBig = await importCsv(big);
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json()).toMatchObject({ field: 'csv', detail: expect.stringMatching(/5 MB/) });
    expect((await postCsv(big)).json()).toMatchObject({ status: 400, field: 'csv' });
    const tooMany = await importCsv(`user;extension\n${`${G1};1021\n`.repeat(20_001)}`);
    expect(tooMany.json()).toMatchObject({ status: 400, field: 'csv', detail: expect.stringMatching(/20000/) });
    const hugeBody = await postCsv(Buffer.alloc(2 * IMPORT_MAX_BYTES + 1, 'a'));
    expect(hugeBody.json()).toMatchObject({ status: 413, field: 'csv' });
    const noExtension = await importCsv('user;namn\nanna@kommun.se;Anna\n');
    expect(noExtension.json()).toMatchObject({ status: 400, field: 'csv', detail: expect.stringMatching(/extension/) });
    expect((await s.as('admin.boss').post(URL, { dryRun: true })).json()).toMatchObject({ status: 400, field: expect.stringMatching(/^body/) });
    expect((await s.as('admin.boss').post(URL, { csv: 'user;extension\n', force: true })).statusCode).toBe(400);
    const justHeader = await importCsv('user;extension\n');
    expect(justHeader.json()).toMatchObject({ summary: { new: 0, changed: 0, unchanged: 0, error: 0 }, rows: [] });
  });
});

describe('UPNs through the directory (Graph)', () => {
  const nils: DirectoryUser = { oid: G3, displayName: 'Nils Nilsson', upn: 'nils@kommun.se', mail: 'nils.nilsson@kommun.se' };

  test('asked once, for the logins the store does not know; a new user takes its names from the directory', async () => {
    const directory = fakeDirectory([nils]);
    s = await testServer({}, NOW, { directory });
    await s.as('user.anna').get('/api/v1/me');
    const r = await importCsv('e-post;anknytning\nNils.Nilsson@kommun.se;1031\nanna@kommun.example;1032\nokand@kommun.se;1033\n', false);
    expect(directory.asked).toEqual([['nils.nilsson@kommun.se', 'okand@kommun.se']]);
    expect(rowsOf(r).map((x) => [x.oid, x.displayName, x.status, x.reason?.message.sv ?? null])).toEqual([
      [G3, 'Nils Nilsson', 'new', null],
      ['anna', 'Name anna', 'new', null],
      [null, null, 'error', 'Okänd användare: okand@kommun.se finns inte i katalogen.'],
    ]);
    expect(await s.store.getUser({ tid: TID, oid: G3 })).toMatchObject({ extension: '1031', displayName: 'Nils Nilsson', upn: 'nils@kommun.se', mail: 'nils.nilsson@kommun.se' });
    // Now known to the store: the directory is not asked again.
    const again = await importCsv('e-post;anknytning\nnils@kommun.se;1031\n');
    expect(byUser(again)['nils@kommun.se']).toMatchObject({ status: 'unchanged' });
    expect(directory.asked).toHaveLength(1);
  });

  test('the directory failing: 503, nothing stored', async () => {
    s = await testServer({}, NOW, { directory: fakeDirectory([nils], true) });
    const r = await importCsv(`e-post;anknytning\nnils@kommun.se;1031\n${G1};1032\n`, false);
    expect(r.statusCode).toBe(503);
    expect(r.json().detail).not.toMatch(/nils/);
    expect(await linked(s.store)).toEqual([]);
  });
});

/** The store (and every transaction it opens), with linkUser failing at its `n`th call. */
function failingAt(store: Store, n: number): Store {
  let calls = 0;
  const wrap = (real: Store): Store =>
    new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'linkUser') {
          return (...args: Parameters<Store['linkUser']>) => {
            calls += 1;
            if (calls === n) throw new Error('disk full');
            return target.linkUser(...args);
          };
        }
        if (prop === 'transaction') return <T>(fn: (tx: Store) => Promise<T>) => target.transaction((tx) => fn(wrap(tx)));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  return wrap(store);
}

const CSV5 = `user;extension;shared;name\n${[1, 2, 3, 4, 5].map((i) => `${G1.replace('0001', `000${i}`)};10${i}0;;User ${i}`).join('\n')}\n`;

async function serviceSuite(open: () => Promise<{ store: Store; close: () => Promise<void> }>) {
  const { store, close } = await open();
  try {
    await store.linkUser({ tid: TID, oid: G1.replace('0001', '0002') }, { extension: '9999', shared: false, displayName: 'Before' }, NOW - 1000);
    const before: UserRow[] = await store.listUsers();
    // A crash half-way leaves nothing half-imported.
    const broken = new Service(failingAt(store, 3), () => NOW, 'Europe/Stockholm');
    broken.onChange = jest.fn();
    await expect(broken.importUsers({ tid: TID }, CSV5, { dryRun: false })).rejects.toThrow('disk full');
    expect(await store.listUsers()).toEqual(before);
    expect(broken.onChange).not.toHaveBeenCalled();

    const service = new Service(store, () => NOW, 'Europe/Stockholm');
    const told: string[][] = [];
    service.onChange = (e) => told.push(e);
    const r = await service.importUsers({ tid: TID }, CSV5, { dryRun: false });
    expect(r.summary).toEqual({ new: 4, changed: 1, unchanged: 0, error: 0 });
    expect((await store.listUsers()).map((u) => [u.oid, u.extension, u.displayName]).sort()).toEqual(
      [1, 2, 3, 4, 5].map((i) => [G1.replace('0001', `000${i}`), `10${i}0`, `User ${i}`]).sort(),
    );
    // Told once, after the commit, with the extensions before and after.
    expect(told).toHaveLength(1);
    expect([...told[0]!].sort()).toEqual(['1010', '1020', '1030', '1040', '1050', '9999']);
    const again = await service.importUsers({ tid: TID }, CSV5, { dryRun: false });
    expect(again).toMatchObject({ applied: false, summary: { unchanged: 5 } });
    expect(told).toHaveLength(1);
  } finally {
    await close();
  }
}

test('SQLite: all or nothing when linkUser fails on its 3rd call; the change is told once; re-import unchanged', () =>
  serviceSuite(async () => {
    const store = await openStore(':memory:');
    return { store, close: () => store.close() };
  }));

const { skip: pgSkip } = postgresAvailability('PostgreSQL CSV import tests');
(pgSkip ? describe.skip : describe)('PostgreSQL', () => {
  test('all or nothing when linkUser fails on its 3rd call; the change is told once; re-import unchanged', () =>
    serviceSuite(async () => {
      const schema = await throwawaySchema('kk_import_test');
      const store = await openStore(schema.url);
      return {
        store,
        close: async () => {
          await store.close();
          await schema.drop();
        },
      };
    }));

  test('the API applies exactly the good rows, and a re-import is unchanged', async () => {
    const schema = await throwawaySchema('kk_import_api');
    const store = await openStore(schema.url);
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'kk-imp-')), LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, store, verifier: new FakeVerifier(), clock: () => NOW, logger: false });
    try {
      const call = injector(app);
      await call('user.anna', 'GET', '/api/v1/me');
      const csv = `upn;anknytning;delad;namn\n${G1};1021;ja;Olle\n${G2};1021;ja;\nanna@kommun.example;1022;;\nnisse@kommun.se;1023;;\n${G3};x;;\n`;
      const r = await call('admin.boss', 'POST', URL, { csv, dryRun: false });
      expect(r.json()).toMatchObject({ applied: true, summary: { new: 3, changed: 0, unchanged: 0, error: 2 } });
      expect((await linked(store)).map((u) => [u.oid, u.extension, u.shared]).sort()).toEqual([
        [G1, '1021', true],
        [G2, '1021', true],
        ['anna', '1022', false],
      ]);
      const again = await call('admin.boss', 'POST', URL, { csv, dryRun: false });
      expect(again.json()).toMatchObject({ applied: false, summary: { new: 0, changed: 0, unchanged: 3, error: 2 } });
    } finally {
      await app.close();
      await store.close();
      await schema.drop();
    }
  });
});

describe('Google Workspace addresses (issue 17)', () => {
  test('with Google sync configured, an address in GOOGLE_DOMAIN that nobody knows is a Google user, keyed by it; another domain stays unknown', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { writeFileSync } = await import('node:fs');
    const keyFile = join(mkdtempSync(join(tmpdir(), 'kk-import-google-')), 'key.json');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: 'kk@p.iam.gserviceaccount.com', private_key: privateKey }));
    s = await testServer({ GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_DOMAIN: 'skola.se' }, NOW);
    const r = await importCsv('e-post;anknytning;namn\nEva@Skola.se;1041;Eva Ek\nokand@kommun.se;1042;\n', false);
    const [eva, unknown] = rowsOf(r);
    expect(eva).toMatchObject({ status: 'new', displayName: 'Eva Ek', extension: '1041' });
    expect(eva!.oid).toMatch(/^google-[0-9a-f]{40}$/);
    expect(unknown).toMatchObject({ status: 'error', reason: { code: 'unknownUser' } });
    expect(await s.store.getUser({ tid: TID, oid: eva!.oid! })).toMatchObject({ extension: '1041', mail: 'eva@skola.se', displayName: 'Eva Ek' });
    // The same address again is the same user: unchanged, not a second one.
    const again = await importCsv('e-post;anknytning;namn\neva@skola.se;1041;Eva Ek\n');
    expect(rowsOf(again)[0]).toMatchObject({ oid: eva!.oid, status: 'unchanged' });
    expect(await linked(s.store)).toHaveLength(1);
  });
});
