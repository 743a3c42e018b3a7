/**
 * PostgreSQL for tests: TEST_DATABASE_URL, whether it answers, and throwaway schemas.
 *
 * Whether PostgreSQL answers must be known when the tests are declared (to skip them), and
 * declaration is synchronous in CommonJS ts-jest (no top-level await, and no globalSetup is
 * wanted). So it is probed synchronously in a child Node process (execFileSync running a pg
 * connect). Unavailable and CI=true: the suites run anyway and fail with "PostgreSQL is
 * required in CI …". Unavailable otherwise: one console.warn line, and those suites are skipped.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { redactDatabaseUrl } from '../../src/server/store/open';

export const PG_URL = process.env.TEST_DATABASE_URL || undefined;
export const IN_CI = process.env.CI === 'true';

/** Null when PostgreSQL answers at `url`, else why not. Synchronous: see the header. */
export function probePostgres(url: string | undefined): string | null {
  if (!url) return 'TEST_DATABASE_URL is not set';
  const script = `
    const { Client } = require(${JSON.stringify(require.resolve('pg'))});
    const c = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 5000 });
    c.connect().then(() => c.end()).then(
      () => process.exit(0),
      (e) => { process.stderr.write(String((e && (e.message || e.code)) || e)); process.exit(1); });`;
  try {
    execFileSync(process.execPath, ['-e', script], { env: { ...process.env, PROBE_URL: url }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 15_000 });
    return null;
  } catch (e) {
    const detail = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    return `PostgreSQL at ${redactDatabaseUrl(url)} did not answer (${detail.replace(/\s+/g, ' ')})`;
  }
}

/**
 * Probes once per test file. Returns whether to skip the PostgreSQL tests there (warning once
 * when so), and throws-at-use text for CI.
 */
export function postgresAvailability(what: string): { skip: boolean; unavailable: string | null } {
  const unavailable = probePostgres(PG_URL);
  if (unavailable !== null && !IN_CI) console.warn(`${what} skipped: ${unavailable}; set TEST_DATABASE_URL`);
  return { skip: unavailable !== null && !IN_CI, unavailable };
}

/** The URL of a schema of its own on TEST_DATABASE_URL (tables land there via search_path). */
export function schemaUrl(schema: string): string {
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  return `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** Creates a fresh schema; `drop()` removes it with everything in it. */
export async function throwawaySchema(prefix: string): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  return {
    schema,
    url: schemaUrl(schema),
    drop: async () => {
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
