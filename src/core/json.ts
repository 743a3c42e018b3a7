/**
 * JSON views of the core's results, as the CLI prints them and the endpoint returns them:
 * instants as UTC strings with Z, reasons and warnings with their Swedish and English texts.
 */
import type { Lang } from './catalog';
import { describeReason, describeWarning, type Resolution } from './resolve';
import { formatInstant, type Instant } from './time';

export const instantJson = (t: Instant | null) => (t === null ? null : formatInstant(t));

export function resolutionJson(r: Resolution, lang: Lang) {
  return {
    diverts: r.diverts,
    reason: r.reason,
    reasonText: r.reason ? describeReason(r.reason, r.reasonParams) : null,
    code: r.code ? { key: r.code.key, mex: r.code.mex, label: r.code.label[lang] } : null,
    forwarding: r.forwarding ? { mode: r.forwarding.mode, number: r.forwarding.number } : null,
    from: instantJson(r.from),
    to: instantJson(r.to),
    text: r.text,
    warnings: r.warnings.map((w) => describeWarning(w)),
  };
}

