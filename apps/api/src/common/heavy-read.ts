import { applyDecorators, Injectable, UseGuards, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail, type ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import type { AppConfig } from '../../../../libs/config';
import { DomainError, type Actor } from '../../../../libs/domain';
import { Database, type RateLimitsRepository } from '../../../../libs/persistence';
import { ApiProblems } from './api-problems';

/** What the storage answers (the package does not export the type by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often, at the most, each API process sweeps the ended windows out of the table. */
const PURGE_EVERY_MS = 60_000;

/**
 * @nestjs/throttler's storage on PostgreSQL, so a limit holds across every API process: one
 * upsert-increment per request. The block lasts the rest of the window (`blockDuration` is not
 * used: a refused request is counted too, so it cannot extend the window).
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private lastPurge = 0;

  constructor(
    private readonly counters: RateLimitsRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration?: number, _throttlerName?: string): Promise<ThrottlerStorageRecord> {
    await this.purgeNowAndThen();
    const { hits, msLeft } = await this.counters.hit(key, ttl);
    const seconds = Math.max(1, Math.ceil(msLeft / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
  }

  private async purgeNowAndThen(): Promise<void> {
    if (this.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = this.now();
    await this.counters.purgeExpired();
  }
}

/**
 * The heavy reads' limit: one budget per signed-in user (the token's subject) over every heavy
 * read together, per client address for a request without one. A refusal is the API's one
 * RATE_LIMITED problem (429 with Retry-After).
 */
@Injectable()
export class HeavyReadGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request & { actor?: Actor };
    return request.actor ? `user:${request.actor.id}` : `address:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new DomainError('RATE_LIMITED', `Too many heavy reads: at most ${detail.limit} every ${Math.round(detail.ttl / 1000)} s; try again later.`, {
      details: { retryAfterSeconds: detail.timeToBlockExpire },
    });
  }
}

/** Marks a route as a heavy read (portfolio, exports, verification): limited per user, see HeavyReadGuard. */
export function HeavyRead(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(HeavyReadGuard),
    ApiProblems({ 429: 'Too many heavy reads by this user (RATE_LIMIT_HEAVY_READS); see Retry-After' }),
  );
}

/** The throttler, configured from RATE_LIMIT_HEAVY_READS, counting in PostgreSQL. */
export function heavyReadsModule(config: AppConfig): DynamicModule {
  return ThrottlerModule.forRootAsync({
    inject: [Database],
    useFactory: (database: Database) => ({
      throttlers: [{ name: 'heavy-reads', limit: config.heavyReads.limit, ttl: config.heavyReads.ttlSeconds * 1000 }],
      storage: new PostgresThrottlerStorage(database.rateLimits),
      setHeaders: false,
    }),
  });
}
