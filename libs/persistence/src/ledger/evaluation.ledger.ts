import type { DataSource } from 'typeorm';
import {
  totalCostOfOwnership,
  type ActorRef,
  type CancelTasksRecord,
  type ChangesRequestRecord,
  type DecisionRecord,
  type EvaluationInput,
  type EvaluationStatus,
  type OutcomeRecord,
  type ProposalData,
  type ReminderRecord,
  type ResponseRecord,
  type ScreeningRecord,
  type TaskEventRecord,
  type TaskSpec,
  type TriageRecord,
} from '../../../domain';
import type { ProposalEntity } from '../entities';
import { ProposalsRepository } from '../repositories/proposals.repository';
import { RecordsRepository } from '../repositories/records.repository';
import { TasksRepository } from '../repositories/tasks.repository';
import { EvaluationRecords, SYSTEM_ACTOR } from './evaluation.records';

/** The repositories one ledger transaction writes through, bound to it. */
interface LedgerTransaction {
  proposals: ProposalsRepository;
  tasks: TasksRepository;
  records: RecordsRepository;
}

/**
 * The only writer of an evaluation's projection and of its records. Each method is one event:
 * it owns the transaction, the projection change, the record type and the dedupe key, so the
 * read model and the decision log always change together, and a method run again (an activity
 * retried after a crash) changes nothing twice. The worker's activities and the API's services
 * call these; nothing else writes proposals' evaluation state, tasks or records.
 */
export class EvaluationLedger {
  constructor(private readonly dataSource: DataSource) {}

  private transaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) =>
      work({ proposals: new ProposalsRepository(manager), tasks: new TasksRepository(manager), records: new RecordsRepository(manager) }),
    );
  }

  // ----- the agency's side ---------------------------------------------------------------

  /**
   * The draft becomes version 1 of an evaluation with its pinned versions. Returns the frozen
   * data, or null when the proposal does not exist.
   */
  async beginEvaluation(input: EvaluationInput, workflowId: string): Promise<ProposalData | null> {
    const version = 1;
    return this.transaction(async ({ proposals, records }) => {
      if (!(await proposals.findById(input.proposalId))) return null;
      await proposals.markSubmitted(input.proposalId, { workflowId, catalogueVersion: input.catalogueVersion, policyVersion: input.policyVersion });
      const { version: stored } = await proposals.freezeVersion(input.proposalId, version, input.data, input.submittedBy.email);
      await records.append(EvaluationRecords.submitted(input, version));
      await records.append(EvaluationRecords.versionCreated(input.proposalId, version, stored.data, input.submittedBy.email));
      return stored.data;
    });
  }

  /**
   * Submits a draft: the row stays locked while `start` starts its evaluation, so a concurrent
   * edit or submit waits and then sees it submitted; if `start` throws, nothing changes.
   */
  async submitDraft<T extends { workflowId: string; markSubmitted: boolean }>(
    proposalId: string,
    pinned: { catalogueVersion: string; policyVersion: string },
    start: (draft: ProposalEntity) => Promise<T>,
  ): Promise<T | null> {
    return this.transaction(async ({ proposals }) => {
      const draft = await proposals.lockForSubmit(proposalId);
      if (!draft) return null;
      const started = await start(draft);
      if (started.markSubmitted) await proposals.markSubmitted(proposalId, { workflowId: started.workflowId, ...pinned });
      return started;
    });
  }

  /** A draft withdrawn before it was ever submitted; false when it is no longer a draft. */
  async withdrawDraft(proposalId: string, by: ActorRef, reason: string, requestId: string): Promise<boolean> {
    return this.transaction(async ({ proposals, records }) => {
      const outcome = { status: 'WITHDRAWN', decidedAt: new Date().toISOString(), reason, by: { id: by.id, email: by.email } };
      if (!(await proposals.withdrawDraft(proposalId, outcome))) return false;
      await records.append(EvaluationRecords.ended(proposalId, 'WITHDRAWN', by.email, reason, requestId));
      return true;
    });
  }

  async requestChanges(request: ChangesRequestRecord): Promise<void> {
    await this.transaction(async ({ proposals, records }) => {
      await proposals.applyChangesRequested(request.proposalId, request.status, request.missing);
      await records.append(EvaluationRecords.agencyRequest(request));
    });
  }

  async remindAgency(reminder: ReminderRecord): Promise<void> {
    await this.transaction(({ records }) => records.append(EvaluationRecords.agencyReminded(reminder)));
  }

  /** The agency's answer: a new version, which becomes the data everyone reads. */
  async recordResponse(response: ResponseRecord): Promise<void> {
    const { proposalId, version, data, actor } = response;
    await this.transaction(async ({ proposals, records }) => {
      await proposals.freezeVersion(proposalId, version, data, actor.email);
      await proposals.applyNewVersion(proposalId, version, data, totalCostOfOwnership(data));
      await records.append(EvaluationRecords.responded(response));
      await records.append(EvaluationRecords.versionCreated(proposalId, version, data, actor.email));
    });
  }

  // ----- what the evaluation decides by itself ---------------------------------------------

  async recordScreening(screening: ScreeningRecord): Promise<void> {
    await this.transaction(async ({ proposals, records }) => {
      if (!screening.result.passed) await proposals.applyChangesRequested(screening.proposalId, 'RETURNED', screening.result.missing);
      await records.append(EvaluationRecords.screened(screening));
    });
  }

  async recordTriage(triage: TriageRecord): Promise<void> {
    const { proposalId, tier, tierReasons, route, stages } = triage;
    await this.transaction(async ({ proposals, records }) => {
      await proposals.applyTriage(proposalId, { tier, tierReasons, route, stages, status: 'IN_REVIEW' });
      await records.append(EvaluationRecords.triaged(triage));
    });
  }

  async recordOutcome({ proposalId, outcome, eventType, requestId }: OutcomeRecord): Promise<void> {
    await this.transaction(async ({ proposals, records }) => {
      await proposals.applyOutcome(proposalId, outcome.status, outcome, new Date(outcome.decidedAt));
      if (eventType !== 'OUTCOME') await records.append(EvaluationRecords.ended(proposalId, eventType, outcome.by?.email ?? SYSTEM_ACTOR, outcome.reason, requestId));
      await records.append(EvaluationRecords.outcome({ proposalId, outcome }));
    });
  }

  // ----- human tasks -----------------------------------------------------------------------

  /** Opens the tasks (those already there are kept) and shows the stage under way. */
  async openTasks(opening: { proposalId: string; tasks: TaskSpec[]; status: EvaluationStatus; stages: string[] }): Promise<void> {
    await this.transaction(async ({ proposals, tasks, records }) => {
      await tasks.insertMissing(opening.tasks.map((spec) => ({ ...spec, dueAt: new Date(spec.dueAt) })));
      await proposals.applyStatus(opening.proposalId, opening.status, opening.stages);
      for (const spec of opening.tasks) await records.append(EvaluationRecords.taskCreated(spec));
    });
  }

  /** Takes an open task for a person unless someone else holds it; true when they hold it now. */
  async claimTask(task: { id: string; proposalId: string }, by: ActorRef, byDecision: boolean): Promise<boolean> {
    return this.transaction(async ({ tasks, records }) => {
      if (!(await tasks.claim(task.id, by.id))) return false;
      await records.append(EvaluationRecords.taskClaimed(task.proposalId, task.id, by, byDecision));
      return true;
    });
  }

  /** Gives an open task to a person; false when it is no longer open. */
  async assignTask(task: { id: string; proposalId: string; assigneeId: string | null }, assignee: ActorRef, by: ActorRef): Promise<boolean> {
    return this.transaction(async ({ tasks, records }) => {
      if (!(await tasks.assign(task.id, assignee.id))) return false;
      await records.append(
        EvaluationRecords.taskAssigned({ proposalId: task.proposalId, taskId: task.id, assignee, previousAssigneeId: task.assigneeId, by, at: new Date() }),
      );
      return true;
    });
  }

  async recordDecision(decision: DecisionRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.markDecided(decision.taskId, decision.actor.id, decision.decision);
      await records.append(EvaluationRecords.decisionRecorded(decision));
    });
  }

  async remindTask(reminder: TaskEventRecord & { dueAt: string }): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.markReminded(reminder.taskId);
      await records.append(EvaluationRecords.taskReminded(reminder));
    });
  }

  async escalateTask({ proposalId, taskId, reason }: TaskEventRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.markEscalated(taskId);
      const task = await tasks.findById(taskId);
      await records.append(EvaluationRecords.escalated({ proposalId, taskId, reason, taskType: task?.type, approvalLevel: task?.approvalLevel }));
    });
  }

  async cancelTasks({ proposalId, taskIds, reason }: CancelTasksRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.cancel(taskIds);
      for (const taskId of taskIds) await records.append(EvaluationRecords.taskCancelled(proposalId, taskId, reason));
    });
  }
}
