/**
 * Issue 14, NOTIFY_MAIL=on: when calendar sync first sees a booking that will not divert, the user
 * gets one short mail through Graph's sendMail (the loopback fake), in their Språk, once per
 * booking version, never about a private booking, quoting no more of the subject than its code.
 */
import { loadConfig } from '../../../src/server/config';
import { Mailer } from '../../../src/server/notify/mailer';
import { Service } from '../../../src/server/service';
import { TID } from '../../helpers/server';
import { CLIENT, type Harness, harness, iso, linkUser, SECRET } from './harness';

let h: Harness;
afterEach(async () => h?.close());

const ANNA = { tid: TID, oid: 'anna' };
/** Tomorrow 11:00–12:00 UTC: onsdag 25 november 12:00–13:00 in Stockholm. */
const lunch = (id: string, extra: Record<string, unknown> = {}) => ({ id, subject: 'NP/L Lunch med Eva', start: iso('11:00', '2026-11-25'), end: iso('12:00', '2026-11-25'), location: 'Rum 4', body: 'Ring 0701234567', ...extra });
const signIn = async (oid = 'anna') => expect((await h.as(`user.${oid}`, 'GET', '/api/v1/me')).statusCode).toBe(200);
const mails = () => h.graph.sentMails;

describe('NOTIFY_MAIL=on', () => {
  beforeEach(async () => {
    h = await harness({ NOTIFY_MAIL: 'on' });
    await linkUser(h, 'anna', '1021');
    await signIn(); // the UPN anna@kommun.example is known from sign-in
  });

  test('one mail in Swedish from the user\'s own mailbox, with only the code part of the subject', async () => {
    h.graph.put('anna', lunch('e1'));
    await h.sync.runAll();
    expect(mails()).toHaveLength(1);
    const [m] = mails();
    expect(m!.sender).toBe('anna');
    expect(m!.saveToSentItems).toBe(false);
    expect(m!.message.toRecipients).toEqual([{ emailAddress: { address: 'anna@kommun.example' } }]);
    expect(m!.message.subject).toBe('Kalenderkoppling: bokningen onsdag 25 november 12:00–13:00 hänvisar inte');
    expect(m!.message.body.contentType).toBe('Text');
    expect(m!.message.body.content).toContain('Din bokning onsdag 25 november 12:00–13:00 kommer inte att hänvisa din telefon.');
    expect(m!.message.body.content).toContain('Kolon saknas: menade du NP/L:?');
    expect(m!.message.body.content).toContain('Koden i ämnet: NP/L');
    const text = JSON.stringify(m!.message);
    for (const secret of ['Lunch', 'Eva', 'Rum 4', '0701234567', '1021']) expect(text).not.toContain(secret);
  });

  test('the same version is mailed once: a later round, a full round again, and the sweep send nothing more', async () => {
    h.graph.put('anna', lunch('e1'));
    await h.sync.runAll();
    await h.sync.runAll();
    h.graph.expireDeltaLinks('anna'); // the next round starts over and stores e1 again, same lastModified
    const [full] = await h.sync.runAll();
    expect(full).toMatchObject({ full: true, stored: 1 });
    expect((await h.app.mailer!.sweep()).sent).toBe(0);
    expect(mails()).toHaveLength(1);
  });

  test('a new version that still will not divert gets another mail; a fixed one none', async () => {
    h.graph.put('anna', lunch('e1'));
    await h.sync.runAll();
    h.graph.put('anna', lunch('e1', { subject: 'NP-L: Lunch igen' }));
    await h.sync.runAll();
    expect(mails()).toHaveLength(2);
    expect(mails()[1]!.message.body.content).toContain('Felskriven kod: menade du NP/L:?');
    expect(mails()[1]!.message.body.content).not.toContain('igen');
    h.graph.put('anna', lunch('e1', { subject: 'NP/L: Lunch' }));
    await h.sync.runAll();
    expect(mails()).toHaveLength(2);
  });

  test('in English when the user\'s Språk is English', async () => {
    await h.as('user.anna', 'PUT', '/api/v1/me/settings', { language: 'en' });
    h.graph.put('anna', lunch('e1', { subject: 'Lunch med Eva NP/L:' }));
    await h.sync.runAll();
    expect(mails()).toHaveLength(1);
    const m = mails()[0]!.message;
    expect(m.subject).toBe('Kalenderkoppling: your booking Wednesday 25 November 12:00–13:00 will not divert');
    expect(m.body.content).toContain('The code is not first: put NP/L: at the start of the subject.');
    // notAtStart: the stored code part is empty, so no "code in the subject" line at all.
    expect(m.body.content).not.toContain('The code in the subject');
    expect(m.body.content).not.toContain('Lunch');
  });

  test('free and tentative bookings with a code are mailed about; never a private one', async () => {
    h.graph.put('anna', lunch('free', { subject: 'NP/M: Möte', showAs: 'free' }));
    h.graph.put('anna', lunch('private-near', { sensitivity: 'private', start: iso('13:00', '2026-11-25'), end: iso('14:00', '2026-11-25') }));
    h.graph.put('anna', lunch('private-code', { subject: 'NP/L: Lunch', sensitivity: 'private', start: iso('15:00', '2026-11-25'), end: iso('16:00', '2026-11-25') }));
    h.graph.put('anna', lunch('confidential', { sensitivity: 'confidential', start: iso('16:00', '2026-11-25'), end: iso('17:00', '2026-11-25') }));
    await h.sync.runAll();
    expect(mails()).toHaveLength(1);
    expect(mails()[0]!.message.body.content).toContain('Visas som Ledig: sådana möten synkas inte enligt dina inställningar.');
    // The private ones are problems in the pane's list, but no mail is due for them.
    expect((await h.store.dueMails(100)).length).toBe(0);
    const listed = (await h.as('user.anna', 'GET', '/api/v1/me/problems')).json().problems.map((p: { bookingId: string }) => p.bookingId);
    expect(listed).toEqual(['free', 'private-near', 'private-code', 'confidential']);
  });

  test('nothing for a cancelled booking, one over, or one more than 14 days ahead; a booking that is fine gets none', async () => {
    h.graph.put('anna', lunch('cancelled', { isCancelled: true }));
    h.graph.put('anna', lunch('over', { start: iso('08:00', '2026-11-24'), end: iso('09:00', '2026-11-24') }));
    h.graph.put('anna', lunch('far', { start: iso('11:00', '2026-12-10'), end: iso('12:00', '2026-12-10') }));
    h.graph.put('anna', lunch('fine', { subject: 'NP/L: Lunch' }));
    await h.sync.runAll();
    expect(mails()).toHaveLength(0);
  });

  test('a booking made private after its mail was due is not mailed', async () => {
    h.graph.put('anna', lunch('e1'));
    h.graph.failSendMail(403);
    await h.sync.runAll();
    expect((await h.store.dueMails(100)).map((d) => d.booking.bookingId)).toEqual(['e1']);
    expect(mails()).toHaveLength(0);
    h.graph.put('anna', lunch('e1', { sensitivity: 'private' }));
    await h.sync.runAll();
    expect(mails()).toHaveLength(0);
    expect(await h.store.dueMails(100)).toEqual([]);
  });

  test('sendMail failing keeps the mail due: the next round sends it, and so does the sweep at start', async () => {
    h.graph.failSendMail(403);
    h.graph.put('anna', lunch('e1'));
    await h.sync.runAll();
    expect(mails()).toHaveLength(0);
    expect((await h.store.dueMails(100)).map((d) => d.booking.bookingId)).toEqual(['e1']);
    await h.sync.runAll(); // nothing new in Graph: the round's mail step retries
    expect(mails()).toHaveLength(1);
    expect(await h.store.dueMails(100)).toEqual([]);

    // A mail due when the process stopped (its round then failing): the start's sweep sends it.
    h.graph.failSendMail(503, 6); // 503 is retried by the Graph client, six times over
    h.graph.put('anna', lunch('e2', { start: iso('13:00', '2026-11-25'), end: iso('14:00', '2026-11-25') }));
    await h.sync.runAll();
    expect(mails()).toHaveLength(1);
    h.graph.fail('anna', 500);
    const [failed] = await h.sync.runAll();
    expect(failed?.ok).toBe(false);
    expect(await h.app.mailer!.sweep()).toMatchObject({ sent: 1, failed: 0 });
    expect(mails()).toHaveLength(2);
  });

  test('a user with no address known yet: counted and kept due until sign-in gives one', async () => {
    await linkUser(h, 'bert', '1022'); // linked by an admin, never signed in: no UPN or e-mail
    h.graph.put('bert', lunch('b1'));
    await h.sync.runAll();
    expect(mails()).toHaveLength(0);
    expect(h.app.mailer!.counts.noAddress).toBe(1);
    await signIn('bert');
    await h.sync.runAll();
    expect(mails().map((m) => m.message.toRecipients[0]!.emailAddress.address)).toEqual(['bert@kommun.example']);
  });

  test('logs carry ids and counts, never subjects, addresses or numbers', async () => {
    const lines: string[] = [];
    const log = { info: (o: object, m: string) => void lines.push(JSON.stringify([o, m])), warn: (o: object, m: string) => void lines.push(JSON.stringify([o, m])), error: (o: object, m: string) => void lines.push(JSON.stringify([o, m])) };
    const service = new Service(h.store, () => h.clock.now, 'Europe/Stockholm', 0, { notifyMail: true });
    const mailer = new Mailer({ config: { mail: true, from: null }, client: h.sync.client, baseUrl: h.graph.baseUrl, service, log });
    await service.putBooking(await service.context(await h.user('anna')), 'x1', { ...lunch('x1'), lastModified: '2026-11-24T09:00:00Z' }, { source: 'graph' });
    await service.putBooking(await service.context(await h.user('anna')), 'x2', { ...lunch('x2', { start: iso('13:00', '2026-11-25'), end: iso('14:00', '2026-11-25') }), lastModified: '2026-11-24T09:00:00Z' }, { source: 'graph' });
    h.graph.failSendMail(403);
    expect(await mailer.sendDue(ANNA)).toMatchObject({ sent: 0, failed: 1 });
    expect(await mailer.sweep()).toMatchObject({ sent: 2 });
    expect(lines.join('\n')).toMatch(/"oid":"anna"/);
    for (const secret of ['Lunch', 'Eva', 'Rum 4', '0701234567', 'kommun.example', 'NP/L', '1021']) expect(lines.join('\n')).not.toContain(secret);
  });
});

test('NOTIFY_MAIL_FROM: every mail is sent from that mailbox, to the user', async () => {
  h = await harness({ NOTIFY_MAIL: 'on', NOTIFY_MAIL_FROM: 'Kalenderkoppling@Kommun.example' });
  await linkUser(h, 'anna', '1021');
  await signIn();
  h.graph.put('anna', lunch('e1'));
  await h.sync.runAll();
  expect(mails().map((m) => [m.sender, m.message.toRecipients[0]!.emailAddress.address])).toEqual([['kalenderkoppling@kommun.example', 'anna@kommun.example']]);
});

test('NOTIFY_MAIL off (the default): nothing is sent and no mail is marked due', async () => {
  h = await harness();
  await linkUser(h, 'anna', '1021');
  await signIn();
  h.graph.put('anna', lunch('e1'));
  await h.sync.runAll();
  expect(h.app.mailer).toBeNull();
  expect(mails()).toEqual([]);
  expect(await h.store.dueMails(100)).toEqual([]);
  // The pane's list does not depend on the option.
  expect((await h.as('user.anna', 'GET', '/api/v1/me/problems')).json().problems).toHaveLength(1);
});

test('the add-in\'s push never marks a mail due (its user sees the problem in Outlook)', async () => {
  h = await harness({ NOTIFY_MAIL: 'on' });
  await linkUser(h, 'anna', '1021');
  const r = await h.as('user.anna', 'PUT', '/api/v1/me/bookings/a1', lunch('a1'));
  expect(r.statusCode).toBe(200);
  expect(await h.store.dueMails(100)).toEqual([]);
});

describe('configuration', () => {
  const graph = { GRAPH_TENANT_ID: TID, GRAPH_CLIENT_ID: CLIENT, GRAPH_CLIENT_SECRET: SECRET };
  const load = (env: Record<string, string>) => () => loadConfig({ LOG_LEVEL: 'silent', ...env });

  test('on or off (any case), default off; NOTIFY_MAIL_FROM lowercased', () => {
    expect(load({})().notify).toEqual({ mail: false, from: null });
    expect(load({ ...graph, NOTIFY_MAIL: 'ON' })().notify).toEqual({ mail: true, from: null });
    expect(load({ ...graph, NOTIFY_MAIL: 'on', NOTIFY_MAIL_FROM: 'KK@Kommun.se' })().notify).toEqual({ mail: true, from: 'kk@kommun.se' });
  });

  test('a bad value, on without Graph, or a sender without the option: one line naming the variable', () => {
    expect(load({ ...graph, NOTIFY_MAIL: 'yes' })).toThrow('Invalid configuration: NOTIFY_MAIL must be on or off (got "yes")');
    expect(load({ NOTIFY_MAIL: 'on' })).toThrow(/^Invalid configuration: NOTIFY_MAIL needs Microsoft Graph configured: set GRAPH_TENANT_ID/);
    expect(load({ ...graph, NOTIFY_MAIL: 'on', NOTIFY_MAIL_FROM: 'not a mailbox' })).toThrow(/NOTIFY_MAIL_FROM must be a mailbox/);
    expect(load({ ...graph, NOTIFY_MAIL_FROM: 'kk@kommun.se' })).toThrow(/NOTIFY_MAIL_FROM needs NOTIFY_MAIL=on/);
    for (const env of [{ ...graph, NOTIFY_MAIL: 'yes' }, { NOTIFY_MAIL: 'on' }]) {
      try {
        load(env)();
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });
});
