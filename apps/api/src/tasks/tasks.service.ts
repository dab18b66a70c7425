import { Inject, Injectable } from '@nestjs/common';
import {
  actorSnapshot,
  computeMetrics,
  decisionProblems,
  DomainError,
  holdsOtherCommitteeSeat,
  metricsOptionsFromPolicy,
  ONE_SEAT_REASON,
  opinionsInForce,
  seesAllTasks,
  stagesActedOn,
  standardsToRate,
  taskEligibility,
  type Actor,
  type ReviewDecision,
  type Tier,
} from '../../../../libs/domain';
import type { DecisionResult, Page, TaskDetailView, TaskView } from '../../../../libs/http-contract';
import { ProposalsRepository, TasksRepository, UsersRepository, type TaskEntity } from '../../../../libs/persistence';
import { EvaluationEngine } from '../../../../libs/temporal';
import { ReferenceDataService } from '../reference/reference-data.service';
import type { DecisionBody } from './decision-body.pipe';
import type { ListTasksQuery } from './task.dto';
import { toTaskView } from './task.view';

@Injectable()
export class TasksService {
  constructor(
    @Inject(TasksRepository) private readonly tasks: TasksRepository,
    @Inject(ProposalsRepository) private readonly proposals: ProposalsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(EvaluationEngine) private readonly engine: EvaluationEngine,
    @Inject(ReferenceDataService) private readonly reference: ReferenceDataService,
  ) {}

  async list(actor: Actor, query: ListTasksQuery): Promise<Page<TaskView>> {
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
  async get(actor: Actor, id: string): Promise<TaskDetailView> {
    const task = await this.readable(actor, id);
    const proposal = await this.proposals.findById(task.proposalId);
    const version = await this.proposals.findVersion(task.proposalId, task.version);
    if (!proposal || !version) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const { catalogue, policy } = await this.pinned(proposal);
    const standards = standardsToRate(task.type, version.data, proposal.tier as Tier, catalogue);
    const opinions = (await this.tasks.forProposal(task.proposalId))
      .filter((t) => t.type !== 'APPROVAL' && t.status === 'DONE' && t.id !== task.id)
      .map((t) => ({ taskId: t.id, type: t.type, version: t.version, decidedBy: t.decidedBy, completedAt: t.completedAt?.toISOString() ?? null, decision: t.decision as ReviewDecision }));
    return {
      ...toTaskView(task),
      proposal: { id: proposal.id, version: task.version, status: proposal.status, tier: proposal.tier, tierReasons: proposal.tierReasons, ...version.data },
      applicableStandards: standards.map((s) => ({ code: s.code, title: s.title, mandatory: s.mandatory })),
      selfAssessment: version.data.selfAssessment ?? [],
      metrics: computeMetrics(version.data, metricsOptionsFromPolicy(policy)),
      opinions,
      decision: task.decision as TaskDetailView['decision'],
    };
  }

  /** The evaluation owns who holds a task: the claim goes to it, as a decision does. */
  async claim(actor: Actor, id: string, requestId: string): Promise<TaskView> {
    const task = await this.actionable(actor, id);
    if (task.assigneeId === actor.id) throw new DomainError('ALREADY_APPLIED', `You already hold task ${id}.`);
    await this.engine.claim(task.proposalId, { taskId: id, actor: actorSnapshot(actor), requestId });
    return toTaskView((await this.tasks.findById(id)) as TaskEntity);
  }

  /**
   * Gives an open task to an eligible person (for a committee seat, a member holding none this
   * round), through the evaluation, which owns who holds it.
   */
  async assign(actor: Actor, id: string, userId: string, requestId: string): Promise<TaskView> {
    const task = await this.tasks.findById(id);
    if (!task) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const assignee = await this.users.findById(userId);
    if (!assignee || assignee.disabled) {
      throw new DomainError('VALIDATION_FAILED', 'userId does not name an active user.', { errors: [{ field: 'userId', message: 'userId does not name an active user' }] });
    }
    const proposalTasks = await this.tasks.forProposal(task.proposalId);
    const eligibility = taskEligibility(assignee, task, stagesActedOn(assignee.id, proposalTasks));
    const reason = !eligibility.eligible
      ? eligibility.reason
      : task.approvalLevel === 'COMMITTEE' && holdsOtherCommitteeSeat(assignee.id, task, proposalTasks)
        ? `${ONE_SEAT_REASON}: they already hold or decided a committee task of this round`
        : null;
    if (reason) throw new DomainError('INVALID_DECISION', `${assignee.email} may not take this task: ${reason}.`, { errors: [{ field: 'userId', message: reason }] });
    if (task.status !== 'OPEN') throw new DomainError('CONFLICT', `Task ${id} is ${task.status}; only open tasks are assigned.`);
    if (task.assigneeId === assignee.id) throw new DomainError('ALREADY_APPLIED', `${assignee.email} already holds task ${id}.`);
    await this.engine.assign(task.proposalId, { taskId: id, assignee: actorSnapshot(assignee), by: actorSnapshot(actor), requestId });
    return toTaskView((await this.tasks.findById(id)) as TaskEntity);
  }

  /**
   * Authorization (role, agency, separation of duties: 403), then state (open, held by the
   * caller or claimable: 409), then shape (400) and meaning (422), then the Update. Deciding an
   * open, unassigned task takes it; the evaluation handles updates one at a time, so of two
   * concurrent deciders one is refused.
   */
  async decide(actor: Actor, id: string, body: DecisionBody, requestId: string): Promise<DecisionResult> {
    const task = await this.actionable(actor, id);
    const decision = body.as(task.type);
    const proposal = await this.proposals.findById(task.proposalId);
    const version = await this.proposals.findVersion(task.proposalId, task.version);
    if (!proposal || !version) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const { catalogue, policy } = await this.pinned(proposal);
    const problems = decisionProblems(decision, {
      taskType: task.type,
      data: version.data,
      tier: proposal.tier as Tier,
      catalogue,
      timeZone: policy.calendar.timeZone,
      opinionsInForce: await this.opinionsInForce(task.proposalId),
      now: new Date(),
    });
    if (problems.length) throw new DomainError('INVALID_DECISION', `The decision is invalid: ${problems.map((p) => p.message).join('; ')}.`, { errors: problems });

    const outcome = await this.engine.decide(task.proposalId, { taskId: id, actor: actorSnapshot(actor), decision, requestId });
    const decided = (await this.tasks.findById(id)) as TaskEntity;
    return { task: toTaskView(decided), proposal: { id: task.proposalId, status: outcome.status, stages: outcome.stages } };
  }

  // ----- access --------------------------------------------------------------------------

  /** A task the caller may read: oversight, its holder, or someone it could be offered to. */
  private async readable(actor: Actor, id: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    if (seesAllTasks(actor) || task.assigneeId === actor.id || task.decidedBy === actor.id) return task;
    const eligibility = taskEligibility(actor, task, stagesActedOn(actor.id, await this.tasks.forProposal(task.proposalId)));
    if (!eligibility.eligible) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    return task;
  }

  /** Checks the caller may act on the task at all (403) and that it can still be acted on (409). */
  private async actionable(actor: Actor, id: string): Promise<TaskEntity> {
    const task = await this.tasks.findById(id);
    if (!task) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const proposalTasks = await this.tasks.forProposal(task.proposalId);
    const eligibility = taskEligibility(actor, task, stagesActedOn(actor.id, proposalTasks));
    if (!eligibility.eligible) throw new DomainError('FORBIDDEN', `You may not act on this task: ${eligibility.reason}.`);
    if (task.approvalLevel === 'COMMITTEE' && holdsOtherCommitteeSeat(actor.id, task, proposalTasks)) {
      throw new DomainError('FORBIDDEN', `You may not act on this task: ${ONE_SEAT_REASON}.`);
    }
    if (task.status === 'DONE' && task.decidedBy === actor.id) {
      throw new DomainError('ALREADY_DECIDED', `You already decided task ${id}; your decision stands.`);
    }
    if (task.status !== 'OPEN') throw new DomainError('CONFLICT', `Task ${id} is ${task.status}; it can no longer be acted on.`);
    if (task.assigneeId && task.assigneeId !== actor.id) throw new DomainError('CONFLICT', `Task ${id} is held by someone else.`);
    return task;
  }



  // ----- decisions ---------------------------------------------------------------------------

  /** The catalogue and policy pinned at submit (the current ones for a proposal not yet submitted). */
  private async pinned(proposal: { catalogueVersion: string | null; policyVersion: string | null }) {
    const [catalogue, policy] = await Promise.all([
      proposal.catalogueVersion ? this.reference.catalogue(proposal.catalogueVersion) : this.reference.currentCatalogue(),
      proposal.policyVersion ? this.reference.policy(proposal.policyVersion) : this.reference.currentPolicy(),
    ]);
    return { catalogue, policy };
  }

  /** The latest decided opinion of each review, for an approval's checks. */
  private async opinionsInForce(proposalId: string) {
    const reviews = (await this.tasks.forProposal(proposalId)).filter((t) => t.type !== 'APPROVAL' && t.status === 'DONE' && t.decision);
    return opinionsInForce(reviews.map((t) => ({ type: t.type, opinion: (t.decision as ReviewDecision).opinion })));
  }
}
