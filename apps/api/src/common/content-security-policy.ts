import type { NextFunction, Request, Response } from 'express';

type Directives = Record<string, string[]>;

/**
 * The web interface's policy (apps/web): every script and style is a file from this origin, no
 * inline code, no style attributes, no plugins, no framing, no <base>; the pages talk only to
 * this origin. The favicon is an empty data: URL.
 */
export const WEB_POLICY: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

/**
 * Swagger UI's pages (/docs, /api/v1/docs): the same, except that styles may be inline, because
 * the page @nestjs/swagger renders carries <style> blocks and a style attribute. Scripts stay
 * strict: Swagger UI's are files too (swagger-ui-init.js).
 */
export const DOCS_POLICY: Directives = { ...WEB_POLICY, 'style-src': ["'self'", "'unsafe-inline'"] };

export function policyHeader(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

const WEB_HEADER = policyHeader(WEB_POLICY);
const DOCS_HEADER = policyHeader(DOCS_POLICY);
const DOCS_PATH = /^\/(api\/v1\/)?docs(\/|$)/;

/** Sets Content-Security-Policy on every response: the docs' policy under the docs, the web's elsewhere. */
export function contentSecurityPolicyMiddleware(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', DOCS_PATH.test(req.path) ? DOCS_HEADER : WEB_HEADER);
  next();
}
