/**
 * The shapes the console reads and sends (issue 13's contract). Where the endpoint has a schema
 * its type is imported type-only, so nothing of the server reaches the bundle and a change on
 * either side fails the type check; the rest is declared here from the contract.
 */
import type { Static } from 'typebox';
import type {
  AdminCatalog,
  CalendarAdmin,
  CodeOverride,
  ConsoleUserJson,
  DirectoryLinking,
  DirectorySyncResultJson,
  ImportResultJson,
  MeJson,
  OrgDoc,
  ResolutionJson,
  RetryAll,
  UserJson,
} from '../server/http/schemas';

export type { Lang, Localized } from '../core/catalog';
export type Me = MeJson;
/** The user as PUT /admin/users/{oid} and DELETE …/extension answer. */
export type AdminUser = UserJson;

/** GET /admin/config.json (the same values as /addin/config.json). */
export interface ConsoleConfig {
  devSignIn: boolean;
  clientId: string | null;
  scope: string | null;
  authority: string | null;
}

/** One delivery to the switch: the version the extension should have and whether it has it. */
export interface DeliveryStatus {
  version: number;
  deliveredVersion: number;
  delivered: boolean;
  deliveredAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  failed: boolean;
}

/** One row of GET /admin/users: the user, their diversion, last delivery and calendar sync. */
export type AdminUserRow = ConsoleUserJson;

export interface Paged {
  total: number;
  offset: number;
  limit: number;
}

export interface AdminUsersPage extends Paged {
  users: AdminUserRow[];
}

/** PUT /admin/users/{oid}. */
export interface UserLink {
  extension: string;
  shared?: boolean;
  displayName?: string | null;
  tid?: string;
}

export type ImportResult = ImportResultJson;
export type ImportRow = ImportResult['rows'][number];
export type ImportStatus = ImportRow['status'];

/** What the switch is told for one extension (the connectors' SwitchState), as far as the console shows it. */
export interface SwitchState {
  code: string;
  mex: number | null;
  label: string;
  forwarding: 'spoken' | 'none' | 'number';
  number: string | null;
  soft: boolean;
  returnAt: string | null;
  spoken?: string | null;
}

export interface DeliveryRow extends DeliveryStatus {
  extension: string;
  state: SwitchState | null;
  computedAt: string | null;
  nextBoundary: string | null;
}

export interface DeliveriesPage extends Paged {
  deliveries: DeliveryRow[];
}

export type CalendarStatus = Static<typeof CalendarAdmin>;
export type CalendarUser = CalendarStatus['users'][number];

/** GET /admin/directory: whether linking from the directory is configured, and the last run. */
export type DirectoryStatus = Static<typeof DirectoryLinking>;
/** POST /admin/directory/sync. */
export type DirectorySync = DirectorySyncResultJson;
export type RetryAllAnswer = Static<typeof RetryAll>;

export type OrgDocument = Static<typeof OrgDoc>;
export type CodeOverrideJson = Static<typeof CodeOverride>;

export interface OrgAnswer {
  org: OrgDocument;
  updatedAt: string | null;
}

export type StandardLength = 'nextWorkingDay' | { minutes: number };

/** GET /admin/catalog: every code, disabled ones too, and whether it is one of the guide's. */
export type AdminCatalogCode = Static<typeof AdminCatalog>['codes'][number];

export interface PreviewBooking {
  subject: string;
  start: string;
  end: string;
  sensitivity?: string;
  showAs?: string;
  isAllDay?: boolean;
}

/**
 * POST /admin/org/preview: "the same shape as POST /api/v1/preview". What a caller hears is read
 * from `spoken` or `callerHears` when the endpoint sends them, else worded from the resolution.
 */
export type AdminPreview = ResolutionJson & {
  spoken?: string | null;
  callerHears?: { sv: string | null; en: string | null } | null;
};

export interface JournalEntry {
  extension: string;
  version: number;
  state: SwitchState | null;
  at: string | null;
}
