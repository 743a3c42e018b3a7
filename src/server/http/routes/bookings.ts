/** Bookings: what one would do (preview), store a snapshot, forget one deleted in the calendar. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { resolutionJson } from '../../../core';
import type { HttpContext } from '../context';
import { tag, userOf } from '../request';
import { Booking, BookingIdParam, BookingPut, NoContent, Resolution, responses } from '../schemas';

export const bookingRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service, metrics }) => {
  app.post(
    '/api/v1/preview',
    { schema: { ...tag('bookings'), summary: 'What a booking would do, with your settings (no side effects)', body: Booking, response: responses({ 200: Resolution }) } },
    async (req) => {
      const ctx = await service.context(userOf(req));
      return resolutionJson(service.preview(ctx, req.body), ctx.settings.language);
    },
  );

  app.put(
    '/api/v1/me/bookings/:bookingId',
    {
      schema: {
        ...tag('bookings'),
        summary: 'Store a booking snapshot (idempotent; an older lastModified than the stored one changes nothing)',
        params: BookingIdParam,
        body: Booking,
        response: responses({ 200: BookingPut }),
      },
    },
    async (req) => {
      const ctx = await service.context(userOf(req));
      const { outcome, resolution } = await service.putBooking(ctx, req.params.bookingId, req.body);
      metrics.bookings.inc({ outcome });
      req.log.info({ outcome, diverts: resolution.diverts, code: resolution.code?.key ?? null, reason: resolution.reason }, 'booking stored');
      return { outcome, resolution: resolutionJson(resolution, ctx.settings.language) };
    },
  );

  app.delete(
    '/api/v1/me/bookings/:bookingId',
    { schema: { ...tag('bookings'), summary: 'Forget a booking (deleted in the calendar)', params: BookingIdParam, response: responses({ 204: NoContent }) } },
    async (req, reply) => {
      const ctx = await service.context(userOf(req));
      await service.deleteBooking(ctx.user, req.params.bookingId);
      return reply.status(204).send(null);
    },
  );
};
