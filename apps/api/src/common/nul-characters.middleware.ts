import type { NextFunction, Request, Response } from 'express';
import { DomainError, type FieldError } from '../../../../libs/domain';

/** Where in a parsed body or query a string holds a NUL character (dotted path, indexes). */
function nulPaths(value: unknown, path: string, out: FieldError[]): void {
  if (out.length >= 20) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ field: path || 'body', message: `${path || 'body'} must not contain NUL characters` });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) out.push({ field: path || 'body', message: 'field names must not contain NUL characters' });
      nulPaths(item, path ? `${path}.${key}` : key, out);
    }
  }
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a client could otherwise turn a NUL in any
 * string into a database error. Refused here, for every route, as a 400 naming the field.
 */
export function nulCharactersMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const problems: FieldError[] = [];
  nulPaths(req.query, '', problems);
  nulPaths(req.body, '', problems);
  if (decodeURIComponentSafe(req.path).includes('\u0000')) problems.push({ field: 'path', message: 'the path must not contain NUL characters' });
  if (problems.length) next(new DomainError('VALIDATION_FAILED', 'The request contains NUL characters.', { errors: problems }));
  else next();
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
