import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RecordsRepository, type ChainVerification } from '../../../../libs/persistence';
import { Roles } from '../auth/auth.decorators';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(RecordsRepository) private readonly records: RecordsRepository) {}

  @Get('verify')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Recompute every hash of the whole decision log' })
  @ApiOkResponse({ schema: { example: { ok: true, records: 1234, firstBadSeq: null } } })
  verify(): Promise<ChainVerification> {
    return this.records.verifyAll();
  }
}
