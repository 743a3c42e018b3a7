/** The diversion on your extension now and next, and what colleagues see for any extension. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerHears, colleaguesSee, type EffectiveState, instantJson, switchAbsence } from '../../../core';
import type { SwitchStateRow } from '../../service';
import type { HttpContext } from '../context';
import { tag, userOf } from '../request';
import { ExtensionParam, MyState, responses, Status } from '../schemas';

const iso = instantJson;

export function stateJson(s: EffectiveState | null, at: number, zone: string) {
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

/** What the directory shows for a state, in both languages; operator-only text only for admins (SPEC 10). */
export function directoryStatus(state: EffectiveState | null, isAdmin: boolean, now: number, zone: string) {
  const viewer = isAdmin ? 'operator' : 'colleague';
  return state && { sv: colleaguesSee(state, viewer, 'sv', now, zone)!, en: colleaguesSee(state, viewer, 'en', now, zone)! };
}

export function deliveryJson(row: SwitchStateRow | null) {
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

export const stateRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service, scheduler }) => {
  app.get(
    '/api/v1/me/state',
    { schema: { ...tag('state'), summary: 'The diversion in force now on your extension, and the next changes', response: responses({ 200: MyState }) } },
    async (req) => {
      const ctx = await service.context(userOf(req));
      const extension = ctx.user.extension as string;
      const { now, state, next, org } = await service.stateTimeline(extension);
      const zone = org.calendar.zone;
      return {
        extension,
        at: iso(now),
        state: stateJson(state, now, zone),
        next: next.map((n) => ({ at: iso(n.at), state: stateJson(n.state, n.at, zone) })),
        // Whether the switch has the current state (null when no scheduler runs in this process).
        delivery: scheduler ? deliveryJson(await service.getDelivery(extension)) : null,
      };
    },
  );

  app.get(
    '/api/v1/status/:extension',
    {
      schema: {
        ...tag('state'),
        summary: 'What colleagues (and, for admins, operators) see for an extension',
        params: ExtensionParam,
        response: responses({ 200: Status }),
      },
    },
    async (req) => {
      const { state, org } = await service.extensionState(req.params.extension);
      return { extension: req.params.extension, status: directoryStatus(state, req.principal?.isAdmin ?? false, service.clock(), org.calendar.zone) };
    },
  );
};
