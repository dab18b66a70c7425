import { Controller, Get, Inject, Query, type StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ROLE_ACCESS, type Actor } from '../../../../libs/domain';
import type { OutcomePage, OutcomeRow } from '../../../../libs/http-contract';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems';
import { HeavyRead } from '../common/heavy-read';
import { ListOutcomesQuery, OutcomeFiltersQuery } from './oversight.dto';
import { OversightService } from './oversight.service';

const OUTCOME_EXAMPLE = {
  proposalId: 'uuid',
  title: 'Hospital appointments online',
  agencyCode: 'MINSAL',
  tier: 'MEDIUM',
  outcome: 'APPROVED_WITH_CONDITIONS',
  requestedAmount: 180000000,
  approvedAmount: 170000000,
  decidedAt: '2026-03-02T15:04:05.000Z',
  submittedAt: '2026-02-02T12:00:00.000Z',
  cycleDays: 28.1,
  conditions: [{ text: 'Security sign-off before go-live', standardCode: 'SEC-02', dueDate: '2026-06-30', source: 'TECHNICAL_REVIEW' }],
  catalogueVersion: '2026.1',
  policyVersion: '2026.1',
} satisfies OutcomeRow;

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('outcomes')
export class OutcomesController {
  constructor(@Inject(OversightService) private readonly oversight: OversightService) {}

  @Get()
  @Roles(...ROLE_ACCESS.readOutcomes)
  @ApiOperation({ summary: 'Closed evaluations, newest decided first; an agency sees its own' })
  @ApiOkResponse({ schema: { example: { items: [OUTCOME_EXAMPLE], total: 1, page: 1, pageSize: 20 } } })
  @ApiProblems(400, 401, { 403: 'Technical reviewers (without another oversight role)' })
  list(@CurrentActor() actor: Actor, @Query() query: ListOutcomesQuery): Promise<OutcomePage> {
    return this.oversight.listOutcomes(actor, query);
  }

  @Get('export.csv')
  @HeavyRead()
  @Roles(...ROLE_ACCESS.readOutcomes)
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same outcomes as CSV (RFC 4180), one row per outcome, streamed' })
  @ApiOkResponse({ description: 'text/csv; charset=utf-8 attachment', schema: { type: 'string' } })
  @ApiProblems(400, 401, { 403: 'Technical reviewers (without another oversight role)' })
  exportCsv(@CurrentActor() actor: Actor, @Query() query: OutcomeFiltersQuery): Promise<StreamableFile> {
    return this.oversight.outcomesCsv(actor, query);
  }

  @Get('verdicts.csv')
  @HeavyRead()
  @Roles(...ROLE_ACCESS.readOutcomes)
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'One CSV row per standard verdict of the opinions in force of those outcomes' })
  @ApiOkResponse({ description: 'text/csv; charset=utf-8 attachment', schema: { type: 'string' } })
  @ApiProblems(400, 401, { 403: 'Technical reviewers (without another oversight role)' })
  verdictsCsv(@CurrentActor() actor: Actor, @Query() query: OutcomeFiltersQuery): Promise<StreamableFile> {
    return this.oversight.verdictsCsv(actor, query);
  }
}
