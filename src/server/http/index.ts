/**
 * The HTTP layer: one Fastify plugin per resource, registered here. Sign-in (./signin.ts) is
 * decided by the route each plugin declares; responses are serialised by their schemas
 * (./schemas), which also make the OpenAPI document at /docs and the task pane's client types.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from './context';
import { activityRoutes } from './routes/activities';
import { adminRoutes } from './routes/admin';
import { adminImportRoutes } from './routes/admin-import';
import { adminConsoleRoutes } from './routes/admin-console';
import { registerAddin } from './routes/addin';
import { bookingRoutes } from './routes/bookings';
import { catalogRoutes } from './routes/catalog';
import { registerConsole } from './routes/console';
import { colleagueRoutes } from './routes/colleagues';
import { directoryRoutes } from './routes/directory';
import { googleRoutes } from './routes/google';
import { graphRoutes } from './routes/graph';
import { meRoutes } from './routes/me';
import { opsRoutes } from './routes/ops';
import { problemRoutes } from './routes/problems';
import { stateRoutes } from './routes/state';

export type { HttpContext } from './context';

export async function registerHttp(app: FastifyInstance, ctx: HttpContext): Promise<void> {
  await app.register(opsRoutes, ctx);
  await app.register(meRoutes, ctx);
  await app.register(catalogRoutes, ctx);
  await app.register(bookingRoutes, ctx);
  await app.register(problemRoutes, ctx);
  await app.register(activityRoutes, ctx);
  await app.register(stateRoutes, ctx);
  await app.register(colleagueRoutes, ctx);
  await app.register(adminRoutes, ctx);
  await app.register(adminImportRoutes, ctx);
  await app.register(adminConsoleRoutes, ctx);
  await app.register(graphRoutes, ctx);
  await app.register(googleRoutes, ctx);
  await app.register(directoryRoutes, ctx);
  // The Outlook add-in's pages and, in development, its sign-in.
  await registerAddin(app, { config: ctx.config, service: ctx.service });
  // The admin console's pages (its data: the admin routes).
  await registerConsole(app, { config: ctx.config });
}
