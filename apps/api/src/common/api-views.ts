import { ApiProperty } from '@nestjs/swagger';
import { ROLES, APPROVAL_LEVELS, PROPOSAL_STATUSES, TIERS } from '../../../../libs/domain';

/**
 * Response schemas of the OpenAPI document: what the views (proposal.view.ts, task.view.ts,
 * the admin views) return, with the same nullability. Objects may carry more fields than listed
 * (the proposal's own data, for one); the listed ones are always there.
 */
const TASK_TYPES = ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW', 'APPROVAL'];
const TASK_STATUSES = ['OPEN', 'DONE', 'CANCELLED'];
const dateTime = { type: String, format: 'date-time' } as const;

export class TaskViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) proposalId: string;
  @ApiProperty() proposalTitle: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty({ enum: TASK_TYPES }) type: string;
  @ApiProperty({ type: String, enum: APPROVAL_LEVELS, nullable: true }) approvalLevel: string | null;
  @ApiProperty({ enum: TASK_STATUSES }) status: string;
  @ApiProperty() candidateRole: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId: string | null;
  @ApiProperty(dateTime) dueAt: string;
  @ApiProperty() escalated: boolean;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) completedAt: string | null;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskViewDto] }) items: TaskViewDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

class TaskProposalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: string;
  @ApiProperty({ type: String, enum: TIERS, nullable: true }) tier: string | null;
  @ApiProperty({ type: [String], nullable: true }) tierReasons: string[] | null;
}

export class TaskDetailDto extends TaskViewDto {
  @ApiProperty({ type: TaskProposalDto, description: 'The version under review, with its data' }) proposal: TaskProposalDto;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) applicableStandards: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) selfAssessment: object[];
  @ApiProperty({ type: 'object', additionalProperties: true }) metrics: object;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) opinions: object[];
}

class ProposalStatusDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: string;
  @ApiProperty({ type: [String] }) stages: string[];
}

export class DecisionResultDto {
  @ApiProperty({ type: TaskViewDto }) task: TaskViewDto;
  @ApiProperty({ type: ProposalStatusDto }) proposal: ProposalStatusDto;
}

export class ProposalStatusResultDto extends ProposalStatusDto {}

export class SubmitResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['SUBMITTED'] }) status: string;
  @ApiProperty({ example: 'proposal-uuid' }) workflowId: string;
}

export class ProposalSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: string;
  @ApiProperty({ type: [String] }) stages: string[];
  @ApiProperty({ type: String, enum: TIERS, nullable: true }) tier: string | null;
  @ApiProperty({ type: 'integer' }) requestedAmount: number;
  @ApiProperty({ type: 'integer' }) currentVersion: number;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(dateTime) updatedAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) submittedAt: string | null;
}

export class ProposalPageDto {
  @ApiProperty({ type: [ProposalSummaryDto] }) items: ProposalSummaryDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

class ApplicableStandardDto {
  @ApiProperty() code: string;
  @ApiProperty() area: string;
  @ApiProperty() title: string;
  @ApiProperty() mandatory: boolean;
}

/** The proposal with its data (the fields of the draft body) and what the evaluation made of it. */
export class ProposalDto extends ProposalSummaryDto {
  @ApiProperty({ type: [String] }) tierReasons: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Reviews, approval levels and service levels, once triaged' }) route: object | null;
  @ApiProperty({ type: [ApplicableStandardDto] }) applicableStandards: ApplicableStandardDto[];
  @ApiProperty() catalogueVersion: string;
  @ApiProperty() policyVersion: string;
  @ApiProperty({ type: String, nullable: true }) workflowId: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) screeningIssues: object[];
  @ApiProperty({ type: [TaskViewDto] }) openTasks: TaskViewDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) outcome: object | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metrics: object;
}

class RecordDto {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty(dateTime) at: string;
  @ApiProperty({ description: 'Who: an e-mail, or system' }) actor: string;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: object;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) prevHash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash: string;
}

export class HistoryDto {
  @ApiProperty({ type: [RecordDto] }) items: RecordDto[];
}

export class AdminUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty() agencyCode: string;
  @ApiProperty({ type: String, enum: APPROVAL_LEVELS, nullable: true }) approvalLevel: string | null;
  @ApiProperty() deputy: boolean;
  @ApiProperty() disabled: boolean;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(dateTime) updatedAt: string;
}

export class AdminUserPageDto {
  @ApiProperty({ type: [AdminUserDto] }) items: AdminUserDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class AgencyDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty(dateTime) createdAt: string;
}

export class AgencyListDto {
  @ApiProperty({ type: [AgencyDto] }) items: AgencyDto[];
}

export class ChainVerificationDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: 'integer' }) records: number;
  @ApiProperty({ type: 'integer', nullable: true }) firstBadSeq: number | null;
}
