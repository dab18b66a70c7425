import type { UserEntity } from '../entities';
import type { NewRecord } from './evaluation.records';

/**
 * The actor of what is done from the command line before anyone can sign in: the first
 * administrator, created by `npm run admin:create` by whoever holds the database's credentials.
 */
export const BOOTSTRAP_ACTOR = 'bootstrap';

/**
 * Every record of administration (changes to who may do what), built in one place. They belong
 * to no proposal. The administration ledger appends these.
 */
export const AdministrationRecords = {
  userCreated(user: Pick<UserEntity, 'id' | 'email' | 'name' | 'roles' | 'agencyCode' | 'approvalLevel'>, by: string): NewRecord {
    const { id, email, name, roles, agencyCode, approvalLevel } = user;
    return { proposalId: null, actor: by, type: 'ADMIN_USER_CREATED', data: { userId: id, email, name, roles, agencyCode, approvalLevel }, dedupeKey: `user:${id}:CREATED` };
  },
} as const;
