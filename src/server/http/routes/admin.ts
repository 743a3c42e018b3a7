/** Admin (app role Admin): users and extensions, deliveries to the switch, the journal, the organisation, calendar sync. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { instantJson } from '../../../core';
import { NotFoundError } from '../../errors';
import { pageBounds, type UserRow } from '../../service';
import type { HttpContext } from '../context';
import { requireAdmin, tag } from '../request';
import { AdminUser, CalendarAdmin, Deliveries, DeliveriesQuery, ExtensionParam, Journal, JournalQuery, NoContent, OidParam, OrgDoc, OrgDocOut, Retry, responses, User } from '../schemas';
import { deliveryJson } from './state';

const iso = instantJson;
export const userJson = (u: UserRow) => ({ tid: u.tid, oid: u.oid, displayName: u.displayName, extension: u.extension, shared: u.shared });

export const adminRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service, scheduler, calendar, google, config }) => {
  // Every route of this plugin needs the Admin app role, checked after sign-in.
  app.addHook('preHandler', async (req) => requireAdmin(req));

  app.put(
    '/api/v1/admin/users/:oid',
    { schema: { ...tag('admin'), summary: 'Link a user to an extension (shared or not)', params: OidParam, body: AdminUser, response: responses({ 200: User }) } },
    async (req) => {
      const tid = req.body.tid ?? req.principal!.tid;
      const u = await service.linkUser({ tid, oid: req.params.oid }, { extension: req.body.extension, shared: req.body.shared ?? false, displayName: req.body.displayName, mail: req.body.mail?.toLowerCase() });
      req.log.info({ oid: u.oid, extension: u.extension, shared: u.shared }, 'user linked');
      return userJson(u);
    },
  );
  app.delete(
    '/api/v1/admin/users/:oid',
    { schema: { ...tag('admin'), summary: 'Remove a user and everything stored for them', params: OidParam, response: responses({ 204: NoContent }) } },
    async (req, reply) => {
      if (!(await service.deleteUser({ tid: req.principal!.tid, oid: req.params.oid }))) throw new NotFoundError('The user');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/deliveries',
    {
      schema: {
        ...tag('admin'),
        summary: 'Per extension (paged, by extension): the desired state, its version, and whether the switch has it',
        querystring: DeliveriesQuery,
        response: responses({ 200: Deliveries }),
      },
    },
    async (req) => {
      const { offset, limit } = pageBounds(req.query.offset, req.query.limit);
      const page = await service.pageDeliveries({ extension: req.query.extension, failed: req.query.failed === 'true', offset, limit });
      return {
        total: page.total,
        offset,
        limit,
        deliveries: page.items.map((r) => ({ extension: r.extension, state: r.state, computedAt: iso(r.computedAt), nextBoundary: iso(r.nextBoundary), ...deliveryJson(r)! })),
      };
    },
  );
  app.post(
    '/api/v1/admin/deliveries/:extension/retry',
    {
      schema: {
        ...tag('admin'),
        summary: 'Deliver the current state again now, also after a permanent failure',
        params: ExtensionParam,
        response: responses({ 202: Retry }),
      },
    },
    async (req, reply) => {
      if (!(await service.retryDelivery(req.params.extension))) throw new NotFoundError(`Extension ${req.params.extension}`);
      void scheduler?.runDue();
      return reply.status(202).send({ extension: req.params.extension, retrying: true });
    },
  );
  app.get(
    '/api/v1/admin/switch',
    {
      schema: {
        ...tag('admin'),
        summary: 'The journal connector: the latest states the switch would have received (200 unless limit), newest first',
        querystring: JournalQuery,
        response: responses({ 200: Journal }),
      },
    },
    async (req) => {
      const { limit } = pageBounds(undefined, req.query.limit, 200);
      return { entries: (await service.listJournal(limit, req.query.extension || undefined)).map((e) => ({ ...e, at: iso(e.at) })) };
    },
  );

  app.get('/api/v1/admin/org', { schema: { ...tag('admin'), summary: 'The organisation document', response: responses({ 200: OrgDocOut }) } }, async () => {
    const { value, updatedAt } = await service.getOrgDoc();
    return { org: value as Static<typeof OrgDocOut>['org'], updatedAt: iso(updatedAt) };
  });
  app.put(
    '/api/v1/admin/org',
    {
      schema: {
        ...tag('admin'),
        summary: 'Replace the organisation document (catalog overrides, working day, extra days off, defaults)',
        body: OrgDoc,
        response: responses({ 200: OrgDocOut }),
      },
    },
    async (req) => {
      await service.putOrgDoc(req.body);
      const { value, updatedAt } = await service.getOrgDoc();
      return { org: value as Static<typeof OrgDocOut>['org'], updatedAt: iso(updatedAt) };
    },
  );

  app.get(
    '/api/v1/admin/calendar',
    {
      schema: {
        ...tag('admin'),
        summary: 'Calendar sync through Microsoft Graph and Google Calendar: per linked user, last success, last error, lag, subscription or push channel',
        response: responses({ 200: CalendarAdmin }),
      },
    },
    async () => {
      const rows = calendar ? await calendar.status() : [];
      const googleRows = google ? await google.status() : [];
      const leases = calendar?.leases ?? google?.leases ?? null;
      const processes = leases ? (await leases.view()).processes : [];
      const count = (list: readonly { process: string | null }[], name: string) => list.filter((r) => r.process === name).length;
      return {
        processes: processes.map((p) => ({ name: p.owner, host: p.host, pid: p.pid, startedAt: iso(p.startedAt), heartbeatAt: iso(p.heartbeatAt), graphUsers: count(rows, p.owner), googleUsers: count(googleRows, p.owner) })),
        thisProcess: app.owner,
        google: {
          enabled: google !== null,
          notifications: Boolean(config.google?.notificationUrl),
          users: googleRows.map((r) => ({ ...r, lastSuccessAt: iso(r.lastSuccessAt), lastErrorAt: iso(r.lastErrorAt), channelExpiresAt: iso(r.channelExpiresAt) })),
        },
        enabled: calendar !== null,
        notifications: Boolean(config.graph?.notificationUrl),
        users: rows.map((r) => ({
          ...r,
          lastSuccessAt: iso(r.lastSuccessAt),
          lastErrorAt: iso(r.lastErrorAt),
          windowStart: iso(r.windowStart),
          windowEnd: iso(r.windowEnd),
          subscriptionExpiresAt: iso(r.subscriptionExpiresAt),
        })),
      };
    },
  );
};
