import type { DataSource } from 'typeorm';
import type { RecordEntity, UserEntity } from '../entities';
import { RecordsRepository } from '../repositories/records.repository';
import { UsersRepository, type NewUser } from '../repositories/users.repository';
import { AdministrationRecords } from './administration.records';

export type { NewUser };

/**
 * The writer of administration's changes together with their records in the decision log: each
 * method is one change, in one transaction with its record, so an account never exists without
 * the record of who created it.
 */
export class AdministrationLedger {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the user and records it; null, with nothing written, when the e-mail is taken. */
  async createUser(user: NewUser, by: string): Promise<{ user: UserEntity; record: RecordEntity } | null> {
    return this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      if (!(await users.insertIfAbsent(user))) return null;
      const created = await users.findByEmail(user.email);
      if (!created) throw new Error(`user ${user.email} inserted but not found`);
      const record = await new RecordsRepository(manager).append(AdministrationRecords.userCreated(created, by));
      return { user: created, record };
    });
  }
}
