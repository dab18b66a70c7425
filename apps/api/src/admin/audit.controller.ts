import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { ROLE_ACCESS, type Actor } from '../../../../libs/domain';
import type { AuditPublicKeysView, ChainVerificationReport, CheckpointPage, VerificationJobPage, VerificationJobStarted, VerificationJobView } from '../../../../libs/http-contract';
import { CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { HeavyRead } from '../common/heavy-read';
import { ApiProblems, ApiUuidParam } from '../common/api-problems';
import { AuditPublicKeysDto, AuditRecordPageDto, ChainVerificationReportDto, CheckpointPageDto, VerificationJobDto, VerificationJobPageDto, VerificationJobStartedDto } from '../common/api-views';
import { streamedDownload } from '../common/streamed-download';
import { uuidParam } from '../common/uuid-param';
import { PageQuery } from './admin.dto';
import { AuditRecordsQuery, SeqRangeQuery, VerifyQuery } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('verify')
  @HeavyRead()
  @Roles(...ROLE_ACCESS.verifyRecord)
  @ApiOperation({
    summary: 'Verify the decision log from its latest good checkpoint; ?full=true re-hashes everything as a job',
    description:
      'Without `full`, re-hashes the records after the latest checkpoint whose signature verifies and whose hash equals the stored record (`from`, `checkpoint`); a checkpoint that fails either is listed in `problems` and makes `ok` false. With `full=true`, answers 202 with the job and its Location (GET /audit/verifications/:id).',
  })
  @ApiExtraModels(ChainVerificationReportDto, VerificationJobStartedDto)
  @ApiOkResponse({ type: ChainVerificationReportDto })
  @ApiAcceptedResponse({ schema: { $ref: getSchemaPath(VerificationJobStartedDto) }, description: 'The full verification started; Location names the job', headers: { Location: { schema: { type: 'string' } } } })
  @ApiProblems(400, 401, 403, 503)
  async verify(@Query() query: VerifyQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<ChainVerificationReport | VerificationJobStarted> {
    if (query.full !== 'true') return this.audit.verifyFast();
    const started = await this.audit.startFullVerification(actor);
    res.status(202).location(`/api/v1/audit/verifications/${started.id}`);
    return started;
  }

  @Get('verifications')
  @Roles(...ROLE_ACCESS.verifyRecord)
  @ApiOperation({ summary: 'Full verifications, newest first: the nightly runs and those asked for' })
  @ApiOkResponse({ type: VerificationJobPageDto })
  @ApiProblems(400, 401, 403)
  verifications(@Query() query: PageQuery): Promise<VerificationJobPage> {
    return this.audit.verifications(query.page, query.pageSize);
  }

  @Get('verifications/:id')
  @Roles(...ROLE_ACCESS.verifyRecord)
  @ApiUuidParam()
  @ApiOperation({ summary: 'Progress and result of a full verification' })
  @ApiOkResponse({ type: VerificationJobDto })
  @ApiProblems(400, 401, 403, 404)
  verification(@Param('id', uuidParam()) id: string): Promise<VerificationJobView> {
    return this.audit.verification(id);
  }

  @Get('checkpoints')
  @Roles(...ROLE_ACCESS.readAuditLog)
  @ApiOperation({ summary: 'Signed checkpoints of the decision log, newest first' })
  @ApiOkResponse({ type: CheckpointPageDto })
  @ApiProblems(400, 401, 403)
  checkpoints(@Query() query: PageQuery): Promise<CheckpointPage> {
    return this.audit.checkpoints(query.page, query.pageSize);
  }

  @Get('records')
  @HeavyRead()
  @Roles(...ROLE_ACCESS.readAuditLog)
  @ApiOperation({ summary: 'Records of the decision log of every kind, in seq order, by type and seq range' })
  @ApiOkResponse({ type: AuditRecordPageDto })
  @ApiProblems(400, 401, 403)
  records(@Query() query: AuditRecordsQuery): Promise<AuditRecordPageDto> {
    return this.audit.listRecords({ type: query.type, fromSeq: query.from, toSeq: query.to }, query.page, query.pageSize);
  }

  @Get('export')
  @HeavyRead()
  @Roles(...ROLE_ACCESS.readAuditLog)
  @ApiProduces('application/x-ndjson')
  @ApiOperation({
    summary: 'The decision log as NDJSON, one record a line (seq, at, proposalId, actor, type, data, prevHash, hash), streamed',
    description: 'For `npm run audit:verify` with the checkpoints and the public keys. `from`/`to` bound the seq (inclusive).',
  })
  @ApiOkResponse({ description: 'application/x-ndjson attachment', schema: { type: 'string' } })
  @ApiProblems(400, 401, 403)
  export(@Query() query: SeqRangeQuery): Promise<StreamableFile> {
    return streamedDownload(this.audit.exportLines(query.from ?? 1, query.to ?? null), 'application/x-ndjson', 'decision-log.ndjson');
  }
}

/** The public keys are public: anyone may verify a checkpoint, so the document names no token for them. */
@ApiTags('oversight')
@Controller('audit')
export class AuditPublicKeyController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Public()
  @Get('public-key')
  @ApiOperation({ summary: 'The public keys that sign checkpoints: the current one and every earlier one (PEM, with their ids)' })
  @ApiOkResponse({ type: AuditPublicKeysDto })
  publicKey(): Promise<AuditPublicKeysView> {
    return this.audit.publicKeys();
  }
}
