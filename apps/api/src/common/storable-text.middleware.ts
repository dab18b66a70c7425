import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, unstorableFields, unstorableMessage, whyUnstorable, type FieldError } from '../../../../libs/domain';

/** body-parser's `type` for a body refused by `requireUtf8Body` (bodyErrorsMiddleware answers it). */
export const BODY_NOT_UTF8 = 'entity.not.utf8';

/**
 * body-parser's `verify` hook: a JSON body whose bytes are not UTF-8 (such as the three bytes a
 * lone surrogate would have) is refused instead of being decoded with U+FFFD in their place.
 */
export function requireUtf8Body(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() === 'utf-8' && !isUtf8(body)) throw Object.assign(new Error('The request body is not UTF-8.'), { type: BODY_NOT_UTF8 });
}

/** A malformed escape stands for itself, as Node's query parser reads it; bytes that are not UTF-8 fail. */
function decodesAsUtf8(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ').replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return null;
  }
}

/**
 * Express's query parser turns percent-escapes that are not UTF-8 (`%ED%A0%80`, the bytes of a
 * lone surrogate) into U+FFFD, so what the client sent is checked in the raw query string.
 */
function nonUtf8QueryFields(url: string): FieldError[] {
  const start = url.indexOf('?');
  if (start < 0) return [];
  const problems: FieldError[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    const [rawName, ...rawValue] = pair.split('=');
    const name = decodesAsUtf8(rawName);
    if (name === null) problems.push({ field: 'query', message: 'query parameter names must be percent-encoded UTF-8' });
    else if (decodesAsUtf8(rawValue.join('=')) === null) problems.push({ field: name, message: `${name} must be percent-encoded UTF-8` });
  }
  return problems;
}

/** Express decodes path parameters with decodeURIComponent; a segment it cannot decode is a 400 here. */
function pathProblems(path: string): FieldError[] {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return [{ field: 'path', message: 'the path must be percent-encoded UTF-8' }];
    }
    const reason = whyUnstorable(decoded);
    if (reason) return [{ field: 'path', message: unstorableMessage('the path', reason) }];
  }
  return [];
}

/**
 * Nothing a client sends may reach PostgreSQL unstorable (see libs/domain text.rules): the query,
 * the JSON body at any depth (keys too) and the path are checked here, for every route, before
 * authentication, and refused with a 400 naming each field. Headers need no check here: Node reads
 * them as Latin-1 and refuses NUL, and the two whose values are kept are checked where they are
 * read (the Idempotency-Key's format, the claims of an identity provider's token).
 */
export function storableTextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const problems = [...nonUtf8QueryFields(req.originalUrl), ...unstorableFields(req.query, 'query'), ...unstorableFields(req.body, 'body'), ...pathProblems(req.path)];
  if (problems.length) next(new DomainError('VALIDATION_FAILED', 'The request holds text that cannot be stored.', { errors: problems }));
  else next();
}
