/**
 * The commands and launch-event runtime (commands.html on the web and Mac, the JavaScript-only
 * runtime of classic Outlook on Windows): the "NP-kod" ribbon items write or remove a code in
 * the subject without opening the pane, and OnAppointmentSend holds near-miss prefixes.
 * No DOM and no React here: the Windows JS runtime has neither.
 */
import type { Lang } from '../core/catalog';
import { langFromDisplayLanguage } from '../taskpane/i18n';
import { officeAsync } from '../taskpane/office/async';
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

export function register(office: typeof Office = Office): void {
  for (const key of RIBBON_CODES) office.actions.associate(functionNameFor(key), ribbonCommand(key));
  office.actions.associate(REMOVE_FUNCTION, ribbonCommand(null));
  office.actions.associate(SEND_HANDLER, onAppointmentSend);
}

if (typeof Office !== 'undefined') {
  void Office.onReady?.();
  register();
}
