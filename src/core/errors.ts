/**
 * Typed errors of the domain. A ValidationError names the offending field so the CLI can print
 * one line and the endpoint can map it to a 400 problem document in one place (STYLE 7).
 */
/** A JSON object (not null, not a list): what every structured input must be. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'ValidationError';
  }
}
