/**
 * The endpoint's configuration: read from the environment once at start, validated against one
 * schema, exposed as one typed object (STYLE 8). An invalid value stops start-up with a message
 * naming the variable. docs/admin.md is the reference for admins.
 */
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { assertTimeZone, ValidationError } from '../core';
import { GRAPH_ENV, type GraphConfig, graphConfig } from './calendar/config';
import { GOOGLE_ENV, type GoogleConfig, googleConfig } from './calendar/google/config';
import { httpUrl } from './config-url';
import { DIRECTORY_ENV, type DirectoryConfig, directoryConfig } from './directory/config';
import { CONNECTOR_ENV, type ConnectorSettings, connectorSettings } from './connectors';
import { NOTIFY_ENV, type NotifyConfig, notifyConfig } from './notify/config';

const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, expected: 'a port number 0–65535' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', expected: 'an address to listen on, e.g. 127.0.0.1 or 0.0.0.0' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data', expected: 'a folder' }),
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1, expected: 'a SQLite file path or postgres://user:password@host/db' })),
  AUTH_MODE: Type.Union([Type.Literal('dev'), Type.Literal('entra')], { default: 'dev', expected: '"entra" or "dev"' }),
  ENTRA_TENANT_IDS: Type.String({ default: '', expected: 'comma-separated tenant ids (GUIDs)' }),
  ENTRA_AUDIENCE: Type.String({ default: '', expected: 'comma-separated audiences, e.g. api://<client-id>,<client-id>' }),
  ENTRA_SCOPE: Type.String({ minLength: 1, default: 'access_as_user', expected: 'the scope name the add-in asks for' }),
  ENTRA_AUTHORITY: Type.String({ default: 'https://login.microsoftonline.com', expected: 'an https URL' }),
  ENTRA_V1_ISSUER_BASE: Type.String({ default: 'https://sts.windows.net', expected: 'an https URL' }),
  ORG_TIME_ZONE: Type.String({ default: 'Europe/Stockholm', expected: 'an IANA time zone such as Europe/Stockholm' }),
  RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30, expected: 'a whole number of days 1–3650' }),
  ADDIN_ORIGINS: Type.String({ default: '', expected: 'comma-separated origins such as https://addin.example.se' }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 600, expected: 'requests per user per minute' }),
  SIGNIN_FAILURES_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 30, expected: 'failed sign-ins per client address per minute before 429' }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 10_485_760, default: 262_144, expected: 'bytes, 1024–10485760' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), {
    default: 'info',
    expected: 'fatal, error, warn, info, debug, trace or silent',
  }),
  TRUST_PROXY: Type.Boolean({ default: false, expected: 'true or false' }),
  // CONNECTOR and each connector's own variables (connectors/<name>/, through the registry).
  ...CONNECTOR_ENV,
  DELIVERY_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 16, expected: 'deliveries in flight at once, 1–256' }),
  RECONCILE_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60, expected: 'seconds between comparisons with the switch, 1–86400, or 0 for off' }),
  PRECOMPUTE_MINUTES: Type.Integer({ minimum: 0, maximum: 60, default: 15, expected: 'minutes ahead a boundary\'s state is computed, 0–60 (0: at the instant)' }),
  ...GRAPH_ENV,
  ...GOOGLE_ENV,
  ...DIRECTORY_ENV,
  ...NOTIFY_ENV,
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  auth:
    | { mode: 'dev'; scope: string }
    | { mode: 'entra'; tenants: string[]; audiences: string[]; scope: string; authority: string; v1IssuerBase: string };
  orgTimeZone: string;
  retentionDays: number;
  addinOrigins: string[];
  rateLimitPerMinute: number;
  /** Failed sign-ins per client address and minute; past it, 429 before any signature check. */
  signInFailuresPerMinute: number;
  bodyLimitBytes: number;
  logLevel: Static<typeof Env>['LOG_LEVEL'];
  trustProxy: boolean;
  /** The switch connector's settings: { name: 'journal' } or { name: 'webhook', url, secret, timeoutMs }. */
  connector: ConnectorSettings;
  /** Requests to the switch in flight at once (per process), each a delivery or a batch. */
  deliveryConcurrency: number;
  /** Seconds between comparisons of the switch's read-back with the desired states (scheduler/reconcile.ts); 0: off. */
  reconcileSeconds: number;
  /** Minutes before a boundary its state is computed ahead (scheduler, issue 16); 0: at the instant. */
  precomputeMinutes: number;
  /** Calendar sync through Microsoft Graph; null: off (not configured). */
  graph: GraphConfig | null;
  /** Google calendar sync (issue 17); null: off. */
  google: GoogleConfig | null;
  /** Linking users from the directory (needs Graph); attribute null: off. */
  directory: DirectoryConfig;
  /** Mail about bookings that will not divert (needs Graph); mail false: off. */
  notify: NotifyConfig;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

const fail = (variable: string, detail: string) => new ConfigError(variable, detail);

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(Env.properties)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const value = Value.Default(Env, Value.Convert(Env, raw)) as Record<string, unknown>;
  for (const error of Value.Errors(Env, value)) {
    const variable = error.instancePath.replace(/^\//, '').split('/')[0] || 'environment';
    const schema = (Env.properties as Record<string, { expected?: string }>)[variable];
    throw new ConfigError(variable, `must be ${schema?.expected ?? 'valid'} (got ${JSON.stringify(raw[variable])})`);
  }
  const e = value as Static<typeof Env>;

  try {
    assertTimeZone(e.ORG_TIME_ZONE, 'ORG_TIME_ZONE');
  } catch (err) {
    throw new ConfigError('ORG_TIME_ZONE', (err as ValidationError).detail);
  }
  const dataDir = resolve(e.DATA_DIR);
  let auth: Config['auth'];
  if (e.AUTH_MODE === 'dev') {
    if (!isLoopback(e.HOST)) {
      throw new ConfigError('HOST', `must be a loopback address (127.0.0.1, ::1, localhost) with AUTH_MODE=dev; development sign-in is for one machine only (got ${JSON.stringify(e.HOST)})`);
    }
    auth = { mode: 'dev', scope: e.ENTRA_SCOPE };
  } else {
    const tenants = list(e.ENTRA_TENANT_IDS);
    if (tenants.length === 0) throw new ConfigError('ENTRA_TENANT_IDS', 'is required with AUTH_MODE=entra: the tenant id(s) allowed to sign in');
    const bad = tenants.find((t) => !GUID.test(t));
    if (bad) throw new ConfigError('ENTRA_TENANT_IDS', `must list tenant ids (GUIDs) (got ${JSON.stringify(bad)})`);
    const audiences = list(e.ENTRA_AUDIENCE);
    if (audiences.length === 0) throw new ConfigError('ENTRA_AUDIENCE', 'is required with AUTH_MODE=entra: the API\'s application id URI and/or client id');
    auth = {
      mode: 'entra',
      tenants: tenants.map((t) => t.toLowerCase()),
      audiences,
      scope: e.ENTRA_SCOPE,
      authority: httpUrl('ENTRA_AUTHORITY', e.ENTRA_AUTHORITY, fail),
      v1IssuerBase: httpUrl('ENTRA_V1_ISSUER_BASE', e.ENTRA_V1_ISSUER_BASE, fail),
    };
  }
  const origins = list(e.ADDIN_ORIGINS).map((o) => {
    try {
      return new URL(o).origin;
    } catch {
      throw new ConfigError('ADDIN_ORIGINS', `must list origins such as https://addin.example.se (got ${JSON.stringify(o)})`);
    }
  });
  const connector = connectorSettings(e, fail);
  const graph = graphConfig(e, fail);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? join(dataDir, 'kalenderkoppling.sqlite'),
    auth,
    orgTimeZone: e.ORG_TIME_ZONE,
    retentionDays: e.RETENTION_DAYS,
    addinOrigins: origins,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    signInFailuresPerMinute: e.SIGNIN_FAILURES_PER_MINUTE,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    connector,
    deliveryConcurrency: e.DELIVERY_CONCURRENCY,
    reconcileSeconds: e.RECONCILE_SECONDS,
    precomputeMinutes: e.PRECOMPUTE_MINUTES,
    graph,
    google: googleConfig(e, fail),
    directory: directoryConfig(e, fail, graph !== null),
    notify: notifyConfig(e, fail, graph !== null),
  };
}

/** A database URL safe to print: the password replaced. */
export function redactUrl(u: string): string {
  return u.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
