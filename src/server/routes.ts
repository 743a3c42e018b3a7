/**
 * API v1 routes: thin handlers that check the caller, call the Service, and shape JSON. A user
 * reaches only their own data: every /me route works on the signed-in user's key.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import {
  callerHears,
  colleaguesSee,
  type EffectiveState,
  instantJson,
  parseInstant,
  resolutionJson,
  switchAbsence,
} from '../core';
import type { AppContext } from './app';
import { ForbiddenError, NotFoundError } from './errors';
import * as S from './schemas';
import type { ActivityView } from './service';
import type { SwitchStateRow, UserRow } from './store/types';

const iso = instantJson;
const DAY_MS = 86_400_000;

function userOf(req: FastifyRequest): UserRow {
  // The onRequest hook sets both for every /api route or throws 401.
  return req.user as UserRow;
}

function requireAdmin(req: FastifyRequest): void {
  if (!req.principal?.isAdmin) throw new ForbiddenError('This needs the Admin app role.');
}

function activityJson(a: ActivityView) {
  return { ...a, from: iso(a.from), to: iso(a.to) };
}

function stateJson(s: EffectiveState | null, at: number, zone: string) {
  if (!s) return null;
  return {
    activityId: s.activityId,
    key: s.key,
    mex: s.mex,
    label: s.label,
    forwarding: s.forwarding,
    since: iso(s.since),
    returnAt: iso(s.returnAt),
    text: s.text,
    operatorOnly: s.operatorOnly,
    switch: switchAbsence(s, at, zone),
    callerHears: { sv: callerHears(s, 'sv', at, zone), en: callerHears(s, 'en', at, zone) },
  };
}

const tag = (t: string) => ({ tags: [t] });

function deliveryJson(row: SwitchStateRow | null) {
  if (!row) return null;
  return {
    version: row.version,
    deliveredVersion: row.deliveredVersion,
    delivered: row.deliveredVersion >= row.version,
    deliveredAt: iso(row.deliveredAt),
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastError: row.lastError,
    failed: row.failedVersion !== null && row.failedVersion >= row.version,
  };
}

export function registerRoutes(app: FastifyInstance, { service, metrics, scheduler }: AppContext): void {
  const me = async (req: FastifyRequest) => service.context(userOf(req));

  app.get('/api/v1/me', { schema: { ...tag('me'), summary: 'Who you are and your extension' } }, async (req) => {
    const user = userOf(req);
    return {
      tid: user.tid,
      oid: user.oid,
      displayName: user.displayName,
      extension: user.extension,
      shared: user.shared,
      linked: user.extension !== null,
      isAdmin: req.principal?.isAdmin ?? false,
    };
  });

  app.get('/api/v1/me/settings', { schema: { ...tag('me'), summary: 'Your calendar settings (Kalender), merged with the organisation defaults' } }, async (req) => {
    return (await me(req)).settings;
  });
  app.put<{ Body: Static<typeof S.Settings> }>(
    '/api/v1/me/settings',
    { schema: { ...tag('me'), summary: 'Replace your calendar settings', body: S.Settings } },
    async (req) => {
      const ctx = await me(req);
      return service.putSettings(ctx.user, req.body);
    },
  );

  app.get('/api/v1/me/profile', { schema: { ...tag('me'), summary: 'Your contact profile (Kontaktprofiler)' } }, async (req) => (await me(req)).profile);
  app.put<{ Body: Static<typeof S.Profile> }>(
    '/api/v1/me/profile',
    { schema: { ...tag('me'), summary: 'Replace your contact profile', body: S.Profile } },
    async (req) => {
      const ctx = await me(req);
      return service.putProfile(ctx.user, req.body);
    },
  );

  app.get('/api/v1/me/quick', { schema: { ...tag('me'), summary: 'Your quick choices (Snabbval)' } }, async (req) => {
    const ctx = await me(req);
    return service.getQuick(ctx.user);
  });
  app.put<{ Body: Static<typeof S.QuickChoices> }>(
    '/api/v1/me/quick',
    { schema: { ...tag('me'), summary: 'Replace your quick choices (at most 8)', body: S.QuickChoices } },
    async (req) => {
      const ctx = await me(req);
      return service.putQuick(ctx.user, req.body);
    },
  );
  app.post<{ Params: Static<typeof S.IndexParam> }>(
    '/api/v1/me/quick/:index/activate',
    { schema: { ...tag('me'), summary: 'Start a quick choice now', params: S.IndexParam } },
    async (req, reply) => {
      const ctx = await me(req);
      const activity = await service.activateQuick(ctx, Number(req.params.index));
      return reply.status(201).send(activityJson(activity));
    },
  );

  app.get('/api/v1/catalog', { schema: { ...tag('catalog'), summary: 'The codes of your organisation' } }, async () => {
    const org = await service.org();
    return {
      codes: org.catalog.enabledCodes().map((c) => ({ key: c.key, prefix: c.prefix, label: c.label, mex: c.mex, group: c.group, standardLength: c.standardLength })),
    };
  });

  app.post<{ Body: Static<typeof S.Booking> }>(
    '/api/v1/preview',
    { schema: { ...tag('bookings'), summary: 'What a booking would do, with your settings (no side effects)', body: S.Booking } },
    async (req) => {
      const ctx = await me(req);
      return resolutionJson(service.preview(ctx, req.body), ctx.settings.language);
    },
  );

  app.put<{ Params: Static<typeof S.BookingIdParam>; Body: Static<typeof S.Booking> }>(
    '/api/v1/me/bookings/:bookingId',
    {
      schema: {
        ...tag('bookings'),
        summary: 'Store a booking snapshot (idempotent; an older lastModified than the stored one changes nothing)',
        params: S.BookingIdParam,
        body: S.Booking,
      },
    },
    async (req) => {
      const ctx = await me(req);
      const { outcome, resolution } = await service.putBooking(ctx, req.params.bookingId, req.body);
      metrics.bookings.inc({ outcome });
      req.log.info({ outcome, diverts: resolution.diverts, code: resolution.code?.key ?? null, reason: resolution.reason }, 'booking stored');
      return { outcome, resolution: resolutionJson(resolution, ctx.settings.language) };
    },
  );
  app.delete<{ Params: Static<typeof S.BookingIdParam> }>(
    '/api/v1/me/bookings/:bookingId',
    { schema: { ...tag('bookings'), summary: 'Forget a booking (deleted in the calendar)', params: S.BookingIdParam } },
    async (req, reply) => {
      const ctx = await me(req);
      await service.deleteBooking(ctx.user, req.params.bookingId);
      return reply.status(204).send();
    },
  );

  app.get<{ Querystring: Static<typeof S.Window> }>(
    '/api/v1/me/activities',
    { schema: { ...tag('activities'), summary: 'Your activities overlapping a window (default: now to 14 days ahead)', querystring: S.Window } },
    async (req) => {
      const ctx = await me(req);
      const now = service.clock();
      const from = req.query.from === undefined ? now : parseInstant(req.query.from, 'from');
      const to = req.query.to === undefined ? from + 14 * DAY_MS : parseInstant(req.query.to, 'to');
      return { activities: (await service.listActivities(ctx, from, to)).map(activityJson) };
    },
  );
  app.post<{ Body: Static<typeof S.NewActivity> }>(
    '/api/v1/me/activities',
    { schema: { ...tag('activities'), summary: 'Create a manual or recurring activity (Ny aktivitet / Ny återkommande aktivitet)', body: S.NewActivity } },
    async (req, reply) => {
      const ctx = await me(req);
      const a = await service.createActivity(ctx, req.body);
      req.log.info({ activity: a.id, code: a.key, source: a.source }, 'activity created');
      return reply.status(201).send(activityJson(a));
    },
  );
  app.delete<{ Params: Static<typeof S.IdParam> }>(
    '/api/v1/me/activities/:id',
    { schema: { ...tag('activities'), summary: 'Delete an activity (a calendar one is dismissed; the calendar is not touched)', params: S.IdParam } },
    async (req, reply) => {
      const ctx = await me(req);
      await service.deleteActivity(ctx.user, req.params.id);
      return reply.status(204).send();
    },
  );

  app.get('/api/v1/me/state', { schema: { ...tag('state'), summary: 'The diversion in force now on your extension, and the next changes' } }, async (req) => {
    const ctx = await me(req);
    const { now, state, next, org } = await service.stateTimeline(ctx.user.extension as string);
    const zone = org.calendar.zone;
    return {
      extension: ctx.user.extension,
      at: iso(now),
      state: stateJson(state, now, zone),
      next: next.map((n) => ({ at: iso(n.at), state: stateJson(n.state, n.at, zone) })),
      // Whether the switch has the current state (null when no scheduler runs in this process).
      delivery: scheduler ? deliveryJson(await service.getDelivery(ctx.user.extension as string)) : null,
    };
  });

  app.get<{ Params: Static<typeof S.ExtensionParam> }>(
    '/api/v1/status/:extension',
    { schema: { ...tag('state'), summary: 'What colleagues (and, for admins, operators) see for an extension', params: S.ExtensionParam } },
    async (req) => {
      const { state, org } = await service.extensionState(req.params.extension);
      const now = service.clock();
      const viewer = req.principal?.isAdmin ? 'operator' : 'colleague';
      const zone = org.calendar.zone;
      return {
        extension: req.params.extension,
        status: state && { sv: colleaguesSee(state, viewer, 'sv', now, zone), en: colleaguesSee(state, viewer, 'en', now, zone) },
      };
    },
  );

  // -------------------------------------------------------------------------------------------
  // Admin

  app.get('/api/v1/admin/users', { schema: { ...tag('admin'), summary: 'Users and their extensions' } }, async (req) => {
    requireAdmin(req);
    const users = await service.listUsers();
    return { users: users.map((u) => ({ tid: u.tid, oid: u.oid, displayName: u.displayName, extension: u.extension, shared: u.shared })) };
  });
  app.put<{ Params: Static<typeof S.OidParam>; Body: Static<typeof S.AdminUser> }>(
    '/api/v1/admin/users/:oid',
    { schema: { ...tag('admin'), summary: 'Link a user to an extension (shared or not)', params: S.OidParam, body: S.AdminUser } },
    async (req) => {
      requireAdmin(req);
      const tid = req.body.tid ?? req.principal!.tid;
      const u = await service.linkUser(
        { tid, oid: req.params.oid },
        { extension: req.body.extension, shared: req.body.shared ?? false, displayName: req.body.displayName },
      );
      req.log.info({ oid: u.oid, extension: u.extension, shared: u.shared }, 'user linked');
      return { tid: u.tid, oid: u.oid, displayName: u.displayName, extension: u.extension, shared: u.shared };
    },
  );
  app.delete<{ Params: Static<typeof S.OidParam> }>(
    '/api/v1/admin/users/:oid',
    { schema: { ...tag('admin'), summary: 'Remove a user and everything stored for them', params: S.OidParam } },
    async (req, reply) => {
      requireAdmin(req);
      if (!(await service.deleteUser({ tid: req.principal!.tid, oid: req.params.oid }))) throw new NotFoundError('The user');
      return reply.status(204).send();
    },
  );
  app.get('/api/v1/admin/deliveries', { schema: { ...tag('admin'), summary: 'Per extension: the desired state, its version, and whether the switch has it' } }, async (req) => {
    requireAdmin(req);
    const rows = await service.listDeliveries();
    return { deliveries: rows.map((r) => ({ extension: r.extension, state: r.state, computedAt: iso(r.computedAt), nextBoundary: iso(r.nextBoundary), ...deliveryJson(r) })) };
  });
  app.post<{ Params: Static<typeof S.ExtensionParam> }>(
    '/api/v1/admin/deliveries/:extension/retry',
    { schema: { ...tag('admin'), summary: 'Deliver the current state again now, also after a permanent failure', params: S.ExtensionParam } },
    async (req, reply) => {
      requireAdmin(req);
      if (!(await service.retryDelivery(req.params.extension))) throw new NotFoundError(`Extension ${req.params.extension}`);
      void scheduler?.runDue();
      return reply.status(202).send({ extension: req.params.extension, retrying: true });
    },
  );
  app.get('/api/v1/admin/switch', { schema: { ...tag('admin'), summary: 'The journal connector: the last 200 states the switch would have received' } }, async (req) => {
    requireAdmin(req);
    return { entries: (await service.listJournal(200)).map((e) => ({ ...e, at: iso(e.at) })) };
  });

  app.get('/api/v1/admin/org', { schema: { ...tag('admin'), summary: 'The organisation document' } }, async (req) => {
    requireAdmin(req);
    const { value, updatedAt } = await service.getOrgDoc();
    return { org: value, updatedAt: iso(updatedAt) };
  });
  app.put<{ Body: Static<typeof S.OrgDoc> }>(
    '/api/v1/admin/org',
    { schema: { ...tag('admin'), summary: 'Replace the organisation document (catalog overrides, working day, extra days off, defaults)', body: S.OrgDoc } },
    async (req) => {
      requireAdmin(req);
      await service.putOrgDoc(req.body);
      const { value, updatedAt } = await service.getOrgDoc();
      return { org: value, updatedAt: iso(updatedAt) };
    },
  );

}
