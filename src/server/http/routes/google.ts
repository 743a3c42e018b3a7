/**
 * Google Calendar's push messages (issue 17): no bearer token (Google calls it; each message is
 * checked against its channel's secret token), so the route is declared public. Registered only
 * when Google calendar sync runs with GOOGLE_NOTIFICATION_URL. Google sends everything in headers
 * and no body.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError } from '../../errors';
import type { HttpContext } from '../context';
import { NoContent, responses } from '../schemas';

export const GOOGLE_NOTIFICATION_PATH = '/api/v1/google/notifications';

export const googleRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { google, config }) => {
  if (!google || !config.google?.notificationUrl) return;
  // Google posts no body (any content type it may name is ignored).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => done(null, body));
  app.post(
    GOOGLE_NOTIFICATION_PATH,
    {
      config: { rateLimit: false, public: true },
      schema: {
        tags: ['google'],
        summary: 'Google Calendar push messages (called by Google, not by users)',
        security: [],
        headers: Type.Object({
          'x-goog-channel-id': Type.String({ minLength: 1, maxLength: 256 }),
          'x-goog-channel-token': Type.Optional(Type.String({ maxLength: 256 })),
          'x-goog-resource-state': Type.String({ minLength: 1, maxLength: 32 }),
        }),
        response: responses({ 204: NoContent }),
      },
    },
    async (req, reply) => {
      const outcome = await google.handlePush({ channelId: req.headers['x-goog-channel-id'], token: req.headers['x-goog-channel-token'] ?? null, state: req.headers['x-goog-resource-state'] });
      if (outcome === 'unknown') throw new HttpError(404, 'Not found', 'No such push channel.');
      if (outcome === 'refused') throw new HttpError(403, 'Forbidden', 'The channel token does not match.');
      req.log.info({ state: req.headers['x-goog-resource-state'], outcome }, 'google push message');
      return reply.status(204).send(null);
    },
  );
};
