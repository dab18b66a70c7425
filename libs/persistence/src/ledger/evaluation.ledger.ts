import type { DataSource } from 'typeorm';
import {
  totalCostOfOwnership,
  type ActorRef,
  type AlertRecord,
  type AssignmentRecord,
  type BeginResult,
  type CancelTasksRecord,
  type ChangesRequestRecord,
  type DecisionRecord,
  type EscalationRecord,
  type EvaluationInput,
  type EvaluationStatus,
  type OutcomeRecord,
  type ReminderRecord,
  type ResponseRecord,
  type ScreeningRecord,
  type TaskEventRecord,
  type TaskSpec,
  type TriageRecord,
} from '../../../domain';
import { ProposalsRepository } from '../repositories/proposals.repository';
import { RecordsRepository } from '../repositories/records.repository';
import { TasksRepository } from '../repositories/tasks.repository';
import { RecordMail, type MailSettings } from '../mail/record-mail';
import { EvaluationRecords, SYSTEM_ACTOR, type NewRecord } from './evaluation.records';

/** The repositories one ledger transaction writes through, bound to it. */
interface LedgerTransaction {
  proposals: ProposalsRepository;
  tasks: TasksRepository;
  records: Pick<RecordsRepository, 'append' | 'appendOnce'>;
}

/** Appends through `records`, queuing the mail each newly appended record causes in the same transaction. */
function mailingRecords(records: RecordsRepository, mail: RecordMail | null): LedgerTransaction['records'] {
  const appendOnce = async (record: NewRecord) => {
    const result = await records.appendOnce(record);
    if (result.appended && mail) await mail.queueFor(record);
    return result;
  };
  return { appendOnce, append: async (record) => (await appendOnce(record)).record };
}

/**
 * The only writer of an evaluation's projection and of its records. Each method is one event:
 * it owns the transaction, the projection change, the record type and the dedupe key, so the
 * read model and the decision log always change together, and a method run again (an activity
 * retried after a crash) changes nothing twice. The worker's activities and the API's services
 * call these; nothing else writes proposals' evaluation state, tasks or an evaluation's records
 * (administration's records are the AdministrationLedger's).
 */
export class EvaluationLedger {
  /** `mail`: where links in mail point; null queues no mail (tools that write no evaluation events). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailSettings | null = null,
  ) {}

  private transaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) =>
      work({
        proposals: new ProposalsRepository(manager),
        tasks: new TasksRepository(manager),
        records: mailingRecords(new RecordsRepository(manager), this.mail && new RecordMail(manager, this.mail)),
      }),
    );
  }

  // ----- the agency's side ---------------------------------------------------------------

  /**
   * The draft becomes version 1 of an evaluation with its pinned versions: the draft as stored
   * now (an edit that landed while the evaluation was starting is in it; from here on the
   * proposal is no longer a draft, so later edits are refused). A draft withdrawn before this
   * step is not evaluated.
   */
  async beginEvaluation(input: EvaluationInput, workflowId: string): Promise<BeginResult> {
    const version = 1;
    return this.transaction(async ({ proposals, records }) => {
      const proposal = await proposals.lockForSubmit(input.proposalId);
      if (!proposal) return { begun: false, reason: 'PROPOSAL_MISSING' };
      if (proposal.status === 'WITHDRAWN' && !proposal.workflowId) return { begun: false, reason: 'WITHDRAWN_AS_DRAFT' };
      const data = proposal.status === 'DRAFT' ? proposal.data : input.data;
      await proposals.markSubmitted(input.proposalId, { workflowId, catalogueVersion: input.catalogueVersion, policyVersion: input.policyVersion });
      const { version: stored } = await proposals.freezeVersion(input.proposalId, version, data, input.submittedBy.email);
      await records.append(EvaluationRecords.submitted(input, version));
      await records.append(EvaluationRecords.versionCreated(input.proposalId, version, stored.data, input.submittedBy.email));
      return { begun: true, data: stored.data };
    });
  }

  /**
   * The draft submitted: its evaluation has started with these pins (its first step does the
   * same, so whichever runs first wins). False when it was no longer a draft.
   */
  async markSubmitted(proposalId: string, pinned: { workflowId: string; catalogueVersion: string; policyVersion: string }): Promise<boolean> {
    return this.transaction(({ proposals }) => proposals.markSubmitted(proposalId, pinned));
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

  /** A claim or an assignment the evaluation accepted: the holder it now knows, and the record of the change. */
  async recordAssignment(assignment: AssignmentRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.setHolder(assignment.taskId, assignment.holder.id);
      await records.append(EvaluationRecords.holderChanged(assignment));
    });
  }

  async recordDecision(decision: DecisionRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      if (decision.claimedByDecision) {
        await records.append(EvaluationRecords.claimedByDecision(decision.proposalId, decision.taskId, decision.actor, decision.claimedByDecision.sequence));
      }
      await tasks.markDecided(decision.taskId, decision.actor.id, decision.decision, decision.workingDays ?? null);
      await records.append(EvaluationRecords.decisionRecorded(decision));
    });
  }

  async remindTask(reminder: TaskEventRecord & { dueAt: string }): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.markReminded(reminder.taskId);
      await records.append(EvaluationRecords.taskReminded(reminder));
    });
  }

  /** The task flagged for supervisors; a breach of its clock is also counted (once, however often retried). */
  async escalateTask(escalation: EscalationRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.markEscalated(escalation.taskId);
      const task = await tasks.findById(escalation.taskId);
      const { appended } = await records.appendOnce(EvaluationRecords.escalated({ ...escalation, taskType: task?.type, approvalLevel: task?.approvalLevel }));
      if (appended && escalation.kind === 'BREACH') await tasks.countBreach(escalation.taskId);
    });
  }

  /** What the evaluation could not do: the tasks concerned escalated to supervisors, and the alert in the record. */
  async raiseAlert(alert: AlertRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      for (const taskId of alert.taskIds) await tasks.markEscalated(taskId);
      await records.append(EvaluationRecords.operatorAlert(alert));
    });
  }

  async cancelTasks({ proposalId, taskIds, reason }: CancelTasksRecord): Promise<void> {
    await this.transaction(async ({ tasks, records }) => {
      await tasks.cancel(taskIds);
      for (const taskId of taskIds) await records.append(EvaluationRecords.taskCancelled(proposalId, taskId, reason));
    });
  }
}
