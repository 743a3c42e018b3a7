/**
 * The endpoint's app factory (STYLE 10): plugins, sign-in, one error handler producing
 * application/problem+json (src/server/errors.ts), metrics, and the HTTP layer
 * (src/server/http/). Everything it needs comes in through `AppDeps`, so tests build it with
 * SQLite in memory, a fake clock and a local verifier.
 */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { TokenVerifier } from './auth/types';
import { GoogleCalendarSync, type GoogleSyncOptions } from './calendar/google/sync';
import { claimDailyRun, SyncLeases } from './calendar/leases';
import { CalendarSync, type CalendarSyncOptions } from './calendar/sync';
import type { Config } from './config';
import type { SwitchConnector } from './connectors/types';
import { createDirectory, type DirectorySync } from './directory';
import type { DirectoryLookup } from './directory/types';
import { errorHandler, frameworkErrors, notFoundHandler } from './errors';
import { registerHttp } from './http';
import { clientErrorHandler } from './http/client-error';
import { boundedJsonParser } from './http/json';
import { markPublic, signInPlugin } from './http/signin';
import { Mailer } from './notify/mailer';
import { Scheduler } from './scheduler';
import { ChangeRelay } from './scheduler/relay';
import { realTimers } from './runtime';
import { type Clock, Service } from './service';
import type { Store } from './store/types';

export interface AppDeps {
  config: Config;
  store: Store;
  verifier: TokenVerifier;
  clock?: Clock;
  /** Pino options or false; default: the configured level, with the Authorization header redacted. */
  logger?: boolean | object;
  /** Metric registry; a fresh one per app by default, so tests can build many apps. */
  registry?: Registry;
  /** The switch connector; with one, the app runs the scheduler (started by `startScheduler`). */
  connector?: SwitchConnector;
  /** Calendar sync (when config.graph is set): fetch, sleep, timers and tuning for tests. */
  graph?: Partial<Pick<CalendarSyncOptions, 'fetch' | 'sleep' | 'timers' | 'coalesceMs' | 'pageSize'>>;
  /** Google calendar sync (when config.google is set): sleep, timers and page size for tests. */
  google?: Partial<Pick<GoogleSyncOptions, 'sleep' | 'timers' | 'pageSize' | 'coalesceMs'>>;
  /** The organisation's directory (Graph): the CSV import finds users by UPN or e-mail through it. */
  directory?: DirectoryLookup;
  /** This process's name in delivery claims and calendar leases (default: host, pid and a random part). */
  owner?: string;
  /** Calendar leases' timing (issue 18), for tests. */
  leases?: { leaseMs?: number; heartbeatMs?: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The scheduler and outbox, when the app has a connector; `start()` it after listening. */
    scheduler: Scheduler | null;
    /** Calendar sync through Microsoft Graph, when configured; `start()` it after listening. */
    calendar: CalendarSync | null;
    /** Calendar sync through Google Calendar (issue 17), when configured; `start()` it after listening. */
    google: GoogleCalendarSync | null;
    /** Linking users from the directory (Graph), when Graph is configured; `start()` it after listening. */
    directorySync: DirectorySync | null;
    /** Mail about bookings that will not divert (NOTIFY_MAIL=on); `sweep()` it after listening. */
    mailer: Mailer | null;
    /** Which users' calendars this process reads (issue 18), when calendar sync is configured; `start()` it before the syncs. */
    leases: SyncLeases | null;
    /** This process's name in delivery claims and calendar leases. */
    owner: string;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, verifier } = deps;
  const clock = deps.clock ?? Date.now;
  const app = Fastify({
    logger:
      deps.logger ??
      ({
        level: config.logLevel,
        // SPEC 12: no personal data in logs. Tokens never; bodies are not logged at all.
        redact: ['req.headers.authorization', 'req.headers.cookie'],
      } as object),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Graph event ids are ~150 characters; activity ids add a prefix and an occurrence start.
    routerOptions: { maxParamLength: 1024 },
    // Errors the router raises before any route (a malformed or overlong URL) are problems too.
    frameworkErrors,
    // The HTTP parser's own answers (bad request line or headers, 431) as problem documents too.
    clientErrorHandler,
    // Shapes are checked without coercion: "true" is not a boolean, "12" is not a number.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  boundedJsonParser(app);

  const registry = deps.registry ?? new Registry();
  // Issue 15: states the switch had lost and was sent again by reconciliation (scheduler/reconcile.ts).
  const reconciled = new Counter({ name: 'kalenderkoppling_reconcile_resent_total', help: 'States delivered again because the switch held another version or none', registers: [registry] });
  const service = new Service(store, clock, config.orgTimeZone, undefined, { notifyMail: config.notify.mail && config.graph !== null });
  const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  app.decorate('owner', owner);
  const scheduler = deps.connector
    ? new Scheduler({
        service,
        store,
        connector: deps.connector,
        clock,
        owner,
        concurrency: config.deliveryConcurrency,
        precomputeMs: config.precomputeMinutes * 60_000,
        reconcile: { intervalMs: config.reconcileSeconds * 1000, onPass: (r) => reconciled.inc(r.resent) },
        log: {
          info: (o, m) => app.log.info(o, m),
          warn: (o, m) => app.log.warn(o, m),
          error: (o, m) => app.log.error(o, m),
        },
      })
    : null;
  if (scheduler) {
    // Issue 18: with other processes on the database, they recompute what changed here at once too.
    const relay = store.dialect === 'postgres' ? new ChangeRelay({ bus: store.bus, owner, log: app.log, recompute: (exts) => void scheduler.changed(...exts) }) : null;
    service.onChange = (extensions) => {
      void scheduler.changed(...extensions);
      relay?.changed(extensions.filter((e): e is string => typeof e === 'string'));
    };
    app.addHook('onClose', async () => {
      await relay?.stop();
      await scheduler.stop();
      await deps.connector?.close?.();
    });
  }
  app.decorate('scheduler', scheduler);
  const appLog = { info: (o: object, m: string) => app.log.info(o, m), warn: (o: object, m: string) => app.log.warn(o, m), error: (o: object, m: string) => app.log.error(o, m) };
  // One set of leases for both calendar sources: who reads which user's calendar (issue 18).
  const leases = config.graph || config.google ? new SyncLeases({ store, owner, clock, timers: deps.graph?.timers ?? deps.google?.timers ?? realTimers, log: appLog, ...deps.leases }) : null;
  app.decorate('leases', leases);
  const calendar = config.graph
    ? new CalendarSync({
        config: config.graph,
        service,
        store,
        clock,
        ...deps.graph,
        leases: leases ?? undefined,
        log: appLog,
      })
    : null;
  // No round is left running when the app closes (a stopped scheduler ignores late changes).
  if (calendar) app.addHook('onClose', async () => calendar.stop());
  app.decorate('calendar', calendar);
  const google = config.google
    ? new GoogleCalendarSync({
        config: config.google,
        service,
        store,
        clock,
        ...deps.google,
        leases: leases ?? undefined,
        log: appLog,
      })
    : null;
  if (google) app.addHook('onClose', async () => google.stop());
  // After the syncs have stopped: the leases are given up for another process to take at once.
  if (leases)
    app.addHook('onClose', async () => {
      await calendar?.stop();
      await google?.stop();
      await leases.stop();
    });
  app.decorate('google', google);
  // Issue 14: after each user's successful round, that user's due mails, through the same Graph client.
  const mailer =
    calendar && config.graph && config.notify.mail
      ? new Mailer({ config: config.notify, client: calendar.client, baseUrl: config.graph.baseUrl, service, log: { info: (o, m) => app.log.info(o, m), warn: (o, m) => app.log.warn(o, m), error: (o, m) => app.log.error(o, m) } })
      : null;
  if (calendar && mailer) {
    calendar.afterRound = async (user) => void (await mailer.sendDue(user));
    app.addHook('onClose', async () => mailer.idle());
  }
  app.decorate('mailer', mailer);
  // The directory through the same Graph client: the import's lookup and linking from an attribute.
  const directory = createDirectory(config, {
    service,
    clock,
    client: calendar?.client,
    sleep: deps.graph?.sleep,
    timers: deps.graph?.timers,
    log: appLog,
    // Issue 18: the daily run due at an instant is taken by one process (a lease of its own, kept two days).
    claimRun: async (due) => claimDailyRun(store, owner, clock(), due),
  });
  if (directory) app.addHook('onClose', async () => directory.sync.stop());
  app.decorate('directorySync', directory?.sync ?? null);
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'kalenderkoppling_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'kalenderkoppling_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const bookings = new Counter({
    name: 'kalenderkoppling_bookings_put_total',
    help: 'Booking snapshots received, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  // Development runs on plain http://127.0.0.1, where "upgrade-insecure-requests" would send the
  // browser to an https that is not there (Safari does so even for loopback).
  const plainHttp = config.auth.mode === 'dev';
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: plainHttp ? { directives: { upgradeInsecureRequests: null } } : true,
  });
  await app.register(cors, {
    origin: config.addinOrigins.length > 0 ? config.addinOrigins : false,
    methods: ['GET', 'PUT', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Kalenderkoppling API',
        version: '1',
        description: 'Calendar-driven phone diversion. Sign in with a bearer token (Entra ID, or a development token).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  // Sign-in for every route not declared public (src/server/http/signin.ts); it must come
  // before the rate limit, whose key is the signed-in user.
  await app.register(signInPlugin, { verifier, service, failuresPerMinute: config.signInFailuresPerMinute, clock });
  await app.register(async (docs) => {
    markPublic(docs);
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      transformStaticCSP: (header) => (plainHttp ? header.replace(/\s*upgrade-insecure-requests;?/, '') : header),
    });
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Per signed-in user; requests that are not signed in share their address's bucket.
    keyGenerator: (req) => (req.principal ? `u:${req.principal.tid}:${req.principal.oid}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      type: 'about:blank',
      title: 'Too many requests',
      status: 429,
      detail: `At most ${ctx.max} requests a minute; try again in ${Math.ceil(ctx.ttl / 1000)} s.`,
    }),
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler(errorHandler(config.bodyLimitBytes));
  app.setNotFoundHandler(notFoundHandler);

  await registerHttp(app, { service, config, metrics: { bookings }, scheduler, calendar, google, registry, ping: () => store.ping(), directory: deps.directory ?? directory?.lookup ?? null, directorySync: directory?.sync ?? null });
  return app;
}
