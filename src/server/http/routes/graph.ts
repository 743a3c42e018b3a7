/**
 * Microsoft Graph's change notifications: no bearer token (Graph calls it; each notification is
 * checked against its subscription's clientState), so the route is declared public. Registered
 * only when calendar sync runs with notifications.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError } from '../../errors';
import type { HttpContext } from '../context';
import { NoContent, responses } from '../schemas';

export const NOTIFICATION_PATH = '/api/v1/graph/notifications';

export const graphRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { calendar, config }) => {
  if (!calendar || !config.graph?.notificationUrl) return;
  // Graph posts JSON, and the validation handshake an empty text/plain body: take any body as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1_048_576 }, (_req, body, done) => done(null, body));
  app.post(
    NOTIFICATION_PATH,
    {
      config: { rateLimit: false, public: true },
      schema: {
        tags: ['graph'],
        summary: 'Microsoft Graph change notifications (called by Graph, not by users)',
        security: [],
        querystring: Type.Object({ validationToken: Type.Optional(Type.String({ maxLength: 2048 })) }),
        response: responses({
          200: { description: 'The validation handshake: the token echoed', content: { 'text/plain': { schema: Type.String() } } },
          202: NoContent,
        }),
      },
    },
    async (req, reply) => {
      const token = req.query.validationToken;
      // The handshake: echo the token as text/plain within 10 seconds.
      if (token !== undefined) return reply.status(200).type('text/plain; charset=utf-8').send(token);
      let doc: unknown;
      try {
        doc = JSON.parse(typeof req.body === 'string' ? req.body : '');
      } catch {
        throw new HttpError(400, 'Bad request', 'The body is not valid JSON.');
      }
      const items = (doc as { value?: unknown } | null)?.value;
      if (!Array.isArray(items) || items.length === 0) throw new HttpError(400, 'Bad request', 'Expected {"value": [notifications]}.');
      const { accepted, refused } = await calendar.handleNotifications(items);
      if (accepted === 0) throw new HttpError(403, 'Forbidden', 'No notification matched a subscription and its clientState.');
      req.log.info({ accepted, refused }, 'graph notifications');
      return reply.status(202).send(null);
    },
  );
};
