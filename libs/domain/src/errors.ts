/**
 * Domain errors carry a code; only the HTTP edge maps codes to statuses (in one exhaustive
 * switch), so the domain never knows about transport.
 */

export const DOMAIN_ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  /** A decision the caller already made on this task (a retry whose first attempt went through). */
  'ALREADY_DECIDED',
  'INVALID_DECISION',
  'ENGINE_UNAVAILABLE',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One problem with one input field; `field` is a dotted path with indexes, e.g. `costs[0].amount`. */
export interface FieldError {
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  errors?: FieldError[];
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  // `declare` keeps absent fields absent (no own `undefined` property), so the error
  // serialises the same whether or not it crossed a Temporal boundary.
  declare readonly errors?: FieldError[];
  declare readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.errors !== undefined) this.errors = options.errors;
    if (options.details !== undefined) this.details = options.details;
  }
}

/**
 * `instanceof` fails when an error crosses a realm (the workflow sandbox runs in its own
 * V8 context), so this also accepts anything shaped like a DomainError.
 */
export function isDomainError(value: unknown): value is DomainError {
  if (value instanceof DomainError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown; message?: unknown };
  return (
    candidate.name === 'DomainError' &&
    typeof candidate.message === 'string' &&
    (DOMAIN_ERROR_CODES as readonly unknown[]).includes(candidate.code)
  );
}

export function validationFailed(errors: FieldError[], message = 'The request has invalid fields'): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { errors });
}

/** `what` names the resource as a reader would, e.g. "proposal 42". */
export function notFound(what: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} was not found`);
}

export function forbidden(message = 'You may not do this'): DomainError {
  return new DomainError('FORBIDDEN', message);
}

export function unauthenticated(message = 'Authentication is required'): DomainError {
  return new DomainError('UNAUTHENTICATED', message);
}

export function conflict(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('CONFLICT', message, details === undefined ? {} : { details });
}

export function invalidDecision(message: string, errors?: FieldError[]): DomainError {
  return new DomainError('INVALID_DECISION', message, errors === undefined ? {} : { errors });
}

/** `retryAfterSeconds` travels in details so the edge can set Retry-After. */
export function engineUnavailable(
  message = 'The evaluation engine is not answering; try again shortly',
  retryAfterSeconds = 5,
): DomainError {
  return new DomainError('ENGINE_UNAVAILABLE', message, { details: { retryAfterSeconds } });
}

export function payloadTooLarge(limitBytes?: number): DomainError {
  return new DomainError(
    'PAYLOAD_TOO_LARGE',
    limitBytes === undefined ? 'The request body is too large' : `The request body is over ${limitBytes} bytes`,
    limitBytes === undefined ? {} : { details: { limitBytes } },
  );
}

export function rateLimited(retryAfterSeconds?: number): DomainError {
  return new DomainError(
    'RATE_LIMITED',
    'Too many requests; slow down',
    retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } },
  );
}
