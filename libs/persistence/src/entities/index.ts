import { AgencyEntity } from './agency.entity';
import { ExternalIdentityEntity } from './external-identity.entity';
import { PolicyEntity } from './policy.entity';
import { ProposalVersionEntity } from './proposal-version.entity';
import { ProposalEntity } from './proposal.entity';
import { RecordEntity } from './record.entity';
import { StandardsCatalogueEntity } from './standards-catalogue.entity';
import { TaskEntity } from './task.entity';
import { UserEntity } from './user.entity';

export { AgencyEntity, ExternalIdentityEntity, PolicyEntity, ProposalEntity, ProposalVersionEntity, RecordEntity, StandardsCatalogueEntity, TaskEntity, UserEntity };
export type { TaskRowStatus } from './task.entity';
export type { ProposalStatus, ScreeningIssue } from './proposal.entity';

export const ENTITIES = [
  AgencyEntity,
  UserEntity,
  ExternalIdentityEntity,
  StandardsCatalogueEntity,
  PolicyEntity,
  ProposalEntity,
  ProposalVersionEntity,
  RecordEntity,
  TaskEntity,
];
