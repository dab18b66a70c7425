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
  /** A claim, assignment, answer or withdrawal that already took effect (a retry whose first attempt went through). */
  'ALREADY_APPLIED',
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
