/**
 * Versioned migrations, kept in code (no migration folder to ship) and written only with Kysely's
 * schema builder, so the same steps run on SQLite and PostgreSQL. Append new steps as
 * `002_…`, `003_…`; never edit one that has shipped. Migrations see the database untyped
 * (`Kysely<any>`): they describe the schema as it was at their time, not as schema.ts says now.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';
import { searchFold } from './repos/search';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design
type AnyDb = Kysely<any>;

/**
 * Runs one migration's steps atomically. Kysely wraps migrations in a transaction only where it
 * believes DDL is transactional (PostgreSQL); SQLite's DDL is transactional too, so a step that
 * fails half-way leaves nothing behind there either. Wrap every new migration's up and down in it.
 */
export function atomic(body: (db: AnyDb) => Promise<void>): (db: AnyDb) => Promise<void> {
  return (db) => (db.isTransaction ? body(db) : db.transaction().execute(body));
}

/**
 * When the current version of an extension is due for delivery, in epoch ms: null when there is
 * nothing to deliver (delivered, or failed for good); the lapse of a claim while one is held (a
 * process is delivering it); the next retry after a failure; else 0 (due at once).
 */
export const DELIVERY_DUE_SQL = sql`(case when version <= delivered_version or (failed_version is not null and failed_version >= version) then null when claimed_until is not null then claimed_until when next_attempt_at is not null then next_attempt_at else 0 end)`;

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': {
    up: atomic(async (db) => {
      await db.schema
        .createTable('users')
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text')
        .addColumn('extension', 'text')
        .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('users_pk', ['tid', 'oid'])
        .execute();
      await db.schema.createIndex('users_extension_idx').on('users').column('extension').execute();

      await db.schema
        .createTable('user_docs')
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_docs_pk', ['tid', 'oid', 'kind'])
        .execute();

      await db.schema
        .createTable('org')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('bookings')
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('booking_id', 'text', (c) => c.notNull())
        .addColumn('last_modified', 'bigint')
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('rest', 'text')
        .addColumn('location', 'text')
        .addColumn('body', 'text')
        .addColumn('start', 'bigint', (c) => c.notNull())
        .addColumn('end', 'bigint', (c) => c.notNull())
        .addColumn('is_all_day', 'integer', (c) => c.notNull())
        .addColumn('sensitivity', 'text', (c) => c.notNull())
        .addColumn('show_as', 'text', (c) => c.notNull())
        .addColumn('is_cancelled', 'integer', (c) => c.notNull())
        .addColumn('response_status', 'text', (c) => c.notNull())
        .addColumn('dismissed_version', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('recurrence', 'text')
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
        .addPrimaryKeyConstraint('bookings_pk', ['tid', 'oid', 'booking_id'])
        .execute();
      await db.schema.createIndex('bookings_user_end_idx').on('bookings').columns(['tid', 'oid', 'end']).execute();

      await db.schema
        .createTable('activities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('number', 'text')
        .addColumn('from', 'bigint', (c) => c.notNull())
        .addColumn('to', 'bigint')
        .addColumn('text', 'text')
        .addColumn('operator_only', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('activities_user_from_idx').on('activities').columns(['tid', 'oid', 'from']).execute();

      await db.schema
        .createTable('recurring')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('number', 'text')
        .addColumn('first_start', 'bigint', (c) => c.notNull())
        .addColumn('first_end', 'bigint', (c) => c.notNull())
        .addColumn('repeat', 'text', (c) => c.notNull())
        .addColumn('until', 'text')
        .addColumn('ends_next_working_day', 'integer', (c) => c.notNull())
        .addColumn('text', 'text')
        .addColumn('operator_only', 'integer', (c) => c.notNull())
        .addColumn('exceptions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('recurring_user_idx').on('recurring').columns(['tid', 'oid']).execute();
    }),
    down: atomic(async (db) => {
      for (const t of ['recurring', 'activities', 'bookings', 'org', 'user_docs', 'users']) await db.schema.dropTable(t).execute();
    }),
  },
  '002_switch_state': {
    up: atomic(async (db) => {
      await db.schema
        .createTable('switch_state')
        .addColumn('extension', 'text', (c) => c.primaryKey())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('next_boundary', 'bigint')
        .addColumn('computed_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_version', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('failed_version', 'bigint')
        .execute();
      await db.schema.createIndex('switch_state_boundary_idx').on('switch_state').column('next_boundary').execute();
      await db.schema
        .createTable('switch_journal')
        .addColumn('extension', 'text', (c) => c.notNull())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        // A re-delivered version is recorded once (level-triggered: re-sending is harmless).
        .addPrimaryKeyConstraint('switch_journal_pk', ['extension', 'version'])
        .execute();
      await db.schema.createIndex('switch_journal_at_idx').on('switch_journal').column('at').execute();
    }),
    down: atomic(async (db) => {
      for (const t of ['switch_journal', 'switch_state']) await db.schema.dropTable(t).execute();
    }),
  },
  '003_delivery_claims': {
    // Several endpoint processes on one PostgreSQL: a process claims an extension's pending
    // delivery for a lease, so each state is delivered by one process at a time.
    up: atomic(async (db) => {
      await db.schema.alterTable('switch_state').addColumn('claimed_by', 'text').execute();
      await db.schema.alterTable('switch_state').addColumn('claimed_until', 'bigint').execute();
    }),
    down: atomic(async (db) => {
      await db.schema.alterTable('switch_state').dropColumn('claimed_until').execute();
      await db.schema.alterTable('switch_state').dropColumn('claimed_by').execute();
    }),
  },
  '004_delivery_due_index': {
    // When an extension's delivery is due, as an indexed expression: the scheduler's claim and
    // wake-up queries read the front of this index instead of scanning every extension (with
    // 50,000 extensions a scan per delivery made a burst quadratic). The expression must stay
    // identical to DELIVERY_DUE_SQL as repos/switch-state.ts uses it, or the planners stop using the index.
    up: atomic(async (db) => {
      await db.schema.createIndex('switch_state_due_idx').on('switch_state').expression(DELIVERY_DUE_SQL).execute();
    }),
    down: atomic(async (db) => {
      await db.schema.dropIndex('switch_state_due_idx').execute();
    }),
  },
  '005_calendar_sync': {
    up: atomic(async (db) => {
      await db.schema
        .createTable('calendar_sync')
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('delta_link', 'text')
        .addColumn('window_start', 'bigint')
        .addColumn('window_end', 'bigint')
        .addColumn('last_success_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'bigint')
        .addColumn('lag_ms', 'bigint')
        .addColumn('subscription_id', 'text')
        .addColumn('subscription_expires_at', 'bigint')
        .addColumn('client_state', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('calendar_sync_pk', ['tid', 'oid'])
        .execute();
      await db.schema.createIndex('calendar_sync_subscription_idx').on('calendar_sync').column('subscription_id').execute();
    }),
    down: atomic(async (db) => {
      await db.schema.dropTable('calendar_sync').execute();
    }),
  },
  // Colleagues (Kollegor, issue 12): display names folded for a case- and accent-insensitive search.
  '006_user_search_name': {
    up: atomic(async (db) => {
      await db.schema.alterTable('users').addColumn('search_name', 'text').execute();
      const rows = (await db.selectFrom('users').select(['tid', 'oid', 'display_name']).where('display_name', 'is not', null).execute()) as {
        tid: string;
        oid: string;
        display_name: string;
      }[];
      for (const r of rows) {
        await db.updateTable('users').set({ search_name: searchFold(r.display_name) }).where('tid', '=', r.tid).where('oid', '=', r.oid).execute();
      }
    }),
    down: atomic(async (db) => {
      await db.schema.alterTable('users').dropColumn('search_name').execute();
    }),
  },
  // The admin console (issue 13): users found and imported by UPN or e-mail, lowercased.
  '007_user_login': {
    up: atomic(async (db) => {
      await db.schema.alterTable('users').addColumn('upn', 'text').execute();
      await db.schema.alterTable('users').addColumn('mail', 'text').execute();
      await db.schema.createIndex('users_upn_idx').on('users').columns(['tid', 'upn']).execute();
      await db.schema.createIndex('users_mail_idx').on('users').columns(['tid', 'mail']).execute();
    }),
    down: atomic(async (db) => {
      await db.schema.dropIndex('users_mail_idx').execute();
      await db.schema.dropIndex('users_upn_idx').execute();
      await db.schema.alterTable('users').dropColumn('mail').execute();
      await db.schema.alterTable('users').dropColumn('upn').execute();
    }),
  },
  // Bookings that will not divert (issue 14): the near miss a booking had when stored (the
  // minimised row cannot always recompute it: SPEC 12 keeps only the code part of the subject,
  // and a notAtStart near miss has none), and the mail about it: the booking version (its
  // lastModified, 0 without one) a mail is due for, and the newest version one was sent for.
  '008_booking_problems': {
    up: atomic(async (db) => {
      for (const c of ['near_miss_kind', 'near_miss_key']) await db.schema.alterTable('bookings').addColumn(c, 'text').execute();
      for (const c of ['mail_due_version', 'mail_sent_version']) await db.schema.alterTable('bookings').addColumn(c, 'bigint').execute();
      // Partial: the mailer's sweep reads the few rows with a mail due, not every booking.
      await db.schema.createIndex('bookings_mail_due_idx').on('bookings').column('mail_due_version').where(sql.ref('mail_due_version'), 'is not', null).execute();
    }),
    down: atomic(async (db) => {
      await db.schema.dropIndex('bookings_mail_due_idx').execute();
      for (const c of ['mail_sent_version', 'mail_due_version', 'near_miss_key', 'near_miss_kind']) await db.schema.alterTable('bookings').dropColumn(c).execute();
    }),
  },
  // States ready before they are due (issue 16): the state that will hold at next_boundary,
  // computed ahead (pending_at = next_boundary while it is valid), and the boundary after it. At
  // the instant the scheduler only promotes it (Store.promotePending) and delivers.
  '009_pending_transition': {
    up: atomic(async (db) => {
      await db.schema.alterTable('switch_state').addColumn('pending_at', 'bigint').execute();
      await db.schema.alterTable('switch_state').addColumn('pending_state', 'text').execute();
      await db.schema.alterTable('switch_state').addColumn('pending_next', 'bigint').execute();
    }),
    down: atomic(async (db) => {
      for (const c of ['pending_next', 'pending_state', 'pending_at']) await db.schema.alterTable('switch_state').dropColumn(c).execute();
    }),
  },
  // Calendar sync through Google Calendar (issue 17): per user, the address read, the sync token
  // of the last complete round and its window, and the push channel (events.watch).
  '010_google_sync': {
    up: atomic(async (db) => {
      await db.schema
        .createTable('google_sync')
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('sync_token', 'text')
        .addColumn('window_start', 'bigint')
        .addColumn('window_end', 'bigint')
        .addColumn('last_success_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'bigint')
        .addColumn('lag_ms', 'bigint')
        .addColumn('channel_id', 'text')
        .addColumn('channel_resource_id', 'text')
        .addColumn('channel_token', 'text')
        .addColumn('channel_expires_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('google_sync_pk', ['tid', 'oid'])
        .execute();
      await db.schema.createIndex('google_sync_channel_idx').on('google_sync').column('channel_id').execute();
    }),
    down: atomic(async (db) => {
      await db.schema.dropTable('google_sync').execute();
    }),
  },
  // Several processes sharing calendar sync (issue 18): a lease per user and source, and each
  // process's heartbeat (who is alive, for spreading the users and for the admin console).
  '011_sync_leases': {
    up: atomic(async (db) => {
      await db.schema
        .createTable('sync_leases')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('tid', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_leases_pk', ['source', 'tid', 'oid'])
        .execute();
      await db.schema.createIndex('sync_leases_owner_idx').on('sync_leases').column('owner').execute();
      await db.schema
        .createTable('endpoint_processes')
        .addColumn('owner', 'text', (c) => c.primaryKey())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
        .execute();
    }),
    down: atomic(async (db) => {
      await db.schema.dropTable('endpoint_processes').execute();
      await db.schema.dropTable('sync_leases').execute();
    }),
  },
};

/** The migrations as Kysely's provider. */
export function migrationProvider(migrations: Readonly<Record<string, Migration>> = MIGRATIONS): MigrationProvider {
  return { getMigrations: async () => ({ ...migrations }) };
}

/**
 * Brings the database to the latest version and returns the names of the migrations it ran
 * (none when it was up to date). Throws (never logs and continues) when a step fails; the failed
 * step is rolled back (each step runs in one transaction on both dialects).
 *
 * On PostgreSQL the bookkeeping tables (`kysely_migration`, `kysely_migration_lock`) go into
 * `current_schema()`, the schema the tables themselves are created in: Kysely otherwise looks
 * for them in every schema and is confused by another schema's copy (a second installation or
 * a test run in its own schema on the same database).
 */
export async function migrateToLatest(db: AnyDb, migrations: Readonly<Record<string, Migration>> = MIGRATIONS): Promise<string[]> {
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const r = await sql<{ s: string | null }>`select current_schema() as s`.execute(db);
    const s = r.rows[0]?.s;
    if (!s) throw new Error('Database migration failed: PostgreSQL has no current schema (check search_path)');
    migrationTableSchema = s;
  }
  const migrator = new Migrator({ db, provider: migrationProvider(migrations), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    const why = error instanceof Error ? error.message : String(error);
    const what = failed ? `migration ${failed.migrationName}` : 'migration';
    throw new Error(`Database ${what} failed: ${why.replace(/\s+/g, ' ')}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
