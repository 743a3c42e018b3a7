/**
 * The routes of calendar sync: Graph's change notifications (no bearer token: Graph calls it;
 * each notification is checked against its subscription's clientState) and the admin's view
 * of how sync is going per user.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { instantJson } from '../../core';
import { ForbiddenError, HttpError } from '../errors';
import type { CalendarSync } from './sync';

export const NOTIFICATION_PATH = '/api/v1/graph/notifications';

const Instant = Type.Union([Type.String(), Type.Null()]);
const CalendarAdmin = Type.Object({
  enabled: Type.Boolean(),
  notifications: Type.Boolean(),
  users: Type.Array(
    Type.Object({
      oid: Type.String(),
      extension: Type.Union([Type.String(), Type.Null()]),
      lastSuccessAt: Instant,
      lastError: Type.Union([Type.String(), Type.Null()]),
      lastErrorAt: Instant,
      lagSeconds: Type.Union([Type.Integer(), Type.Null()]),
      lastRoundLagMs: Type.Union([Type.Integer(), Type.Null()]),
      windowStart: Instant,
      windowEnd: Instant,
      subscriptionActive: Type.Boolean(),
      subscriptionExpiresAt: Instant,
    }),
  ),
});

export function registerCalendarRoutes(app: FastifyInstance, calendar: CalendarSync | null, notifications: boolean): void {
  app.get(
    '/api/v1/admin/calendar',
    { schema: { tags: ['admin'], summary: 'Calendar sync through Microsoft Graph: per linked user, last success, last error, lag, subscription', response: { 200: CalendarAdmin } } },
    async (req: FastifyRequest) => {
      if (!req.principal?.isAdmin) throw new ForbiddenError('This needs the Admin app role.');
      const rows = calendar ? await calendar.status() : [];
      return {
        enabled: calendar !== null,
        notifications,
        users: rows.map((r) => ({
          ...r,
          lastSuccessAt: instantJson(r.lastSuccessAt),
          lastErrorAt: instantJson(r.lastErrorAt),
          windowStart: instantJson(r.windowStart),
          windowEnd: instantJson(r.windowEnd),
          subscriptionExpiresAt: instantJson(r.subscriptionExpiresAt),
        })),
      };
    },
  );

  if (!calendar || !notifications) return;
  // Graph posts JSON, and the validation handshake an empty text/plain body: take any body as text.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1_048_576 }, (_req, body, done) => done(null, body));
    scope.post(
      NOTIFICATION_PATH,
      {
        // Graph calls it without a bearer token; each notification is checked by its clientState.
        config: { rateLimit: false, public: true },
        schema: {
          tags: ['graph'],
          summary: 'Microsoft Graph change notifications (called by Graph, not by users)',
          security: [],
          querystring: Type.Object({ validationToken: Type.Optional(Type.String({ maxLength: 2048 })) }),
        },
      },
      async (req, reply) => {
        const token = (req.query as { validationToken?: string }).validationToken;
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
        return reply.status(202).send();
      },
    );
  });
}
