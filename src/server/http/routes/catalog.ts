/** The organisation's codes, for every signed-in member (linked or not: docs/api.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { HttpContext } from '../context';
import { tag } from '../request';
import { CatalogOut, responses } from '../schemas';

export const catalogRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { service }) => {
  app.get('/api/v1/catalog', { schema: { ...tag('catalog'), summary: 'The codes and the working day of your organisation', response: responses({ 200: CatalogOut }) } }, async () => {
    const org = await service.org();
    return {
      codes: org.catalog.enabledCodes().map((c) => ({ key: c.key, prefix: c.prefix, label: c.label, mex: c.mex, group: c.group, standardLength: c.standardLength })),
      workday: { ...org.calendar.config, extraDaysOff: [...org.calendar.config.extraDaysOff] },
    };
  });
};
