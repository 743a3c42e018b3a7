/**
 * The endpoint's app factory (STYLE 10): plugins, sign-in, one error handler producing
 * application/problem+json, metrics, and the routes of API v1. Everything it needs comes in
 * through `AppDeps`, so tests build it with SQLite in memory, a fake clock and a local verifier.
 */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { ValidationError } from '../core';
import { registerAddin } from './addin';
import { registerCalendarRoutes } from './calendar/routes';
import { CalendarSync, type CalendarSyncOptions } from './calendar/sync';
import { AuthError, type Principal, type TokenVerifier } from './auth/types';
import type { Config } from './config';
import type { SwitchConnector } from './connectors/types';
import { HttpError } from './errors';
import { clientErrorHandler } from './http/client-error';
import { boundedJsonParser } from './http/json';
import { markPublic, signInPlugin, TooManyFailuresError } from './http/signin';
import { registerRoutes } from './routes';
import { Scheduler } from './scheduler';
import { type Clock, Service } from './service';
import type { Store, UserRow } from './store/types';

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
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    user: UserRow | null;
  }
  interface FastifyInstance {
    /** The scheduler and outbox, when the app has a connector; `start()` it after listening. */
    scheduler: Scheduler | null;
    /** Calendar sync through Microsoft Graph, when configured; `start()` it after listening. */
    calendar: CalendarSync | null;
  }
}

export interface AppContext {
  service: Service;
  config: Config;
  metrics: { bookings: Counter<'outcome'> };
  scheduler: Scheduler | null;
}

const PROBLEM = 'application/problem+json';
/** The methods any route of the endpoint answers; others get 405. */
const SERVED_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'];

export function problem(reply: FastifyReply, status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply
    .status(status)
    .type(PROBLEM)
    .send({ type: 'about:blank', title, status, detail, ...extra });
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
    frameworkErrors: (error, _req, reply) => {
      const status = (error as FastifyError).statusCode ?? 400;
      return problem(reply, status, status === 414 ? 'URL too long' : 'Bad request', error.message);
    },
    // The HTTP parser's own answers (bad request line or headers, 431) as problem documents too.
    clientErrorHandler,
    // Shapes are checked without coercion: "true" is not a boolean, "12" is not a number.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });

  boundedJsonParser(app);

  const service = new Service(store, clock, config.orgTimeZone);
  const scheduler = deps.connector
    ? new Scheduler({
        service,
        store,
        connector: deps.connector,
        clock,
        concurrency: config.deliveryConcurrency,
        log: {
          info: (o, m) => app.log.info(o, m),
          warn: (o, m) => app.log.warn(o, m),
          error: (o, m) => app.log.error(o, m),
        },
      })
    : null;
  if (scheduler) {
    service.onChange = (extensions) => void scheduler.changed(...extensions);
    app.addHook('onClose', async () => {
      await scheduler.stop();
      await deps.connector?.close?.();
    });
  }
  app.decorate('scheduler', scheduler);
  const calendar = config.graph
    ? new CalendarSync({
        config: config.graph,
        service,
        store,
        clock,
        ...deps.graph,
        log: { info: (o, m) => app.log.info(o, m), warn: (o, m) => app.log.warn(o, m), error: (o, m) => app.log.error(o, m) },
      })
    : null;
  // No round is left running when the app closes (a stopped scheduler ignores late changes).
  if (calendar) app.addHook('onClose', async () => calendar.stop());
  app.decorate('calendar', calendar);
  const registry = deps.registry ?? new Registry();
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

  app.decorateRequest('principal', null);
  app.decorateRequest('user', null);

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

  app.setErrorHandler((error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ValidationError) {
      return problem(reply, 400, 'Invalid input', error.message, { field: error.field });
    }
    if (error instanceof AuthError) {
      if (error.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer');
      return problem(reply, error.statusCode, error.statusCode === 401 ? 'Not signed in' : 'Forbidden', error.message);
    }
    if (error instanceof TooManyFailuresError) reply.header('retry-after', String(error.retryAfterSec));
    if (error instanceof HttpError) return problem(reply, error.statusCode, error.title, error.message, error.extra);
    const fe = error as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      const where = `${fe.validationContext ?? 'body'}${first?.instancePath?.replace(/\//g, '.') ?? ''}`;
      const extra = first?.keyword === 'additionalProperties' ? ` (${String((first.params as { additionalProperty?: string }).additionalProperty)} is not a known field)` : '';
      return problem(reply, 400, 'Invalid input', `${where}: ${first?.message ?? 'is invalid'}${extra}`, { field: where });
    }
    const status = fe.statusCode ?? 500;
    if (status === 413) return problem(reply, 413, 'Request too large', `The body may be at most ${config.bodyLimitBytes} bytes.`);
    if (status === 415) return problem(reply, 415, 'Unsupported media type', 'Send JSON with Content-Type: application/json.');
    if (status === 429) return reply.status(429).type(PROBLEM).send(error);
    // Sign-in keys could not be fetched (SignInUnavailableError): a passing outage, not the user's fault.
    if (status === 503) return problem(reply, 503, 'Service unavailable', error.message);
    if (status >= 400 && status < 500) {
      const detail = fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The body is empty; send a JSON document.' : error instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `The body is not valid JSON: ${error.message}` : error.message;
      return problem(reply, status, 'Bad request', detail);
    }
    req.log.error({ err: { type: error.name, code: fe.code, message: error.message, stack: error.stack } }, 'request failed');
    return problem(reply, 500, 'Internal error', 'Something went wrong on our side; the error has been logged.');
  });

  app.setNotFoundHandler((req, reply) => {
    // TRACE, CONNECT and the WebDAV methods are served nowhere: 405, not "no such path".
    if (!SERVED_METHODS.includes(req.method)) {
      reply.header('allow', SERVED_METHODS.join(', '));
      return problem(reply, 405, 'Method not allowed', `This service does not answer ${req.method}.`);
    }
    return problem(reply, 404, 'Not found', `There is no ${req.method} ${req.url.split('?')[0]}.`);
  });

  app.get('/healthz', { schema: { hide: true }, config: { rateLimit: false, public: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { rateLimit: false, public: true } }, async (_req, reply) => {
    const ok = await store.ping().catch(() => false);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'database unavailable' });
  });
  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false, public: true } }, async (_req, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  registerRoutes(app, { service, config, metrics: { bookings }, scheduler });
  registerCalendarRoutes(app, calendar, Boolean(config.graph?.notificationUrl));
  // The Outlook add-in's pages and, in development, its sign-in (src/server/addin.ts).
  await registerAddin(app, { config, store });
  return app;
}
