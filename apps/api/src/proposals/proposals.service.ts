import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canSeeProposal, proposalScope, type Actor } from '../../../../libs/auth';
import { DomainError, totalCostOfOwnership } from '../../../../libs/domain';
import { ProposalsRepository, type Page, type ProposalEntity } from '../../../../libs/persistence';
import { EvaluationEngine } from '../../../../libs/temporal';
import { ReferenceDataService } from '../reference/reference-data.service';
import { draftProblems, mergeDraft } from './proposal-draft';
import type { CreateProposalDto, ListProposalsQuery, UpdateProposalDto } from './proposal.dto';
import { ProposalViewBuilder, type ProposalSummaryView, type ProposalView } from './proposal.view';

export interface SubmitResult {
  id: string;
  status: string;
  workflowId: string;
}

@Injectable()
export class ProposalsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProposalsRepository) private readonly proposals: ProposalsRepository,
    @Inject(EvaluationEngine) private readonly engine: EvaluationEngine,
    @Inject(ReferenceDataService) private readonly reference: ReferenceDataService,
    @Inject(ProposalViewBuilder) private readonly views: ProposalViewBuilder,
  ) {}

  async create(actor: Actor, body: CreateProposalDto): Promise<ProposalView> {
    const data = mergeDraft(null, body);
    await this.assertDraftValid(data);
    const created = await this.proposals.createDraft({
      id: randomUUID(),
      agencyCode: actor.agencyCode,
      createdBy: actor.id,
      title: data.title,
      data,
      requestedAmount: totalCostOfOwnership(data),
    });
    return this.views.full(created);
  }

  async update(actor: Actor, id: string, body: UpdateProposalDto): Promise<ProposalView> {
    const proposal = await this.ownDraft(actor, id);
    const data = mergeDraft(proposal.data, body);
    await this.assertDraftValid(data);
    const changed = await this.proposals.updateDraft(id, { title: data.title, data, requestedAmount: totalCostOfOwnership(data) });
    if (!changed) throw new DomainError('CONFLICT', 'The proposal was submitted meanwhile; only drafts can be changed.');
    return this.views.full(await this.visible(actor, id));
  }

  /**
   * The draft row stays locked while the evaluation starts, so a concurrent edit or submit
   * waits and then sees SUBMITTED. If the engine does not answer, the transaction rolls back
   * and nothing is recorded; the workflow's first activity repeats the DRAFT -> SUBMITTED step,
   * so a crash between the start and the commit loses nothing either.
   */
  async submit(actor: Actor, id: string, requestId: string): Promise<SubmitResult> {
    await this.owned(actor, id);
    const [catalogue, policy] = await Promise.all([this.reference.currentCatalogue(), this.reference.currentPolicy()]);
    return this.dataSource.transaction(async (manager) => {
      const proposal = await this.proposals.lockForSubmit(manager, id);
      if (!proposal) throw new DomainError('NOT_FOUND', `Proposal ${id} was not found.`);
      if (proposal.status !== 'DRAFT') throw new DomainError('CONFLICT', `The proposal is ${proposal.status}; only a draft can be submitted.`);
      const { workflowId } = await this.engine.startEvaluation({
        proposalId: id,
        agencyCode: proposal.agencyCode,
        requestedAmount: proposal.requestedAmount,
        data: proposal.data,
        catalogueVersion: catalogue.version,
        policyVersion: policy.version,
        submittedBy: { id: actor.id, email: actor.email },
        requestId,
      });
      await this.proposals.markSubmitted(id, { workflowId, catalogueVersion: catalogue.version, policyVersion: policy.version }, manager);
      return { id, status: 'SUBMITTED', workflowId };
    });
  }

  async get(actor: Actor, id: string): Promise<ProposalView> {
    return this.views.full(await this.visible(actor, id));
  }

  async list(actor: Actor, query: ListProposalsQuery): Promise<Page<ProposalSummaryView> & { page: number; pageSize: number }> {
    const page = await this.proposals.list({ ...query, scopeAgencyCode: proposalScope(actor) });
    return { items: page.items.map((p) => this.views.summary(p)), total: page.total, page: query.page, pageSize: query.pageSize };
  }

  /** Another agency's proposal is reported as missing, never as forbidden, so ids cannot be probed. */
  private async visible(actor: Actor, id: string): Promise<ProposalEntity> {
    const proposal = await this.proposals.findById(id);
    if (!proposal || !canSeeProposal(actor, proposal.agencyCode)) throw new DomainError('NOT_FOUND', `Proposal ${id} was not found.`);
    return proposal;
  }

  /** Only the proposal's own agency acts on it as its author. */
  private async owned(actor: Actor, id: string): Promise<ProposalEntity> {
    const proposal = await this.visible(actor, id);
    if (proposal.agencyCode !== actor.agencyCode) {
      throw new DomainError('FORBIDDEN', `Only staff of ${proposal.agencyCode} may change or submit this proposal.`);
    }
    return proposal;
  }

  private async ownDraft(actor: Actor, id: string): Promise<ProposalEntity> {
    const proposal = await this.owned(actor, id);
    if (proposal.status !== 'DRAFT') throw new DomainError('CONFLICT', `The proposal is ${proposal.status}; only drafts can be changed.`);
    return proposal;
  }

  private async assertDraftValid(data: Parameters<typeof draftProblems>[0]): Promise<void> {
    const [catalogue, policy] = await Promise.all([this.reference.currentCatalogue(), this.reference.currentPolicy()]);
    const problems = draftProblems(data, catalogue, policy.defaultHorizonYears);
    if (problems.length) throw new DomainError('VALIDATION_FAILED', `The proposal has ${problems.length} invalid field(s).`, { errors: problems });
  }
}
