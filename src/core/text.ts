/**
 * Message text that reaches colleagues and the switch carries only what a person can see
 * (issue 10). Control characters, bidirectional overrides and invisible separators are removed;
 * letters of every script, emoji and their joiners stay: U+200D (zero-width joiner, emoji
 * sequences), U+200C (zero-width non-joiner, Persian and Indic scripts) and the tag characters
 * of flag emoji are kept. Line breaks and tabs become spaces.
 */

/** C0/C1 controls other than white space, bidi embeddings, overrides, isolates and marks,
 * zero-width space, word joiner and invisible operators, BOM, and lone surrogates. */
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]|\p{Cs}/gu;
const CONTROL_SPACE = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

export function cleanText(s: string): string {
  return s.replace(CONTROL_SPACE, ' ').replace(INVISIBLE, '');
}
