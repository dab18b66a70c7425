import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../../../../libs/domain';
import type { ProblemDetails } from '../../../../libs/http-contract';
import { JsonLogger } from '../../../../libs/logging';
import { httpStatusFor, problemType } from './problem-details';
import { requestIdOf } from './request-id.middleware';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'INVALID_DECISION',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * pg-pool's error when no connection frees up within connectionTimeoutMillis: the database is
 * saturated (found by `npm run bench` at 50 simulated users). The client may try again: a 503,
 * never a 500.
 */
function isPoolExhausted(exception: unknown): boolean {
  return exception instanceof Error && exception.message === 'timeout exceeded when trying to connect';
}

function retryAfterOf(exception: unknown): number {
  const seconds = exception instanceof DomainError ? exception.details?.retryAfterSeconds : undefined;
  return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : 5;
}

/**
 * The database went away under the request (restarting, connection lost, shutting down): the
 * client may retry, so a 503 rather than a 500. PostgreSQL classes 08 (connection exception),
 * 57P01-57P03 (shutdown, cannot connect now) and 53300 (too many connections).
 */
export function isDatabaseUnavailable(exception: unknown): boolean {
  for (let e: unknown = exception, depth = 0; e && depth < 4; e = (e as { cause?: unknown; driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause, depth += 1) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300' || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))) return true;
    if (typeof message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|unexpected postmaster exit|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i.test(message)) return true;
  }
  return false;
}

/** Turns every error into application/problem+json; internals never leave the process. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly log = new JsonLogger('ProblemDetailsFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, requestIdOf(request));
    if (isPoolExhausted(exception)) this.log.warn('database pool exhausted', { method: request.method, path: request.path });
    if (problem.status >= 500 && problem.status !== 503) {
      this.log.error('unhandled error', {
        method: request.method,
        path: request.path,
        error: exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : String(exception),
      });
    }
    if (response.headersSent) return;
    if (problem.status === 503 || problem.status === 429) response.setHeader('Retry-After', String(retryAfterOf(exception)));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, correlationId: string): ProblemDetails {
    if (exception instanceof DomainError) {
      const { status, title } = httpStatusFor(exception.code);
      return {
        type: problemType(exception.code),
        title,
        status,
        detail: exception.message,
        code: exception.code,
        ...(exception.errors?.length ? { errors: exception.errors } : {}),
        correlationId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : exception.message;
      const detail = status === 404 && /^Cannot /.test(String(message)) ? 'No such endpoint.' : String(Array.isArray(message) ? message.join('; ') : message);
      return { type: problemType(code), title: exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'), status, detail, code, correlationId };
    }
    if (isDatabaseUnavailable(exception) || isPoolExhausted(exception)) {
      return {
        type: problemType('SERVICE_UNAVAILABLE'),
        title: 'Service Unavailable',
        status: 503,
        detail: isPoolExhausted(exception) ? 'The service is too busy to answer now; try again shortly.' : 'The database is not answering; try again shortly.',
        code: 'SERVICE_UNAVAILABLE',
        correlationId,
      };
    }
    return {
      type: problemType('INTERNAL'),
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
      code: 'INTERNAL',
      correlationId,
    };
  }
}
