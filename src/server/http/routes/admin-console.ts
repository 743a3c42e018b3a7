/**
 * The admin console's routes (issue 13, app role Admin): users paged with what holds on their
 * extension, unlinking, retrying every failed delivery, resyncing one calendar, all codes, and a
 * draft organisation tried on a sample booking.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEFAULT_CODES, instantJson, resolutionJson } from '../../../core';
import { ConflictError, NotFoundError } from '../../errors';
import { type ConsoleUser, pageBounds } from '../../service';
import type { HttpContext } from '../context';
import { requireAdmin, tag } from '../request';
import { AdminCatalog, OidParam, OrgPreview, Resolution, RetryAll, responses, User, UsersPage, UsersQuery } from '../schemas';
import { deliveryJson, directoryStatus } from './state';
import { userJson } from './admin';

const iso = instantJson;

function consoleUserJson(c: ConsoleUser, now: number, zone: string) {
  const u = c.user;
  const seen = directoryStatus(c.state, true, now, zone);
  return {
    ...userJson(u),
    upn: u.upn,
    mail: u.mail,
    diversion:
      c.state && seen
        ? { key: c.state.key, label: c.state.label, returnAt: iso(c.state.returnAt), returnText: { sv: seen.sv.returnText, en: seen.en.returnText }, soft: seen.sv.soft }
        : null,
    delivery: deliveryJson(c.delivery),
    calendar: c.calendar
      ? {
          lastSuccessAt: iso(c.calendar.lastSuccessAt),
          lastError: c.calendar.lastError,
          lagSeconds: c.calendar.lastSuccessAt !== null ? Math.max(0, Math.round((now - c.calendar.lastSuccessAt) / 1000)) : null,
          subscriptionActive: Boolean(c.calendar.subscriptionId && (c.calendar.subscriptionExpiresAt ?? 0) > now),
        }
      : null,
  };
}

export const adminConsoleRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service, scheduler, calendar, google }) => {
  app.addHook('preHandler', async (req) => requireAdmin(req));

  app.get(
    '/api/v1/admin/users',
    {
      schema: {
        ...tag('admin'),
        summary: 'Users paged, found by name, UPN, e-mail or extension, each with the diversion on their extension, its delivery and calendar sync',
        querystring: UsersQuery,
        response: responses({ 200: UsersPage }),
      },
    },
    async (req) => {
      const { offset, limit } = pageBounds(req.query.offset, req.query.limit);
      const page = await service.pageUsers({ q: req.query.q ?? '', linked: req.query.linked ?? 'any', offset, limit });
      return { total: page.total, offset, limit, users: page.items.map((c) => consoleUserJson(c, page.now, page.org.calendar.zone)) };
    },
  );

  app.delete(
    '/api/v1/admin/users/:oid/extension',
    { schema: { ...tag('admin'), summary: 'Take a user off their extension (the user and their settings stay)', params: OidParam, response: responses({ 200: User }) } },
    async (req) => {
      const u = await service.unlinkUser({ tid: req.principal!.tid, oid: req.params.oid });
      req.log.info({ oid: u.oid }, 'user unlinked');
      return userJson(u);
    },
  );

  app.post(
    '/api/v1/admin/deliveries/retry',
    { schema: { ...tag('admin'), summary: 'Try every failed delivery again now', response: responses({ 202: RetryAll }) } },
    async (_req, reply) => {
      const extensions = await service.retryFailedDeliveries();
      if (extensions.length > 0) void scheduler?.runDue();
      return reply.status(202).send({ retried: extensions.length, extensions });
    },
  );

  app.post(
    '/api/v1/admin/calendar/:oid/resync',
    {
      schema: {
        ...tag('admin'),
        summary: 'Read one user’s calendars (Graph, Google) again from the start (without delta link or sync token)',
        params: OidParam,
        response: responses({ 202: { type: 'object', properties: { oid: { type: 'string' }, resyncing: { type: 'boolean' } } } }),
      },
    },
    async (req, reply) => {
      if (!calendar && !google) throw new ConflictError('Calendar sync is not configured (GRAPH_* or GOOGLE_* variables, docs/admin.md).');
      const k = { tid: req.principal!.tid, oid: req.params.oid };
      // Both sources when a user is read from both (issue 17): each starts over on its own.
      const [graph, fromGoogle] = await Promise.all([calendar?.resync(k) ?? false, google?.resync(k) ?? false]);
      if (!graph && !fromGoogle) throw new NotFoundError('A linked user with that id');
      return reply.status(202).send({ oid: req.params.oid, resyncing: true });
    },
  );

  app.get('/api/v1/admin/catalog', { schema: { ...tag('admin'), summary: 'Every code of the catalog, disabled ones too', response: responses({ 200: AdminCatalog }) } }, async () => {
    const org = await service.org();
    const builtIn = new Set(DEFAULT_CODES.map((c) => c.key));
    return {
      codes: org.catalog.codes.map((c) => ({ key: c.key, prefix: c.prefix, label: c.label, mex: c.mex, group: c.group, standardLength: c.standardLength, enabled: c.enabled, builtIn: builtIn.has(c.key) })),
    };
  });

  app.post(
    '/api/v1/admin/org/preview',
    {
      schema: {
        ...tag('admin'),
        summary: 'What a sample booking would do under a draft organisation document (nothing is saved)',
        body: OrgPreview,
        response: responses({ 200: Resolution }),
      },
    },
    async (req) => {
      const { resolution, language } = service.previewOrg(req.body.org, req.body.booking, req.body.settings);
      return resolutionJson(resolution, language);
    },
  );
};
