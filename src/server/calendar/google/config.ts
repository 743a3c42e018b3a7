/**
 * The GOOGLE_* variables of the endpoint's configuration (issue 17, merged into config.ts's one
 * schema) and their checks at start. Google calendar sync is off unless GOOGLE_SERVICE_ACCOUNT_FILE
 * is set. The service account's JSON key is read here, once, so a bad path or a key without
 * `client_email` and `private_key` stops start-up with one line.
 */
import { readFileSync } from 'node:fs';
import { Type } from 'typebox';
import { type ConfigFail, httpUrl, notificationUrl } from '../../config-url';

export const GOOGLE_ENV = {
  GOOGLE_SERVICE_ACCOUNT_FILE: Type.String({ default: '', expected: 'the service account\'s JSON key file' }),
  GOOGLE_DOMAIN: Type.String({ default: '', expected: 'the Workspace domain whose users are read, e.g. skola.example.se' }),
  GOOGLE_POLL_SECONDS: Type.Integer({ minimum: 10, maximum: 86_400, default: 300, expected: 'seconds between polls, 10–86400' }),
  GOOGLE_WINDOW_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 60, expected: 'days ahead to read, 1–365' }),
  GOOGLE_API_URL: Type.String({ default: 'https://www.googleapis.com', expected: 'an http(s) URL' }),
  GOOGLE_TOKEN_URL: Type.String({ default: 'https://oauth2.googleapis.com/token', expected: 'an http(s) URL' }),
  GOOGLE_NOTIFICATION_URL: Type.String({ default: '', expected: 'the public https URL of /api/v1/google/notifications' }),
  GOOGLE_MAX_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 16, expected: 'requests to Google at once, 1–256' }),
};

export interface GoogleConfig {
  clientEmail: string;
  privateKeyPem: string;
  /** Lowercased; users whose e-mail (or user principal name) is in it are read. */
  domain: string;
  pollSeconds: number;
  windowDays: number;
  apiUrl: string;
  tokenUrl: string;
  /** Push channels (events.watch) are opened only when set. */
  notificationUrl: string | null;
  maxConcurrency: number;
}

type GoogleEnv = {
  GOOGLE_SERVICE_ACCOUNT_FILE: string;
  GOOGLE_DOMAIN: string;
  GOOGLE_POLL_SECONDS: number;
  GOOGLE_WINDOW_DAYS: number;
  GOOGLE_API_URL: string;
  GOOGLE_TOKEN_URL: string;
  GOOGLE_NOTIFICATION_URL: string;
  GOOGLE_MAX_CONCURRENCY: number;
};

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function googleConfig(e: GoogleEnv, fail: ConfigFail): GoogleConfig | null {
  if (e.GOOGLE_SERVICE_ACCOUNT_FILE === '' && e.GOOGLE_DOMAIN === '') return null;
  if (e.GOOGLE_SERVICE_ACCOUNT_FILE === '') throw fail('GOOGLE_SERVICE_ACCOUNT_FILE', 'is required for Google calendar sync: the service account\'s JSON key file');
  const domain = e.GOOGLE_DOMAIN.trim().toLowerCase();
  if (domain === '') throw fail('GOOGLE_DOMAIN', 'is required for Google calendar sync: the Workspace domain, e.g. skola.example.se');
  if (!DOMAIN.test(domain)) throw fail('GOOGLE_DOMAIN', `must be a domain name such as skola.example.se (got ${JSON.stringify(e.GOOGLE_DOMAIN)})`);
  const key = serviceAccount(e.GOOGLE_SERVICE_ACCOUNT_FILE, fail);
  return {
    ...key,
    domain,
    pollSeconds: e.GOOGLE_POLL_SECONDS,
    windowDays: e.GOOGLE_WINDOW_DAYS,
    apiUrl: httpUrl('GOOGLE_API_URL', e.GOOGLE_API_URL, fail),
    tokenUrl: httpUrl('GOOGLE_TOKEN_URL', e.GOOGLE_TOKEN_URL, fail),
    notificationUrl: e.GOOGLE_NOTIFICATION_URL === '' ? null : notificationUrl('GOOGLE_NOTIFICATION_URL', e.GOOGLE_NOTIFICATION_URL, fail),
    maxConcurrency: e.GOOGLE_MAX_CONCURRENCY,
  };
}

/** The two fields of Google's service-account key file that signing in needs. */
function serviceAccount(path: string, fail: ConfigFail): { clientEmail: string; privateKeyPem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fail('GOOGLE_SERVICE_ACCOUNT_FILE', `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}: ${path})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw fail('GOOGLE_SERVICE_ACCOUNT_FILE', `must be the service account's JSON key (${path} is not JSON)`);
  }
  const k = doc as { type?: unknown; client_email?: unknown; private_key?: unknown } | null;
  if (k?.type !== 'service_account' || typeof k.client_email !== 'string' || typeof k.private_key !== 'string' || !/-----BEGIN PRIVATE KEY-----/.test(k.private_key)) {
    throw fail('GOOGLE_SERVICE_ACCOUNT_FILE', `must be a service account's JSON key with client_email and private_key (${path} is not)`);
  }
  return { clientEmail: k.client_email, privateKeyPem: k.private_key };
}
