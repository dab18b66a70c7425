import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RecordsRepository } from '../../../../libs/persistence';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems';
import { ChainVerificationDto } from '../common/api-views';
import { HeavyRead } from '../common/heavy-read';
import { ROLE_ACCESS } from '../../../../libs/domain';
import type { ChainVerification } from '../../../../libs/http-contract';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(RecordsRepository) private readonly records: RecordsRepository) {}

  @Get('verify')
  @HeavyRead()
  @Roles(...ROLE_ACCESS.verifyRecord)
  @ApiOperation({ summary: 'Recompute every hash of the whole decision log' })
  @ApiOkResponse({ type: ChainVerificationDto })
  @ApiProblems(401, 403)
  verify(): Promise<ChainVerification> {
    return this.records.verifyAll();
  }
}
