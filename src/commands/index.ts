/**
 * The commands and launch-event runtime (commands.html on the web and Mac, the JavaScript-only
 * runtime of classic Outlook on Windows): the "NP-kod" ribbon items write or remove a code in
 * the subject without opening the pane, OnAppointmentSend holds near-miss prefixes (meetings
 * only: Outlook raises no event when a plain appointment is saved), and the launch events of a
 * new appointment, a changed time or recurrence set one information bar (issue 14).
 * No DOM and no React here, and no imports at run time: webpack makes this one file (the
 * Windows JS runtime loads a single file; test/addin/bundle.test.ts checks it).
 */
import type { Lang } from '../core/catalog';
import { langFromDisplayLanguage } from '../taskpane/i18n';
import { officeAsync } from '../taskpane/office/async';
import { DEFAULT_LAUNCH_CONTEXT, INFO_ICON, INFO_KEY, infoBarMessage, LAUNCH_CACHE_KEY, LAUNCH_HANDLERS, type LaunchContext, parseLaunchCache } from './launch';
import { functionNameFor, REMOVE_FUNCTION, RIBBON_CODES, ribbonEdit, SEND_HANDLER, sendCheck, tooLongMessage } from './logic';

type Done = { completed: (options?: Record<string, unknown>) => void };

// The pane's helpers: both modules are free of React and the DOM, as this runtime needs.
const lang = (): Lang => langFromDisplayLanguage(Office.context?.displayLanguage);

const getSubject = (item: Office.AppointmentCompose) => officeAsync<string>((cb) => item.subject.getAsync(cb));

const setSubject = (item: Office.AppointmentCompose, subject: string) => officeAsync<void>((cb) => item.subject.setAsync(subject, cb));

function notify(item: Office.AppointmentCompose, message: string): void {
  item.notificationMessages?.replaceAsync('kk', { type: Office.MailboxEnums.ItemNotificationMessageType.ErrorMessage, message: message.slice(0, 150) });
}

function ribbonCommand(key: string | null) {
  return async (event: Done) => {
    const item = Office.context.mailbox.item as unknown as Office.AppointmentCompose;
    try {
      const edit = ribbonEdit(await getSubject(item), key);
      if (edit.ok) await setSubject(item, edit.subject);
      else notify(item, tooLongMessage(edit, lang()));
    } catch {
      notify(item, lang() === 'sv' ? 'Ämnet kunde inte ändras.' : 'The subject could not be changed.');
    } finally {
      event.completed();
    }
  };
}

async function onAppointmentSend(event: Done): Promise<void> {
  const item = Office.context.mailbox.item as unknown as Office.AppointmentCompose;
  try {
    const check = sendCheck(await getSubject(item), lang());
    if (check.allow) {
      event.completed({ allowEvent: true });
      return;
    }
    event.completed({ allowEvent: false, errorMessage: check.message.slice(0, 500) });
  } catch {
    // Never stop a booking from being sent because the check itself failed.
    event.completed({ allowEvent: true });
  }
}

/** The pane's last rules from roamingSettings (no network on this path), else the defaults. */
function launchContext(): LaunchContext {
  try {
    return parseLaunchCache(Office.context.roamingSettings?.get(LAUNCH_CACHE_KEY));
  } catch {
    return DEFAULT_LAUNCH_CONTEXT;
  }
}

/** Sets, replaces or (with nothing to say) removes the one information bar; errors are ignored. */
function showInfo(item: Office.AppointmentCompose, message: string | null): Promise<void> {
  return new Promise((resolve) => {
    const n = item.notificationMessages;
    if (!n) return resolve();
    if (message === null) n.removeAsync(INFO_KEY, () => resolve());
    else n.replaceAsync(INFO_KEY, { type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage, message, icon: INFO_ICON, persistent: false }, () => resolve());
  });
}

/** OnNewAppointmentOrganizer, OnAppointmentTimeChanged, OnAppointmentRecurrenceChanged: one line on what the booking does. */
async function onLaunchEvent(event: Done): Promise<void> {
  const item = Office.context.mailbox.item as unknown as Office.AppointmentCompose;
  try {
    const [subject, start, end] = await Promise.all([
      getSubject(item),
      officeAsync<Date>((cb) => item.start.getAsync(cb)),
      officeAsync<Date>((cb) => item.end.getAsync(cb)),
    ]);
    const ctx = launchContext();
    await showInfo(item, infoBarMessage({ subject, start: start.getTime(), end: end.getTime() }, ctx, ctx.cached ? ctx.settings.language : lang()));
  } catch {
    // Nothing is shown rather than something wrong; the event always completes.
  } finally {
    event.completed();
  }
}

export function register(office: typeof Office = Office): void {
  for (const key of RIBBON_CODES) office.actions.associate(functionNameFor(key), ribbonCommand(key));
  office.actions.associate(REMOVE_FUNCTION, ribbonCommand(null));
  office.actions.associate(SEND_HANDLER, onAppointmentSend);
  for (const name of Object.values(LAUNCH_HANDLERS)) office.actions.associate(name, onLaunchEvent);
}

if (typeof Office !== 'undefined') {
  void Office.onReady?.();
  register();
}
