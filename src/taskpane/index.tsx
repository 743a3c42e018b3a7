/**
 * Task pane entry in Outlook: wait for Office, feature-detect, pick the language from Outlook's
 * display language, and mount the pane on the open appointment. Outside Outlook (the page opened
 * in a browser, or office.js not loaded) the pane says so plainly instead of waiting.
 */
import { langFromDisplayLanguage } from './i18n';
import { boot } from './boot';
import { OfficeAppointment } from './office/appointment';
import { supports } from './office/async';
import { dialogSupported, dialogToken } from './office/dialog';
import { whenOfficeReady } from './office/ready';
import { saveLaunchCache } from './office/roaming';

// Shown without React or Fluent: nothing else of the pane is needed to say it.
const OUTSIDE = {
  sv: 'Kalenderkoppling körs utanför Outlook. Öppna en bokning i Outlook och välj Kalenderkoppling där.',
  en: 'Kalenderkoppling is running outside Outlook. Open a booking in Outlook and choose Kalenderkoppling there.',
};

whenOfficeReady(({ displayLanguage, inOutlook }) => {
  const container = document.getElementById('root') as HTMLElement;
  const lang = langFromDisplayLanguage(displayLanguage ?? navigator.language);
  if (!inOutlook) {
    const p = document.createElement('p');
    p.className = 'kk-outside';
    p.setAttribute('role', 'status');
    p.dataset.testid = 'outside-outlook';
    p.textContent = OUTSIDE[lang];
    container.replaceChildren(p);
    return;
  }
  boot(container, {
    port: new OfficeAppointment(),
    lang,
    baseUrl: '',
    signIn: {
      naa: supports('NestedAppAuth', '1.1'),
      dialog: dialogSupported() ? () => dialogToken(`${location.origin}/addin/signin.html`) : undefined,
    },
    // The launch-event handlers read the rules from here (no network on their path).
    onContext: (ctx) => {
      try {
        saveLaunchCache(ctx);
      } catch {
        // roamingSettings unavailable: the handlers use the organisation defaults.
      }
    },
  });
});
