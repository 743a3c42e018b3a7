/** Operations: liveness, readiness and Prometheus metrics (public, never rate-limited, not in the API document). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HttpContext } from '../context';

const Health = Type.Object({ status: Type.String() });
const OPS = { rateLimit: false, public: true };

export const opsRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, { registry, ping }) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: Health } }, config: OPS }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true, response: { 200: Health, 503: Health } }, config: OPS }, async (_req, reply) => {
    const ok = await ping().catch(() => false);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'database unavailable' });
  });
  app.get('/metrics', { schema: { hide: true }, config: OPS }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
};
