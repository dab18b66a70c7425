import { Brackets, IsNull, type EntityManager } from 'typeorm';
import type { WorkloadRow } from '../../../domain';
import { TaskEntity, type TaskRowStatus } from '../entities';
import { managerOf, type Db } from './db';

export interface NewTaskRow {
  id: string;
  proposalId: string;
  proposalTitle: string;
  agencyCode: string;
  type: TaskEntity['type'];
  approvalLevel: string | null;
  candidateRole: string;
  assigneeId: string | null;
  version: number;
  round: number;
  dueAt: Date;
}

export interface TaskListFilter {
  /** mine: assigned to the user; available: open, unassigned, and the user may act on it. */
  scope: 'mine' | 'available' | 'all';
  userId: string;
  /** For `available`: the conditions the caller meets (role, level, agency, duties). */
  eligibility?: { roles: string[]; approvalLevel: string | null; agencyCode: string; excludedProposalStages: boolean };
  status?: TaskRowStatus;
  type?: TaskEntity['type'];
  proposalId?: string;
  escalated?: boolean;
  page: number;
  pageSize: number;
}

export class TasksRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  private repo() {
    return this.db.getRepository(TaskEntity);
  }

  /** Inserts the tasks not already there (a retried activity finds them); returns the new ids. */
  async insertMissing(tasks: NewTaskRow[]): Promise<string[]> {
    if (!tasks.length) return [];
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(TaskEntity)
      .values(tasks.map((t) => ({ ...t, status: 'OPEN' as const })))
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((r) => r.id);
  }

  findById(id: string): Promise<TaskEntity | null> {
    return this.repo().findOneBy({ id });
  }

  forProposal(proposalId: string): Promise<TaskEntity[]> {
    return this.repo().find({ where: { proposalId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  openForProposal(proposalId: string): Promise<TaskEntity[]> {
    return this.repo().find({ where: { proposalId, status: 'OPEN' }, order: { dueAt: 'ASC', id: 'ASC' } });
  }

  /** Who holds an open task now, as the evaluation decided it; false when the task is no longer open. */
  async setHolder(id: string, userId: string): Promise<boolean> {
    const result = await this.repo().update({ id, status: 'OPEN' }, { assigneeId: userId });
    return (result.affected ?? 0) === 1;
  }

  async markDecided(id: string, decidedBy: string, decision: object, workingDays: number | null): Promise<void> {
    await this.repo().update({ id }, { status: 'DONE', decidedBy, assigneeId: decidedBy, decision, workingDays, completedAt: new Date() });
  }

  async markReminded(id: string): Promise<void> {
    await this.repo().update({ id }, { remindedAt: new Date() });
  }

  async markEscalated(id: string): Promise<void> {
    await this.repo().update({ id }, { escalated: true });
  }

  async countBreach(id: string): Promise<void> {
    await this.repo().increment({ id }, 'breaches', 1);
  }

  async cancel(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.repo()
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ status: 'CANCELLED', completedAt: () => 'now()' })
      .where('id IN (:...ids) AND status = :open', { ids, open: 'OPEN' })
      .execute();
  }

  async list(filter: TaskListFilter): Promise<{ items: TaskEntity[]; total: number }> {
    const q = this.repo().createQueryBuilder('t');
    if (filter.scope === 'mine') q.andWhere('t.assignee_id = :me', { me: filter.userId });
    if (filter.scope === 'available') {
      const e = filter.eligibility;
      q.andWhere("t.status = 'OPEN' AND t.assignee_id IS NULL");
      q.andWhere('t.candidate_role = ANY(:roles)', { roles: e?.roles ?? [] });
      q.andWhere('(t.approval_level IS NULL OR t.approval_level = :level)', { level: e?.approvalLevel ?? '' });
      q.andWhere('t.agency_code <> :agency', { agency: e?.agencyCode ?? '' });
      // Separation of duties, as libs/domain's stagesActedOn counts it: not a proposal of which
      // the caller decided, or holds, another stage.
      q.andWhere(
        new Brackets((b) =>
          b.where(
            `NOT EXISTS (SELECT 1 FROM tasks d WHERE d.proposal_id = t.proposal_id
              AND (d.decided_by = :me OR (d.assignee_id = :me AND d.status = 'OPEN'))
              AND (d.type <> t.type OR d.approval_level IS DISTINCT FROM t.approval_level))`,
            { me: filter.userId },
          ),
        ),
      );
    }
    if (filter.status) q.andWhere('t.status = :status', { status: filter.status });
    if (filter.type) q.andWhere('t.type = :type', { type: filter.type });
    if (filter.proposalId) q.andWhere('t.proposal_id = :proposalId', { proposalId: filter.proposalId });
    if (filter.escalated !== undefined) q.andWhere('t.escalated = :escalated', { escalated: filter.escalated });
    const [items, total] = await q
      .orderBy('t.due_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * Open tasks held by each active person who can hold one (reviewers and approvers), overdue
   * and escalated among them; people with nothing open are listed with zeros.
   */
  async workload(asOf: Date): Promise<WorkloadRow[]> {
    const rows = (await this.db.query(
      `SELECT u.id AS "userId", u.name, u.email, u.roles, u.agency_code AS "agencyCode", u.approval_level AS "approvalLevel",
              count(t.id)::int AS open,
              count(t.id) FILTER (WHERE t.due_at < $1)::int AS overdue,
              count(t.id) FILTER (WHERE t.escalated)::int AS escalated
         FROM users u
         LEFT JOIN tasks t ON t.assignee_id = u.id AND t.status = 'OPEN'
        WHERE NOT u.disabled AND u.roles && ARRAY['technical_reviewer', 'finance_reviewer', 'approver']::text[]
        GROUP BY u.id
        ORDER BY open DESC, u.email ASC`,
      [asOf],
    )) as WorkloadRow[];
    return rows;
  }

  /** Open tasks nobody holds yet. */
  async unassignedOpenCount(): Promise<number> {
    return this.repo().count({ where: { status: 'OPEN', assigneeId: IsNull() } });
  }
}
