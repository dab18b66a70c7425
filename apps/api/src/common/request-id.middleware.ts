import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../../../../libs/logging';

const HEADER = 'x-request-id';
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;
const KEY = Symbol('requestId');

type WithRequestId = Request & { [KEY]?: string };

/** Accepts a caller's well-formed X-Request-Id or makes one, echoes it, and scopes logs to it. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.header(HEADER);
  const requestId = given && ACCEPTABLE.test(given) ? given : randomUUID();
  (req as WithRequestId)[KEY] = requestId;
  res.setHeader('X-Request-Id', requestId);
  requestContext.run({ requestId }, next);
}

export function requestIdOf(req: Request): string {
  return (req as WithRequestId)[KEY] ?? randomUUID();
}
