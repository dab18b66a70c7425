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
