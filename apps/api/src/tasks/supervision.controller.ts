import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { uuidParam } from '../common/uuid-param';
import { SupervisionService } from './supervision.service';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller()
export class SupervisionController {
  constructor(@Inject(SupervisionService) private readonly supervision: SupervisionService) {}

  @Get('supervision/workload')
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'Open tasks held by each reviewer and approver, with overdue and escalated counts' })
  @ApiOkResponse({ description: '{ asOf, unassigned, items: [{ userId, name, email, roles, agencyCode, approvalLevel, open, overdue, escalated }] }' })
  workload() {
    return this.supervision.workload();
  }

  @Get('tasks/:id/candidates')
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'The active people an open task may be assigned to' })
  @ApiOkResponse({ description: '{ items: [{ id, name, email, agencyCode, approvalLevel, deputy }] }' })
  candidates(@Param('id', uuidParam()) id: string) {
    return this.supervision.candidates(id);
  }
}
