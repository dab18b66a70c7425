import { Inject, Injectable } from '@nestjs/common';
import { applicableStandards, computeMetrics, computeTier, metricsOptionsFromPolicy, type Tier } from '../../../../libs/domain';
import type { ProposalSummaryView, ProposalView } from '../../../../libs/http-contract';
import { TasksRepository, type ProposalEntity, type ProposalSummaryRow } from '../../../../libs/persistence';
import { toTaskView } from '../tasks/task.view';
import { ReferenceDataService } from '../reference/reference-data.service';

/**
 * Shapes what clients read. While drafting, tier, reasons, applicable standards and figures
 * are a pure function of the data under the current catalogue and policy; once submitted,
 * the pinned versions apply and triage's stored result wins.
 */
@Injectable()
export class ProposalViewBuilder {
  constructor(
    @Inject(ReferenceDataService) private readonly reference: ReferenceDataService,
    @Inject(TasksRepository) private readonly tasks: TasksRepository,
  ) {}

  summary(p: ProposalSummaryRow): ProposalSummaryView {
    return {
      id: p.id,
      agencyCode: p.agencyCode,
      title: p.title,
      status: p.status,
      stages: p.stages,
      tier: p.tier,
      requestedAmount: p.requestedAmount,
      currentVersion: p.currentVersion,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      submittedAt: p.submittedAt?.toISOString() ?? null,
    };
  }

  async full(p: ProposalEntity): Promise<ProposalView> {
    const [catalogue, policy, openTasks] = await Promise.all([
      p.catalogueVersion ? this.reference.catalogue(p.catalogueVersion) : this.reference.currentCatalogue(),
      p.policyVersion ? this.reference.policy(p.policyVersion) : this.reference.currentPolicy(),
      p.status === 'DRAFT' ? Promise.resolve([]) : this.tasks.openForProposal(p.id),
    ]);
    const computed = computeTier(p.data, policy);
    // While the agency holds the pen (drafting, or answering a screening return) the tier is what
    // the current data implies; once triaged, the evaluation's own record of it.
    const live = p.status === 'DRAFT' || p.status === 'RETURNED' || p.tier === null;
    const tier = live ? computed.tier : (p.tier as Tier);
    const { title: _title, ...fields } = p.data;
    return {
      ...fields,
      ...this.summary(p),
      tier,
      tierReasons: live ? computed.reasons : (p.tierReasons ?? computed.reasons),
      route: p.route,
      applicableStandards: applicableStandards(p.data, tier, catalogue).map((s) => ({
        code: s.code,
        area: s.area,
        title: s.title,
        mandatory: s.mandatory,
      })),
      catalogueVersion: catalogue.version,
      policyVersion: policy.version,
      workflowId: p.workflowId,
      screeningIssues: p.screeningIssues ?? [],
      openTasks: openTasks.map(toTaskView),
      // Stored as the evaluation (or the withdrawal of a draft) wrote it; the entity types the jsonb loosely.
      outcome: p.outcome as ProposalView['outcome'],
      metrics: computeMetrics(p.data, metricsOptionsFromPolicy(policy)),
    };
  }
}
