import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../../../../libs/domain';
import { BODY_NOT_UTF8 } from './storable-text.middleware';

/** body-parser marks its errors with `type`; Nest would otherwise flatten them to a bare 400. */
interface BodyParserError {
  type?: unknown;
  limit?: unknown;
}

/**
 * Error middleware placed right after the body parsers: turns an unreadable or oversized body
 * into the domain errors the problem filter already knows.
 */
export function bodyErrorsMiddleware(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type = (error as BodyParserError | null)?.type;
  if (type === 'entity.too.large') {
    next(new DomainError('PAYLOAD_TOO_LARGE', 'The request body is larger than the 1 MB limit.'));
  } else if (type === BODY_NOT_UTF8) {
    next(new DomainError('VALIDATION_FAILED', 'The request body is not UTF-8 text.', { errors: [{ field: 'body', message: 'body must be UTF-8 text' }] }));
  } else if (type === 'entity.parse.failed') {
    next(new DomainError('VALIDATION_FAILED', 'The request body is not valid JSON.', { errors: [{ field: 'body', message: 'body is not valid JSON' }] }));
  } else if (typeof type === 'string' && type.startsWith('encoding.') || type === 'charset.unsupported' || type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    next(new DomainError('VALIDATION_FAILED', 'The request body could not be read.', { errors: [{ field: 'body', message: 'body could not be read' }] }));
  } else {
    next(error);
  }
}
