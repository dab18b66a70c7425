import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ROLE_ACCESS, type Actor } from '../../../../libs/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems, ApiUuidParam } from '../common/api-problems';
import { DecisionResultDto, TaskDetailDto, TaskPageDto, TaskViewDto } from '../common/api-views';
import { requestIdOf } from '../common/request-id.middleware';
import { uuidParam } from '../common/uuid-param';
import { ApprovalDecisionDto, AssignTaskDto, CostEfficiencyDecisionDto, ListTasksQuery, TechnicalDecisionDto } from './task.dto';
// DecisionBody is an interface: the global ValidationPipe then sees no class to validate the body
// against (tsc emits Object for it), and DecisionBodyPipe reads the body by the task's type.
import { DecisionBodyPipe, type DecisionBody } from './decision-body.pipe';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@ApiExtraModels(TechnicalDecisionDto, CostEfficiencyDecisionDto, ApprovalDecisionDto)
@Controller('tasks')
export class TasksController {
  constructor(@Inject(TasksService) private readonly tasks: TasksService) {}

  @Get()
  @Roles(...ROLE_ACCESS.readTasks)
  @ApiOperation({ summary: 'Tasks, earliest due first: mine, available to me, or all (oversight)' })
  @ApiOkResponse({ type: TaskPageDto })
  @ApiProblems(400, 401, { 403: 'Agencies; scope=all without an oversight role' })
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQuery) {
    return this.tasks.list(actor, query);
  }

  @Get(':id')
  @Roles(...ROLE_ACCESS.readTasks)
  @ApiOperation({ summary: 'A task with the proposal version, applicable standards, figures and earlier opinions' })
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, { 403: 'Neither eligible for it nor its holder' }, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.tasks.get(actor, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @Roles(...ROLE_ACCESS.actOnTasks)
  @ApiOperation({ summary: 'Take an open task' })
  @ApiOkResponse({ type: TaskViewDto })
  @ApiUuidParam()
  @ApiProblems(
    400,
    401,
    { 403: 'Role, agency or separation of duties forbids it' },
    404,
    { 409: 'Someone else holds it, or it is no longer open; code ALREADY_APPLIED when the caller already holds it (a retry: the claim stands)' },
    503,
  )
  claim(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Req() req: Request) {
    return this.tasks.claim(actor, id, requestIdOf(req));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles(...ROLE_ACCESS.superviseTasks)
  @ApiOperation({ summary: 'Give an open task to an eligible person' })
  @ApiOkResponse({ type: TaskViewDto })
  @ApiUuidParam()
  @ApiProblems(
    400,
    401,
    403,
    404,
    { 409: 'The task is no longer open; code ALREADY_APPLIED when that person already holds it (a retry: the assignment stands)' },
    413,
    { 422: 'That person may not take the task (for a committee seat: they hold or decided another seat of the round)' },
    503,
  )
  assign(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: AssignTaskDto, @Req() req: Request) {
    return this.tasks.assign(actor, id, body.userId, requestIdOf(req));
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles(...ROLE_ACCESS.actOnTasks)
  @ApiOperation({ summary: 'Decide a task; the body depends on the task type' })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(TechnicalDecisionDto) },
        { $ref: getSchemaPath(CostEfficiencyDecisionDto) },
        { $ref: getSchemaPath(ApprovalDecisionDto) },
      ],
    },
  })
  @ApiOkResponse({ type: DecisionResultDto, description: 'Once the decision is recorded' })
  @ApiUuidParam()
  @ApiProblems(
    400,
    401,
    { 403: 'Role, agency or separation of duties forbids it' },
    404,
    { 409: 'Not open, or held by someone else; code ALREADY_DECIDED when the caller already decided it (a retry: the decision stands)' },
    413,
    { 422: 'Missing verdicts, favourable opinion over a mandatory NOT_MET, …' },
    503,
  )
  decide(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body(DecisionBodyPipe) body: DecisionBody, @Req() req: Request) {
    return this.tasks.decide(actor, id, body, requestIdOf(req));
  }
}
