/**
 * The Appointment port on Office.js: compose mode (organizer: subject/start/end are objects with
 * getAsync/setAsync) and read mode (attendee: plain values). The only module that reads the item.
 * Office.js has no subject-changed event for appointments; the pane polls `read()` instead.
 */
import type { AppointmentPort, ItemMode, ItemSnapshot } from '../port';
import { ItemError } from '../port';
import { officeAsync, supports } from './async';

type Compose = Office.AppointmentCompose;
type Read = Office.AppointmentRead;

const SENSITIVITY: Record<string, ItemSnapshot['sensitivity']> = {
  Normal: 'normal',
  Personal: 'personal',
  Private: 'private',
  Confidential: 'confidential',
};

export class OfficeAppointment implements AppointmentPort {
  readonly mode: ItemMode;
  private readonly item: Compose | Read;
  private savedId: string | null = null;
  /** Present only where Outlook can open another item (see canOpenItems). */
  readonly openItem?: (bookingId: string) => Promise<void>;

  constructor(private readonly office: typeof Office = Office) {
    const item = office.context.mailbox.item as unknown as (Compose | Read) | null;
    if (!item) throw new ItemError('NoItem', 'No calendar item is open.');
    this.item = item;
    // In compose mode subject is an object with getAsync; in read mode it is a string.
    this.mode = typeof (item as Compose).subject === 'object' ? 'organizer' : 'attendee';
    if (canOpenItems(office)) this.openItem = (id) => this.open(id);
  }

  /**
   * displayAppointmentForm takes an EWS id; the endpoint stores REST ids (Graph's, and the add-in's
   * own from convertToRestId), so the id is converted back with convertToEwsId where the host has
   * it, and given as is where it does not (a fallback: the hosts known to lack it, Outlook mobile,
   * lack displayAppointmentForm too).
   * Outlook gives no error for an id it cannot find: it opens an empty form.
   * https://learn.microsoft.com/javascript/api/outlook/office.mailbox (displayAppointmentForm,
   * convertToEwsId: Mailbox 1.1 and 1.3, neither supported in Outlook on Android or on iOS).
   */
  private async open(bookingId: string): Promise<void> {
    const mailbox = this.office.context.mailbox;
    try {
      const ewsId = typeof mailbox.convertToEwsId === 'function' ? mailbox.convertToEwsId(bookingId, this.office.MailboxEnums.RestVersion.v2_0) : bookingId;
      mailbox.displayAppointmentForm(ewsId);
    } catch (e) {
      throw new ItemError((e as { name?: string }).name || 'OpenFailed', 'The booking could not be opened.');
    }
  }

  private get compose(): Compose {
    return this.item as Compose;
  }

  async read(): Promise<ItemSnapshot> {
    if (this.mode === 'attendee') {
      const it = this.item as Read;
      const body = await officeAsync<string>((cb) => it.body.getAsync(this.office.CoercionType.Text, cb)).catch(() => '');
      return {
        subject: it.subject ?? '',
        start: new Date(it.start).getTime(),
        end: new Date(it.end).getTime(),
        location: it.location ?? '',
        body,
        sensitivity: 'normal',
        mode: 'attendee',
        itemId: it.itemId ?? null,
        recurrence: it.recurrence ? (JSON.parse(JSON.stringify(it.recurrence)) as Record<string, unknown>) : null,
      };
    }
    const c = this.compose;
    const [subject, start, end, location, body] = await Promise.all([
      officeAsync<string>((cb) => c.subject.getAsync(cb)),
      officeAsync<Date>((cb) => c.start.getAsync(cb)),
      officeAsync<Date>((cb) => c.end.getAsync(cb)),
      officeAsync<string>((cb) => c.location.getAsync(cb)).catch(() => ''),
      officeAsync<string>((cb) => c.body.getAsync(this.office.CoercionType.Text, cb)).catch(() => ''),
    ]);
    // Sensitivity is Mailbox 1.14; older hosts cannot tell (treated as normal, as the endpoint would be told).
    let sensitivity: ItemSnapshot['sensitivity'] = 'normal';
    if (supports('Mailbox', '1.14', this.office) && c.sensitivity) {
      const s = await officeAsync<string>((cb) => c.sensitivity.getAsync(cb as never)).catch(() => 'Normal');
      sensitivity = SENSITIVITY[s] ?? 'normal';
    }
    let itemId = this.savedId;
    if (!itemId && supports('Mailbox', '1.8', this.office) && typeof c.getItemIdAsync === 'function') {
      itemId = await officeAsync<string>((cb) => c.getItemIdAsync(cb)).catch(() => null);
    }
    let recurrence: Record<string, unknown> | null = null;
    if (supports('Mailbox', '1.7', this.office) && c.recurrence) {
      const rec = await officeAsync<Office.Recurrence | null>((cb) => c.recurrence.getAsync(cb)).catch(() => null);
      recurrence = rec ? (JSON.parse(JSON.stringify(rec)) as Record<string, unknown>) : null;
    }
    return { subject, start: start.getTime(), end: end.getTime(), location, body, sensitivity, mode: 'organizer', itemId, recurrence };
  }

  async setSubject(subject: string): Promise<void> {
    if (this.mode !== 'organizer') throw new ItemError('ReadOnly', 'Only the organizer can change the subject.');
    const c = this.compose;
    await officeAsync<void>((cb) => c.subject.setAsync(subject, cb));
  }

  async saveAndGetRestId(): Promise<string> {
    let id: string;
    if (this.mode === 'organizer') {
      id = await officeAsync<string>((cb) => this.compose.saveAsync(cb));
      this.savedId = id;
    } else {
      id = (this.item as Read).itemId;
    }
    if (!id) throw new ItemError('NotSaved', 'The item could not be saved.');
    return this.toRest(id);
  }

  async restId(): Promise<string | null> {
    const snap = await this.read();
    return snap.itemId ? this.toRest(snap.itemId) : null;
  }

  private toRest(id: string): string {
    const mailbox = this.office.context.mailbox;
    // Outlook on the web and new Outlook already use REST ids; convertToRestId is then a no-op.
    return typeof mailbox.convertToRestId === 'function' ? mailbox.convertToRestId(id, this.office.MailboxEnums.RestVersion.v2_0) : id;
  }

  onChange(listener: () => void): () => void {
    const item = this.item as unknown as { addHandlerAsync?: (t: Office.EventType, h: () => void, cb?: () => void) => void; removeHandlerAsync?: (t: Office.EventType, cb?: () => void) => void };
    if (!supports('Mailbox', '1.7', this.office) || typeof item.addHandlerAsync !== 'function') return () => undefined;
    const types = [this.office.EventType.AppointmentTimeChanged, this.office.EventType.RecurrenceChanged];
    for (const t of types) item.addHandlerAsync(t, listener);
    return () => {
      for (const t of types) item.removeHandlerAsync?.(t);
    };
  }
}

/** Outlook on Android and on iOS have no displayAppointmentForm (see OfficeAppointment.open). */
function canOpenItems(office: typeof Office): boolean {
  const mailbox = office.context.mailbox;
  const host = mailbox.diagnostics?.hostName;
  return typeof mailbox.displayAppointmentForm === 'function' && host !== 'OutlookIOS' && host !== 'OutlookAndroid';
}
