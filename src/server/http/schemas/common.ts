/**
 * Shapes shared by the API's schemas (TypeBox, no Fastify): instants, forwarding, the problem
 * document every error is, and the error responses every route declares. The task pane imports
 * the `Static<>` types of these modules with type-only imports.
 */
import { type TSchema, Type } from 'typebox';

/** An instant in a request: ISO 8601 with Z or an offset (the core checks it). */
export const Instant = Type.String({ description: 'ISO 8601 instant with Z or an offset', examples: ['2026-11-24T11:00:00Z'] });
/** An instant in a response: UTC with Z, or null. */
export const InstantOut = Type.Union([Type.String({ description: 'UTC instant with Z' }), Type.Null()]);

export const Lang = Type.Union([Type.Literal('sv'), Type.Literal('en')]);
export const Localized = Type.Object({ sv: Type.String(), en: Type.String() });

export const Mode = Type.Union([Type.Literal('spoken'), Type.Literal('none'), Type.Literal('number')], {
  description: 'spoken: Talad hänvisning · none: Ingen vidarekoppling · number: Till nummer',
});
export const Forwarding = Type.Object(
  { mode: Type.Optional(Mode), number: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])) },
  { additionalProperties: false },
);
export const ForwardingOut = Type.Object({ mode: Mode, number: Type.Union([Type.String(), Type.Null()]) });

/** RFC 9457 problem document: every 4xx and 5xx of the API. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    field: Type.Optional(Type.String({ description: 'the input at fault' })),
  },
  { additionalProperties: true, description: 'application/problem+json' },
);

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });

/** The error responses of every route, as problem documents. */
export const PROBLEMS = {
  '4xx': problem('Bad input (400), not signed in (401), not allowed or not linked (403), not found (404), too many requests (429)'),
  '5xx': problem('The endpoint failed, or sign-in keys could not be fetched (503)'),
};

/** A route's responses: the given success responses plus the problem documents. */
export function responses<R extends Record<number, TSchema>>(ok: R) {
  return { ...ok, ...PROBLEMS };
}

/** No body (204), described for the API document. */
export const NoContent = Type.Null({ description: 'No content' });
