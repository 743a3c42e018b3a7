/**
 * Typed errors of the endpoint and their one mapping to HTTP problem documents (STYLE 7).
 * The domain's ValidationError and the sign-in AuthError are mapped here too.
 */
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
