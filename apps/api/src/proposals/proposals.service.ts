import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { actorSnapshot, canSeeProposal, proposalScope, DomainError, isClosedStatus, totalCostOfOwnership, type Actor, type ProposalData, type RecordType } from '../../../../libs/domain';
import type { HistoryView, Page, ProposalStatusResult, ProposalSummaryView, ProposalView, SubmitResult } from '../../../../libs/http-contract';
import { canonicalJson, EvaluationLedger, ProposalsRepository, RecordsRepository, type ProposalEntity } from '../../../../libs/persistence';
import { EvaluationEngine } from '../../../../libs/temporal';
import { ReferenceDataService } from '../reference/reference-data.service';
import { draftProblems, mergeDraft } from './proposal-draft';
import type { CreateProposalDto, ListProposalsQuery, RespondDto, UpdateProposalDto, WithdrawDto } from './proposal.dto';
import { ProposalViewBuilder } from './proposal.view';

/** A UUID (version 8, RFC 9562) from the caller and their Idempotency-Key. */
export function idFromKey(userId: string, key: string): string {
  const hex = createHash('sha256').update(`proposal\n${userId}\n${key}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

@Injectable()
export class ProposalsService {
  constructor(
    @Inject(ProposalsRepository) private readonly proposals: ProposalsRepository,
    @Inject(RecordsRepository) private readonly records: RecordsRepository,
    @Inject(EvaluationLedger) private readonly ledger: EvaluationLedger,
    @Inject(EvaluationEngine) private readonly engine: EvaluationEngine,
    @Inject(ReferenceDataService) private readonly reference: ReferenceDataService,
    @Inject(ProposalViewBuilder) private readonly views: ProposalViewBuilder,
  ) {}

  /**
   * With an Idempotency-Key the draft's id derives from the caller and the key, so a retry whose
   * first attempt was cut off after the insert finds that draft instead of making a second one.
   */
  async create(actor: Actor, body: CreateProposalDto, idempotencyKey?: string): Promise<ProposalView> {
    const data = mergeDraft(null, body);
    await this.assertDraftValid(data);
    const created = await this.proposals.createDraft({
      id: idempotencyKey ? idFromKey(actor.id, idempotencyKey) : randomUUID(),
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
   * Starts the evaluation of the draft as it stands, holding no lock and no connection while
   * the engine answers. The evaluation's first step freezes version 1 from the draft as stored
   * then and marks it submitted (this does too, once the start is confirmed), so an edit that
   * lands while it starts is part of version 1, and any later edit is refused: the draft's
   * status is the version check. If the engine does not confirm the start (503), reading the
   * proposal back tells whether it happened, and a retry finds the evaluation started: one
   * workflow per proposal, so it never starts twice. Under the same Idempotency-Key (`resumed`:
   * its first attempt was not confirmed, or was cut off) the retry answers as the first would
   * have, also once the evaluation has begun; without one, while the proposal is still a draft.
   */
  async submit(actor: Actor, id: string, requestId: string, resumed = false): Promise<SubmitResult> {
    const proposal = await this.owned(actor, id);
    if (resumed && proposal.status !== 'DRAFT' && proposal.workflowId) return { id, status: 'SUBMITTED', workflowId: proposal.workflowId };
    if (proposal.status !== 'DRAFT') throw new DomainError('CONFLICT', `The proposal is ${proposal.status}; only a draft can be submitted.`);
    const [catalogue, policy] = await Promise.all([this.reference.currentCatalogue(), this.reference.currentPolicy()]);
    const pinned = { catalogueVersion: catalogue.version, policyVersion: policy.version };
    const started = await this.engine.startEvaluation({
      proposalId: id,
      agencyCode: proposal.agencyCode,
      requestedAmount: proposal.requestedAmount,
      data: proposal.data,
      ...pinned,
      submittedBy: { id: actor.id, email: actor.email },
      requestId,
    });
    // Started by an earlier attempt: its first step marks the draft submitted with its own pins.
    if (!started.alreadyStarted) await this.ledger.markSubmitted(id, { workflowId: started.workflowId, ...pinned });
    return { id, status: 'SUBMITTED', workflowId: started.workflowId };
  }

  /**
   * The agency's answer to a screening return or a change request: a new version, merged and
   * validated here, sent to the evaluation, which re-triages and resumes.
   */
  async respond(actor: Actor, id: string, body: RespondDto, requestId: string): Promise<ProposalStatusResult> {
    const proposal = await this.owned(actor, id);
    const changes = body.changes ? mergeDraft(null, body.changes) : ({} as ProposalData);
    const data = mergeDraft(proposal.data, body.changes ?? {});
    if (proposal.status !== 'RETURNED' && proposal.status !== 'CHANGES_REQUESTED') {
      if (await this.isRepeatedAnswer(actor, proposal, body.response, data)) {
        throw new DomainError('ALREADY_APPLIED', 'This answer was already received; the evaluation goes on with it.');
      }
      throw new DomainError('CONFLICT', `The proposal is ${proposal.status}; only a returned proposal or a change request is answered.`);
    }
    // The answer is checked against what the evaluation pinned at submit, as the workflow does.
    await this.assertDraftValid(data, proposal);
    const changedFields = Object.keys(changes).filter((key) => JSON.stringify(changes[key as keyof ProposalData]) !== JSON.stringify(proposal.data[key as keyof ProposalData]));
    const outcome = await this.engine.respond(id, { actor: actorSnapshot(actor), response: body.response, data, changedFields, requestId });
    return { id, status: outcome.status, stages: outcome.stages };
  }

  /** Any time before the outcome; a draft is withdrawn here, a submitted proposal by its evaluation. */
  async withdraw(actor: Actor, id: string, body: WithdrawDto, requestId: string): Promise<ProposalStatusResult> {
    const proposal = await this.owned(actor, id);
    if (proposal.status === 'DRAFT') {
      if (await this.ledger.withdrawDraft(id, actor, body.reason, requestId)) return { id, status: 'WITHDRAWN', stages: [] };
      // Submitted meanwhile: the evaluation now owns the withdrawal.
      return this.withdraw(actor, id, body, requestId);
    }
    if (proposal.status === 'WITHDRAWN') throw new DomainError('ALREADY_APPLIED', 'The proposal is already withdrawn.');
    if (proposal.closedAt || isClosedStatus(proposal.status)) {
      throw new DomainError('CONFLICT', `The proposal is ${proposal.status}; its evaluation has ended.`);
    }
    const outcome = await this.engine.withdraw(id, { actor: actorSnapshot(actor), reason: body.reason, requestId });
    return { id, status: outcome.status, stages: outcome.stages };
  }

  async history(actor: Actor, id: string): Promise<HistoryView> {
    await this.visible(actor, id);
    const records = await this.records.listForProposal(id);
    return {
      items: records.map((r) => ({ seq: r.seq, at: r.at.toISOString(), actor: r.actor, type: r.type as RecordType, data: r.data, prevHash: r.prevHash, hash: r.hash })),
    };
  }

  async get(actor: Actor, id: string): Promise<ProposalView> {
    return this.views.full(await this.visible(actor, id));
  }

  async list(actor: Actor, query: ListProposalsQuery): Promise<Page<ProposalSummaryView>> {
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

  /**
   * The agency's latest answer was this one, from this person: a retry of an answer that went
   * through (the evaluation has moved on with it). Compared canonically: the stored data comes
   * back from jsonb with its keys in the store's order, the answer's nested objects (cost lines)
   * in the client's.
   */
  private async isRepeatedAnswer(actor: Actor, proposal: ProposalEntity, response: string, data: ProposalData): Promise<boolean> {
    if (canonicalJson(data) !== canonicalJson(proposal.data)) return false;
    const answers = (await this.records.listForProposal(proposal.id)).filter((r) => r.type === 'RESPONDED');
    const last = answers[answers.length - 1];
    return !!last && last.actor === actor.email && last.data.response === response;
  }

  /** A draft against the current catalogue and policy; an answer against those its evaluation pinned. */
  private async assertDraftValid(data: Parameters<typeof draftProblems>[0], pinnedBy?: Pick<ProposalEntity, 'catalogueVersion' | 'policyVersion'>): Promise<void> {
    const [catalogue, policy] = await Promise.all([
      pinnedBy?.catalogueVersion ? this.reference.catalogue(pinnedBy.catalogueVersion) : this.reference.currentCatalogue(),
      pinnedBy?.policyVersion ? this.reference.policy(pinnedBy.policyVersion) : this.reference.currentPolicy(),
    ]);
    const problems = draftProblems(data, catalogue, policy.defaultHorizonYears);
    if (problems.length) throw new DomainError('VALIDATION_FAILED', `The proposal has ${problems.length} invalid field(s).`, { errors: problems });
  }
}
