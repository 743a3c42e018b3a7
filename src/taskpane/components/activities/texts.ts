/**
 * The Aktiviteter tab's own words (guide 3.3.1 Ny aktivitet, 3.3.2 Ny återkommande aktivitet,
 * 3.3.3 Hur du tar bort aktivitet) in Swedish and English, and the messages shown next to a field
 * the endpoint or the core refused. Never the API's `detail`: that is English for developers.
 */
import type { Lang } from '../../../core/catalog';

const sv = {
  newActivity: 'Ny aktivitet',
  newRecurring: 'Ny återkommande aktivitet',
  activity: 'Aktivitet',
  chooseActivity: '<Välj aktivitet>',
  forwardTo: 'Vidarebefordra till',
  spoken: 'Talad hänvisning',
  none: 'Ingen vidarekoppling',
  number: 'Till nummer',
  numberInput: 'Nummer',
  from: 'Från',
  to: 'Till',
  date: 'datum',
  clock: 'klockslag',
  untilFurtherNotice: 'Tills vidare',
  information: 'Information',
  operatorOnly: 'Visa bara informationen för telefonister',
  save: 'Spara',
  cancel: 'Avbryt',
  firstStarts: 'Första aktiviteten startar',
  firstEnds: 'Första aktiviteten slutar',
  recurs: 'Aktiviteten återkommer',
  everyWorkingDay: 'Varje arbetsdag',
  everyDay: 'Varje dag',
  weeks: ['Varje vecka', 'Varannan vecka', 'Var tredje vecka', 'Var fjärde vecka', 'Var femte vecka', 'Var sjätte vecka'],
  nextWorkingDay: 'Nästa arbetsdag',
  nextWorkingDayLower: 'nästa arbetsdag',
  recurringEnds: 'Återkommande aktivitet slutar',
  upcoming: 'Kommande tillfällen',
  noOccurrences: 'Inga tillfällen: kontrollera tiderna.',
  saved: 'Sparat.',
  deleted: 'Borttagen.',
  delete: 'Ta bort',
  deleteConfirm: 'Ta bort?',
  yes: 'Ja',
  deleteRuleQuestion: 'Ta bort hela den återkommande aktiviteten eller bara detta tillfälle?',
  wholeRule: 'Hela den återkommande aktiviteten',
  onlyOccurrence: 'Bara detta tillfälle ({when})',
  showOccurrences: 'Visa tillfällen',
  hideOccurrences: 'Dölj tillfällen',
  nextOccurrences: 'nästa: {list}',
  ruleUntil: 'till och med {date}',
  ruleUntilFurtherNotice: 'tills vidare',
  sourceCalendar: 'kalender',
  sourceManual: 'manuell',
  sourceRecurring: 'återkommande',
  sourceQuick: 'snabbval',
  operatorsOnlySuffix: '(bara för telefonister)',
  listLabel: 'Dina aktiviteter',
  // Messages next to a field (the endpoint's `field`, or the same check in the pane).
  errKey: 'Välj en aktivitet.',
  errForwardingNumber: 'Ange ett nummer att vidarekoppla till.',
  errForwardingMode: 'Vidarekoppla skickar alltid samtalen till ett nummer: välj Till nummer.',
  errForwarding: 'Välj vart samtalen ska styras.',
  errFrom: 'Ange Från som datum och klockslag.',
  errTo: 'Till måste ligga efter Från.',
  errFirstEnds: 'Första aktiviteten måste sluta efter att den startar.',
  errRepeat: 'Välj hur ofta aktiviteten återkommer.',
  errUntil: 'Återkommande aktivitet kan inte sluta före första aktiviteten.',
  errUntilDate: 'Ange när den återkommande aktiviteten slutar, eller välj Tills vidare.',
  errText: 'Informationen får vara högst 200 tecken.',
  errOther: 'Aktiviteten kunde inte sparas. Kontrollera uppgifterna.',
  errNotConnected: 'Kalenderkoppling svarar inte. Försök igen om en stund.',
  errNotSignedIn: 'Du är inte inloggad: logga in och försök igen.',
  errDelete: 'Kunde inte ta bort aktiviteten.',
};

export type ActivityTexts = Omit<typeof sv, 'weeks'> & { weeks: readonly string[] };

const en: ActivityTexts = {
  newActivity: 'New activity',
  newRecurring: 'New recurring activity',
  activity: 'Activity',
  chooseActivity: '<Choose activity>',
  forwardTo: 'Forward to',
  spoken: 'Spoken diversion',
  none: 'No forwarding',
  number: 'To number',
  numberInput: 'Number',
  from: 'From',
  to: 'To',
  date: 'date',
  clock: 'time',
  untilFurtherNotice: 'Until further notice',
  information: 'Information',
  operatorOnly: 'Show the information to operators only',
  save: 'Save',
  cancel: 'Cancel',
  firstStarts: 'First activity starts',
  firstEnds: 'First activity ends',
  recurs: 'The activity recurs',
  everyWorkingDay: 'Every working day',
  everyDay: 'Every day',
  weeks: ['Every week', 'Every other week', 'Every third week', 'Every fourth week', 'Every fifth week', 'Every sixth week'],
  nextWorkingDay: 'Next working day',
  nextWorkingDayLower: 'next working day',
  recurringEnds: 'Recurring activity ends',
  upcoming: 'Upcoming occurrences',
  noOccurrences: 'No occurrences: check the times.',
  saved: 'Saved.',
  deleted: 'Deleted.',
  delete: 'Delete',
  deleteConfirm: 'Delete?',
  yes: 'Yes',
  deleteRuleQuestion: 'Delete the whole recurring activity or only this occurrence?',
  wholeRule: 'The whole recurring activity',
  onlyOccurrence: 'Only this occurrence ({when})',
  showOccurrences: 'Show occurrences',
  hideOccurrences: 'Hide occurrences',
  nextOccurrences: 'next: {list}',
  ruleUntil: 'until {date}',
  ruleUntilFurtherNotice: 'until further notice',
  sourceCalendar: 'calendar',
  sourceManual: 'manual',
  sourceRecurring: 'recurring',
  sourceQuick: 'quick choice',
  operatorsOnlySuffix: '(operators only)',
  listLabel: 'Your activities',
  errKey: 'Choose an activity.',
  errForwardingNumber: 'Enter a number to forward to.',
  errForwardingMode: 'Forward always sends calls to a number: choose To number.',
  errForwarding: 'Choose where calls should go.',
  errFrom: 'Enter From as a date and a time.',
  errTo: 'To must be after From.',
  errFirstEnds: 'The first activity must end after it starts.',
  errRepeat: 'Choose how often the activity recurs.',
  errUntil: 'A recurring activity cannot end before its first activity.',
  errUntilDate: 'Enter when the recurring activity ends, or choose Until further notice.',
  errText: 'The information may be at most 200 characters.',
  errOther: 'The activity could not be saved. Check what you entered.',
  errNotConnected: 'Kalenderkoppling does not answer. Try again in a moment.',
  errNotSignedIn: 'You are not signed in: sign in and try again.',
  errDelete: 'Could not delete the activity.',
};

export const ACTIVITY_TEXTS: Record<Lang, ActivityTexts> = { sv, en };

/** The form inputs a message can stand next to. */
export type FormField = 'key' | 'forwarding' | 'number' | 'from' | 'to' | 'repeat' | 'until' | 'text';

/**
 * The endpoint's (or the core's) `field` → the input it belongs to and the message in the pane's
 * language. `recurring`: "to" is then the first activity's end. Unknown fields → null (the form
 * shows a general message instead).
 */
export function fieldMessage(field: string, x: ActivityTexts, recurring: boolean): { input: FormField; message: string } | null {
  const f = field.replace(/^(rule|activity)\./, '');
  if (f === 'key') return { input: 'key', message: x.errKey };
  if (f === 'forwarding.number') return { input: 'number', message: x.errForwardingNumber };
  if (f === 'forwarding.mode') return { input: 'forwarding', message: x.errForwardingMode };
  if (f.startsWith('forwarding')) return { input: 'forwarding', message: x.errForwarding };
  if (f === 'from' || f === 'firstStart') return { input: 'from', message: x.errFrom };
  if (f === 'to' || f === 'firstEnd') return { input: 'to', message: recurring ? x.errFirstEnds : x.errTo };
  if (f.startsWith('recurrence.repeat') || f.startsWith('repeat')) return { input: 'repeat', message: x.errRepeat };
  if (f === 'recurrence.until' || f === 'until') return { input: 'until', message: x.errUntil };
  if (f === 'text') return { input: 'text', message: x.errText };
  return null;
}
