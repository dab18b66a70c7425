import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems';
import { HeavyRead } from '../common/heavy-read';
import { PortfolioQuery } from './oversight.dto';
import { OversightService } from './oversight.service';
import { ROLE_ACCESS } from '../../../../libs/domain';
import type { PortfolioFigures, PortfolioReport } from '../../../../libs/http-contract';

const FIGURES_EXAMPLE = {
  outcomes: { total: 3, APPROVED: 0, APPROVED_WITH_CONDITIONS: 1, REJECTED: 1, WITHDRAWN: 1, LAPSED: 0 },
  byAgency: [{ agencyCode: 'MINSAL', year: 2026, requested: 360000000, approved: 170000000, count: 2 }],
  approvalRate: 0.5,
  requestedTotal: 540000000,
  approvedTotal: 170000000,
  cycleDays: { p50: 12.5, p90: 19.2 },
  workingDays: { evaluation: { p50: 7.2, p90: 11.6 }, withAgency: { p50: 1.5, p90: 2.5 }, measured: 3, withinTarget: 3 },
  stageDays: {
    TECHNICAL_REVIEW: { p50: 6.1, p90: 9.8, count: 2 },
    COST_EFFICIENCY_REVIEW: { p50: 5, p90: 8.7, count: 2 },
    APPROVAL: { p50: 2.3, p90: 4.4, count: 3 },
  },
  stageWorkingDays: {
    TECHNICAL_REVIEW: { p50: 4.2, p90: 6.8, count: 2 },
    COST_EFFICIENCY_REVIEW: { p50: 3, p90: 6.1, count: 2 },
    APPROVAL: { p50: 1.6, p90: 3.1, count: 3 },
  },
  slaBreaches: { total: 1, byType: { TECHNICAL_REVIEW: 1, COST_EFFICIENCY_REVIEW: 0, APPROVAL: 0 } },
  mostNotMetStandards: [{ standardCode: 'SEC-01', count: 1 }],
  openConditions: { count: 1, items: [{ proposalId: 'uuid', title: 'Hospital appointments online', agencyCode: 'MINSAL', text: 'Security sign-off', standardCode: 'SEC-02', dueDate: '2026-06-30', source: 'TECHNICAL_REVIEW' }] },
  overdueConditions: { count: 0, items: [] },
} satisfies PortfolioFigures;

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(@Inject(OversightService) private readonly oversight: OversightService) {}

  @Get('portfolio')
  @HeavyRead()
  @Roles(...ROLE_ACCESS.readPortfolio)
  @ApiOperation({
    summary: 'Portfolio figures of a period (default: this calendar year), with a baseline period beside it when both baseline dates are given',
    description:
      'The top-level figures are the period’s; `period` and `baseline` carry the same figure set with their dates. ' +
      'Outcomes count by the day they were decided; stage durations by the day a task was completed; SLA breaches by the day an escalated task was created. ' +
      'Days are calendar days of the policy’s time zone.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        asOf: '2026-05-04',
        timeZone: 'America/Santiago',
        period: { from: '2026-01-01', to: '2026-12-31', ...FIGURES_EXAMPLE },
        baseline: null,
        ...FIGURES_EXAMPLE,
      } satisfies PortfolioReport,
    },
  })
  @ApiProblems(400, 401, { 403: 'Agencies and technical reviewers' })
  portfolio(@Query() query: PortfolioQuery): Promise<PortfolioReport> {
    return this.oversight.portfolio(query);
  }
}
