/**
 * The endpoint serves the built Outlook add-in (dist/addin) under /addin/, so an admin deploys
 * one process and uploads one manifest. The add-in's pages get their own security headers:
 * Outlook hosts the task pane in an iframe (frame-ancestors: Outlook's origins) and the pages
 * load office.js from Microsoft's CDN. In development sign-in on loopback it also issues
 * development tokens to the pane (POST /addin/dev/token) and serves the browser harness.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../../core';
import { DEV_TENANT_ID, devUserId, loadOrCreateDevKey, signDevToken } from '../../auth/dev';
import { type Config, isLoopback } from '../../config';
import type { Service } from '../../service';
import { AddinConfig, DevToken, responses } from '../schemas';
import { markPublic } from '../signin';

export const ADDIN_PREFIX = '/addin/';
export const DEFAULT_ADDIN_ROOT = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'addin');

/**
 * Where Outlook frames the task pane from: Outlook on the web and new Outlook on Windows
 * (outlook.office.com, outlook.office365.com, outlook.live.com, outlook.cloud.microsoft) and the
 * Office on the web hosts (*.officeapps.live.com). Microsoft's add-in pages on framing
 * (learn.microsoft.com/office/dev/add-ins/concepts/privacy-and-security, "Prevent clickjacking")
 * give no origin list of their own, so this lists only Outlook's and Office's hosts; the catch-all
 * https://*.microsoft.com is not needed by any Outlook client and is left out (issue 10).
 */
export const OUTLOOK_FRAME_ANCESTORS = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.live.com',
  'https://*.outlook.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.officeapps.live.com',
  'https://*.cloud.microsoft',
];

export function addinCsp(): string {
  return [
    "default-src 'self'",
    "script-src 'self' https://appsforoffice.microsoft.com",
    // Fluent UI (Griffel) inserts its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data: https:",
    "connect-src 'self' https://login.microsoftonline.com",
    "frame-src 'self' https://appsforoffice.microsoft.com https://login.microsoftonline.com https://*.officeapps.live.com https://*.office.com",
    `frame-ancestors 'self' ${OUTLOOK_FRAME_ANCESTORS.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export interface AddinOptions {
  config: Config;
  service: Service;
  /** The built add-in; default dist/addin of this package. */
  root?: string;
}

/** The dev token route exists only with development sign-in on a loopback address. */
export function devSignInOffered(config: Config): boolean {
  return config.auth.mode === 'dev' && isLoopback(config.host);
}

/** The Entra client id (a GUID among the audiences) and the scope the pane asks for, for NAA. */
export function naaSettings(config: Config): { clientId: string | null; scope: string | null; authority: string | null } {
  if (config.auth.mode !== 'entra') return { clientId: null, scope: null, authority: null };
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const clientId = config.auth.audiences.find((a) => guid.test(a)) ?? null;
  const apiUri = config.auth.audiences.find((a) => a.startsWith('api://')) ?? (clientId ? `api://${clientId}` : null);
  // One allowed tenant: sign in there; several: any work or school account.
  const tenants = config.auth.tenants;
  const authority = `${config.auth.authority.replace(/\/+$/, '')}/${tenants.length === 1 ? tenants[0] : 'organizations'}`;
  return { clientId, scope: apiUri ? `${apiUri}/${config.auth.scope}` : null, authority };
}

export async function registerAddin(app: FastifyInstance, opts: AddinOptions): Promise<void> {
  const { config, service } = opts;
  const root = opts.root ?? DEFAULT_ADDIN_ROOT;
  const dev = devSignInOffered(config);
  await app.register(async (scope) => {
    // The pages load before anyone signs in; the dev token route is itself the sign-in.
    markPublic(scope);
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', addinCsp());
      reply.removeHeader('x-frame-options');
      // The Office dialog API and the NAA popup need a window the pane can talk to.
      reply.header('cross-origin-opener-policy', 'unsafe-none');
      reply.header('cross-origin-resource-policy', 'cross-origin');
      return payload;
    });

    scope.get('/addin/config.json', { schema: { hide: true, response: { 200: AddinConfig } } }, async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { devSignIn: dev, ...naaSettings(config) };
    });

    if (dev) {
      const key = await loadOrCreateDevKey(config.dataDir);
      scope.post<{ Body: { user?: string; extension?: string; admin?: boolean } | undefined }>('/addin/dev/token', { schema: { hide: true, response: responses({ 200: DevToken }) } }, async (req, reply) => {
        const given = req.body?.user ?? 'dev.user';
        // The token and the stored user carry the same (NFC) id, however the letters were typed.
        const user = typeof given === 'string' ? devUserId(given) : given;
        const extension = req.body?.extension;
        if (extension !== undefined && !/^[0-9]{2,15}$/.test(extension)) throw new ValidationError('extension', 'must be 2 to 15 digits');
        let token: string;
        try {
          // `admin`: the app role Admin, for the admin console's development sign-in (issue 13).
          token = await signDevToken(key, { user, scope: config.auth.scope, admin: req.body?.admin === true });
        } catch (e) {
          throw new ValidationError('user', (e as Error).message);
        }
        if (extension !== undefined) await service.linkUser({ tid: DEV_TENANT_ID, oid: user }, { extension, shared: false, displayName: null });
        reply.header('cache-control', 'no-store');
        return { token };
      });
    }

    if (existsSync(root)) {
      await scope.register(fastifyStatic, {
        root,
        prefix: ADDIN_PREFIX,
        decorateReply: false,
        index: false,
        // The harness and source maps are for development: never served outside development
        // sign-in on loopback (a release build has no maps at all).
        allowedPath: (pathName) => dev || !(/harness/.test(pathName) || pathName.endsWith('.map')),
      });
    } else {
      app.log.warn({ root }, 'the add-in is not built (npm run build): /addin/ serves only config.json');
    }
  });
}
