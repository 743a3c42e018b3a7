/** The Office.js adapter of the Appointment port, on office-addin-mock's Outlook mock. */
import { OfficeMockObject } from 'office-addin-mock';
import { OfficeAppointment } from '../../src/taskpane/office/appointment';
import { officeAsync } from '../../src/taskpane/office/async';
import { ItemError } from '../../src/taskpane/port';

type Cb = (r: { status: string; value?: unknown; error?: { name: string; message: string } }) => void;
const ok = (value?: unknown) => ({ status: 'succeeded', value });

function composeMock(opts: { subject: string; failSet?: boolean; sets?: string[] }) {
  let subject = opts.subject;
  const handlers: string[] = [];
  const data = {
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Text: 'text' },
    EventType: { AppointmentTimeChanged: 'appointmentTimeChanged', RecurrenceChanged: 'recurrenceChanged' },
    MailboxEnums: { RestVersion: { v2_0: 'v2.0' } },
    context: {
      displayLanguage: 'sv-SE',
      requirements: { isSetSupported: (_set: string, v: string) => (opts.sets ?? ['1.1', '1.7', '1.8', '1.14']).includes(v) },
      mailbox: {
        convertToRestId: (id: string, version: string) => `rest(${version}):${id}`,
        item: {
          subject: {
            getAsync: (cb: Cb) => cb(ok(subject)),
            setAsync: (v: string, cb: Cb) => (opts.failSet ? cb({ status: 'failed', error: { name: 'InvalidState', message: 'read only' } }) : ((subject = v), cb(ok()))),
          },
          start: { getAsync: (cb: Cb) => cb(ok(new Date('2026-11-24T11:00:00Z'))) },
          end: { getAsync: (cb: Cb) => cb(ok(new Date('2026-11-24T12:00:00Z'))) },
          location: { getAsync: (cb: Cb) => cb(ok('Matsalen')) },
          body: { getAsync: (_t: string, cb: Cb) => cb(ok('Agenda')) },
          sensitivity: { getAsync: (cb: Cb) => cb(ok('Private')) },
          recurrence: { getAsync: (cb: Cb) => cb(ok(null)) },
          getItemIdAsync: (cb: Cb) => cb({ status: 'failed', error: { name: 'ItemNotSaved', message: 'not saved' } }),
          saveAsync: (cb: Cb) => cb(ok('AAMkSaved=')),
          addHandlerAsync: (type: string) => handlers.push(type),
          removeHandlerAsync: (type: string) => handlers.splice(handlers.indexOf(type), 1),
        },
      },
    },
  };
  return { office: new OfficeMockObject(data) as unknown as typeof Office, handlers, subject: () => subject };
}

beforeEach(() => {
  // officeAsync compares with the global Office's status enum, as the real page does.
  (globalThis as { Office?: unknown }).Office = { AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' }, context: { requirements: { isSetSupported: () => true } } };
});

test('compose mode reads the item through the *Async calls and writes the subject', async () => {
  const m = composeMock({ subject: 'NP/L lunch' });
  const a = new OfficeAppointment(m.office);
  expect(a.mode).toBe('organizer');
  const snap = await a.read();
  expect(snap).toMatchObject({ subject: 'NP/L lunch', start: Date.parse('2026-11-24T11:00:00Z'), location: 'Matsalen', body: 'Agenda', sensitivity: 'private', mode: 'organizer', itemId: null });
  await a.setSubject('NP/L: lunch');
  expect(m.subject()).toBe('NP/L: lunch');
});

test('save gives the REST id through convertToRestId', async () => {
  const a = new OfficeAppointment(composeMock({ subject: 'x' }).office);
  expect(await a.saveAndGetRestId()).toBe('rest(v2.0):AAMkSaved=');
});

test('a failed setAsync rejects with a typed ItemError (never a throw lost in a callback)', async () => {
  const a = new OfficeAppointment(composeMock({ subject: 'x', failSet: true }).office);
  await expect(a.setSubject('NP/L: x')).rejects.toEqual(expect.objectContaining({ name: 'ItemError', code: 'InvalidState' }));
  await expect(officeAsync(() => { throw new Error('boom'); })).rejects.toBeInstanceOf(ItemError);
});

test('time and recurrence changes are subscribed when Mailbox 1.7 is there; sensitivity only from 1.14', async () => {
  const m = composeMock({ subject: 'x' });
  const off = new OfficeAppointment(m.office).onChange(() => undefined);
  expect(m.handlers).toEqual(['appointmentTimeChanged', 'recurrenceChanged']);
  off();
  expect(m.handlers).toEqual([]);
  const old = composeMock({ subject: 'x', sets: ['1.1'] });
  expect((await new OfficeAppointment(old.office).read()).sensitivity).toBe('normal');
  new OfficeAppointment(old.office).onChange(() => undefined);
  expect(old.handlers).toEqual([]);
});

test('read mode (attendee): plain values, no subject writes', async () => {
  const office = new OfficeMockObject({
    host: 'outlook',
    CoercionType: { Text: 'text' },
    MailboxEnums: { RestVersion: { v2_0: 'v2.0' } },
    context: {
      requirements: { isSetSupported: () => true },
      mailbox: {
        convertToRestId: (id: string) => `rest:${id}`,
        item: {
          subject: 'NP/M: Styrelse',
          start: new Date('2026-11-24T11:00:00Z'),
          end: new Date('2026-11-24T12:00:00Z'),
          location: 'Rum 2',
          itemId: 'AAMkRead=',
          body: { getAsync: (_t: string, cb: Cb) => cb(ok('')) },
        },
      },
    },
  }) as unknown as typeof Office;
  const a = new OfficeAppointment(office);
  expect(a.mode).toBe('attendee');
  expect(await a.read()).toMatchObject({ subject: 'NP/M: Styrelse', mode: 'attendee', itemId: 'AAMkRead=' });
  await expect(a.setSubject('x')).rejects.toBeInstanceOf(ItemError);
  expect(await a.saveAndGetRestId()).toBe('rest:AAMkRead=');
});

/** Read mode with a mailbox that records what displayAppointmentForm was given. */
function openMock(mailbox: Record<string, unknown>) {
  const shown: string[] = [];
  const office = new OfficeMockObject({
    host: 'outlook',
    CoercionType: { Text: 'text' },
    MailboxEnums: { RestVersion: { v2_0: 'v2.0' } },
    context: {
      requirements: { isSetSupported: () => true },
      mailbox: {
        displayAppointmentForm: (id: string) => shown.push(id),
        item: { subject: 'x', start: new Date('2026-11-24T11:00:00Z'), end: new Date('2026-11-24T12:00:00Z'), itemId: 'AAMkRead=' },
        ...mailbox,
      },
    },
  }) as unknown as typeof Office;
  return { office, shown };
}

test('openItem converts the stored REST id with convertToEwsId (v2.0) before displayAppointmentForm', async () => {
  const m = openMock({ convertToEwsId: (id: string, version: string) => `ews(${version}):${id}` });
  const a = new OfficeAppointment(m.office);
  expect(a.openItem).toBeDefined();
  await a.openItem?.('AAMk-rest_id=');
  expect(m.shown).toEqual(['ews(v2.0):AAMk-rest_id=']);
});

test('openItem without convertToEwsId gives displayAppointmentForm the id as it is', async () => {
  const m = openMock({});
  await new OfficeAppointment(m.office).openItem?.('AAMk-rest_id=');
  expect(m.shown).toEqual(['AAMk-rest_id=']);
});

test('no openItem where Outlook cannot open another item (mobile, or no displayAppointmentForm)', () => {
  expect(new OfficeAppointment(openMock({ diagnostics: { hostName: 'OutlookIOS' } }).office).openItem).toBeUndefined();
  expect(new OfficeAppointment(openMock({ diagnostics: { hostName: 'OutlookAndroid' } }).office).openItem).toBeUndefined();
  expect(new OfficeAppointment(openMock({ displayAppointmentForm: undefined }).office).openItem).toBeUndefined();
  expect(new OfficeAppointment(openMock({ diagnostics: { hostName: 'OutlookWebApp' } }).office).openItem).toBeDefined();
});

test('a host that throws on opening gives a typed ItemError', async () => {
  const m = openMock({
    displayAppointmentForm: () => {
      throw Object.assign(new Error('bad id'), { name: 'InvalidItemId' });
    },
  });
  await expect(new OfficeAppointment(m.office).openItem?.('x')).rejects.toEqual(expect.objectContaining({ name: 'ItemError', code: 'InvalidItemId' }));
});
