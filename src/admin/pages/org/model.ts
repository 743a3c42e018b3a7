/**
 * The Koder och organisation editor's draft and the organisation document it saves. The document
 * keeps everything not edited as it came (other overrides, settings, profile); a code's changes
 * go into its existing override or a new one appended, so `org.catalog[i]` in a 400 maps back to
 * that code's input through `keys`. Pure functions.
 */
import type { AdminCatalogCode, CodeOverrideJson, OrgDocument, StandardLength } from '../../types';
import { normalizeField } from '../../format';

export interface CodeDraft {
  key: string;
  prefix: string;
  builtIn: boolean;
  /** Added in this session, not saved yet: its key and MEX can still be changed. */
  added: boolean;
  mex: string;
  labelSv: string;
  labelEn: string;
  group: string;
  lengthKind: 'minutes' | 'nextWorkingDay';
  minutes: string;
  enabled: boolean;
}

export interface OrgDraft {
  /** '' = not set: the endpoint's default. */
  timeZone: string;
  workdayStart: string;
  workdayEnd: string;
  extraDaysOff: string[];
  /** The default Språk of users' settings; '' = not set. */
  language: '' | 'sv' | 'en';
  codes: CodeDraft[];
}

/** Where a message goes: an input id (`timeZone`, `code:L:labelSv` …) or `general`. */
export type Errors = Record<string, string>;

export type CodeProp = 'key' | 'mex' | 'labelSv' | 'labelEn' | 'group' | 'standardLength' | 'enabled';
export const codeInput = (key: string, prop: CodeProp) => `code:${key.toLowerCase()}:${prop}`;

const lengthOf = (d: CodeDraft): StandardLength => (d.lengthKind === 'nextWorkingDay' ? 'nextWorkingDay' : { minutes: Number.parseInt(d.minutes, 10) });
const sameKey = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function codeDraft(c: AdminCatalogCode): CodeDraft {
  return {
    key: c.key,
    prefix: c.prefix,
    builtIn: c.builtIn,
    added: false,
    mex: String(c.mex),
    labelSv: c.label.sv,
    labelEn: c.label.en,
    group: c.group,
    lengthKind: c.standardLength === 'nextWorkingDay' ? 'nextWorkingDay' : 'minutes',
    minutes: c.standardLength === 'nextWorkingDay' ? '60' : String(c.standardLength.minutes),
    enabled: c.enabled,
  };
}

export function draftOf(org: OrgDocument, codes: readonly AdminCatalogCode[]): OrgDraft {
  const language = org.settings?.language;
  return {
    timeZone: org.timeZone ?? '',
    workdayStart: org.workdayStart ?? '',
    workdayEnd: org.workdayEnd ?? '',
    extraDaysOff: [...(org.extraDaysOff ?? [])],
    language: language === 'sv' || language === 'en' ? language : '',
    codes: codes.map(codeDraft),
  };
}

/** The fields of a code the draft changed against what was loaded. */
function changes(d: CodeDraft, was: AdminCatalogCode): Omit<CodeOverrideJson, 'key'> {
  const out: Omit<CodeOverrideJson, 'key'> = {};
  const label: { sv?: string; en?: string } = {};
  if (d.labelSv !== was.label.sv) label.sv = d.labelSv;
  if (d.labelEn !== was.label.en) label.en = d.labelEn;
  if (Object.keys(label).length) out.label = label;
  if (d.enabled !== was.enabled) out.enabled = d.enabled;
  if (d.group !== was.group) out.group = d.group;
  const len = lengthOf(d);
  if (JSON.stringify(len) !== JSON.stringify(was.standardLength)) out.standardLength = len;
  return out;
}

function setOrDrop<K extends 'timeZone' | 'workdayStart' | 'workdayEnd'>(doc: OrgDocument, k: K, value: string) {
  if (value.trim()) doc[k] = value.trim();
  else delete doc[k];
}

/** The whole document PUT /admin/org takes, and the code key of each `catalog[i]` in it. */
export function docOf(org: OrgDocument, loaded: readonly AdminCatalogCode[], draft: OrgDraft): { doc: OrgDocument; keys: string[] } {
  const doc: OrgDocument = { ...org };
  setOrDrop(doc, 'timeZone', draft.timeZone);
  setOrDrop(doc, 'workdayStart', draft.workdayStart);
  setOrDrop(doc, 'workdayEnd', draft.workdayEnd);
  if (draft.extraDaysOff.length > 0 || org.extraDaysOff !== undefined) doc.extraDaysOff = [...draft.extraDaysOff];

  const settings = { ...(org.settings ?? {}) };
  if (draft.language) settings.language = draft.language;
  else delete settings.language;
  if (Object.keys(settings).length > 0 || org.settings !== undefined) doc.settings = settings;
  else delete doc.settings;

  // Codes removed from the draft (added ones only) lose their overrides.
  const gone = loaded.filter((c) => !draft.codes.some((d) => sameKey(d.key, c.key))).map((c) => c.key);
  const list: CodeOverrideJson[] = (org.catalog ?? []).filter((o) => !gone.some((k) => sameKey(k, o.key))).map((o) => ({ ...o, ...(o.label ? { label: { ...o.label } } : {}) }));
  for (const d of draft.codes) {
    const was = d.added ? undefined : loaded.find((c) => sameKey(c.key, d.key));
    if (!was) {
      list.push({ key: d.key, label: { sv: d.labelSv, en: d.labelEn }, mex: Number(d.mex), group: d.group, standardLength: lengthOf(d), enabled: d.enabled });
      continue;
    }
    const change = changes(d, was);
    if (Object.keys(change).length === 0) continue;
    const i = list.findIndex((o) => sameKey(o.key, d.key));
    if (i < 0) list.push({ key: was.key, ...change });
    else {
      const o = list[i]!;
      list[i] = { ...o, ...change, ...(change.label ? { label: { ...(o.label ?? {}), ...change.label } } : {}) };
    }
  }
  if (list.length > 0 || org.catalog !== undefined) doc.catalog = list;
  return { doc, keys: list.map((o) => o.key) };
}

const TIME_RE = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const KEY_RE = /^[\p{L}\p{N}]{1,8}$/u;

export interface ModelTexts {
  errKey: string;
  errMex: string;
  errLabel: string;
  errGroup: string;
  errLength: string;
  errTimeZone: string;
  errTime: string;
  errDay: string;
  errLanguage: string;
  errEnabled: string;
}

export function checkCode(d: CodeDraft, x: ModelTexts, others: readonly CodeDraft[] = []): Errors {
  const e: Errors = {};
  if (d.added && (!KEY_RE.test(d.key) || d.key.toLowerCase() === 'forward' || others.some((o) => o !== d && sameKey(o.key, d.key)))) e[codeInput(d.key, 'key')] = x.errKey;
  if (d.added && !/^[0-9]$/.test(d.mex.trim())) e[codeInput(d.key, 'mex')] = x.errMex;
  if (!d.labelSv.trim() || d.labelSv.length > 200) e[codeInput(d.key, 'labelSv')] = x.errLabel;
  if (!d.labelEn.trim() || d.labelEn.length > 200) e[codeInput(d.key, 'labelEn')] = x.errLabel;
  if (!d.group) e[codeInput(d.key, 'group')] = x.errGroup;
  if (d.lengthKind === 'minutes') {
    const m = Number(d.minutes);
    if (!/^\d+$/.test(d.minutes.trim()) || m < 1 || m > 7 * 24 * 60) e[codeInput(d.key, 'standardLength')] = x.errLength;
  }
  return e;
}

/** What can be said before sending: times, dates, digits; the endpoint checks the rest. */
export function checkDraft(draft: OrgDraft, x: ModelTexts): Errors {
  const e: Errors = {};
  if (draft.workdayStart.trim() && !TIME_RE.test(draft.workdayStart.trim())) e.workdayStart = x.errTime;
  if (draft.workdayEnd.trim() && !TIME_RE.test(draft.workdayEnd.trim())) e.workdayEnd = x.errTime;
  if (draft.extraDaysOff.some((d) => !DATE_RE.test(d))) e.extraDaysOff = x.errDay;
  for (const c of draft.codes) Object.assign(e, checkCode(c, x, draft.codes));
  return e;
}

const PROP: Record<string, CodeProp> = {
  key: 'key',
  mex: 'mex',
  label: 'labelSv',
  'label.sv': 'labelSv',
  'label.en': 'labelEn',
  group: 'group',
  standardLength: 'standardLength',
  'standardLength.minutes': 'standardLength',
  enabled: 'enabled',
};

const MESSAGE: Record<CodeProp, keyof ModelTexts> = {
  key: 'errKey',
  mex: 'errMex',
  labelSv: 'errLabel',
  labelEn: 'errLabel',
  group: 'errGroup',
  standardLength: 'errLength',
  enabled: 'errEnabled',
};

/**
 * A 400's `field` (`org.catalog[2].mex`, `catalog[2].mex`, `body.catalog.2.mex`, `workdayEnd`,
 * `settings.language` …) → the input it names and the console's words for it; null when no input
 * of the editor is named.
 */
export function errorFor(field: string | null, keys: readonly string[], x: ModelTexts): Errors | null {
  const f = normalizeField(field);
  if (!f) return null;
  const code = /^catalog\[(\d+)\](?:\.(.+))?$/.exec(f);
  if (code) {
    const key = keys[Number(code[1])];
    if (key === undefined) return null;
    const prop = PROP[code[2] ?? 'key'] ?? 'key';
    return { [codeInput(key, prop)]: x[MESSAGE[prop]] };
  }
  if (f === 'timeZone') return { timeZone: x.errTimeZone };
  if (f === 'workdayStart' || f === 'workdayEnd') return { [f]: x.errTime };
  if (/^extraDaysOff(\[\d+\])?$/.test(f)) return { extraDaysOff: x.errDay };
  if (f === 'settings.language') return { language: x.errLanguage };
  return null;
}
