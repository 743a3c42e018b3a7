/** Colleagues (Kollegor): search by name or extension, with what the directory shows (SPEC 10). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HttpContext } from '../context';
import { tag } from '../request';
import { Colleagues, ColleaguesQuery, responses } from '../schemas';
import { directoryStatus } from './state';

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
      const { now, org, colleagues, more } = await service.colleagues(req.query.q);
      const isAdmin = req.principal?.isAdmin ?? false;
      return {
        colleagues: colleagues.map((c) => ({ displayName: c.displayName, extension: c.extension, status: directoryStatus(c.state, isAdmin, now, org.calendar.zone) })),
        more,
      };
    },
  );
};
