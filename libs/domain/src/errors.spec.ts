import {
  conflict,
  DOMAIN_ERROR_CODES,
  DomainError,
  engineUnavailable,
  forbidden,
  invalidDecision,
  isDomainError,
  notFound,
  payloadTooLarge,
  rateLimited,
  unauthenticated,
  validationFailed,
} from './errors';

describe('DomainError', () => {
  it('is an Error with a code, field errors and details', () => {
    const cause = new Error('socket closed');
    const error = new DomainError('VALIDATION_FAILED', 'bad input', {
      errors: [{ field: 'costs[0].amount', message: 'costs[0].amount must be 0 or more' }],
      details: { proposalId: 'p1' },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.message).toBe('bad input');
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors).toEqual([{ field: 'costs[0].amount', message: 'costs[0].amount must be 0 or more' }]);
    expect(error.details).toEqual({ proposalId: 'p1' });
    expect(error.cause).toBe(cause);
  });

  it('leaves errors and details undefined when not given', () => {
    const error = new DomainError('CONFLICT', 'already submitted');
    expect(error.errors).toBeUndefined();
    expect(error.details).toBeUndefined();
    expect('errors' in error).toBe(false);
  });
});

describe('factories', () => {
  it.each([
    [validationFailed([{ field: 'title', message: 'title is required' }]), 'VALIDATION_FAILED', 'The request has invalid fields'],
    [notFound('proposal 42'), 'NOT_FOUND', 'proposal 42 was not found'],
    [forbidden(), 'FORBIDDEN', 'You may not do this'],
    [unauthenticated(), 'UNAUTHENTICATED', 'Authentication is required'],
    [conflict('task already decided'), 'CONFLICT', 'task already decided'],
    [invalidDecision('a verdict is missing'), 'INVALID_DECISION', 'a verdict is missing'],
    [engineUnavailable(), 'ENGINE_UNAVAILABLE', 'The evaluation engine is not answering; try again shortly'],
    [payloadTooLarge(1_048_576), 'PAYLOAD_TOO_LARGE', 'The request body is over 1048576 bytes'],
    [rateLimited(30), 'RATE_LIMITED', 'Too many requests; slow down'],
  ])('builds %#: a %s error', (error, code, message) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('carries what the edge needs', () => {
    expect(validationFailed([{ field: 'title', message: 'x' }]).errors).toEqual([{ field: 'title', message: 'x' }]);
    expect(invalidDecision('m', [{ field: 'verdicts', message: 'y' }]).errors).toEqual([{ field: 'verdicts', message: 'y' }]);
    expect(conflict('stale', { taskId: 't1' }).details).toEqual({ taskId: 't1' });
    expect(engineUnavailable('down', 10).details).toEqual({ retryAfterSeconds: 10 });
    expect(rateLimited(30).details).toEqual({ retryAfterSeconds: 30 });
    expect(rateLimited().details).toBeUndefined();
  });
});

describe('isDomainError', () => {
  it('recognises instances and same-shaped errors from another realm', () => {
    expect(isDomainError(notFound('x'))).toBe(true);
    expect(isDomainError({ name: 'DomainError', code: 'CONFLICT', message: 'm' })).toBe(true);
  });

  it('rejects anything else', () => {
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError({ name: 'DomainError', code: 'TEAPOT', message: 'm' })).toBe(false);
    expect(isDomainError(null)).toBe(false);
    expect(isDomainError('CONFLICT')).toBe(false);
  });

  it('knows all ten codes', () => {
    expect(DOMAIN_ERROR_CODES).toHaveLength(10);
  });
});
