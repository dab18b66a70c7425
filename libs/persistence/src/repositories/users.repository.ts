import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';
import { AgencyEntity, UserEntity } from '../entities';

/** A person to store: mail preferences start at their defaults (Spanish, subscribed) unless given. */
export type NewUser = Omit<UserEntity, 'id' | 'createdAt' | 'updatedAt' | keyof MailPreferences> & Partial<MailPreferences>;

/** What each person chooses about the mail they receive (GET/PUT /api/v1/me/preferences). */
export type MailPreferences = Pick<UserEntity, 'language' | 'mailUnsubscribed'>;

export class UsersRepository {
  private readonly db: EntityManager;

  constructor(db: Db) {
    this.db = managerOf(db);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ email: email.trim().toLowerCase() });
  }

  async list(page: number, pageSize: number): Promise<{ items: UserEntity[]; total: number }> {
    const [items, total] = await this.db.getRepository(UserEntity).findAndCount({
      order: { email: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total };
  }

  async create(user: NewUser): Promise<UserEntity> {
    const repo = this.db.getRepository(UserEntity);
    return repo.save(repo.create(user));
  }

  async update(id: string, change: Partial<Pick<UserEntity, 'name' | 'roles' | 'agencyCode' | 'approvalLevel' | 'deputy' | 'disabled' | 'passwordHash'>>): Promise<UserEntity | null> {
    if (Object.keys(change).length) await this.db.getRepository(UserEntity).update({ id }, change);
    return this.findById(id);
  }

  /**
   * The local record of a person an identity provider vouches for, created on first sight and
   * kept in step with the provider's claims (the provider owns roles and agency). `disabled`
   * stays ours: an admin can still lock someone out.
   */
  async upsertExternal(identity: { email: string; name: string; roles: string[]; agencyCode: string; approvalLevel: string | null }): Promise<UserEntity> {
    const repo = this.db.getRepository(UserEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({ ...identity, passwordHash: null, deputy: false, disabled: false })
      .orUpdate(['name', 'roles', 'agency_code', 'approval_level', 'updated_at'], ['email'])
      .execute();
    return repo.findOneByOrFail({ email: identity.email });
  }

  listAgencies(): Promise<AgencyEntity[]> {
    return this.db.getRepository(AgencyEntity).find({ order: { code: 'ASC' } });
  }

  findAgency(code: string): Promise<AgencyEntity | null> {
    return this.db.getRepository(AgencyEntity).findOneBy({ code });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ id });
  }

  /**
   * Active people who could take a task: the role (and level), not of the proposal's agency,
   * and not among those separation of duties excludes.
   */
  eligibleFor(criteria: { role: string; approvalLevel: string | null; notAgency: string; excludedIds: string[] }): Promise<UserEntity[]> {
    const q = this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.disabled = false AND :role = ANY(u.roles) AND u.agency_code <> :agency', { role: criteria.role, agency: criteria.notAgency });
    if (criteria.approvalLevel) q.andWhere('u.approval_level = :level', { level: criteria.approvalLevel });
    if (criteria.excludedIds.length) q.andWhere('u.id NOT IN (:...excluded)', { excluded: criteria.excludedIds });
    return q.orderBy('u.email', 'ASC').getMany();
  }

  /** Active people holding `role`, of one agency when given: who mail about an event goes to. */
  withRole(role: string, agencyCode?: string): Promise<UserEntity[]> {
    const q = this.db.getRepository(UserEntity).createQueryBuilder('u').where('u.disabled = false AND :role = ANY(u.roles)', { role });
    if (agencyCode) q.andWhere('u.agency_code = :agency', { agency: agencyCode });
    return q.orderBy('u.email', 'ASC').getMany();
  }

  /** Active people among `ids`. */
  activeByIds(ids: readonly string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.getRepository(UserEntity).createQueryBuilder('u').where('u.disabled = false AND u.id IN (:...ids)', { ids: [...ids] }).orderBy('u.email', 'ASC').getMany();
  }

  async setMailPreferences(id: string, change: Partial<MailPreferences>): Promise<UserEntity | null> {
    if (Object.keys(change).length) await this.db.getRepository(UserEntity).update({ id }, change);
    return this.findById(id);
  }

  /** Inserts the user unless one with that e-mail exists; returns whether it inserted. */
  async insertIfAbsent(user: NewUser): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(user)
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async insertAgencyIfAbsent(agency: Pick<AgencyEntity, 'code' | 'name'>): Promise<boolean> {
    const result = await this.db.createQueryBuilder().insert().into(AgencyEntity).values(agency).orIgnore().execute();
    return (result.raw as unknown[]).length > 0;
  }
}
