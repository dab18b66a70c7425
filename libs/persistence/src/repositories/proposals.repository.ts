import type { ProposalData, Route, Tier } from '../../../domain';
import { Brackets, type EntityManager } from 'typeorm';
import { ProposalEntity, ProposalVersionEntity, type ProposalStatus, type ScreeningIssue } from '../entities';
import { managerOf, type Db } from './db';

export interface ProposalListFilter {
  /** Set for callers scoped to one agency; undefined sees all. */
  scopeAgencyCode?: string;
  agencyCode?: string;
  status?: ProposalStatus;
  tier?: Tier;
  q?: string;
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** What a list shows of a proposal: no jsonb beyond `stages` (data and outcome are kilobytes a row). */
export const PROPOSAL_SUMMARY_FIELDS = ['id', 'agencyCode', 'title', 'status', 'stages', 'tier', 'requestedAmount', 'currentVersion', 'createdAt', 'updatedAt', 'submittedAt'] as const;
export type ProposalSummaryRow = Pick<ProposalEntity, (typeof PROPOSAL_SUMMARY_FIELDS)[number]>;

export interface NewDraft {
  id: string;
  agencyCode: string;
  createdBy: string;
  title: string;
  data: ProposalData;
  requestedAmount: number;
}

export interface TriageProjection {
  tier: Tier;
  tierReasons: string[];
  route: Route;
  status: ProposalStatus;
  stages: string[];
}

export class ProposalsRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  private repo() {
    return this.db.getRepository(ProposalEntity);
  }

  /** Inserts the draft; a draft with this id already there (a retried create) is returned as it is. */
  async createDraft(draft: NewDraft): Promise<ProposalEntity> {
    const repo = this.repo();
    await repo.createQueryBuilder().insert().values(repo.create({ ...draft, status: 'DRAFT', stages: [] })).orIgnore().execute();
    const stored = await repo.findOneByOrFail({ id: draft.id });
    if (stored.createdBy !== draft.createdBy) throw new Error(`proposal ${draft.id} exists and belongs to someone else`);
    return stored;
  }

  findById(id: string): Promise<ProposalEntity | null> {
    return this.repo().findOneBy({ id });
  }

  /** Changes a draft; returns false when it is no longer a draft (someone submitted it meanwhile). */
  async updateDraft(id: string, change: Pick<ProposalEntity, 'title' | 'data' | 'requestedAmount'>): Promise<boolean> {
    const result = await this.repo().update({ id, status: 'DRAFT' }, change);
    return (result.affected ?? 0) === 1;
  }

  async list(filter: ProposalListFilter): Promise<Page<ProposalSummaryRow>> {
    const query = this.repo()
      .createQueryBuilder('p')
      .select(PROPOSAL_SUMMARY_FIELDS.map((field) => `p.${field}`));
    if (filter.scopeAgencyCode !== undefined) query.andWhere('p.agency_code = :scope', { scope: filter.scopeAgencyCode });
    if (filter.agencyCode) query.andWhere('p.agency_code = :agency', { agency: filter.agencyCode });
    if (filter.status) query.andWhere('p.status = :status', { status: filter.status });
    if (filter.tier) query.andWhere('p.tier = :tier', { tier: filter.tier });
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        new Brackets((b) => b.where('p.title ILIKE :like', { like }).orWhere("p.data->>'summary' ILIKE :like", { like })),
      );
    }
    const [items, total] = await query
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /** Locks the row until the transaction ends, so edits and submits queue behind it. */
  lockForSubmit(id: string): Promise<ProposalEntity | null> {
    return this.repo().findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** DRAFT -> SUBMITTED once; returns false when the proposal had already moved on. */
  async markSubmitted(
    id: string,
    pinned: { workflowId: string; catalogueVersion: string; policyVersion: string },
  ): Promise<boolean> {
    const result = await this.repo().update({ id, status: 'DRAFT' }, { ...pinned, status: 'SUBMITTED', submittedAt: new Date() });
    return (result.affected ?? 0) === 1;
  }

  /** Freezes a version; a retried activity finds it already there and gets the stored one back. */
  async freezeVersion(proposalId: string, version: number, data: ProposalData, createdBy: string): Promise<{ created: boolean; version: ProposalVersionEntity }> {
    const repo = this.db.getRepository(ProposalVersionEntity);
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(ProposalVersionEntity)
      .values({ proposalId, version, data, createdBy })
      .orIgnore()
      .execute();
    const stored = await repo.findOneByOrFail({ proposalId, version });
    await this.repo().update({ id: proposalId }, { currentVersion: version });
    return { created: (result.raw as unknown[]).length > 0, version: stored };
  }

  findVersion(proposalId: string, version: number): Promise<ProposalVersionEntity | null> {
    return this.db.getRepository(ProposalVersionEntity).findOneBy({ proposalId, version });
  }

  async applyTriage(id: string, projection: TriageProjection): Promise<void> {
    await this.repo().update({ id }, { ...projection, screeningIssues: null });
  }

  /** Status and stages under way, unless the evaluation has already closed. */
  async applyStatus(id: string, status: ProposalStatus, stages: string[]): Promise<void> {
    await this.repo()
      .createQueryBuilder()
      .update(ProposalEntity)
      .set({ status, stages })
      .where('id = :id AND closed_at IS NULL', { id })
      .execute();
  }

  async applyChangesRequested(id: string, status: ProposalStatus, issues: ScreeningIssue[]): Promise<void> {
    await this.repo().update({ id }, { status, stages: [], screeningIssues: issues });
  }

  /** The agency's answer becomes the current version and the data everyone reads. */
  async applyNewVersion(id: string, version: number, data: ProposalData, requestedAmount: number): Promise<void> {
    await this.repo().update({ id }, { currentVersion: version, data, title: data.title, requestedAmount, screeningIssues: null });
  }

  async applyOutcome(id: string, status: ProposalStatus, outcome: object, closedAt: Date): Promise<void> {
    await this.repo().update({ id }, { status, stages: [], outcome, closedAt });
  }

  /** A draft withdrawn before it was ever submitted: no evaluation exists to end. */
  async withdrawDraft(id: string, outcome: object): Promise<boolean> {
    const result = await this.repo().update({ id, status: 'DRAFT' }, { status: 'WITHDRAWN', outcome, closedAt: new Date() });
    return (result.affected ?? 0) === 1;
  }
}
