/**
 * The DIRECTORY_* variables (merged into config.ts's one schema like GRAPH_*) and their checks at
 * start: which directory attribute holds a user's extension, how many of its digits count, when
 * the daily run is, and an optional group that scopes it. Linking from the directory is off
 * unless DIRECTORY_EXTENSION_ATTRIBUTE is set, and it needs Graph (GRAPH_*) configured.
 */
import { Type } from 'typebox';
import { parseClock } from '../../core';

/** The user properties an extension can be read from (docs/admin-directory.md lists them). */
export const DIRECTORY_ATTRIBUTES = [
  'businessPhones',
  'mobilePhone',
  'employeeId',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
] as const;
export type DirectoryAttribute = (typeof DIRECTORY_ATTRIBUTES)[number];

const ATTRIBUTE_LIST = 'businessPhones, mobilePhone, employeeId or extensionAttribute1 … extensionAttribute15';

export const DIRECTORY_ENV = {
  DIRECTORY_EXTENSION_ATTRIBUTE: Type.String({ default: '', expected: `the user attribute holding the extension: ${ATTRIBUTE_LIST}` }),
  DIRECTORY_EXTENSION_DIGITS: Type.Integer({ minimum: 0, maximum: 15, default: 0, expected: '0 (the whole value, 2–15 digits) or 2–15 (its last N digits)' }),
  DIRECTORY_SYNC_AT: Type.String({ default: '03:00', expected: 'a local time of day HH:mm, or off' }),
  DIRECTORY_GROUP_ID: Type.String({ default: '', expected: 'a group id (GUID)' }),
};

export interface DirectoryConfig {
  /** Where a user's extension is read from; null: linking from the directory is off. */
  attribute: DirectoryAttribute | null;
  /** 0: all the value's digits (2–15 of them); N: its last N digits. */
  digits: number;
  /** HH:mm in ORG_TIME_ZONE for the daily run; null: only on demand. */
  syncAt: string | null;
  /** Only this group's members (nested groups included); null: every user. */
  groupId: string | null;
}

type DirectoryEnv = {
  DIRECTORY_EXTENSION_ATTRIBUTE: string;
  DIRECTORY_EXTENSION_DIGITS: number;
  DIRECTORY_SYNC_AT: string;
  DIRECTORY_GROUP_ID: string;
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `extensionAttribute3`, `onPremisesExtensionAttributes.extensionAttribute3` (any case) → the canonical name; null: not one. */
export function attributeNamed(name: string): DirectoryAttribute | null {
  const bare = name.trim().replace(/^onPremisesExtensionAttributes\.(?=extensionAttribute)/i, '').toLowerCase();
  return DIRECTORY_ATTRIBUTES.find((a) => a.toLowerCase() === bare) ?? null;
}

/** `graph`: whether GRAPH_* is configured (the directory is read through the same app registration). */
export function directoryConfig(e: DirectoryEnv, fail: (variable: string, detail: string) => Error, graph: boolean): DirectoryConfig {
  let attribute: DirectoryAttribute | null = null;
  if (e.DIRECTORY_EXTENSION_ATTRIBUTE.trim() !== '') {
    attribute = attributeNamed(e.DIRECTORY_EXTENSION_ATTRIBUTE);
    if (!attribute) throw fail('DIRECTORY_EXTENSION_ATTRIBUTE', `must be ${ATTRIBUTE_LIST} (got ${JSON.stringify(e.DIRECTORY_EXTENSION_ATTRIBUTE)})`);
    if (!graph) throw fail('DIRECTORY_EXTENSION_ATTRIBUTE', 'needs Microsoft Graph configured: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH');
  }
  if (e.DIRECTORY_EXTENSION_DIGITS === 1) throw fail('DIRECTORY_EXTENSION_DIGITS', 'must be 0 (the whole value) or 2–15: an extension has at least 2 digits (got 1)');
  let syncAt: string | null = null;
  const at = e.DIRECTORY_SYNC_AT.trim();
  if (at.toLowerCase() !== 'off') {
    try {
      const minutes = parseClock(at.length === 4 ? `0${at}` : at, 'DIRECTORY_SYNC_AT');
      syncAt = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    } catch {
      throw fail('DIRECTORY_SYNC_AT', `must be a local time of day HH:mm such as 03:00, or off (got ${JSON.stringify(e.DIRECTORY_SYNC_AT)})`);
    }
  }
  let groupId: string | null = null;
  if (e.DIRECTORY_GROUP_ID.trim() !== '') {
    if (!GUID.test(e.DIRECTORY_GROUP_ID.trim())) throw fail('DIRECTORY_GROUP_ID', `must be a group's object id (GUID) (got ${JSON.stringify(e.DIRECTORY_GROUP_ID)})`);
    if (!attribute) throw fail('DIRECTORY_GROUP_ID', 'needs DIRECTORY_EXTENSION_ATTRIBUTE: the group only scopes linking from the directory');
    groupId = e.DIRECTORY_GROUP_ID.trim().toLowerCase();
  }
  return { attribute, digits: e.DIRECTORY_EXTENSION_DIGITS, syncAt, groupId };
}
