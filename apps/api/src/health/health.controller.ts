import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Database } from '../../../../libs/persistence';
import { EvaluationEngine } from '../../../../libs/temporal';
import type { HealthView } from '../../../../libs/http-contract';
import { Public } from '../auth/auth.decorators';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(EvaluationEngine) private readonly engine: EvaluationEngine,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness of the API and its dependencies' })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { database: 'up', temporal: 'up' } } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'error', checks: { database: 'up', temporal: 'down' } } } })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const [database, temporal] = await Promise.all([this.database.ping(), this.engine.isHealthy()]);
    const checks = { database: database ? 'up' : 'down', temporal: temporal ? 'up' : 'down' } as const;
    const ok = database && temporal;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', checks };
  }
}
