/**
 * The admin console's CSV import of users and extensions (issue 13): parses the file, tells for
 * every row whether it is new, changed, unchanged or an error (and why, in Swedish and English),
 * and on apply writes every good row in one transaction. Users are named by Entra object id, or
 * by UPN/e-mail: known from their sign-in, else looked up in the directory when one is given.
 * Does not unlink anyone absent from the file. Extensions are never logged (SPEC 12).
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { type Localized, ValidationError } from '../../core';
import type { DirectoryLookup, DirectoryUser } from '../directory/types';
import { HttpError } from '../errors';
import type { UserKey, UserLogin, UserRow } from '../store/types';
import type { Deps } from './context';

/** At most 5 MB (5,242,880 bytes of UTF-8) and 20,000 rows besides the header. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 20_000;

export type ImportStatus = 'new' | 'changed' | 'unchanged' | 'error';
export type ImportReasonCode = 'unknownUser' | 'extensionMalformed' | 'duplicateUser' | 'duplicateExtension' | 'sharedMalformed' | 'missingColumn' | 'missingValue';

export interface ImportReason {
  code: ImportReasonCode;
  message: Localized;
}

export interface ImportRow {
  /** The file's line the row starts on (the header is line 1). */
  line: number;
  /** The user cell as written. */
  user: string;
  oid: string | null;
  displayName: string | null;
  extension: string | null;
  shared: boolean;
  status: ImportStatus;
  reason: ImportReason | null;
  /** The user as stored before the import; null: not stored yet. */
  before: { extension: string | null; shared: boolean; displayName: string | null } | null;
}

export interface ImportResult {
  dryRun: boolean;
  /** Whether this request stored anything (false for a dry run, and when no row was new or changed). */
  applied: boolean;
  summary: Record<ImportStatus, number>;
  rows: ImportRow[];
}

export interface ImportOptions {
  dryRun: boolean;
  /** Finds users by UPN or e-mail who have not signed in yet (Graph); null: not configured. */
  directory?: DirectoryLookup | null;
  /**
   * GOOGLE_DOMAIN when Google calendar sync runs (issue 17): an address there that is neither
   * known nor in the directory is a Google Workspace user, keyed by it (googleUserOid).
   */
  googleDomain?: string | null;
}

/** The object id of a Google Workspace user known only by their address: stable, at most 64 characters. */
export function googleUserOid(email: string): string {
  return `google-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 40)}`;
}

// -------------------------------------------------------------------------------------------------
// Parsing

/** One data row of the file, its cells trimmed ('' when empty). */
export interface CsvRow {
  line: number;
  user: string;
  extension: string;
  shared: string;
  /** null: no name column, or the cell is empty (the stored name is kept). */
  displayName: string | null;
  /** Set when the row has fewer cells than the header. */
  short: { got: number; want: number } | null;
}

const COLUMNS = {
  user: ['user', 'upn', 'email', 'e-post', 'mail', 'oid', 'objectid'],
  extension: ['extension', 'anknytning'],
  shared: ['shared', 'delad'],
  displayName: ['displayname', 'namn', 'name'],
} as const;
type Column = keyof typeof COLUMNS;

const NAME_MAX = 200;

/** The header line decides: `;` (Excel in Swedish) when it has more of them than of `,`. */
function delimiterOf(csv: string): ';' | ',' {
  const header = /[^\r\n]*[^\s\uFEFF][^\r\n]*/.exec(csv)?.[0] ?? '';
  const count = (c: string) => header.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Parses the file into rows; 400 naming `csv` when it is too large, unreadable, or lacks a user or extension column. */
export function parseImportCsv(csv: string): CsvRow[] {
  if (Buffer.byteLength(csv, 'utf8') > IMPORT_MAX_BYTES) throw new ValidationError('csv', `the file may be at most ${IMPORT_MAX_BYTES} bytes (5 MB)`);
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    // One kind of line break: csv-parse miscounts lines around a CRLF inside quotes.
    records = parse(csv.replace(/\r\n?/g, '\n'), {
      bom: true,
      delimiter: delimiterOf(csv),
      // A row shorter than the header is that row's error, not the whole file's.
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      info: true,
      raw: true,
    }) as typeof records;
  } catch (e) {
    throw new ValidationError('csv', `the file is not readable as CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new ValidationError('csv', 'the file is empty; the first row must be a header with user and extension columns');
  if (records.length - 1 > IMPORT_MAX_ROWS) throw new ValidationError('csv', `the file may have at most ${IMPORT_MAX_ROWS} rows besides the header (it has ${records.length - 1})`);

  const header = records[0]!.record.map((h) => h.toLowerCase());
  const index = {} as Record<Column, number>;
  for (const column of Object.keys(COLUMNS) as Column[]) {
    const at = header.flatMap((h, i) => ((COLUMNS[column] as readonly string[]).includes(h) ? [i] : []));
    if (at.length > 1) throw new ValidationError('csv', `the header has ${at.length} ${column} columns (${at.map((i) => records[0]!.record[i]).join(', ')}); keep one`);
    index[column] = at[0] ?? -1;
  }
  for (const column of ['user', 'extension'] as const) {
    if (index[column] < 0) throw new ValidationError('csv', `the header has no ${column} column (${COLUMNS[column].join(', ')}); found: ${records[0]!.record.join(', ') || 'nothing'}`);
  }
  const want = Math.max(index.user, index.extension, index.shared, index.displayName) + 1;
  return records.slice(1).map(({ record, info, raw }) => {
    const cell = (c: Column) => (index[c] >= 0 ? (record[index[c]] ?? '') : '');
    // info.lines is the line the record ends on; raw is its text, with the blank lines before it
    // and the line break after it.
    const breaks = (raw.replace(/^(?:[^\S\n]*\n)+/, '').replace(/\n$/, '').match(/\n/g) ?? []).length;
    const name = cell('displayName');
    return {
      line: info.lines - breaks,
      user: cell('user'),
      extension: cell('extension'),
      shared: cell('shared'),
      displayName: name === '' ? null : name.slice(0, NAME_MAX),
      short: record.length < want ? { got: record.length, want } : null,
    };
  });
}

// -------------------------------------------------------------------------------------------------
// Classifying

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXTENSION = /^[0-9]{2,15}$/;
const YES = ['ja', 'yes', 'true', '1'];
const NO = ['', 'nej', 'no', 'false', '0'];

const reason = (code: ImportReasonCode, sv: string, en: string): ImportReason => ({ code, message: { sv, en } });
const keyOf = (k: UserKey) => `${k.tid}\n${k.oid}`;
const who = (u: UserRow) => u.upn ?? u.mail ?? u.displayName ?? u.oid;

/** How a row's user was found: the key, the names to store with it, and a name from the directory. */
interface Found {
  key: UserKey;
  login: UserLogin;
  directoryName: string | null;
}

/** A classified row and, for a new or changed one, what to store. */
export interface Planned {
  row: ImportRow;
  found: Found | null;
  write: { key: UserKey; link: { extension: string; shared: boolean; displayName?: string | null } & UserLogin; before: string | null } | null;
}

/** Finds the users the rows name: by object id, in the store by login, then in the directory. */
async function findUsers(d: Pick<Deps, 'store'>, tid: string, rows: readonly CsvRow[], directory: DirectoryLookup | null, googleDomain: string | null): Promise<Map<string, Found | ImportReason>> {
  const out = new Map<string, Found | ImportReason>();
  const logins: string[] = [];
  for (const r of rows) {
    const v = r.user.toLowerCase();
    if (v === '' || out.has(v)) continue;
    if (GUID.test(v)) out.set(v, { key: { tid, oid: v }, login: {}, directoryName: null });
    else if (v.includes('@')) logins.push(v);
    else out.set(v, reason('unknownUser', `Okänd användare: "${r.user}" är varken ett objekt-id, en UPN eller en e-postadress.`, `Unknown user: "${r.user}" is neither an object id, a UPN nor an e-mail address.`));
  }
  if (logins.length === 0) return out;
  const asked = new Set(logins);
  const known = await d.store.findUsersByLogin(tid, logins);
  // A UPN match wins over an e-mail match (one user's address may be another's UPN).
  for (const by of ['mail', 'upn'] as const) {
    for (const u of known) if (u[by] && asked.has(u[by])) out.set(u[by], { key: { tid: u.tid, oid: u.oid }, login: {}, directoryName: null });
  }
  const rest = logins.filter((l) => !out.has(l));
  let fromDirectory = new Map<string, DirectoryUser>();
  if (rest.length > 0 && directory) {
    try {
      fromDirectory = await directory.resolve(rest);
    } catch (e) {
      throw new HttpError(503, 'Service unavailable', `The directory (Graph) could not be asked about ${rest.length} users (${(e as Error).name}); nothing was imported. Try again later.`);
    }
  }
  for (const l of rest) {
    const u = fromDirectory.get(l);
    if (u) out.set(l, { key: { tid, oid: u.oid.toLowerCase() }, login: { upn: u.upn, mail: u.mail }, directoryName: u.displayName });
    else if (googleDomain && l.endsWith(`@${googleDomain}`)) out.set(l, { key: { tid, oid: googleUserOid(l) }, login: { mail: l }, directoryName: null });
    else if (directory) out.set(l, reason('unknownUser', `Okänd användare: ${l} finns inte i katalogen.`, `Unknown user: ${l} is not in the directory.`));
    else out.set(l, reason('unknownUser', `Okänd användare: ${l} har inte loggat in och katalogen (Graph) är inte konfigurerad.`, `Unknown user: ${l} has not signed in yet and directory lookup (Graph) is not configured.`));
  }
  return out;
}

/** What is wrong with a row's own cells, if anything. */
function cellProblem(r: CsvRow): ImportReason | null {
  if (r.short) return reason('missingColumn', `Raden har ${r.short.got} kolumner men rubriken har ${r.short.want}.`, `The row has ${r.short.got} columns but the header has ${r.short.want}.`);
  if (r.user === '') return reason('missingValue', 'Användare saknas.', 'The user is missing.');
  if (r.extension === '') return reason('missingValue', 'Anknytning saknas.', 'The extension is missing.');
  if (!EXTENSION.test(r.extension)) return reason('extensionMalformed', `Anknytningen måste vara 2–15 siffror (fick "${r.extension}").`, `The extension must be 2–15 digits (got "${r.extension}").`);
  const s = r.shared.toLowerCase();
  if (!YES.includes(s) && !NO.includes(s)) return reason('sharedMalformed', 'Delad måste vara ja eller nej.', `Shared must be yes or no (got "${r.shared}").`);
  return null;
}

/** Classifies every row against the store (and the directory); writes nothing. */
export async function planImport(d: Pick<Deps, 'store'>, admin: { tid: string }, rows: readonly CsvRow[], directory: DirectoryLookup | null, googleDomain: string | null = null): Promise<Planned[]> {
  const found = await findUsers(d, admin.tid, rows, directory, googleDomain);
  const stored = await d.store.listUsers();
  const byKey = new Map(stored.map((u) => [keyOf(u), u]));
  const onExtension = new Map<string, UserRow[]>();
  for (const u of stored) {
    if (!u.extension) continue;
    const list = onExtension.get(u.extension);
    if (list) list.push(u);
    else onExtension.set(u.extension, [u]);
  }

  const firstLineOf = new Map<string, number>();
  const planned: Planned[] = rows.map((r) => {
    const f = found.get(r.user.toLowerCase());
    const user = f && 'key' in f ? f : null;
    const existing = user ? (byKey.get(keyOf(user.key)) ?? null) : null;
    const row: ImportRow = {
      line: r.line,
      user: r.user,
      oid: user?.key.oid ?? null,
      displayName: r.displayName ?? existing?.displayName ?? user?.directoryName ?? null,
      extension: r.extension === '' ? null : r.extension,
      shared: YES.includes(r.shared.toLowerCase()),
      status: 'error',
      reason: cellProblem(r) ?? (f && !user ? (f as ImportReason) : null),
      before: existing ? { extension: existing.extension, shared: existing.shared, displayName: existing.displayName } : null,
    };
    if (user) {
      const first = firstLineOf.get(keyOf(user.key));
      if (first === undefined) firstLineOf.set(keyOf(user.key), r.line);
      else row.reason ??= reason('duplicateUser', `Användaren finns redan på rad ${first}.`, `The user is already on line ${first}.`);
    }
    return { row, found: user, write: null };
  });

  // The same extension twice in the file: fine when both rows say shared, else the later is wrong.
  const firstOnExtension = new Map<string, ImportRow>();
  for (const { row } of planned) {
    if (row.reason || !row.extension) continue;
    const first = firstOnExtension.get(row.extension);
    if (!first) firstOnExtension.set(row.extension, row);
    else if (!(first.shared && row.shared)) {
      row.reason = reason('duplicateExtension', `Anknytning ${row.extension} finns redan på rad ${first.line} utan att vara delad.`, `Extension ${row.extension} is already on line ${first.line}; two users share it only when both rows say shared.`);
    }
  }

  // An extension another user keeps (not in the file, or on an error row): only shared with shared.
  // Such an error keeps that row's user on their extension, which may block the rows wanting it.
  const good = planned.filter((p) => !p.row.reason && p.found);
  const moving = new Set(good.map((p) => keyOf(p.found!.key)));
  const wanting = new Map<string, Planned[]>();
  for (const p of good) {
    const list = wanting.get(p.row.extension!);
    if (list) list.push(p);
    else wanting.set(p.row.extension!, [p]);
  }
  const queue = [...good];
  while (queue.length > 0) {
    const p = queue.pop()!;
    if (p.row.reason) continue;
    const key = keyOf(p.found!.key);
    const blocker = (onExtension.get(p.row.extension!) ?? []).find((u) => keyOf(u) !== key && !moving.has(keyOf(u)) && !(u.shared && p.row.shared));
    if (!blocker) continue;
    p.row.reason = reason(
      'duplicateExtension',
      `Anknytning ${p.row.extension} är redan kopplad till ${who(blocker)} utan att vara delad.`,
      `Extension ${p.row.extension} is already linked to ${who(blocker)}, and not as shared by both.`,
    );
    moving.delete(key);
    const stays = byKey.get(key)?.extension;
    if (stays) for (const w of wanting.get(stays) ?? []) queue.push(w);
  }

  for (const p of planned) {
    const { row } = p;
    if (row.reason || !p.found) continue;
    const b = row.before;
    row.status = !b || b.extension === null ? 'new' : b.extension !== row.extension || b.shared !== row.shared || b.displayName !== row.displayName ? 'changed' : 'unchanged';
    if (row.status === 'unchanged') continue;
    // No name cell keeps the stored name; a new user may take the directory's.
    const displayName = row.displayName !== (b?.displayName ?? null) ? row.displayName : undefined;
    p.write = { key: p.found.key, link: { extension: row.extension!, shared: row.shared, displayName, ...p.found.login }, before: b?.extension ?? null };
  }
  return planned;
}

// -------------------------------------------------------------------------------------------------
// The use case

/** Parses, classifies and (unless a dry run) applies an import for an admin of tenant `admin.tid`. */
export async function runImport(d: Deps, admin: { tid: string }, csv: string, opts: ImportOptions): Promise<ImportResult> {
  const planned = await planImport(d, admin, parseImportCsv(csv), opts.directory ?? null, opts.googleDomain ?? null);
  const writes = planned.flatMap((p) => (p.write ? [p.write] : []));
  if (!opts.dryRun && writes.length > 0) {
    const now = d.clock();
    // All or none: a failure part-way rolls every row back.
    await d.store.transaction(async (tx) => {
      for (const w of writes) await tx.linkUser(w.key, w.link, now);
    });
    for (const w of writes) d.contexts.forgetUser(w.key);
    d.changed(...new Set(writes.flatMap((w) => [w.before, w.link.extension])));
  }
  const rows = planned.map((p) => p.row);
  const summary: Record<ImportStatus, number> = { new: 0, changed: 0, unchanged: 0, error: 0 };
  for (const r of rows) summary[r.status] += 1;
  return { dryRun: opts.dryRun, applied: !opts.dryRun && writes.length > 0, summary, rows };
}
