import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { DomainError, type FieldError } from '../../../../libs/domain';

/**
 * Optional, but not nullable: an absent field is left alone, and `null` is validated (and refused)
 * like any other value. @IsOptional() lets null through, where the OpenAPI document says the
 * field is a string or a boolean, to the database or the record.
 */
export const IsPresent = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);

/** Flattens class-validator's tree into `costs[0].amount` style paths, one entry per bad field. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const isIndex = /^\d+$/.test(error.property);
    const path = parent === '' ? error.property : isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length) {
      // Unknown fields are reported by whitelisting as "property x should not exist".
      const message = error.constraints?.whitelistValidation ? `${path} is not a known field` : messages.join('; ');
      out.push({ field: path, message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new DomainError('VALIDATION_FAILED', `The request has ${fields.length} invalid field(s).`, { errors: fields });
    },
  });
}
