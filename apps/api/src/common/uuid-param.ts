import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../../../../libs/domain';

/** Path ids are UUIDs; anything else is a 400 naming the parameter, never a database error. */
export const uuidParam = (name = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () => new DomainError('VALIDATION_FAILED', `${name} must be a UUID.`, { errors: [{ field: name, message: `${name} must be a UUID` }] }),
  });
