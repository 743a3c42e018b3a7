/**
 * Admin (app role Admin): the CSV import of users and extensions. The file comes as JSON
 * `{csv, dryRun}` from the console, or as a text/csv body from scripts (`curl --data-binary`).
 * The rows are the service's to read and check; the route logs only counts (SPEC 12).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import type { Static } from 'typebox';
import { HttpError } from '../../errors';
import { IMPORT_MAX_BYTES } from '../../service/user-import';
import type { HttpContext } from '../context';
import { requireAdmin, tag } from '../request';
import { ImportBody, ImportCsvBody, ImportQuery, ImportResultOut, responses } from '../schemas';

/** Room for JSON's escaping around a 5 MB file; the file itself is held to 5 MB by the service (400 naming csv). */
const BODY_LIMIT = 2 * IMPORT_MAX_BYTES;

export const adminImportRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service, directory, config }) => {
  app.addHook('preHandler', async (req) => requireAdmin(req));
  // Scripts send the file as it is; only this plugin's routes take text/csv.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // Too large or of another type: say so for this route, then let the app's handler answer.
  app.setErrorHandler((error: FastifyError) => {
    if (error.statusCode === 413) throw new HttpError(413, 'Request too large', `The file may be at most ${IMPORT_MAX_BYTES} bytes (5 MB).`, { field: 'csv' });
    if (error.statusCode === 415) {
      throw new HttpError(415, 'Unsupported media type', 'Send application/json {"csv": "…", "dryRun": true} or the file as text/csv (curl -H "Content-Type: text/csv" --data-binary @users.csv).');
    }
    throw error;
  });

  app.post(
    '/api/v1/admin/users/import',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        ...tag('admin'),
        summary: 'Import users and extensions from a CSV file: every row classified; with dryRun false, the good rows stored in one transaction',
        querystring: ImportQuery,
        body: { content: { 'application/json': { schema: ImportBody }, 'text/csv': { schema: ImportCsvBody } } },
        response: responses({ 200: ImportResultOut }),
      },
    },
    async (req) => {
      const body = req.body as Static<typeof ImportBody> | string;
      const csv = typeof body === 'string' ? body : body.csv;
      const dryRun = (typeof body === 'string' ? undefined : body.dryRun) ?? req.query.dryRun !== 'false';
      const result = await service.importUsers({ tid: req.principal!.tid }, csv, { dryRun, directory, googleDomain: config.google?.domain ?? null });
      req.log.info({ dryRun, applied: result.applied, rows: result.rows.length, ...result.summary }, 'users imported');
      return result;
    },
  );
};
