import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DomainError } from '../../../../libs/domain';
import { canonicalJson, contentHash, IdempotencyRepository } from '../../../../libs/persistence';
import type { AuthenticatedRequest } from '../auth/auth.decorators';

const KEY_FORMAT = /^[A-Za-z0-9._:-]{1,200}$/;

export interface IdempotentRequest {
  key: string;
  /** An earlier request with this key was cut off before it answered (its process died), or the engine did not confirm it. */
  resumed: boolean;
}
const claimed = new WeakMap<object, IdempotentRequest>();

/** The Idempotency-Key this request runs under, once the interceptor has claimed it. */
export function idempotencyOf(request: object): IdempotentRequest | null {
  return claimed.get(request) ?? null;
}

/**
 * `Idempotency-Key` on a POST: the first response is stored and returned again for the same
 * key and body; the same key with another body is a 409. Keys are per user and per route. A key
 * whose first request never answered (its API process died), or whose work the engine did not
 * confirm (503), is taken over by the next one.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IdempotencyRepository) private readonly keys: IdempotencyRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.header('idempotency-key');
    if (key === undefined || !request.actor) return next.handle();
    return from(this.handle(request, response, key, next));
  }

  private async handle(request: AuthenticatedRequest, response: Response, key: string, next: CallHandler): Promise<unknown> {
    if (!KEY_FORMAT.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1-200 letters, digits, dots, dashes, colons or underscores.', {
        errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key has an invalid format' }],
      });
    }
    const userId = (request.actor as { id: string }).id;
    const scope = `${request.method} ${request.route?.path ?? request.path} ${canonicalJson(request.params)}`;
    const hash = contentHash(request.body ?? null);
    const claim = await this.keys.claim(userId, scope, key, hash);
    switch (claim.state) {
      case 'mismatch':
        throw new DomainError('CONFLICT', 'This Idempotency-Key was used with a different request body.');
      case 'in-progress':
        throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      case 'replay':
        response.status(claim.statusCode);
        response.setHeader('Idempotent-Replayed', 'true');
        return claim.response;
      case 'new':
      case 'resumed':
        claimed.set(request, { key, resumed: claim.state === 'resumed' });
        try {
          const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
          await this.keys.complete(userId, scope, key, response.statusCode, body);
          return body;
        } catch (error) {
          // Not confirmed is not failed: a start the engine made but never answered is found by
          // the retry under this key, which resumes the claim and answers as the first would have.
          if (error instanceof DomainError && error.code === 'ENGINE_UNAVAILABLE') await this.keys.abandon(userId, scope, key);
          else await this.keys.release(userId, scope, key);
          throw error;
        }
    }
  }
}
