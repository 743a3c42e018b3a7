/**
 * Typed errors of the endpoint and their one mapping to HTTP problem documents (STYLE 7,
 * RFC 9457). The domain's ValidationError and the sign-in AuthError are mapped here too, and so
 * are Fastify's own errors (validation, body too large, bad JSON, unknown route or method).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../core';
import { AuthError } from './auth/types';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly title: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string) {
    super(404, 'Not found', `${what} was not found.`);
  }
}

export class NotLinkedError extends HttpError {
  constructor() {
    super(
      403,
      'Not linked to an extension',
      'You are signed in, but your account is not linked to a phone extension yet. Ask your administrator to link it (Kalenderkoppling admin: users).',
    );
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(409, 'Conflict', message, extra);
  }
}

/** Too many failed sign-ins from one client address (src/server/http/signin.ts). */
export class TooManyFailuresError extends HttpError {
  constructor(readonly retryAfterSec: number) {
    super(429, 'Too many requests', `Too many failed sign-ins from your address; try again in ${retryAfterSec} s.`);
  }
}

export const PROBLEM = 'application/problem+json';

/** The methods any route of the endpoint answers; others get 405. */
export const SERVED_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'];

export function problem(reply: FastifyReply, status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply
    .status(status)
    .type(PROBLEM)
    .send({ type: 'about:blank', title, status, detail, ...extra });
}

/** The app's error handler: every error becomes a problem document; only a 5xx is logged. */
export function errorHandler(bodyLimitBytes: number) {
  return (error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
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
    if (status === 413) return problem(reply, 413, 'Request too large', `The body may be at most ${bodyLimitBytes} bytes.`);
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
  };
}

/** No route: 405 for a method no route answers (TRACE, CONNECT, WebDAV), else 404. */
export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  if (!SERVED_METHODS.includes(req.method)) {
    reply.header('allow', SERVED_METHODS.join(', '));
    return problem(reply, 405, 'Method not allowed', `This service does not answer ${req.method}.`);
  }
  return problem(reply, 404, 'Not found', `There is no ${req.method} ${req.url.split('?')[0]}.`);
}

/** Errors the router raises before any route (a malformed or overlong URL). */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 400;
  return problem(reply, status, status === 414 ? 'URL too long' : 'Bad request', error.message);
}
