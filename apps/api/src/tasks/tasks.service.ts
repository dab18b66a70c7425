import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { seesAllTasks, taskEligibility, type Actor } from '../../../../libs/auth';
import {
  applicableStandards,
  approvalDecisionProblems,
  computeMetrics,
  costEfficiencyStandards,
  metricsOptionsFromPolicy,
  DomainError,
  localDateOf,
  reviewDecisionProblems,
  technicalStandards,
  totalCostOfOwnership,
  type ApprovalDecision,
  type ProposalData,
  type ReviewDecision,
  type ReviewOpinion,
  type StandardDefinition,
  type Tier,
} from '../../../../libs/domain';
import { ProposalsRepository, RecordsRepository, TasksRepository, UsersRepository, type TaskEntity } from '../../../../libs/persistence';
import { EvaluationEngine } from '../../../../libs/temporal';
import { flattenValidationErrors } from '../common/validation.pipe';
import { ReferenceDataService } from '../reference/reference-data.service';
import { ApprovalDecisionDto, CostEfficiencyDecisionDto, TechnicalDecisionDto, type ListTasksQuery } from './task.dto';
import { toTaskView, type TaskView } from './task-view';

const DECISION_BODIES = {
  TECHNICAL_REVIEW: TechnicalDecisionDto,
  COST_EFFICIENCY_REVIEW: CostEfficiencyDecisionDto,
  APPROVAL: ApprovalDecisionDto,
} as const;

@Injectable()
export class TasksService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TasksRepository) private readonly tasks: TasksRepository,
    @Inject(ProposalsRepository) private readonly proposals: ProposalsRepository,
    @Inject(RecordsRepository) private readonly records: RecordsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(EvaluationEngine) private readonly engine: EvaluationEngine,
    @Inject(ReferenceDataService) private readonly reference: ReferenceDataService,
  ) {}

  async list(actor: Actor, query: ListTasksQuery) {
    if (query.scope === 'all' && !seesAllTasks(actor)) {
      throw new DomainError('FORBIDDEN', 'Only supervisors, auditors and admins list all tasks; use scope=mine or scope=available.');
    }
    const page = await this.tasks.list({
      ...query,
      escalated: query.escalated === undefined ? undefined : query.escalated === 'true',
      userId: actor.id,
      eligibility: { roles: actor.roles, approvalLevel: actor.approvalLevel, agencyCode: actor.agencyCode, excludedProposalStages: true },
    });
    return { items: page.items.map(toTaskView), total: page.total, page: query.page, pageSize: query.pageSize };
  }

  /** The task with what its actor needs: the version under review, the standards, figures, earlier opinions. */
  async get(actor: Actor, id: string) {
    const task = await this.readable(actor, id);
    const proposal = await this.proposals.findById(task.proposalId);
    const version = await this.proposals.findVersion(task.proposalId, task.version);
    if (!proposal || !version) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const { standards, policy } = await this.standardsFor(task, version.data, proposal.tier as Tier, proposal.catalogueVersion, proposal.policyVersion);
    const opinions = (await this.tasks.forProposal(task.proposalId))
      .filter((t) => t.type !== 'APPROVAL' && t.status === 'DONE' && t.id !== task.id)
      .map((t) => ({ taskId: t.id, type: t.type, version: t.version, decidedBy: t.decidedBy, completedAt: t.completedAt?.toISOString() ?? null, decision: t.decision }));
    return {
      ...toTaskView(task),
      proposal: { id: proposal.id, version: task.version, status: proposal.status, tier: proposal.tier, tierReasons: proposal.tierReasons, ...version.data },
      applicableStandards: standards.map((s) => ({ code: s.code, title: s.title, mandatory: s.mandatory })),
      selfAssessment: version.data.selfAssessment ?? [],
      metrics: computeMetrics(version.data, metricsOptionsFromPolicy(policy)),
      opinions,
      decision: task.decision,
    };
  }

  async claim(actor: Actor, id: string): Promise<TaskView> {
    const task = await this.actionable(actor, id);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.tasks.claim(id, actor.id, manager))) throw this.notClaimable(await this.tasks.findById(id, manager));
      await this.records.append(
        { proposalId: task.proposalId, actor: actor.email, type: 'TASK_CLAIMED', data: { taskId: id }, dedupeKey: `task:${id}:CLAIMED:${actor.id}` },
        manager,
      );
    });
    return toTaskView((await this.tasks.findById(id)) as TaskEntity);
  }

  async assign(actor: Actor, id: string, userId: string): Promise<TaskView> {
    const task = await this.tasks.findById(id);
    if (!task) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const assignee = await this.users.findById(userId);
    if (!assignee || assignee.disabled) {
      throw new DomainError('VALIDATION_FAILED', 'userId does not name an active user.', { errors: [{ field: 'userId', message: 'userId does not name an active user' }] });
    }
    const eligibility = taskEligibility(
      { ...assignee, roles: assignee.roles as Actor['roles'] } as Actor,
      task,
      await this.tasks.stagesDecidedBy(task.proposalId, assignee.id),
    );
    if (!eligibility.eligible) {
      throw new DomainError('INVALID_DECISION', `${assignee.email} may not take this task: ${eligibility.reason}.`, {
        errors: [{ field: 'userId', message: eligibility.reason }],
      });
    }
    if (task.status !== 'OPEN') throw new DomainError('CONFLICT', `Task ${id} is ${task.status}; only open tasks are assigned.`);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.tasks.assign(id, userId, manager))) throw new DomainError('CONFLICT', `Task ${id} is no longer open.`);
      await this.records.append(
        {
          proposalId: task.proposalId,
          actor: actor.email,
          type: 'TASK_ASSIGNED',
          data: { taskId: id, assigneeId: userId, assigneeEmail: assignee.email, previousAssigneeId: task.assigneeId },
          dedupeKey: `task:${id}:ASSIGNED:${userId}:${Date.now()}`,
        },
        manager,
      );
    });
    return toTaskView((await this.tasks.findById(id)) as TaskEntity);
  }

  /**
   * Authorization (role, agency, separation of duties: 403), then state (open, held by the
   * caller or claimable: 409), then shape (400) and meaning (422), then the Update. Deciding an
   * open, unassigned task claims it first, so two concurrent deciders cannot both get through.
   */
  async decide(actor: Actor, id: string, body: unknown, requestId: string) {
    const task = await this.actionable(actor, id);
    const decision = await this.parseDecision(task.type, body);
    const proposal = await this.proposals.findById(task.proposalId);
    const version = await this.proposals.findVersion(task.proposalId, task.version);
    if (!proposal || !version) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const problems = await this.decisionProblems(task, decision, version.data, proposal);
    if (problems.length) throw new DomainError('INVALID_DECISION', `The decision is invalid: ${problems.map((p) => p.message).join('; ')}.`, { errors: problems });

    if (!task.assigneeId) {
      const claimed = await this.dataSource.transaction(async (manager) => {
        if (!(await this.tasks.claim(id, actor.id, manager))) return false;
        await this.records.append(
          { proposalId: task.proposalId, actor: actor.email, type: 'TASK_CLAIMED', data: { taskId: id, byDecision: true }, dedupeKey: `task:${id}:CLAIMED:${actor.id}` },
          manager,
        );
        return true;
      });
      if (!claimed) throw this.notClaimable(await this.tasks.findById(id));
    }
    const outcome = await this.engine.decide(task.proposalId, {
      taskId: id,
      actor: { id: actor.id, email: actor.email, roles: actor.roles, agencyCode: actor.agencyCode, approvalLevel: actor.approvalLevel },
      decision,
      requestId,
    });
    const decided = (await this.tasks.findById(id)) as TaskEntity;
    return { task: toTaskView(decided), proposal: { id: task.proposalId, status: outcome.status, stages: outcome.stages } };
  }

  // ----- access --------------------------------------------------------------------------

  /** A task the caller may read: oversight, its holder, or someone it could be offered to. */
  private async readable(actor: Actor, id: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    if (seesAllTasks(actor) || task.assigneeId === actor.id || task.decidedBy === actor.id) return task;
    const eligibility = taskEligibility(actor, task, await this.tasks.stagesDecidedBy(task.proposalId, actor.id));
    if (!eligibility.eligible) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    return task;
  }

  /** Checks the caller may act on the task at all (403) and that it can still be acted on (409). */
  private async actionable(actor: Actor, id: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const eligibility = taskEligibility(actor, task, await this.tasks.stagesDecidedBy(task.proposalId, actor.id));
    if (!eligibility.eligible) throw new DomainError('FORBIDDEN', `You may not act on this task: ${eligibility.reason}.`);
    if (task.approvalLevel === 'COMMITTEE' && (await this.tasks.holdsOtherCommitteeSeat(task, actor.id))) {
      throw new DomainError('FORBIDDEN', 'You may not act on this task: a committee member holds one seat and votes once.');
    }
    if (task.status === 'DONE' && task.decidedBy === actor.id) {
      throw new DomainError('ALREADY_DECIDED', `You already decided task ${id}; your decision stands.`);
    }
    if (task.status !== 'OPEN') throw new DomainError('CONFLICT', `Task ${id} is ${task.status}; it can no longer be acted on.`);
    if (task.assigneeId && task.assigneeId !== actor.id) throw new DomainError('CONFLICT', `Task ${id} is held by someone else.`);
    return task;
  }

  private notClaimable(task: TaskEntity | null): DomainError {
    if (task?.status !== 'OPEN') return new DomainError('CONFLICT', `The task is ${task?.status ?? 'gone'}; it can no longer be acted on.`);
    return new DomainError('CONFLICT', 'The task is held by someone else.');
  }

  // ----- decisions ---------------------------------------------------------------------------

  private async parseDecision(type: TaskEntity['type'], body: unknown): Promise<ReviewDecision | ApprovalDecision> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DomainError('VALIDATION_FAILED', 'The decision must be a JSON object.', { errors: [{ field: 'body', message: 'body must be a JSON object' }] });
    }
    const instance = plainToInstance(DECISION_BODIES[type] as new () => object, body);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
    if (errors.length) {
      const fields = flattenValidationErrors(errors);
      throw new DomainError('VALIDATION_FAILED', `The decision has ${fields.length} invalid field(s).`, { errors: fields });
    }
    return JSON.parse(JSON.stringify(instance)) as ReviewDecision | ApprovalDecision;
  }

  private async standardsFor(task: TaskEntity, data: ProposalData, tier: Tier, catalogueVersion: string | null, policyVersion: string | null) {
    const [catalogue, policy] = await Promise.all([
      catalogueVersion ? this.reference.catalogue(catalogueVersion) : this.reference.currentCatalogue(),
      policyVersion ? this.reference.policy(policyVersion) : this.reference.currentPolicy(),
    ]);
    const applicable = applicableStandards(data, tier, catalogue);
    let standards: StandardDefinition[] = [];
    if (task.type === 'TECHNICAL_REVIEW') standards = technicalStandards(applicable);
    if (task.type === 'COST_EFFICIENCY_REVIEW') standards = costEfficiencyStandards(applicable);
    return { standards, catalogue, policy };
  }

  private async decisionProblems(
    task: TaskEntity,
    decision: ReviewDecision | ApprovalDecision,
    data: ProposalData,
    proposal: { tier: Tier | null; catalogueVersion: string | null; policyVersion: string | null; id: string },
  ) {
    const { standards, catalogue, policy } = await this.standardsFor(task, data, proposal.tier as Tier, proposal.catalogueVersion, proposal.policyVersion);
    const catalogueCodes = new Set(catalogue.standards.map((s) => s.code));
    const today = localDateOf(new Date(), policy.calendar.timeZone);
    if (task.type === 'APPROVAL') {
      // The latest opinion of each review is the one in force.
      const latest = new Map<string, ReviewOpinion>();
      for (const t of await this.tasks.forProposal(proposal.id)) {
        const opinion = (t.decision as ReviewDecision | null)?.opinion;
        if (t.type !== 'APPROVAL' && t.status === 'DONE' && opinion) latest.set(t.type, opinion);
      }
      const opinions = [...latest.values()];
      return approvalDecisionProblems(decision as ApprovalDecision, { requestedAmount: totalCostOfOwnership(data), opinions, catalogueCodes, today });
    }
    return reviewDecisionProblems(decision as ReviewDecision, {
      type: task.type,
      applicable: standards,
      catalogueCodes,
      costLineCount: data.costs?.length ?? 0,
      today,
    });
  }
}
