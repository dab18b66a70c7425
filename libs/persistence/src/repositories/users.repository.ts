import type { DataSource } from 'typeorm';
import { AgencyEntity, UserEntity } from '../entities';

export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ email: email.trim().toLowerCase() });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }

  /**
   * Active people who could take a task: the role (and level), not of the proposal's agency,
   * and not among those separation of duties excludes.
   */
  eligibleFor(criteria: { role: string; approvalLevel: string | null; notAgency: string; excludedIds: string[] }): Promise<UserEntity[]> {
    const q = this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.disabled = false AND :role = ANY(u.roles) AND u.agency_code <> :agency', { role: criteria.role, agency: criteria.notAgency });
    if (criteria.approvalLevel) q.andWhere('u.approval_level = :level', { level: criteria.approvalLevel });
    if (criteria.excludedIds.length) q.andWhere('u.id NOT IN (:...excluded)', { excluded: criteria.excludedIds });
    return q.orderBy('u.email', 'ASC').getMany();
  }

  /** Inserts the user unless one with that e-mail exists; returns whether it inserted. */
  async insertIfAbsent(user: Omit<UserEntity, 'id' | 'createdAt' | 'updatedAt'>): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(user)
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async insertAgencyIfAbsent(agency: Pick<AgencyEntity, 'code' | 'name'>): Promise<boolean> {
    const result = await this.dataSource.createQueryBuilder().insert().into(AgencyEntity).values(agency).orIgnore().execute();
    return (result.raw as unknown[]).length > 0;
  }
}
