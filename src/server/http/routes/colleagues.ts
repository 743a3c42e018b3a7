/** Colleagues (Kollegor): search by name or extension, with what the directory shows (SPEC 10). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { colleaguesSee } from '../../../core';
import type { HttpContext } from '../context';
import { tag } from '../request';
import { Colleagues, ColleaguesQuery, responses } from '../schemas';

export const colleagueRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service }) => {
  // Any signed-in member, linked or not, like GET /status/{extension}: the directory shows this anyway.
  app.get(
    '/api/v1/colleagues',
    {
      schema: {
        ...tag('state'),
        summary: 'Colleagues whose name contains q or whose extension starts with q (at most 20, by name), with their status',
        querystring: ColleaguesQuery,
        response: responses({ 200: Colleagues }),
      },
    },
    async (req) => {
      const { now, org, colleagues } = await service.colleagues(req.query.q);
      // Operator-only text only for admins (SPEC 10), as in GET /status/{extension}.
      const viewer = req.principal?.isAdmin ? 'operator' : 'colleague';
      const zone = org.calendar.zone;
      return {
        colleagues: colleagues.map((c) => ({
          displayName: c.displayName,
          extension: c.extension,
          status: c.state && { sv: colleaguesSee(c.state, viewer, 'sv', now, zone)!, en: colleaguesSee(c.state, viewer, 'en', now, zone)! },
        })),
      };
    },
  );
};
