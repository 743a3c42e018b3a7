/**
 * Typed errors of the domain. A ValidationError names the offending field so the CLI can print
 * one line and the endpoint can map it to a 400 problem document in one place (STYLE 7).
 */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'ValidationError';
  }
}
