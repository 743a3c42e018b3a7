/**
 * JSON bodies with a bounded nesting depth (issue 10). Fastify's own parser (with its
 * prototype-poisoning checks) parses; a document nested deeper than MAX_JSON_DEPTH is refused
 * with 400 before any schema, service or JSON.stringify walks it recursively.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors';

/** No request of API v1 needs more than a handful of levels; the organisation document has 5. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a parsed JSON value (0 for a scalar), counted without recursion. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function boundedJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err, value) => {
      if (err) return done(err, undefined);
      if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
        return done(new HttpError(400, 'Invalid input', `The body is nested deeper than ${MAX_JSON_DEPTH} levels.`, { field: 'body' }), undefined);
      }
      done(null, value);
    });
  });
}
