/**
 * Task pane entry in Outlook: wait for Office, feature-detect, pick the language from Outlook's
 * display language, and mount the pane on the open appointment.
 */
import { langFromDisplayLanguage } from './i18n';
import { boot } from './boot';
import { OfficeAppointment } from './office/appointment';
import { supports } from './office/async';
import { dialogSupported, dialogToken } from './office/dialog';
import { whenOfficeReady } from './office/ready';

whenOfficeReady((displayLanguage) => {
  const container = document.getElementById('root') as HTMLElement;
  const lang = langFromDisplayLanguage(displayLanguage);
  boot(container, {
    port: new OfficeAppointment(),
    lang,
    baseUrl: '',
    signIn: {
      naa: supports('NestedAppAuth', '1.1'),
      dialog: dialogSupported() ? () => dialogToken(`${location.origin}/addin/signin.html`) : undefined,
    },
  });
});
