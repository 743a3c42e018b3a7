/**
 * Swedish and English texts for every reason a booking does not divert and every warning
 * (SPEC 8.2). The core returns keys and parameters; this module renders them, so the add-in,
 * the endpoint and the CLI say the same thing in the same words.
 *
 * A message is wholly in one language: a code's `{label}` and a profile group's `{group}` are
 * filled in the message's own language (issue 12), from the parameters `label.sv`/`label.en`
 * the core puts there from the organisation's catalog, else from the catalog by `key`.
 */
import { type Catalog, DEFAULT_CATALOG, type Lang, type Localized, PROFILE_GROUP_LABELS, type ProfileGroup } from './catalog';

export type Reason =
  | 'disabled'
  | 'cancelled'
  | 'declined'
  | 'invalidTime'
  | 'noPrefix'
  | 'private'
  | 'free'
  | 'tentative'
  | 'numberMissing';

export type WarningKey =
  | 'nearMiss.missingColon'
  | 'nearMiss.wrongSeparator'
  | 'nearMiss.spaceInside'
  | 'nearMiss.unknownKey'
  | 'nearMiss.disabledKey'
  | 'nearMiss.notAtStart'
  | 'nonCanonical'
  | 'defaultCodeUsed'
  | 'privateNoText'
  | 'sharedSoft'
  | 'settingsSoft';

export type MessageKey = `reason.${Reason}` | `warning.${WarningKey}` | 'error.subjectTooLong';
export type MessageParams = Record<string, string | number | null>;

/** What the add-in can offer to fix a warning or a reason. */
export type Fix = { kind: 'applySubject'; subject: string } | { kind: 'openSettings'; setting: string };

const TEXTS: Record<MessageKey, Localized> = {
  'reason.disabled': {
    sv: 'Kalenderkopplingen är avaktiverad i dina inställningar.',
    en: 'Calendar coupling is turned off in your settings.',
  },
  'reason.cancelled': { sv: 'Bokningen är inställd.', en: 'The booking is cancelled.' },
  'reason.declined': { sv: 'Du har tackat nej till mötet.', en: 'You have declined this meeting.' },
  'reason.invalidTime': { sv: 'Sluttiden ligger inte efter starttiden.', en: 'The end is not after the start.' },
  'reason.noPrefix': {
    sv: 'Ämnet börjar inte med en kod, till exempel NP/L:, och du har ingen standardkod.',
    en: 'The subject does not begin with a code such as NP/L:, and you have no default code.',
  },
  'reason.private': {
    sv: 'Bokningen är privat, och privata möten synkas inte enligt dina inställningar.',
    en: 'The booking is private, and private meetings are not synced with your settings.',
  },
  'reason.free': {
    sv: 'Bokningen är markerad som Ledig, och sådana möten synkas inte enligt dina inställningar.',
    en: 'The booking is shown as Free, and such meetings are not synced with your settings.',
  },
  'reason.tentative': {
    sv: 'Bokningen är markerad som Preliminär, och sådana möten synkas inte enligt dina inställningar.',
    en: 'The booking is shown as Tentative, and such meetings are not synced with your settings.',
  },
  'reason.numberMissing': {
    sv: 'Kontaktprofilen {group} vidarekopplar Till nummer, men inget nummer är angivet.',
    en: 'The contact profile {group} forwards to a number, but no number is set.',
  },
  'warning.nearMiss.missingColon': {
    sv: 'Kolon saknas efter koden, så bokningen hänvisar inte. Menade du {prefix} ({label})?',
    en: 'The colon after the code is missing, so the booking does not divert. Did you mean {prefix} ({label})?',
  },
  'warning.nearMiss.wrongSeparator': {
    sv: 'Koden är felskriven, så bokningen hänvisar inte. Menade du {prefix} ({label})?',
    en: 'The code is mistyped, so the booking does not divert. Did you mean {prefix} ({label})?',
  },
  'warning.nearMiss.spaceInside': {
    sv: 'Koden får inte innehålla mellanslag, så bokningen hänvisar inte. Menade du {prefix} ({label})?',
    en: 'The code must not contain spaces, so the booking does not divert. Did you mean {prefix} ({label})?',
  },
  'warning.nearMiss.unknownKey': {
    sv: 'Okänd kod, så bokningen hänvisar inte. Koderna är {codes}.',
    en: 'Unknown code, so the booking does not divert. The codes are {codes}.',
  },
  'warning.nearMiss.disabledKey': {
    sv: 'Koden används inte i din organisation, så bokningen hänvisar inte. Koderna är {codes}.',
    en: 'This code is not used in your organisation, so the booking does not divert. The codes are {codes}.',
  },
  'warning.nearMiss.notAtStart': {
    sv: 'Koden måste stå först i ämnet, så bokningen hänvisar inte. Menade du {prefix} ({label})?',
    en: 'The code must come first in the subject, so the booking does not divert. Did you mean {prefix} ({label})?',
  },
  'warning.nonCanonical': {
    sv: 'Koden fungerar, men skrivs så här: {canonicalSubject}',
    en: 'The code works, but is written like this: {canonicalSubject}',
  },
  'warning.defaultCodeUsed': {
    sv: 'Ämnet har ingen kod, så din standardkod {label} används.',
    en: 'The subject has no code, so your default code {label} is used.',
  },
  'warning.privateNoText': {
    sv: 'Privat bokning: dess text visas aldrig.',
    en: 'Private booking: its text is never shown.',
  },
  'warning.sharedSoft': {
    sv: 'Delad anknytning: hänvisningen blir mjuk och stänger inte anknytningen.',
    en: 'Shared extension: the diversion is soft and does not close the extension.',
  },
  'warning.settingsSoft': {
    sv: 'Ingen vidarekoppling är vald i dina inställningar: telefonen ringer som vanligt och informationen visas.',
    en: 'No forwarding is set in your settings: the phone rings as usual and the information is shown.',
  },
  'error.subjectTooLong': {
    sv: 'Ämnet skulle bli {length} tecken långt; Outlook tillåter högst {max}. Korta texten först.',
    en: 'The subject would be {length} characters long; Outlook allows at most {max}. Shorten the text first.',
  },
};

/**
 * A placeholder's value in `lang`: the parameter `<name>.<lang>` when given; for `label`, the
 * label of the code `key` in `catalog` (the organisation's; the default one when none is given);
 * for `group`, the profile group's label; else the parameter itself.
 */
function paramValue(name: string, params: MessageParams, lang: Lang, catalog: Catalog | undefined): string | number | null | undefined {
  if (name === 'label' && catalog && typeof params.key === 'string') {
    const code = catalog.find(params.key);
    if (code) return code.label[lang];
  }
  const own = params[`${name}.${lang}`];
  if (own !== undefined && own !== null) return own;
  if (name === 'label' && typeof params.key === 'string') return DEFAULT_CATALOG.find(params.key)?.label[lang] ?? params.label;
  if (name === 'group' && typeof params.group === 'string' && Object.hasOwn(PROFILE_GROUP_LABELS, params.group)) {
    return PROFILE_GROUP_LABELS[params.group as ProfileGroup][lang];
  }
  return params[name];
}

/**
 * Renders a message in `lang`. With `catalog` (the organisation's), a code's label is taken from
 * it by the parameter `key`; without, from the parameters the core wrote from its catalog.
 */
export function renderMessage(key: MessageKey, params: MessageParams, lang: Lang, catalog?: Catalog): string {
  return TEXTS[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = paramValue(name, params, lang, catalog);
    return v === undefined || v === null ? whole : String(v);
  });
}

export function renderBoth(key: MessageKey, params: MessageParams, catalog?: Catalog): Localized {
  return { sv: renderMessage(key, params, 'sv', catalog), en: renderMessage(key, params, 'en', catalog) };
}

/** A code's key and its label in both languages, as message parameters (from the organisation's catalog). */
export function codeParams(code: { key: string; label: Localized }): MessageParams {
  return { key: code.key, 'label.sv': code.label.sv, 'label.en': code.label.en };
}

/** Every message key, for tests that check each has both languages and all its parameters. */
export const MESSAGE_KEYS = Object.keys(TEXTS) as MessageKey[];
