/**
 * A failure with a stable machine-readable code and the HTTP status the error middleware answers
 * with. It comes in two kinds, so that a reader knows whose the failure is: `DomainError` (the request
 * cannot be done as asked) and `DependencyError` (something the service needs failed).
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/**
 * The request cannot be done as asked, and the caller can act on it (a 4xx). Services subclass it
 * for their domain (`class UnknownProduct extends DomainError`).
 */
export class DomainError extends ServiceError {
  constructor(code: string, message: string, status = 400) {
    super(code, message, status);
  }
}

/**
 * Something the service needs (its sidecar, the service behind it) failed or is out of reach: not the
 * caller's doing, and worth trying again (a 5xx; for a delivery, a retry).
 */
export class DependencyError extends ServiceError {
  constructor(code: string, message: string, status = 503) {
    super(code, message, status);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} was not found`, 404);
  }
}
