/** The sign-in page's words in Swedish and English. */
const sv = {
  title: 'Logga in',
  signIn: 'Logga in',
  entraIntro: 'Logga in med ditt konto i organisationen (Microsoft Entra ID). Administrationen kräver approllen Admin.',
  notConfigured: 'Inloggningen är inte konfigurerad på servern: klient-id och scope saknas (se docs/admin.md).',
  msalFailed: 'Inloggningen via Microsoft Entra ID kunde inte startas. Ladda om sidan och försök igen.',
  devIntro: 'Utvecklingsinloggning: servern körs lokalt och utfärdar egna testtoken. Används aldrig i drift.',
  devUser: 'Användar-id',
  devAdmin: 'Administratör',
  devUserRefused: 'Servern godtar inte det användar-id:t.',
  devUserMissing: 'Ange ett användar-id.',
  signingIn: 'Loggar in …',
  checking: 'Kontrollerar behörighet …',
  noConfig: 'Kunde inte hämta inställningarna från Kalenderkoppling (/admin/config.json).',
  retry: 'Försök igen',
  expired: 'Inloggningen har gått ut. Logga in igen.',
};

export type SignInTexts = typeof sv;

const en: SignInTexts = {
  title: 'Sign in',
  signIn: 'Sign in',
  entraIntro: 'Sign in with your organisation account (Microsoft Entra ID). The administration needs the Admin app role.',
  notConfigured: 'Sign-in is not configured on the server: the client id and scope are missing (see docs/admin.md).',
  msalFailed: 'Sign-in with Microsoft Entra ID could not start. Reload the page and try again.',
  devIntro: 'Development sign-in: the server runs locally and issues its own test tokens. Never used in production.',
  devUser: 'User id',
  devAdmin: 'Administrator',
  devUserRefused: 'The server does not accept that user id.',
  devUserMissing: 'Enter a user id.',
  signingIn: 'Signing in …',
  checking: 'Checking access …',
  noConfig: 'Could not fetch the settings from Kalenderkoppling (/admin/config.json).',
  retry: 'Try again',
  expired: 'Your sign-in has expired. Sign in again.',
};

export const SIGN_IN_TEXTS = { sv, en };
