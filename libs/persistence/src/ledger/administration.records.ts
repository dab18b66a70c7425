import { randomUUID } from 'node:crypto';
import type { Policy, StandardsCatalogue } from '../../../domain';
import type { AgencyEntity, UserEntity } from '../entities';
import { contentHash } from '../record-chain';
import type { NewRecord } from './evaluation.records';

/**
 * The actor of what is done from the command line before anyone can sign in: the first
 * administrator, created by `npm run admin:create` by whoever holds the database's credentials.
 */
export const BOOTSTRAP_ACTOR = 'bootstrap';

/** The actor of what an identity provider's claims change: `identity-provider:<issuer>`. */
export function providerActor(issuer: string): string {
  return `identity-provider:${issuer}`;
}

/** The fields of an account an admin (or, for the accounts it made, the identity provider) may change. */
export const USER_PROFILE_FIELDS = ['name', 'roles', 'agencyCode', 'approvalLevel', 'deputy'] as const;
export type UserProfileField = (typeof USER_PROFILE_FIELDS)[number];
export type UserProfile = Pick<UserEntity, UserProfileField>;

/** The changed fields only, as they were and as they are: null when nothing changes. */
export function profileChange(before: UserProfile, wanted: Partial<UserProfile>): { before: Partial<UserProfile>; after: Partial<UserProfile> } | null {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const field of USER_PROFILE_FIELDS) {
    const value = wanted[field];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(before[field])) continue;
    was[field] = before[field];
    now[field] = value;
  }
  return Object.keys(now).length ? { before: was as Partial<UserProfile>, after: now as Partial<UserProfile> } : null;
}

/** A provider identity, as records name it. */
export interface IdentityRef {
  issuer: string;
  subject: string;
}

type UserRef = Pick<UserEntity, 'id' | 'email'>;

/**
 * Every record of administration (changes to who may do what, and to the reference data
 * evaluations are measured against), built in one place. They belong to no proposal. The
 * administration ledger appends these. A change with no natural name of its own (the n-th edit
 * of an account) gets a random one in its dedupe key: each is one event, never a retry.
 */
export const AdministrationRecords = {
  userCreated(user: Pick<UserEntity, 'id' | 'email' | 'name' | 'roles' | 'agencyCode' | 'approvalLevel' | 'deputy'>, by: string): NewRecord {
    const { id, email, name, roles, agencyCode, approvalLevel, deputy } = user;
    return { proposalId: null, actor: by, type: 'ADMIN_USER_CREATED', data: { userId: id, email, name, roles, agencyCode, approvalLevel, deputy }, dedupeKey: `user:${id}:CREATED` };
  },

  userUpdated(user: UserRef, change: { before: Partial<UserProfile>; after: Partial<UserProfile> }, by: string): NewRecord {
    return { proposalId: null, actor: by, type: 'ADMIN_USER_UPDATED', data: { userId: user.id, email: user.email, ...change }, dedupeKey: `user:${user.id}:UPDATED:${randomUUID()}` };
  },

  userDisabled(user: UserRef, disabled: boolean, by: string): NewRecord {
    const type = disabled ? 'ADMIN_USER_DISABLED' : 'ADMIN_USER_ENABLED';
    return { proposalId: null, actor: by, type, data: { userId: user.id, email: user.email }, dedupeKey: `user:${user.id}:${type}:${randomUUID()}` };
  },

  passwordReset(user: UserRef, by: string): NewRecord {
    return { proposalId: null, actor: by, type: 'ADMIN_PASSWORD_RESET', data: { userId: user.id, email: user.email }, dedupeKey: `user:${user.id}:PASSWORD_RESET:${randomUUID()}` };
  },

  agencyCreated(agency: Pick<AgencyEntity, 'code' | 'name'>, by: string): NewRecord {
    return { proposalId: null, actor: by, type: 'ADMIN_AGENCY_CREATED', data: { code: agency.code, name: agency.name }, dedupeKey: `agency:${agency.code}:CREATED` };
  },

  /** The catalogue as stored: its version, how many standards, and the sha256 of its canonical JSON ({ version, standards }). */
  cataloguePublished(catalogue: StandardsCatalogue, by: string): NewRecord {
    const data = { version: catalogue.version, standards: catalogue.standards.length, sha256: contentHash({ version: catalogue.version, standards: catalogue.standards }) };
    return { proposalId: null, actor: by, type: 'CATALOGUE_PUBLISHED', data, dedupeKey: `catalogue:${catalogue.version}:PUBLISHED` };
  },

  /** The policy as stored: its version and the sha256 of its canonical JSON (what GET /policy returns). */
  policyPublished(policy: Policy, by: string): NewRecord {
    return { proposalId: null, actor: by, type: 'POLICY_PUBLISHED', data: { version: policy.version, sha256: contentHash(policy) }, dedupeKey: `policy:${policy.version}:PUBLISHED` };
  },

  /** An account the provider made on first sign-in (or, `adopted`, one it made before identities were kept, now given its identity). */
  userProvisioned(user: Pick<UserEntity, 'id' | 'email' | 'name' | 'roles' | 'agencyCode' | 'approvalLevel'>, identity: IdentityRef, adopted: boolean): NewRecord {
    const { id, email, name, roles, agencyCode, approvalLevel } = user;
    return {
      proposalId: null,
      actor: providerActor(identity.issuer),
      type: 'USER_PROVISIONED',
      data: { userId: id, email, name, roles, agencyCode, approvalLevel, issuer: identity.issuer, subject: identity.subject, ...(adopted ? { adopted } : {}) },
      dedupeKey: `identity:${identity.issuer}:${identity.subject}:PROVISIONED:${randomUUID()}`,
    };
  },

  userUpdatedByProvider(user: UserRef, identity: IdentityRef, change: { before: Partial<UserProfile>; after: Partial<UserProfile> }): NewRecord {
    return {
      proposalId: null,
      actor: providerActor(identity.issuer),
      type: 'USER_UPDATED_BY_PROVIDER',
      data: { userId: user.id, email: user.email, issuer: identity.issuer, subject: identity.subject, ...change },
      dedupeKey: `user:${user.id}:PROVIDER_UPDATED:${randomUUID()}`,
    };
  },

  /** An identity linked to, or (`linked` false) unlinked from, a local account by an admin; an identity may be linked again after. */
  identityLinked(user: UserRef, identity: IdentityRef, linked: boolean, by: string): NewRecord {
    const type = linked ? 'IDENTITY_LINKED' : 'IDENTITY_UNLINKED';
    return {
      proposalId: null,
      actor: by,
      type,
      data: { userId: user.id, email: user.email, issuer: identity.issuer, subject: identity.subject },
      dedupeKey: `identity:${identity.issuer}:${identity.subject}:${type}:${randomUUID()}`,
    };
  },
} as const;
