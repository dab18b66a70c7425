import type { NextFunction, Request, Response } from 'express';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ProblemDetails } from '../../../../libs/http-contract';
import { problemType } from './problem-details';
import { requestIdOf } from './request-id.middleware';

/** A piece of the document, walked without its types. */
type Schema = Record<string, unknown>;
const asSchema = (value: unknown): Schema | undefined => (value && typeof value === 'object' ? (value as Schema) : undefined);

/**
 * The validation pipe refuses unknown fields (forbidNonWhitelisted), so every object schema a
 * request body refers to, however deep, is closed: `additionalProperties: false` unless it says
 * otherwise. Response schemas stay open.
 */
export function closeRequestBodySchemas(document: OpenAPIObject): void {
  const components = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const closed = new Set<string>();
  const visit = (schema: Schema | undefined): void => {
    if (!schema) return;
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.split('/').pop() as string;
      if (!closed.has(name)) {
        closed.add(name);
        visit(components[name]);
      }
      return;
    }
    if ((schema.type === 'object' || schema.properties) && schema.additionalProperties === undefined) schema.additionalProperties = false;
    for (const property of Object.values(asSchema(schema.properties) ?? {})) visit(asSchema(property));
    visit(asSchema(schema.items));
    for (const key of ['oneOf', 'anyOf', 'allOf']) for (const part of (schema[key] as unknown[] | undefined) ?? []) visit(asSchema(part));
  };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, unknown>)) {
      const body = asSchema(asSchema(operation)?.requestBody);
      visit(asSchema(asSchema(asSchema(body?.content)?.['application/json'])?.schema));
    }
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * A method the document does not list for a path it does list is a 405 with an Allow header
 * naming the methods it does (HEAD wherever GET is); an unknown path stays a 404.
 */
export function methodNotAllowedMiddleware(document: OpenAPIObject) {
  const routes = Object.entries(document.paths).map(([template, operations]) => {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+');
    const methods = Object.keys(operations).filter((m) => METHODS.includes(m)).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    return { regex: new RegExp(`^${pattern}/?$`), methods };
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'OPTIONS') return next(); // CORS preflight, when CORS is on
    const matching = routes.filter((r) => r.regex.test(req.path));
    if (matching.length === 0 || matching.some((r) => r.methods.includes(req.method))) return next();
    const allowed = [...new Set(matching.flatMap((r) => r.methods))];
    const problem: ProblemDetails = {
      type: problemType('METHOD_NOT_ALLOWED'),
      title: 'Method Not Allowed',
      status: 405,
      detail: `${req.method} is not allowed here; use ${allowed.join(', ')}.`,
      code: 'METHOD_NOT_ALLOWED',
      correlationId: requestIdOf(req),
    };
    res.setHeader('Allow', allowed.join(', '));
    res.status(405).type('application/problem+json').send(JSON.stringify(problem));
  };
}
