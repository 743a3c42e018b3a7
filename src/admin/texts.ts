/**
 * The console's shared words in Swedish and English (the municipal guides' terms: Anknytning,
 * Delad anknytning, Hänvisning …). Each page keeps its own words in its folder's texts.ts.
 */
import type { Lang } from '../core/catalog';

const sv = {
  appTitle: 'Kalenderkoppling – administration',
  tabs: 'Delar av administrationen',
  tabUsers: 'Användare och anknytningar',
  tabImport: 'Import',
  tabDeliveries: 'Leveranser',
  tabCalendar: 'Kalendersynk',
  tabOrg: 'Koder och organisation',
  tabJournal: 'Journal',
  language: 'Språk',
  signedInAs: 'Inloggad som {name}',
  signOut: 'Logga ut',
  loading: 'Hämtar …',
  previous: 'Föregående',
  next: 'Nästa',
  range: '{from}–{to} av {total}',
  noRows: 'Inga rader.',
  paging: 'Bläddra',
  yes: 'Ja',
  no: 'Nej',
  cancel: 'Avbryt',
  save: 'Spara',
  none: '—',
  untilFurtherNotice: 'Tills vidare',
  seconds: '{n} s',
  minutes: '{n} min',
  hours: '{h} h {m} min',
  errNotConnected: 'Kunde inte nå Kalenderkoppling. Försök igen om en stund.',
  errNotSignedIn: 'Inloggningen har gått ut. Logga in igen.',
  errForbidden: 'Ingen åtkomst: approllen Admin behövs.',
  errNotFound: 'Finns inte längre. Uppdatera sidan.',
  errConflict: 'Ändringen krockar med något som redan finns (HTTP 409).',
  errInvalid: 'Servern godtog inte uppgifterna (HTTP {status}).',
  errTooLarge: 'För stort för servern.',
  errServer: 'Något gick fel i Kalenderkoppling (HTTP {status}). Försök igen.',
  fieldInvalid: 'Värdet godtas inte.',
  noAccessTitle: 'Ingen åtkomst',
  noAccessText:
    'Du är inloggad, men ditt konto har inte approllen Admin för Kalenderkoppling. Be den som förvaltar appregistreringen i Entra ID att tilldela dig rollen Admin och logga sedan in igen.',
  noAccessAs: 'Inloggad som {name}.',
  signInAgain: 'Logga in som någon annan',
};

export type CommonTexts = typeof sv;

const en: CommonTexts = {
  appTitle: 'Kalenderkoppling – administration',
  tabs: 'Parts of the administration',
  tabUsers: 'Users and extensions',
  tabImport: 'Import',
  tabDeliveries: 'Deliveries',
  tabCalendar: 'Calendar sync',
  tabOrg: 'Codes and organisation',
  tabJournal: 'Journal',
  language: 'Language',
  signedInAs: 'Signed in as {name}',
  signOut: 'Sign out',
  loading: 'Loading …',
  previous: 'Previous',
  next: 'Next',
  range: '{from}–{to} of {total}',
  noRows: 'No rows.',
  paging: 'Pages',
  yes: 'Yes',
  no: 'No',
  cancel: 'Cancel',
  save: 'Save',
  none: '—',
  untilFurtherNotice: 'Until further notice',
  seconds: '{n} s',
  minutes: '{n} min',
  hours: '{h} h {m} min',
  errNotConnected: 'Could not reach Kalenderkoppling. Try again shortly.',
  errNotSignedIn: 'Your sign-in has expired. Sign in again.',
  errForbidden: 'No access: the Admin app role is needed.',
  errNotFound: 'No longer there. Refresh the page.',
  errConflict: 'The change clashes with something that already exists (HTTP 409).',
  errInvalid: 'The server did not accept the input (HTTP {status}).',
  errTooLarge: 'Too large for the server.',
  errServer: 'Something went wrong in Kalenderkoppling (HTTP {status}). Try again.',
  fieldInvalid: 'The value is not accepted.',
  noAccessTitle: 'No access',
  noAccessText:
    'You are signed in, but your account does not have the Admin app role for Kalenderkoppling. Ask whoever manages the app registration in Entra ID to assign you the Admin role, then sign in again.',
  noAccessAs: 'Signed in as {name}.',
  signInAgain: 'Sign in as someone else',
};

export const COMMON_TEXTS: Record<Lang, CommonTexts> = { sv, en };

/** The language names, each in its own language (as language pickers show them). */
export const LANGUAGE_NAMES: Record<Lang, string> = { sv: 'Svenska', en: 'English' };
