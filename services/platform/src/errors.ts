/**
 * A failure the caller can act on, with a stable machine-readable code and the HTTP status the
 * error middleware answers with. Services subclass it for their domain (`class UnknownProduct extends DomainError`).
 */
export class DomainError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} was not found`, 404);
  }
}
