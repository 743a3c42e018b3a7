/**
 * Admin (app role Admin): linking users to extensions from the directory. The status with the
 * last run, and a run on demand (a dry run unless `dryRun: false`). A Graph failure is a 502
 * naming its status and code only; the route logs nothing personal (the sync logs counts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { instantJson } from '../../../core';
import { describe, GraphError } from '../../calendar/graph-client';
import type { DirectorySync, DirectorySyncResult } from '../../directory/sync';
import { ConflictError, HttpError } from '../../errors';
import { requireAdmin, tag } from '../request';
import { responses } from '../schemas/common';
import { DirectoryLinking, DirectorySyncBody, DirectorySyncResult as ResultSchema } from '../schemas';

export interface DirectoryRoutesOptions {
  /** null: Graph is not configured. */
  directorySync: DirectorySync | null;
}

const resultJson = (r: DirectorySyncResult) => ({ ...r, ranAt: instantJson(r.ranAt)! });

export const directoryRoutes: FastifyPluginAsyncTypebox<DirectoryRoutesOptions> = async (app, { directorySync }) => {
  app.addHook('preHandler', async (req) => requireAdmin(req));
  // A POST without a body (curl -X POST) is a dry run.
  app.addHook('preValidation', async (req) => {
    if (req.method === 'POST' && (req.body === undefined || req.body === null)) req.body = {};
  });

  app.get(
    '/api/v1/admin/directory',
    { schema: { ...tag('admin'), summary: 'Linking from the directory: whether it is configured, its settings, and the last run', response: responses({ 200: DirectoryLinking }) } },
    async () => {
      const s = directorySync?.status() ?? { enabled: false, attribute: null, digits: 0, syncAt: null, lastRun: null };
      return { ...s, lastRunAt: s.lastRun ? instantJson(s.lastRun.ranAt) : null, lastRun: s.lastRun ? resultJson(s.lastRun) : null };
    },
  );

  app.post(
    '/api/v1/admin/directory/sync',
    {
      schema: {
        ...tag('admin'),
        summary: 'Read every user’s extension from the directory attribute and compare; with dryRun false, link them (never unlinks)',
        body: DirectorySyncBody,
        response: responses({ 200: ResultSchema }),
      },
    },
    async (req) => {
      if (!directorySync?.enabled) {
        throw new ConflictError('Linking from the directory is not configured: set DIRECTORY_EXTENSION_ATTRIBUTE (and Microsoft Graph, GRAPH_*).');
      }
      try {
        return resultJson(await directorySync.run({ dryRun: req.body?.dryRun ?? true }));
      } catch (err) {
        if (err instanceof GraphError) throw new HttpError(502, 'Directory unavailable', `Microsoft Graph answered ${describe(err)}; nothing was changed.`);
        throw err;
      }
    },
  );
};
