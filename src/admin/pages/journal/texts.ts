/** The words of Journal in Swedish and English. */
const sv = {
  intro: 'Det växeln har fått (eller skulle ha fått med journalkopplingen), senaste först. Högst 200 rader.',
  filter: 'Anknytning',
  table: 'Journal över växelns tillstånd',
  colAt: 'Tid',
  colExtension: 'Anknytning',
  colVersion: 'Version',
  colState: 'Tillstånd',
  noDiversion: 'Ingen hänvisning',
  noHits: 'Journalen är tom.',
  count: '{n} rader',
  countOne: '1 rad',
};

export type JournalTexts = typeof sv;

const en: JournalTexts = {
  intro: 'What the switch received (or would have received with the journal connector), newest first. At most 200 rows.',
  filter: 'Extension',
  table: 'Journal of the switch states',
  colAt: 'Time',
  colExtension: 'Extension',
  colVersion: 'Version',
  colState: 'State',
  noDiversion: 'No diversion',
  noHits: 'The journal is empty.',
  count: '{n} rows',
  countOne: '1 row',
};

export const JOURNAL_TEXTS = { sv, en };
