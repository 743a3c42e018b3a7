/**
 * What the ribbon menu "NP-kod" and the OnAppointmentSend check do, as pure functions over the
 * domain core (no Office.js): the manifest's function names, the subject edits, the send check.
 */
import { DEFAULT_CATALOG, type Catalog, type Lang } from '../core/catalog';
import { renderMessage } from '../core/messages';
import { parseSubject, removeCode, type SubjectEdit, writeCode } from '../core/subject';
import { LAUNCH_HANDLERS } from './launch';

/** The ribbon items, in menu order: one per default code, then "remove". */
export const RIBBON_CODES: readonly string[] = DEFAULT_CATALOG.enabledCodes().map((c) => c.key);
export const REMOVE_FUNCTION = 'npRemoveCode';
export const SEND_HANDLER = 'onAppointmentSendHandler';

export function functionNameFor(key: string): string {
  return `npCode${key}`;
}

/** Every function name the runtime registers with Office.actions.associate. */
export function registeredFunctionNames(): string[] {
  return [...RIBBON_CODES.map(functionNameFor), REMOVE_FUNCTION, SEND_HANDLER, ...Object.values(LAUNCH_HANDLERS)];
}

export function ribbonEdit(subject: string, key: string | null, catalog: Catalog = DEFAULT_CATALOG): SubjectEdit {
  return key === null ? { ok: true, subject: removeCode(subject, catalog) } : writeCode(subject, key, catalog);
}

export function tooLongMessage(edit: SubjectEdit, lang: Lang): string {
  return edit.ok ? '' : renderMessage('error.subjectTooLong', { length: edit.length, max: edit.max }, lang);
}

export type SendCheck = { allow: true } | { allow: false; message: string; suggestion: string | null };

/**
 * Smart Alerts (SoftBlock): a subject with a near-miss prefix ("NP/L lunch") is held with a
 * question naming the intended code; the user can fix it or send anyway.
 */
export function sendCheck(subject: string, lang: Lang, catalog: Catalog = DEFAULT_CATALOG): SendCheck {
  const p = parseSubject(subject, catalog);
  if (p.accepted || !p.nearMiss) return { allow: true };
  const key = p.nearMiss.key;
  const prefix = key ? (catalog.get(key)?.prefix ?? null) : null;
  const codes = catalog
    .enabledCodes()
    .map((c) => c.prefix)
    .join(' ');
  const message = renderMessage(`warning.nearMiss.${p.nearMiss.kind}`, { key, prefix, codes }, lang);
  const edit = key && p.nearMiss.kind !== 'notAtStart' ? writeCode(subject, key, catalog) : null;
  return { allow: false, message, suggestion: edit?.ok ? edit.subject : null };
}
