/**
 * How names are compared in the colleague search (Kollegor, issue 12): without case and accents,
 * so "asa" and "ÅSA" find "Åsa Öberg". The same fold is stored (users.search_name) and applied to
 * the query, so both dialects compare plain text.
 */
export function searchFold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[æ]/g, 'ae')
    .replace(/[ø]/g, 'o')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A LIKE pattern's special characters escaped with a backslash (used with `escape '\\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
