import { type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../../../../libs/domain';

/**
 * Every request body of the API is a JSON object. The JSON parser accepts any JSON value (so
 * that `null` or `5` is not mistaken for malformed JSON, and reaches the guard, which answers 401
 * before anything looks at the body); this pipe then refuses anything but an object, naming the
 * body, before validation sees it. An absent body stays absent.
 */
export class JsonObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || value === undefined) return value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DomainError('VALIDATION_FAILED', 'The request body must be a JSON object.', { errors: [{ field: 'body', message: 'body must be a JSON object' }] });
    }
    return value;
  }
}
