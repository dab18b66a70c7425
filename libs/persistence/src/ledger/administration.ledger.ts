import type { DataSource } from 'typeorm';
import type { Policy, StandardsCatalogue } from '../../../domain';
import type { AgencyEntity, ExternalIdentityEntity, RecordEntity, UserEntity } from '../entities';
import { CatalogueRepository } from '../repositories/catalogue.repository';
import { RecordsRepository } from '../repositories/records.repository';
import { UsersRepository, type NewUser } from '../repositories/users.repository';
import { AdministrationRecords, profileChange, type IdentityRef, type UserProfile } from './administration.records';
import type { NewRecord } from './evaluation.records';

export type { NewUser };

/** What an admin may change of an account; undefined leaves a field as it is. */
export interface UserChange extends Partial<UserProfile> {
  disabled?: boolean;
  /** A new password's hash: recorded as a reset, never the hash itself. */
  passwordHash?: string;
}

/** Who an identity provider says the caller is, in our terms, with the identity that names them. */
export interface ProviderClaims extends IdentityRef {
  email: string;
  name: string;
  roles: string[];
  agencyCode: string;
  approvalLevel: string | null;
}

/**
 * Whether a person an identity provider vouches for may sign in, and as whom. Refused: the claims
 * name an agency we do not have (for an account the provider owns), or the e-mail belongs to an
 * account this identity is not linked to (a local account, or another identity's) and an admin
 * must link them.
 */
export type ExternalAdmission = { user: UserEntity } | { refused: 'UNKNOWN_AGENCY' | 'EMAIL_TAKEN' };

export type IdentityLink = { linked: ExternalIdentityEntity; user: UserEntity } | { refused: 'USER_NOT_FOUND' | 'IDENTITY_TAKEN' | 'USER_HAS_IDENTITY' };

export type IdentityUnlink = { unlinked: ExternalIdentityEntity } | { refused: 'USER_NOT_FOUND' | 'NO_LINKED_IDENTITY' };

/** What the provider owns of an account it made. Deputies are named by admins. */
function providerProfile(claims: ProviderClaims): Partial<UserProfile> {
  return { name: claims.name, roles: claims.roles, agencyCode: claims.agencyCode, approvalLevel: claims.approvalLevel };
}

/**
 * The writer of administration's changes together with their records in the decision log: each
 * method is one change, in one transaction with its records, so an account, a role, an agency or a
 * published version never exists without the record of who made it and what it was before. An
 * account being changed is locked for the transaction, so two admins' changes are recorded in the
 * order they happened, each with the values it really replaced.
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

  /**
   * Applies an admin's change to an account and records each part of it (profile, disabled or
   * enabled, password reset) with the values it replaced; a change that changes nothing records
   * nothing. Null when there is no such user.
   */
  async updateUser(id: string, change: UserChange, by: string): Promise<{ user: UserEntity; records: RecordEntity[] } | null> {
    return this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      const before = await users.lockById(id);
      if (!before) return null;
      const profile = profileChange(before, change);
      const toggled = change.disabled !== undefined && change.disabled !== before.disabled;
      const toRecord: NewRecord[] = [];
      if (profile) toRecord.push(AdministrationRecords.userUpdated(before, profile, by));
      if (toggled) toRecord.push(AdministrationRecords.userDisabled(before, change.disabled === true, by));
      if (change.passwordHash) toRecord.push(AdministrationRecords.passwordReset(before, by));
      if (!toRecord.length) return { user: before, records: [] };
      const user = await users.update(id, { ...profile?.after, ...(toggled ? { disabled: change.disabled } : {}), ...(change.passwordHash ? { passwordHash: change.passwordHash } : {}) });
      if (!user) throw new Error(`user ${id} locked but not found`);
      const records = new RecordsRepository(manager);
      const appended: RecordEntity[] = [];
      for (const record of toRecord) appended.push(await records.append(record));
      return { user, records: appended };
    });
  }

  /** Registers the agency and records it; null, with nothing written, when the code is taken. */
  async createAgency(agency: Pick<AgencyEntity, 'code' | 'name'>, by: string): Promise<AgencyEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      if (!(await users.insertAgencyIfAbsent(agency))) return null;
      const created = await users.findAgency(agency.code);
      if (!created) throw new Error(`agency ${agency.code} inserted but not found`);
      await new RecordsRepository(manager).append(AdministrationRecords.agencyCreated(created, by));
      return created;
    });
  }

  /** Publishes the catalogue version and records it (with the hash of what was stored); false, nothing written, when the version exists. */
  async publishCatalogue(catalogue: StandardsCatalogue, by: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const catalogues = new CatalogueRepository(manager);
      if (!(await catalogues.insertCatalogueIfAbsent(catalogue, by))) return false;
      const stored = await catalogues.catalogue(catalogue.version);
      if (!stored) throw new Error(`catalogue ${catalogue.version} inserted but not found`);
      await new RecordsRepository(manager).append(AdministrationRecords.cataloguePublished(stored, by));
      return true;
    });
  }

  /** Publishes the policy version and records it (with the hash of what was stored); false, nothing written, when the version exists. */
  async publishPolicy(policy: Policy, by: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const catalogues = new CatalogueRepository(manager);
      if (!(await catalogues.insertPolicyIfAbsent(policy, by))) return false;
      const stored = await catalogues.policy(policy.version);
      if (!stored) throw new Error(`policy ${policy.version} inserted but not found`);
      await new RecordsRepository(manager).append(AdministrationRecords.policyPublished(stored, by));
      return true;
    });
  }

  /** An admin's word that a provider identity is this local account's owner; its roles and agency stay the admins'. */
  async linkIdentity(userId: string, identity: IdentityRef, by: string): Promise<IdentityLink> {
    return this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      const user = await users.lockById(userId);
      if (!user) return { refused: 'USER_NOT_FOUND' };
      if (await users.findIdentityOfUser(userId)) return { refused: 'USER_HAS_IDENTITY' };
      if (!(await users.insertIdentityIfAbsent({ ...identity, userId, provisioned: false }))) return { refused: 'IDENTITY_TAKEN' };
      const linked = await users.findIdentity(identity.issuer, identity.subject);
      if (!linked) throw new Error(`identity ${identity.issuer} ${identity.subject} inserted but not found`);
      await new RecordsRepository(manager).append(AdministrationRecords.identityLinked(user, identity, true, by));
      return { linked, user };
    });
  }

  /**
   * Undoes an admin's link (e.g. to the wrong person): the provider's person is then refused again.
   * An identity the provider provisioned is the account's only way in and is not unlinked.
   */
  async unlinkIdentity(userId: string, by: string): Promise<IdentityUnlink> {
    return this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      const user = await users.lockById(userId);
      if (!user) return { refused: 'USER_NOT_FOUND' };
      const unlinked = await users.deleteLinkedIdentity(userId);
      if (!unlinked) return { refused: 'NO_LINKED_IDENTITY' };
      await new RecordsRepository(manager).append(AdministrationRecords.identityLinked(user, unlinked, false, by));
      return { unlinked };
    });
  }

  /**
   * The account a provider's signed-in person uses. Known identity: its account, which follows the
   * claims (recorded) only if the provider made it. Unknown identity: a new account provisioned
   * (recorded) when nobody has the e-mail; refused when a local account has it. Reading only,
   * when nothing changes (every request of a provider's user comes through here).
   */
  async admitExternal(claims: ProviderClaims): Promise<ExternalAdmission> {
    const users = new UsersRepository(this.dataSource);
    const known = await users.findIdentity(claims.issuer, claims.subject);
    if (known) {
      const user = await users.findById(known.userId);
      if (!user) throw new Error(`identity ${claims.issuer} ${claims.subject} names a user that does not exist`);
      if (!known.provisioned || !profileChange(user, providerProfile(claims))) return { user };
      return this.followProvider(known.userId, claims);
    }
    const admitted = await this.dataSource.transaction(async (manager): Promise<ExternalAdmission | 'AGAIN'> => {
      const txUsers = new UsersRepository(manager);
      await txUsers.lockEmail(claims.email);
      // Another request of the same person may have provisioned it while this one waited.
      if (await txUsers.findIdentity(claims.issuer, claims.subject)) return 'AGAIN';
      const holder = await txUsers.findByEmail(claims.email);
      // A local account (it has a password, or an identity of its own) is never taken over by an e-mail claim.
      if (holder && (holder.passwordHash !== null || (await txUsers.findIdentityOfUser(holder.id)))) return { refused: 'EMAIL_TAKEN' };
      if (!(await txUsers.findAgency(claims.agencyCode))) return { refused: 'UNKNOWN_AGENCY' };
      const records = new RecordsRepository(manager);
      if (holder) {
        // Made by the provider, matched by e-mail, before identities were kept: it gets its identity now.
        await txUsers.insertIdentityIfAbsent({ issuer: claims.issuer, subject: claims.subject, userId: holder.id, provisioned: true });
        await records.append(AdministrationRecords.userProvisioned(holder, claims, true));
        return 'AGAIN';
      }
      const user: NewUser = { email: claims.email, name: claims.name, roles: claims.roles, agencyCode: claims.agencyCode, approvalLevel: claims.approvalLevel, passwordHash: null, deputy: false, disabled: false };
      if (!(await txUsers.insertIfAbsent(user))) throw new Error(`user ${claims.email} appeared under the e-mail's lock`);
      const created = await txUsers.findByEmail(claims.email);
      if (!created) throw new Error(`user ${claims.email} inserted but not found`);
      await txUsers.insertIdentityIfAbsent({ issuer: claims.issuer, subject: claims.subject, userId: created.id, provisioned: true });
      await records.append(AdministrationRecords.userProvisioned(created, claims, false));
      return { user: created };
    });
    return admitted === 'AGAIN' ? this.admitExternal(claims) : admitted;
  }

  /** An account the provider made takes the claims' roles, agency, level and name, recorded with what they replaced. */
  private async followProvider(userId: string, claims: ProviderClaims): Promise<ExternalAdmission> {
    return this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      const before = await users.lockById(userId);
      if (!before) throw new Error(`user ${userId} not found`);
      const change = profileChange(before, providerProfile(claims));
      if (!change) return { user: before };
      if (change.after.agencyCode !== undefined && !(await users.findAgency(change.after.agencyCode))) return { refused: 'UNKNOWN_AGENCY' };
      const user = await users.update(userId, change.after);
      if (!user) throw new Error(`user ${userId} locked but not found`);
      await new RecordsRepository(manager).append(AdministrationRecords.userUpdatedByProvider(before, claims, change));
      return { user };
    });
  }
}
