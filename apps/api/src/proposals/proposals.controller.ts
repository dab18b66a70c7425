import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ROLE_ACCESS, type Actor } from '../../../../libs/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { idempotencyOf, IdempotencyInterceptor } from '../common/idempotency.interceptor';
import { requestIdOf } from '../common/request-id.middleware';
import { ApiProblems, ApiUuidParam } from '../common/api-problems';
import { HistoryDto, ProposalDto, ProposalPageDto, ProposalStatusResultDto, SubmitResultDto } from '../common/api-views';
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
  @Roles(...ROLE_ACCESS.authorProposals)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,200}$' }, description: 'The same key again returns the first response; with another body, 409' })
  @ApiOperation({ summary: 'Create a draft for the caller’s agency' })
  @ApiCreatedResponse({ type: ProposalDto, description: 'The draft, with its tier, reasons and applicable standards as the data implies' })
  @ApiProblems(400, 401, 403, { 409: 'The Idempotency-Key was used with another body' }, 413)
  create(@CurrentActor() actor: Actor, @Body() body: CreateProposalDto, @Req() req: Request) {
    return this.proposals.create(actor, body, idempotencyOf(req)?.key);
  }

  @Get()
  @ApiOperation({ summary: 'Proposals the caller may see, newest first' })
  @ApiOkResponse({ type: ProposalPageDto })
  @ApiProblems(400, 401)
  list(@CurrentActor() actor: Actor, @Query() query: ListProposalsQuery) {
    return this.proposals.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One proposal with its status, stages, tier, route and figures' })
  @ApiOkResponse({ type: ProposalDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.proposals.get(actor, id);
  }

  @Patch(':id')
  @Roles(...ROLE_ACCESS.authorProposals)
  @ApiOperation({ summary: 'Change a draft' })
  @ApiBody({ type: UpdateProposalDto, required: false, description: 'Only the fields that change; none changes nothing' })
  @ApiOkResponse({ type: ProposalDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, { 409: 'No longer a draft' }, 413)
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: UpdateProposalDto) {
    return this.proposals.update(actor, id, body);
  }

  @Post(':id/submit')
  @HttpCode(202)
  @Roles(...ROLE_ACCESS.authorProposals)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,200}$' }, description: 'The same key again returns the first response' })
  @ApiOperation({ summary: 'Freeze the draft as version 1 and start its evaluation' })
  @ApiAcceptedResponse({ type: SubmitResultDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, { 409: 'Already submitted, or the Idempotency-Key was used for another proposal' }, 503)
  submit(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() req: Request) {
    return this.proposals.submit(actor, id, requestIdOf(req), idempotencyOf(req)?.resumed ?? false);
  }

  @Post(':id/respond')
  @HttpCode(202)
  @Roles(...ROLE_ACCESS.authorProposals)
  @ApiOperation({ summary: 'Answer a screening return or a change request with a new version' })
  @ApiAcceptedResponse({ type: ProposalStatusResultDto, description: 'The status once the evaluation took the answer' })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, { 409: 'No answer is awaited' }, 413, 503)
  respond(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: RespondDto, @Req() req: Request) {
    return this.proposals.respond(actor, id, body, requestIdOf(req));
  }

  @Post(':id/withdraw')
  @HttpCode(202)
  @Roles(...ROLE_ACCESS.authorProposals)
  @ApiOperation({ summary: 'Withdraw the proposal, any time before the outcome' })
  @ApiAcceptedResponse({ type: ProposalStatusResultDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 403, 404, { 409: 'The evaluation has ended' }, 413, 503)
  withdraw(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: WithdrawDto, @Req() req: Request) {
    return this.proposals.withdraw(actor, id, body, requestIdOf(req));
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'The proposal’s records in the hash-chained log, oldest first' })
  @ApiOkResponse({ type: HistoryDto })
  @ApiUuidParam()
  @ApiProblems(400, 401, 404)
  history(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.proposals.history(actor, id);
  }
}
