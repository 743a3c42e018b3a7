/**
 * The admin console's files (issue 13): dist/admin served under /admin/, public like the add-in's
 * pages (its data comes from the admin routes, which need the Admin role), with its own security
 * headers: a normal web page that no one frames, talking only to this endpoint and Entra sign-in.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';
import { AddinConfig } from '../schemas';
import { markPublic } from '../signin';
import { devSignInOffered, naaSettings } from './addin';

export const CONSOLE_PREFIX = '/admin/';
export const DEFAULT_CONSOLE_ROOT = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'admin');

/** The sign-in origin MSAL's redirects and silent renewals go to. */
function signInOrigin(config: Config): string {
  return config.auth.mode === 'entra' ? new URL(config.auth.authority).origin : 'https://login.microsoftonline.com';
}

export function consoleCsp(config: Config): string {
  const login = signInOrigin(config);
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Fluent UI (Griffel) inserts its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${login}`,
    // MSAL renews tokens silently in a hidden frame of the sign-in page.
    `frame-src ${login}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${login}`,
  ].join('; ');
}

export async function registerConsole(app: FastifyInstance, opts: { config: Config; root?: string }): Promise<void> {
  const { config } = opts;
  const root = opts.root ?? DEFAULT_CONSOLE_ROOT;
  const dev = devSignInOffered(config);
  await app.register(async (scope) => {
    markPublic(scope);
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', consoleCsp(config));
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
      return payload;
    });
    // The same sign-in settings as the add-in's: one app registration, the console's own redirect URI.
    scope.get('/admin/config.json', { schema: { hide: true, response: { 200: AddinConfig } } }, async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { devSignIn: dev, ...naaSettings(config) };
    });
    if (existsSync(root)) {
      await scope.register(fastifyStatic, {
        root,
        prefix: CONSOLE_PREFIX,
        decorateReply: false,
        index: ['index.html'],
        redirect: true,
        allowedPath: (pathName) => dev || !pathName.endsWith('.map'),
      });
    } else {
      app.log.warn({ root }, 'the admin console is not built (npm run build): /admin/ serves only config.json');
    }
  });
}
