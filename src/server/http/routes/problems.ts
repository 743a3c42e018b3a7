/** Bookings that will not divert (issue 14): the pane's list, in both languages. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { formatInstant, problemLines } from '../../../core';
import type { HttpContext } from '../context';
import { tag, userOf } from '../request';
import { ProblemsAnswer, responses } from '../schemas';

export const problemRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service }) => {
  app.get(
    '/api/v1/me/problems',
    {
      schema: {
        ...tag('me'),
        summary: 'Your bookings in the coming 14 days that will not divert: a near miss of the code, or a code on a private, free or tentative booking your settings leave out',
        response: responses({ 200: ProblemsAnswer }),
      },
    },
    async (req) => {
      // Not linked: 403 like every /me route but GET /me (context() throws NotLinkedError).
      const ctx = await service.context(userOf(req));
      const { from, to, problems, more } = await service.listProblems(ctx);
      return {
        from: formatInstant(from),
        to: formatInstant(to),
        // SPEC 12: ids, times and the reason only; the lines quote no more of the subject than its code.
        problems: problems.map((p) => ({
          bookingId: p.bookingId,
          start: formatInstant(p.start),
          end: formatInstant(p.end),
          isAllDay: p.isAllDay,
          kind: p.problem.kind,
          nearMiss: p.problem.nearMiss ? { kind: p.problem.nearMiss.kind, key: p.problem.nearMiss.key } : null,
          intended: p.problem.intended,
          message: problemLines(p.problem, ctx.org.catalog),
        })),
        more,
      };
    },
  );
};
