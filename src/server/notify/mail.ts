/**
 * The mail about a booking that will not divert (issue 14), in the user's Språk (settings.language):
 * when the booking is, in the organisation's zone (SPEC 7), and why, in the core's words. SPEC 12:
 * it never quotes more of the subject than its code part, and nothing of location or body.
 */
import { DateTime } from 'luxon';
import { type BookingProblem, type Catalog, cleanText, type Lang, problemLine } from '../../core';

export interface MailInput {
  problem: BookingProblem;
  lang: Lang;
  catalog: Catalog;
  /** The organisation's time zone (ctx.org.calendar.zone). */
  zone: string;
  start: number;
  end: number;
  isAllDay: boolean;
  /** The kept code part of the subject (`NP/L`), '' when none. */
  prefix: string;
}

export interface Mail {
  subject: string;
  content: string;
}

/** A code part is short (`NP/<key>:`); anything longer is cut, never the user's text after it (SPEC 12). */
const PREFIX_MAX = 24;

const WORDS = {
  sv: {
    locale: 'sv',
    allDay: 'heldag',
    subject: (when: string) => `Kalenderkoppling: bokningen ${when} hänvisar inte`,
    lead: (when: string) => `Din bokning ${when} kommer inte att hänvisa din telefon.`,
    code: (prefix: string) => `Koden i ämnet: ${prefix}`,
    fix: 'Rätta bokningen i Outlook. I tillägget Kalenderkoppling ser du alla dina bokningar de kommande 14 dagarna som inte hänvisar.',
    footer: 'Ett automatiskt meddelande från Kalenderkoppling: ett per bokning och ändring.',
  },
  en: {
    locale: 'en-GB',
    allDay: 'all day',
    subject: (when: string) => `Kalenderkoppling: your booking ${when} will not divert`,
    lead: (when: string) => `Your booking ${when} will not divert your phone.`,
    code: (prefix: string) => `The code in the subject: ${prefix}`,
    fix: 'Correct the booking in Outlook. The Kalenderkoppling add-in shows all your bookings in the coming 14 days that will not divert.',
    footer: 'An automatic message from Kalenderkoppling: one per booking and change.',
  },
} as const;

/** "torsdag 3 december 12:00–13:00", "Thursday 3 December (all day)", in the organisation's zone. */
export function when(m: Pick<MailInput, 'lang' | 'zone' | 'start' | 'end' | 'isAllDay'>): string {
  const w = WORDS[m.lang];
  const at = (t: number) => DateTime.fromMillis(t, { zone: m.zone }).setLocale(w.locale);
  const start = at(m.start);
  const day = (d: DateTime) => d.toFormat('cccc d LLLL');
  if (m.isAllDay) {
    // An all-day booking ends at the midnight after its last day.
    const last = at(Math.max(m.start, m.end - 1));
    return `${day(start)}${last.hasSame(start, 'day') ? '' : ` – ${day(last)}`} (${w.allDay})`;
  }
  const end = at(m.end);
  return end.hasSame(start, 'day') ? `${day(start)} ${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}` : `${day(start)} ${start.toFormat('HH:mm')} – ${day(end)} ${end.toFormat('HH:mm')}`;
}

export function buildMail(m: MailInput): Mail {
  const w = WORDS[m.lang];
  const time = when(m);
  const prefix = cleanText(m.prefix).trim().slice(0, PREFIX_MAX);
  const lines = [w.lead(time), '', problemLine(m.problem, m.lang, m.catalog), ...(prefix ? [w.code(prefix)] : []), '', w.fix, '', w.footer];
  return { subject: w.subject(time), content: lines.join('\n') };
}
