import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../../../../libs/auth';
import { DomainError } from '../../../../libs/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { requestIdOf } from '../common/request-id.middleware';
import { CreateProposalDto, ListProposalsQuery, UpdateProposalDto } from './proposal.dto';
import { ProposalsService } from './proposals.service';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('VALIDATION_FAILED', 'id must be a UUID.', { errors: [{ field: 'id', message: 'id must be a UUID' }] }),
});

@ApiTags('proposals')
@ApiBearerAuth()
@Controller('proposals')
export class ProposalsController {
  constructor(@Inject(ProposalsService) private readonly proposals: ProposalsService) {}

  @Post()
  @Roles('agency_submitter')
  @ApiOperation({ summary: 'Create a draft for the caller’s agency' })
  @ApiCreatedResponse({ description: 'The draft, with its tier, reasons and applicable standards as the data implies' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateProposalDto) {
    return this.proposals.create(actor, body);
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
  @ApiOperation({ summary: 'Freeze the draft as version 1 and start its evaluation' })
  @ApiAcceptedResponse({ schema: { example: { id: 'uuid', status: 'SUBMITTED', workflowId: 'proposal-uuid' } } })
  @ApiConflictResponse({ description: 'Already submitted' })
  @ApiServiceUnavailableResponse({ description: 'The evaluation engine did not answer; nothing was recorded' })
  submit(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() req: Request) {
    return this.proposals.submit(actor, id, requestIdOf(req));
  }
}
