/**
 * Sign-in fallback through the Office dialog (where NestedAppAuth 1.1 is missing): opens
 * /addin/signin.html in Office's dialog, which signs in with MSAL (redirect flow) and sends the
 * access token back with messageParent. Only this folder touches Office.js.
 */
import { ItemError } from '../port';

export function dialogToken(url: string, office: typeof Office = Office): Promise<string | null> {
  return new Promise((resolve) => {
    office.context.ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (result) => {
      if (result.status !== office.AsyncResultStatus.Succeeded) {
        resolve(null);
        return;
      }
      const dialog = result.value;
      const done = (token: string | null) => {
        dialog.close();
        resolve(token);
      };
      dialog.addEventHandler(office.EventType.DialogMessageReceived, (arg) => {
        try {
          const msg = JSON.parse((arg as { message: string }).message) as { token?: string };
          done(typeof msg.token === 'string' ? msg.token : null);
        } catch {
          done(null);
        }
      });
      // Closed by the user, or the page failed: no token.
      dialog.addEventHandler(office.EventType.DialogEventReceived, () => resolve(null));
    });
  });
}

export function dialogSupported(office: typeof Office = Office): boolean {
  try {
    return office.context.requirements.isSetSupported('DialogApi', '1.1');
  } catch {
    return false;
  }
}

export { ItemError };
