/** The words of the Kollegor tab in Swedish and English (the guide's directory: Katalog, ➔ 13:00, Tills vidare …). */
const sv = {
  search: 'Sök kollega (namn eller anknytning)',
  hint: 'Skriv minst två tecken.',
  searching: 'Söker …',
  hits: '{n} träffar',
  moreHits: 'De första {n} träffarna visas: skriv mer av namnet för att hitta fler.',
  oneHit: '1 träff',
  noHits: 'Inga träffar.',
  noName: '(namn saknas)',
  extension: 'Anknytning',
  noAbsence: 'Ingen frånvaro',
  soft: 'Ingen vidarekoppling: telefonen ringer som vanligt',
  information: 'Information',
  failed: 'Kunde inte söka just nu. Försöker igen om en stund.',
  notSignedIn: 'Kunde inte söka: logga in igen.',
  notConnected: 'Inte ansluten: logga in för att söka kollegor.',
  results: 'Sökträffar',
};

export type ColleagueTexts = typeof sv;

const en: ColleagueTexts = {
  search: 'Search colleague (name or extension)',
  hint: 'Type at least two characters.',
  searching: 'Searching …',
  hits: '{n} results',
  moreHits: 'The first {n} results are shown: type more of the name to find others.',
  oneHit: '1 result',
  noHits: 'No results.',
  noName: '(no name)',
  extension: 'Extension',
  noAbsence: 'Not away',
  soft: 'No forwarding: the phone rings as usual',
  information: 'Information',
  failed: 'Could not search right now. Trying again shortly.',
  notSignedIn: 'Could not search: please sign in again.',
  notConnected: 'Not connected: sign in to search colleagues.',
  results: 'Search results',
};

export const COLLEAGUE_TEXTS = { sv, en };
