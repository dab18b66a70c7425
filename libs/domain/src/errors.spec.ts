import { DOMAIN_ERROR_CODES, DomainError, isDomainError } from './errors';

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

describe('isDomainError', () => {
  it('recognises instances and same-shaped errors from another realm', () => {
    expect(isDomainError(new DomainError('NOT_FOUND', 'x was not found'))).toBe(true);
    expect(isDomainError({ name: 'DomainError', code: 'CONFLICT', message: 'm' })).toBe(true);
  });

  it('rejects anything else', () => {
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError({ name: 'DomainError', code: 'TEAPOT', message: 'm' })).toBe(false);
    expect(isDomainError(null)).toBe(false);
    expect(isDomainError('CONFLICT')).toBe(false);
  });

  it('knows all eleven codes', () => {
    expect(DOMAIN_ERROR_CODES).toHaveLength(11);
  });
});
