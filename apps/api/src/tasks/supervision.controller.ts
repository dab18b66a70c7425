import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ROLE_ACCESS, APPROVAL_LEVELS } from '../../../../libs/domain';
import type { CandidateView, Items, WorkloadRow, WorkloadView } from '../../../../libs/http-contract';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems, ApiUuidParam } from '../common/api-problems';
import { uuidParam } from '../common/uuid-param';
import { SupervisionService } from './supervision.service';

class WorkloadPersonDto implements WorkloadRow {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty() agencyCode: string;
  @ApiProperty({ type: String, enum: APPROVAL_LEVELS, nullable: true }) approvalLevel: string | null;
  @ApiProperty({ type: 'integer', description: 'Open tasks the person holds' }) open: number;
  @ApiProperty({ type: 'integer', description: 'Of those, past their due date' }) overdue: number;
  @ApiProperty({ type: 'integer', description: 'Of those, escalated' }) escalated: number;
}

class WorkloadDto implements WorkloadView {
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty({ type: 'integer', description: 'Open tasks nobody holds' }) unassigned: number;
  @ApiProperty({ type: [WorkloadPersonDto] }) items: WorkloadPersonDto[];
}

class CandidateDto implements CandidateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty({ type: String, enum: APPROVAL_LEVELS, nullable: true }) approvalLevel: string | null;
  @ApiProperty() deputy: boolean;
}

class CandidatesDto implements Items<CandidateView> {
  @ApiProperty({ type: [CandidateDto] }) items: CandidateDto[];
}

@ApiTags('supervision')
@ApiBearerAuth()
@Controller()
export class SupervisionController {
  constructor(@Inject(SupervisionService) private readonly supervision: SupervisionService) {}

  @Get('supervision/workload')
  @Roles(...ROLE_ACCESS.superviseTasks)
  @ApiOperation({ summary: 'Open tasks held by each reviewer and approver, with overdue and escalated counts' })
  @ApiOkResponse({ type: WorkloadDto })
  @ApiProblems(401, 403)
  workload() {
    return this.supervision.workload();
  }

  @Get('tasks/:id/candidates')
  @Roles(...ROLE_ACCESS.superviseTasks)
  @ApiOperation({ summary: 'The active people an open task may be assigned to' })
  @ApiOkResponse({ type: CandidatesDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404)
  candidates(@Param('id', uuidParam()) id: string) {
    return this.supervision.candidates(id);
  }
}
