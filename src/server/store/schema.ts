/**
 * The database as Kysely sees it: one interface per table, column names in snake_case. The
 * schema is identical on SQLite and PostgreSQL: instants are bigint epoch milliseconds, booleans
 * are integer 0/1, JSON documents are text. The repositories (repos/*.ts) convert to and
 * from the row types of types.ts at their edge.
 */
import type { Generated } from 'kysely';

/** 0 or 1. */
export type Bool01 = number;

export interface UsersTable {
  tid: string;
  oid: string;
  display_name: string | null;
  /** display_name folded for the colleague search (repos/search.ts); null without a name. */
  search_name: string | null;
  /** User principal name and e-mail, lowercased (from sign-in, the import or the directory); null: not known. */
  upn: string | null;
  mail: string | null;
  extension: string | null;
  shared: Bool01;
  created_at: number;
  updated_at: number;
}

export interface UserDocsTable {
  tid: string;
  oid: string;
  kind: string;
  /** JSON text. */
  value: string;
  updated_at: number;
}

export interface OrgTable {
  /** Always 1: the table holds one row. */
  id: number;
  /** JSON text. */
  value: string;
  updated_at: number;
}

export interface BookingsTable {
  tid: string;
  oid: string;
  booking_id: string;
  last_modified: number | null;
  prefix: string;
  rest: string | null;
  location: string | null;
  body: string | null;
  start: number;
  end: number;
  is_all_day: Bool01;
  sensitivity: string;
  show_as: string;
  is_cancelled: Bool01;
  response_status: string;
  dismissed_version: number | null;
  updated_at: number;
  /**
   * JSON text of the Office recurrence of an Outlook series; null: a single booking.
   */
  recurrence: string | null;
  /** 1 when inserted, +1 on every accepted update: tells 'created' from 'updated' in one statement. */
  revision: Generated<number>;
  /** The subject's near miss when stored (issue 14; core NearMissKind and likely key); null: none. */
  near_miss_kind: string | null;
  near_miss_key: string | null;
  /** The booking version (lastModified, 0 without one) a mail is due for; null: none due. */
  mail_due_version: number | null;
  /** The newest booking version a mail was sent for; null: none yet. */
  mail_sent_version: number | null;
}

export interface ActivitiesTable {
  id: string;
  tid: string;
  oid: string;
  source: string;
  key: string;
  mode: string;
  number: string | null;
  from: number;
  to: number | null;
  text: string | null;
  operator_only: Bool01;
  created_at: number;
}

export interface RecurringTable {
  id: string;
  tid: string;
  oid: string;
  key: string;
  mode: string;
  number: string | null;
  first_start: number;
  first_end: number;
  /** JSON text of the core's Repeat. */
  repeat: string;
  /** Inclusive local date YYYY-MM-DD; null: tills vidare. */
  until: string | null;
  ends_next_working_day: Bool01;
  text: string | null;
  operator_only: Bool01;
  /** JSON text: array of epoch ms. */
  exceptions: string;
  created_at: number;
}

export interface SwitchStateTable {
  extension: string;
  version: number;
  state: string;
  next_boundary: number | null;
  computed_at: number;
  delivered_version: number;
  delivered_at: number | null;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  failed_version: number | null;
  /** The process delivering the current version, and until when its claim holds. */
  claimed_by: string | null;
  claimed_until: number | null;
  /** The pending transition (issue 16): the state at pending_at (= next_boundary while valid), and the boundary after it. */
  pending_at: number | null;
  pending_state: string | null;
  pending_next: number | null;
}

export interface SwitchJournalTable {
  extension: string;
  version: number;
  state: string;
  at: number;
}

/** Per user: how far calendar sync through Microsoft Graph has come, and its subscription. */
export interface CalendarSyncTable {
  tid: string;
  oid: string;
  delta_link: string | null;
  window_start: number | null;
  window_end: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  lag_ms: number | null;
  subscription_id: string | null;
  subscription_expires_at: number | null;
  client_state: string | null;
  updated_at: number;
}

/** Per user: how far calendar sync through Google Calendar has come, and its push channel (issue 17). */
export interface GoogleSyncTable {
  tid: string;
  oid: string;
  email: string | null;
  sync_token: string | null;
  window_start: number | null;
  window_end: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  lag_ms: number | null;
  channel_id: string | null;
  channel_resource_id: string | null;
  channel_token: string | null;
  channel_expires_at: number | null;
  updated_at: number;
}

/**
 * Calendar sync shared by several processes on PostgreSQL (issue 18): who reads a user's
 * calendar from one source ('graph', 'google'), until when. A lease that lapses (its process
 * died or lost the database) may be taken by another process.
 */
export interface SyncLeasesTable {
  source: string;
  tid: string;
  oid: string;
  owner: string;
  expires_at: number;
}

/** The endpoint processes on this database and their last heartbeat (issue 18). */
export interface EndpointProcessesTable {
  owner: string;
  host: string;
  pid: number;
  started_at: number;
  heartbeat_at: number;
}

export interface Database {
  users: UsersTable;
  user_docs: UserDocsTable;
  org: OrgTable;
  bookings: BookingsTable;
  activities: ActivitiesTable;
  recurring: RecurringTable;
  switch_state: SwitchStateTable;
  switch_journal: SwitchJournalTable;
  calendar_sync: CalendarSyncTable;
  google_sync: GoogleSyncTable;
  sync_leases: SyncLeasesTable;
  endpoint_processes: EndpointProcessesTable;
}

/** Every table, children before parents (the order to empty them in). */
export const TABLES: readonly (keyof Database)[] = ['user_docs', 'bookings', 'activities', 'recurring', 'users', 'org', 'switch_state', 'switch_journal', 'calendar_sync', 'google_sync', 'sync_leases', 'endpoint_processes'];
