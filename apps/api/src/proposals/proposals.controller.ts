import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../../../../libs/auth';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { idempotencyOf, IdempotencyInterceptor } from '../common/idempotency.interceptor';
import { requestIdOf } from '../common/request-id.middleware';
import { uuidParam } from '../common/uuid-param';
import { CreateProposalDto, ListProposalsQuery, RespondDto, UpdateProposalDto, WithdrawDto } from './proposal.dto';
import { ProposalsService } from './proposals.service';

const uuid = uuidParam();

@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class ProposalsController {
  constructor(@Inject(ProposalsService) private readonly proposals: ProposalsService) {}

  @Post()
  @Roles('agency_submitter')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The same key again returns the first response; with another body, 409' })
  @ApiOperation({ summary: 'Create a draft for the caller’s agency' })
  @ApiCreatedResponse({ description: 'The draft, with its tier, reasons and applicable standards as the data implies' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateProposalDto, @Req() req: Request) {
    return this.proposals.create(actor, body, idempotencyOf(req)?.key);
  }

  @Get()
  @ApiOperation({ summary: 'Proposals the caller may see, newest first' })
  @ApiOkResponse({ description: '{ items, total, page, pageSize }' })
  list(@CurrentActor() actor: Actor, @Query() query: ListProposalsQuery) {
    return this.proposals.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One proposal with its status, stages, tier, route and figures' })
  @ApiNotFoundResponse({ description: 'Missing, or another agency’s' })
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.proposals.get(actor, id);
  }

  @Patch(':id')
  @Roles('agency_submitter')
  @ApiOperation({ summary: 'Change a draft' })
  @ApiConflictResponse({ description: 'No longer a draft' })
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: UpdateProposalDto) {
    return this.proposals.update(actor, id, body);
  }

  @Post(':id/submit')
  @HttpCode(202)
  @Roles('agency_submitter')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The same key again returns the first response' })
  @ApiOperation({ summary: 'Freeze the draft as version 1 and start its evaluation' })
  @ApiAcceptedResponse({ schema: { example: { id: 'uuid', status: 'SUBMITTED', workflowId: 'proposal-uuid' } } })
  @ApiConflictResponse({ description: 'Already submitted' })
  @ApiServiceUnavailableResponse({ description: 'The evaluation engine did not answer; nothing was recorded' })
  submit(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() req: Request) {
    return this.proposals.submit(actor, id, requestIdOf(req), idempotencyOf(req)?.resumed ?? false);
  }

  @Post(':id/respond')
  @HttpCode(202)
  @Roles('agency_submitter')
  @ApiOperation({ summary: 'Answer a screening return or a change request with a new version' })
  @ApiAcceptedResponse({ schema: { example: { id: 'uuid', status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW'] } } })
  @ApiConflictResponse({ description: 'No answer is awaited' })
  respond(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: RespondDto, @Req() req: Request) {
    return this.proposals.respond(actor, id, body, requestIdOf(req));
  }

  @Post(':id/withdraw')
  @HttpCode(202)
  @Roles('agency_submitter')
  @ApiOperation({ summary: 'Withdraw the proposal, any time before the outcome' })
  @ApiAcceptedResponse({ schema: { example: { id: 'uuid', status: 'WITHDRAWN', stages: [] } } })
  @ApiConflictResponse({ description: 'The evaluation has ended' })
  withdraw(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: WithdrawDto, @Req() req: Request) {
    return this.proposals.withdraw(actor, id, body, requestIdOf(req));
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'The proposal’s records in the hash-chained log, oldest first' })
  @ApiOkResponse({ description: '{ items: [{ seq, at, actor, type, data, prevHash, hash }] }' })
  history(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.proposals.history(actor, id);
  }
}
