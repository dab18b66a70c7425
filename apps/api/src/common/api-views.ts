import { ApiProperty } from '@nestjs/swagger';
import {
  APPROVAL_LEVELS,
  PROPOSAL_STATUSES,
  ROLES,
  TASK_STATUSES,
  TASK_TYPES,
  TIERS,
  type AdminUserView,
  type AgencyView,
  type AuditPublicKeysView,
  type AuditPublicKeyView,
  type AuditRecordView,
  type ChainVerificationReport,
  type CheckpointView,
  type VerificationJobStarted,
  type VerificationJobStatus,
  type VerificationJobView,
  type ApplicableStandardView,
  type ChainVerification,
  type DecisionResult,
  type EarlierOpinionView,
  type FieldError,
  type HistoryRecordView,
  type HistoryView,
  type IdentityLinkView,
  type Items,
  type Metrics,
  type Page,
  type ProposalData,
  type ProposalStatus,
  type ProposalStatusResult,
  type ProposalSummaryView,
  type ProposalView,
  type RecordType,
  type Role,
  type Route,
  type SelfAssessmentAnswer,
  type StandardArea,
  type StandardToRate,
  type SubmitResult,
  type TaskDetailView,
  type TaskProposalView,
  type TaskStatus,
  type TaskType,
  type TaskView,
  type Tier,
} from '../../../../libs/http-contract';

/**
 * Response schemas of the OpenAPI document. Each class implements the contract's view
 * (libs/http-contract) that the API's view builders return, so the document cannot drift from
 * what the API sends without a compile error. Objects may carry more fields than listed (the
 * proposal's own data, for one); the listed ones are always there. A property typed with one of
 * the contract's string unions names `type: String`: the emitted metadata would say Object.
 */
const dateTime = { type: String, format: 'date-time' } as const;

export class TaskViewDto implements TaskView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) proposalId: string;
  @ApiProperty() proposalTitle: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty({ enum: TASK_TYPES }) type: TaskType;
  @ApiProperty({ type: String, enum: APPROVAL_LEVELS, nullable: true }) approvalLevel: string | null;
  @ApiProperty({ enum: TASK_STATUSES }) status: TaskStatus;
  @ApiProperty() candidateRole: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId: string | null;
  @ApiProperty(dateTime) dueAt: string;
  @ApiProperty() escalated: boolean;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) completedAt: string | null;
}

export class TaskPageDto implements Page<TaskView> {
  @ApiProperty({ type: [TaskViewDto] }) items: TaskViewDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

/** The version under review; its data (the fields of the draft body) is not itemised. */
class TaskProposalDto implements Omit<TaskProposalView, keyof ProposalData> {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: ProposalStatus;
  @ApiProperty({ type: String, enum: TIERS, nullable: true }) tier: Tier | null;
  @ApiProperty({ type: [String], nullable: true }) tierReasons: string[] | null;
}

/** Leaves out the task's own `decision`, which the view also sends: the document has never described it. */
export class TaskDetailDto extends TaskViewDto implements Omit<TaskDetailView, 'decision'> {
  @ApiProperty({ type: TaskProposalDto, description: 'The version under review, with its data' }) proposal: TaskProposalDto & ProposalData;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) applicableStandards: StandardToRate[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) selfAssessment: SelfAssessmentAnswer[];
  @ApiProperty({ type: 'object', additionalProperties: true }) metrics: Metrics;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) opinions: EarlierOpinionView[];
}

class ProposalStatusDto implements ProposalStatusResult {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: ProposalStatus;
  @ApiProperty({ type: [String] }) stages: string[];
}

export class DecisionResultDto implements DecisionResult {
  @ApiProperty({ type: TaskViewDto }) task: TaskViewDto;
  @ApiProperty({ type: ProposalStatusDto }) proposal: ProposalStatusDto;
}

export class ProposalStatusResultDto extends ProposalStatusDto {}

export class SubmitResultDto implements SubmitResult {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['SUBMITTED'] satisfies SubmitResult['status'][] }) status: SubmitResult['status'];
  @ApiProperty({ example: 'proposal-uuid' }) workflowId: string;
}

export class ProposalSummaryDto implements ProposalSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: ProposalStatus;
  @ApiProperty({ type: [String] }) stages: string[];
  @ApiProperty({ type: String, enum: TIERS, nullable: true }) tier: Tier | null;
  @ApiProperty({ type: 'integer' }) requestedAmount: number;
  @ApiProperty({ type: 'integer' }) currentVersion: number;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(dateTime) updatedAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) submittedAt: string | null;
}

export class ProposalPageDto implements Page<ProposalSummaryView> {
  @ApiProperty({ type: [ProposalSummaryDto] }) items: ProposalSummaryDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

class ApplicableStandardDto implements ApplicableStandardView {
  @ApiProperty() code: string;
  @ApiProperty({ type: String }) area: StandardArea;
  @ApiProperty() title: string;
  @ApiProperty() mandatory: boolean;
}

/** The proposal with its data (the fields of the draft body) and what the evaluation made of it. */
export class ProposalDto extends ProposalSummaryDto implements ProposalView {
  @ApiProperty({ type: [String] }) tierReasons: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Reviews, approval levels and service levels, once triaged' }) route: Route | null;
  @ApiProperty({ type: [ApplicableStandardDto] }) applicableStandards: ApplicableStandardDto[];
  @ApiProperty() catalogueVersion: string;
  @ApiProperty() policyVersion: string;
  @ApiProperty({ type: String, nullable: true }) workflowId: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) screeningIssues: FieldError[];
  @ApiProperty({ type: [TaskViewDto] }) openTasks: TaskViewDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) outcome: ProposalView['outcome'];
  @ApiProperty({ type: 'object', additionalProperties: true }) metrics: Metrics;
}

class RecordDto implements HistoryRecordView {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty(dateTime) at: string;
  @ApiProperty({ description: 'Who: an e-mail, or system' }) actor: string;
  @ApiProperty({ type: String }) type: RecordType;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) prevHash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash: string;
}

export class HistoryDto implements HistoryView {
  @ApiProperty({ type: [RecordDto] }) items: RecordDto[];
}

export class AdminUserDto implements AdminUserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty() agencyCode: string;
  @ApiProperty({ type: String, enum: APPROVAL_LEVELS, nullable: true }) approvalLevel: string | null;
  @ApiProperty() deputy: boolean;
  @ApiProperty() disabled: boolean;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(dateTime) updatedAt: string;
}

export class AdminUserPageDto implements Page<AdminUserView> {
  @ApiProperty({ type: [AdminUserDto] }) items: AdminUserDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class IdentityLinkDto implements IdentityLinkView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'https://idp.gob.example' }) issuer: string;
  @ApiProperty({ example: '12345678-9' }) subject: string;
  @ApiProperty({ description: 'True: the provider made the account and owns its roles and agency; false: an admin linked a local account' }) provisioned: boolean;
  @ApiProperty(dateTime) createdAt: string;
}

export class AgencyDto implements AgencyView {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty(dateTime) createdAt: string;
}

export class AgencyListDto implements Items<AgencyView> {
  @ApiProperty({ type: [AgencyDto] }) items: AgencyDto[];
}

export class ChainVerificationDto implements ChainVerification {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: 'integer', description: 'Records re-hashed' }) records: number;
  @ApiProperty({ type: 'integer', nullable: true }) firstBadSeq: number | null;
}

export class CheckpointDto implements CheckpointView {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash: string;
  @ApiProperty(dateTime) signedAt: string;
  @ApiProperty({ pattern: '^[0-9a-f]{16}$' }) keyId: string;
  @ApiProperty({ description: 'Ed25519 signature of the checkpoint message, base64' }) signature: string;
}

export class CheckpointPageDto implements Page<CheckpointView> {
  @ApiProperty({ type: [CheckpointDto] }) items: CheckpointDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class AuditPublicKeyDto implements AuditPublicKeyView {
  @ApiProperty({ pattern: '^[0-9a-f]{16}$' }) keyId: string;
  @ApiProperty({ description: 'SPKI public key, PEM' }) pem: string;
}

export class AuditPublicKeysDto implements AuditPublicKeysView {
  @ApiProperty({ type: AuditPublicKeyDto, nullable: true }) current: AuditPublicKeyDto | null;
  @ApiProperty({ type: [AuditPublicKeyDto], description: 'Keys that signed earlier checkpoints' }) previous: AuditPublicKeyDto[];
}

export class AuditRecordDto implements AuditRecordView {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty(dateTime) at: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) proposalId: string | null;
  @ApiProperty() actor: string;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditRecordPageDto implements Page<AuditRecordView> {
  @ApiProperty({ type: [AuditRecordDto] }) items: AuditRecordDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

class CheckpointRefDto {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty() hash: string;
  @ApiProperty(dateTime) signedAt: string;
  @ApiProperty() keyId: string;
}

export class ChainVerificationReportDto extends ChainVerificationDto implements ChainVerificationReport {
  @ApiProperty({ type: 'integer', description: 'Records after this seq were re-hashed (0: the whole log)' }) from: number;
  @ApiProperty({ type: CheckpointRefDto, nullable: true, description: 'The checkpoint verification started from' }) checkpoint: CheckpointRefDto | null;
  @ApiProperty({ type: [String], description: 'Checkpoints whose signature or hash did not hold' }) problems: string[];
}

const JOB_STATUSES = ['PENDING', 'RUNNING', 'PASSED', 'FAILED'] as const;

export class VerificationJobStartedDto implements VerificationJobStarted {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, enum: JOB_STATUSES }) status: VerificationJobStatus;
}

export class VerificationJobDto implements VerificationJobView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, enum: JOB_STATUSES }) status: VerificationJobStatus;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ type: 'integer' }) checked: number;
  @ApiProperty({ type: 'integer', nullable: true }) total: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) ok: boolean | null;
  @ApiProperty({ type: 'integer', nullable: true }) firstBadSeq: number | null;
  @ApiProperty({ type: [String], description: 'Checkpoints whose signature or hash did not hold' }) problems: string[];
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) startedAt: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) finishedAt: string | null;
}

export class VerificationJobPageDto implements Page<VerificationJobView> {
  @ApiProperty({ type: [VerificationJobDto] }) items: VerificationJobDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}
