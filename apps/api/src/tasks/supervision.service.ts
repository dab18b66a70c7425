import { Inject, Injectable } from '@nestjs/common';
import { DomainError, holdsOtherCommitteeSeat, stagesActedOn, taskEligibility } from '../../../../libs/domain';
import type { CandidateView, Items, WorkloadView } from '../../../../libs/http-contract';
import { TasksRepository, UsersRepository } from '../../../../libs/persistence';

/** What supervisors need to balance the work: who holds what, and who may take a task. */
@Injectable()
export class SupervisionService {
  constructor(
    @Inject(TasksRepository) private readonly tasks: TasksRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  async workload(): Promise<WorkloadView> {
    const asOf = new Date();
    const [people, unassigned] = await Promise.all([this.tasks.workload(asOf), this.tasks.unassignedOpenCount()]);
    return { asOf: asOf.toISOString(), unassigned, items: people };
  }

  /**
   * The active people a task may be given to: the same rule as claiming it (role, level, not
   * the proposal's agency, separation of duties, one committee seat each).
   */
  async candidates(id: string): Promise<Items<CandidateView>> {
    const task = await this.tasks.findById(id);
    if (!task) throw new DomainError('NOT_FOUND', `Task ${id} was not found.`);
    const people = await this.users.eligibleFor({ role: task.candidateRole, approvalLevel: task.approvalLevel, notAgency: task.agencyCode, excludedIds: [] });
    const proposalTasks = await this.tasks.forProposal(task.proposalId);
    const items: CandidateView[] = [];
    for (const person of people) {
      if (!taskEligibility(person, task, stagesActedOn(person.id, proposalTasks)).eligible) continue;
      if (task.approvalLevel === 'COMMITTEE' && holdsOtherCommitteeSeat(person.id, task, proposalTasks)) continue;
      items.push({ id: person.id, name: person.name, email: person.email, agencyCode: person.agencyCode, approvalLevel: person.approvalLevel, deputy: person.deputy });
    }
    return { items };
  }
}
