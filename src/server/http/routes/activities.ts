/** Activities: the list (calendar, manual, recurring, quick), Ny aktivitet, and Snabbval. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DAY_MS, formatInstant, instantJson, parseInstant } from '../../../core';
import type { ActivityView } from '../../service';
import type { HttpContext } from '../context';
import { tag, userOf } from '../request';
import { Activity, ActivityList, IdParam, IndexParam, NewActivity, NoContent, QuickChoices, QuickChoicesOut, responses, Window } from '../schemas';

export function activityJson(a: ActivityView) {
  return { ...a, from: formatInstant(a.from), to: instantJson(a.to) };
}

export const activityRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service }) => {
  app.get(
    '/api/v1/me/activities',
    { schema: { ...tag('activities'), summary: 'Your activities overlapping a window (default: now to 14 days ahead)', querystring: Window, response: responses({ 200: ActivityList }) } },
    async (req) => {
      const ctx = await service.context(userOf(req));
      const now = service.clock();
      const from = req.query.from === undefined ? now : parseInstant(req.query.from, 'from');
      const to = req.query.to === undefined ? from + 14 * DAY_MS : parseInstant(req.query.to, 'to');
      return { activities: (await service.listActivities(ctx, from, to)).map(activityJson) };
    },
  );
  app.post(
    '/api/v1/me/activities',
    {
      schema: {
        ...tag('activities'),
        summary: 'Create a manual or recurring activity (Ny aktivitet / Ny återkommande aktivitet)',
        body: NewActivity,
        response: responses({ 201: Activity }),
      },
    },
    async (req, reply) => {
      const ctx = await service.context(userOf(req));
      const a = await service.createActivity(ctx, req.body);
      req.log.info({ activity: a.id, code: a.key, source: a.source }, 'activity created');
      return reply.status(201).send(activityJson(a));
    },
  );
  app.delete(
    '/api/v1/me/activities/:id',
    {
      schema: {
        ...tag('activities'),
        summary: 'Delete an activity (a calendar one is dismissed; the calendar is not touched)',
        params: IdParam,
        response: responses({ 204: NoContent }),
      },
    },
    async (req, reply) => {
      const ctx = await service.context(userOf(req));
      await service.deleteActivity(ctx.user, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get('/api/v1/me/quick', { schema: { ...tag('activities'), summary: 'Your quick choices (Snabbval)', response: responses({ 200: QuickChoicesOut }) } }, async (req) => {
    const ctx = await service.context(userOf(req));
    return service.getQuick(ctx.user);
  });
  app.put(
    '/api/v1/me/quick',
    { schema: { ...tag('activities'), summary: 'Replace your quick choices (at most 8)', body: QuickChoices, response: responses({ 200: QuickChoicesOut }) } },
    async (req) => {
      const ctx = await service.context(userOf(req));
      return service.putQuick(ctx.user, req.body);
    },
  );
  app.post(
    '/api/v1/me/quick/:index/activate',
    { schema: { ...tag('activities'), summary: 'Start a quick choice now', params: IndexParam, response: responses({ 201: Activity }) } },
    async (req, reply) => {
      const ctx = await service.context(userOf(req));
      const activity = await service.activateQuick(ctx, Number(req.params.index));
      return reply.status(201).send(activityJson(activity));
    },
  );
};
