/**
 * The GRAPH_* variables of the endpoint's configuration (merged into config.ts's one schema) and
 * their checks at start. Calendar sync is off unless GRAPH_TENANT_ID and GRAPH_CLIENT_ID are set.
 * The certificate file is read here, once, so a bad path or a PEM without a key stops start-up.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Type } from 'typebox';
import { httpUrl, notificationUrl } from '../config-url';

export const GRAPH_ENV = {
  GRAPH_TENANT_ID: Type.String({ default: '', expected: 'the tenant id (GUID) whose calendars are read' }),
  GRAPH_CLIENT_ID: Type.String({ default: '', expected: 'the application (client) id (GUID) of the app registration' }),
  GRAPH_CLIENT_SECRET: Type.String({ default: '', expected: 'the client secret of the app registration' }),
  GRAPH_CERTIFICATE_PATH: Type.String({ default: '', expected: 'a PEM file with the private key (and the certificate)' }),
  GRAPH_CERTIFICATE_THUMBPRINT: Type.String({ default: '', expected: 'the certificate\'s SHA-1 thumbprint, 40 hex digits' }),
  GRAPH_BASE_URL: Type.String({ default: 'https://graph.microsoft.com/v1.0', expected: 'an http(s) URL' }),
  GRAPH_AUTHORITY: Type.String({ default: 'https://login.microsoftonline.com', expected: 'an http(s) URL' }),
  GRAPH_POLL_SECONDS: Type.Integer({ minimum: 10, maximum: 86_400, default: 300, expected: 'seconds between polls, 10–86400' }),
  GRAPH_WINDOW_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 60, expected: 'days ahead to read, 1–365' }),
  GRAPH_NOTIFICATION_URL: Type.String({ default: '', expected: 'the public https URL of /api/v1/graph/notifications' }),
  GRAPH_MAX_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 16, expected: 'requests to Graph at once, 1–256' }),
};

export type GraphCredential =
  | { kind: 'secret'; secret: string }
  /** x5t: the base64url SHA-1 thumbprint Entra matches the assertion's certificate by. */
  | { kind: 'certificate'; privateKeyPem: string; x5t: string };

export interface GraphConfig {
  tenantId: string;
  clientId: string;
  credential: GraphCredential;
  baseUrl: string;
  authority: string;
  pollSeconds: number;
  windowDays: number;
  /** Change notifications are used only when set. */
  notificationUrl: string | null;
  maxConcurrency: number;
}

type GraphEnv = {
  GRAPH_TENANT_ID: string;
  GRAPH_CLIENT_ID: string;
  GRAPH_CLIENT_SECRET: string;
  GRAPH_CERTIFICATE_PATH: string;
  GRAPH_CERTIFICATE_THUMBPRINT: string;
  GRAPH_BASE_URL: string;
  GRAPH_AUTHORITY: string;
  GRAPH_POLL_SECONDS: number;
  GRAPH_WINDOW_DAYS: number;
  GRAPH_NOTIFICATION_URL: string;
  GRAPH_MAX_CONCURRENCY: number;
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function graphConfig(e: GraphEnv, fail: (variable: string, detail: string) => Error): GraphConfig | null {
  const anySet = ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_CERTIFICATE_PATH', 'GRAPH_NOTIFICATION_URL'].some((k) => e[k as keyof GraphEnv] !== '');
  if (!anySet) return null;
  if (e.GRAPH_TENANT_ID === '') throw fail('GRAPH_TENANT_ID', 'is required for calendar sync: the tenant id (GUID)');
  if (!GUID.test(e.GRAPH_TENANT_ID)) throw fail('GRAPH_TENANT_ID', `must be a tenant id (GUID) (got ${JSON.stringify(e.GRAPH_TENANT_ID)})`);
  if (e.GRAPH_CLIENT_ID === '') throw fail('GRAPH_CLIENT_ID', 'is required for calendar sync: the application (client) id');
  if (!GUID.test(e.GRAPH_CLIENT_ID)) throw fail('GRAPH_CLIENT_ID', `must be an application id (GUID) (got ${JSON.stringify(e.GRAPH_CLIENT_ID)})`);
  let credential: GraphCredential;
  if (e.GRAPH_CLIENT_SECRET !== '' && e.GRAPH_CERTIFICATE_PATH !== '') {
    throw fail('GRAPH_CLIENT_SECRET', 'and GRAPH_CERTIFICATE_PATH are both set; set one of them');
  } else if (e.GRAPH_CLIENT_SECRET !== '') {
    credential = { kind: 'secret', secret: e.GRAPH_CLIENT_SECRET };
  } else if (e.GRAPH_CERTIFICATE_PATH !== '') {
    credential = certificate(e.GRAPH_CERTIFICATE_PATH, e.GRAPH_CERTIFICATE_THUMBPRINT, fail);
  } else {
    throw fail('GRAPH_CLIENT_SECRET', 'or GRAPH_CERTIFICATE_PATH is required for calendar sync');
  }
  const notifications = e.GRAPH_NOTIFICATION_URL === '' ? null : notificationUrl('GRAPH_NOTIFICATION_URL', e.GRAPH_NOTIFICATION_URL, fail);
  return {
    tenantId: e.GRAPH_TENANT_ID.toLowerCase(),
    clientId: e.GRAPH_CLIENT_ID.toLowerCase(),
    credential,
    baseUrl: httpUrl('GRAPH_BASE_URL', e.GRAPH_BASE_URL, fail),
    authority: httpUrl('GRAPH_AUTHORITY', e.GRAPH_AUTHORITY, fail),
    pollSeconds: e.GRAPH_POLL_SECONDS,
    windowDays: e.GRAPH_WINDOW_DAYS,
    notificationUrl: notifications,
    maxConcurrency: e.GRAPH_MAX_CONCURRENCY,
  };
}

function certificate(path: string, thumbprint: string, fail: (variable: string, detail: string) => Error): GraphCredential {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw fail('GRAPH_CERTIFICATE_PATH', `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}: ${path})`);
  }
  const key = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!key) throw fail('GRAPH_CERTIFICATE_PATH', `must be a PEM file with an unencrypted private key (${path} has none)`);
  let sha1: Buffer;
  if (thumbprint !== '') {
    if (!/^[0-9a-f]{40}$/i.test(thumbprint.replace(/[:\s]/g, ''))) {
      throw fail('GRAPH_CERTIFICATE_THUMBPRINT', `must be a SHA-1 thumbprint, 40 hex digits (got ${JSON.stringify(thumbprint)})`);
    }
    sha1 = Buffer.from(thumbprint.replace(/[:\s]/g, ''), 'hex');
  } else {
    const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!cert) throw fail('GRAPH_CERTIFICATE_THUMBPRINT', `is required when ${path} holds no certificate`);
    sha1 = createHash('sha1').update(new X509Certificate(cert).raw).digest();
  }
  return { kind: 'certificate', privateKeyPem: key, x5t: sha1.toString('base64url') };
}
