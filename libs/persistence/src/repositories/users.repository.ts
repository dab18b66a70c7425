import type { EntityManager } from 'typeorm';
import { managerOf, type Db } from './db';
import { AgencyEntity, ExternalIdentityEntity, UserEntity } from '../entities';

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

  async update(id: string, change: Partial<Pick<UserEntity, 'name' | 'roles' | 'agencyCode' | 'approvalLevel' | 'deputy' | 'disabled' | 'passwordHash'>>): Promise<UserEntity | null> {
    if (Object.keys(change).length) await this.db.getRepository(UserEntity).update({ id }, change);
    return this.findById(id);
  }

  /** The user, its row locked until the transaction this repository is bound to ends (two admins' changes in turn). */
  lockById(id: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Waits for, then holds until the transaction ends, the right to create or claim the account of this e-mail. */
  async lockEmail(email: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`appraise:user-email:${email}`]);
  }

  findIdentity(issuer: string, subject: string): Promise<ExternalIdentityEntity | null> {
    return this.db.getRepository(ExternalIdentityEntity).findOneBy({ issuer, subject });
  }

  findIdentityOfUser(userId: string): Promise<ExternalIdentityEntity | null> {
    return this.db.getRepository(ExternalIdentityEntity).findOneBy({ userId });
  }

  /** Links the identity to the user unless the identity, or an identity of the user, exists; returns whether it linked. */
  async insertIdentityIfAbsent(identity: Pick<ExternalIdentityEntity, 'issuer' | 'subject' | 'userId' | 'provisioned'>): Promise<boolean> {
    const result = await this.db.createQueryBuilder().insert().into(ExternalIdentityEntity).values(identity).orIgnore().execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Removes the user's identity if an admin linked it (one the provider provisioned stays); returns the removed one. */
  async deleteLinkedIdentity(userId: string): Promise<ExternalIdentityEntity | null> {
    const identity = await this.findIdentityOfUser(userId);
    if (!identity || identity.provisioned) return null;
    await this.db.getRepository(ExternalIdentityEntity).delete({ issuer: identity.issuer, subject: identity.subject });
    return identity;
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
