/**
 * The HTTP contract (../shared/API.md) as types: the body of every response the API returns,
 * the enumerations and the role matrix it applies, for both of its sides. The API's views are
 * typed with these interfaces and its OpenAPI classes implement them; the web interface reads
 * the API through them. No decorators and no imports but libs/domain, so the browser loads this
 * file as tsc emits it (apps/web/tsconfig.json).
 */
import type {
  Actor,
  AuditRecord,
  ChainVerification,
  ActorRef,
  ApprovalDecision,
  FieldError,
  Metrics,
  Outcome,
  OutcomeRow,
  PortfolioFigures,
  PortfolioPeriod,
  ProposalData,
  ProposalStatus,
  RecordType,
  ReviewDecision,
  Route,
  SelfAssessmentAnswer,
  StandardDefinition,
  TaskStatus,
  TaskType,
  Tier,
  WorkloadRow,
} from '../../domain/index.js';

// ----- what the API exposes of the domain -------------------------------------------------

export {
  APPROVAL_CHOICES,
  APPROVAL_LEVELS,
  COST_CATEGORIES,
  COST_KINDS,
  isClosedStatus,
  mayReach,
  OUTCOME_STATUSES,
  PROPOSAL_CATEGORIES,
  PROPOSAL_FLAGS,
  PROPOSAL_STATUSES,
  RECORD_TYPES,
  REVIEW_OPINIONS,
  RISK_FACTORS,
  ROLE_ACCESS,
  ROLES,
  TASK_STATUSES,
  TASK_TYPES,
  TIERS,
  VERDICTS,
} from '../../domain/index.js';
export type {
  ActorRef,
  ApprovalChoice,
  ApprovalDecision,
  ApprovalLevel,
  BenefitLine,
  ChainVerification,
  Condition,
  ConditionFigures,
  ConditionItem,
  CostCategory,
  CostKind,
  CostLine,
  FieldError,
  Metrics,
  Outcome,
  OutcomeCondition,
  OutcomeRow,
  OutcomeStatus,
  Percentiles,
  Policy,
  PortfolioFigures,
  PortfolioPeriod,
  ProposalCategory,
  ProposalData,
  ProposalFlag,
  ProposalStatus,
  RecordType,
  ReviewDecision,
  ReviewOpinion,
  RiskFactor,
  Role,
  RoleAccess,
  Route,
  SelfAssessmentAnswer,
  StandardApplicability,
  StandardArea,
  StandardDefinition,
  StandardsCatalogue,
  TaskStatus,
  TaskType,
  Tier,
  Verdict,
  WorkloadRow,
} from '../../domain/index.js';

// ----- common shapes ------------------------------------------------------------------------

/** A page of a list: `GET /proposals`, `/tasks`, `/outcomes`, `/admin/users`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A whole list, unpaged. */
export interface Items<T> {
  items: T[];
}

/** RFC 9457 problem details: every error leaves the API as `application/problem+json` in this shape. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  /** One entry per invalid field, its path dotted with indexes: `costs[0].amount`. */
  errors?: FieldError[];
  correlationId: string;
}

export type HealthCheck = 'up' | 'down';

/** `GET /health`: 200 when both are up, 503 otherwise. */
export interface HealthView {
  status: 'ok' | 'error';
  checks: { database: HealthCheck; temporal: HealthCheck };
}

// ----- sign-in and administration -----------------------------------------------------------

/** The signed-in user (`GET /auth/me`). */
export type UserView = Pick<Actor, 'id' | 'email' | 'name' | 'roles' | 'agencyCode' | 'approvalLevel'>;

/** `POST /auth/token`. */
export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
  user: UserView;
}

/** What the sign-in page offers (`GET /auth/options`, public). */
export interface SignInOptions {
  /** Whether e-mail and password sign-in is on (off when an identity provider replaces it). */
  localLogin: boolean;
  /** The seeded demo accounts of a development stack; null in production, which never has them. */
  demoAccounts: { password: string; emails: string[] } | null;
}

/** A user as admins manage them (`/admin/users`). */
export interface AdminUserView extends UserView {
  deputy: boolean;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A provider identity (issuer and subject) and the account it signs in to. */
export interface IdentityLinkView {
  userId: string;
  issuer: string;
  subject: string;
  /** True: the provider made the account and owns its roles and agency; false: an admin linked a local account. */
  provisioned: boolean;
  createdAt: string;
}

export interface AgencyView {
  code: string;
  name: string;
  createdAt: string;
}

// ----- tasks ---------------------------------------------------------------------------------

/** `GET /tasks?scope=`: assigned to me, open and mine to take, or all of them (oversight). */
export const TASK_SCOPES = ['mine', 'available', 'all'] as const;
export type TaskScope = (typeof TASK_SCOPES)[number];

export interface TaskView {
  id: string;
  proposalId: string;
  proposalTitle: string;
  agencyCode: string;
  type: TaskType;
  approvalLevel: string | null;
  status: TaskStatus;
  candidateRole: string;
  assigneeId: string | null;
  dueAt: string;
  escalated: boolean;
  createdAt: string;
  completedAt: string | null;
}

/** The version a task is about: its data, with the proposal's status and tier. */
export interface TaskProposalView extends ProposalData {
  id: string;
  version: number;
  status: ProposalStatus;
  tier: Tier | null;
  tierReasons: string[] | null;
}

/** A standard the task's verdicts must cover. */
export type StandardToRate = Pick<StandardDefinition, 'code' | 'title' | 'mandatory'>;

/** A review decided earlier on the same proposal. */
export interface EarlierOpinionView {
  taskId: string;
  type: TaskType;
  version: number;
  decidedBy: string | null;
  completedAt: string | null;
  decision: ReviewDecision;
}

/** `GET /tasks/:id`: the task with what its actor needs to decide it. */
export interface TaskDetailView extends TaskView {
  proposal: TaskProposalView;
  /** Exactly the standards the verdicts must cover. */
  applicableStandards: StandardToRate[];
  selfAssessment: SelfAssessmentAnswer[];
  metrics: Metrics;
  opinions: EarlierOpinionView[];
  /** The task's own decision, once decided. */
  decision: ReviewDecision | ApprovalDecision | null;
}

/** Where a command left the proposal: `respond`, `withdraw`, and the proposal of a decision. */
export interface ProposalStatusResult {
  id: string;
  status: ProposalStatus;
  /** The steps under way now, e.g. `["TECHNICAL_REVIEW", "COST_EFFICIENCY_REVIEW"]`. */
  stages: string[];
}

/** `POST /tasks/:id/decision`, once the decision is recorded. */
export interface DecisionResult {
  task: TaskView;
  proposal: ProposalStatusResult;
}

/** `GET /tasks/:id/candidates`: someone an open task may be given to. */
export type CandidateView = Pick<Actor, 'id' | 'name' | 'email' | 'agencyCode' | 'approvalLevel' | 'deputy'>;

/** `GET /supervision/workload`. */
export interface WorkloadView {
  asOf: string;
  /** Open tasks nobody holds. */
  unassigned: number;
  items: WorkloadRow[];
}

// ----- proposals -----------------------------------------------------------------------------

/** A proposal as lists show it. */
export interface ProposalSummaryView {
  id: string;
  agencyCode: string;
  title: string;
  status: ProposalStatus;
  stages: string[];
  tier: Tier | null;
  requestedAmount: number;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
}

export type ApplicableStandardView = Pick<StandardDefinition, 'code' | 'area' | 'title' | 'mandatory'>;

/** A draft withdrawn before it was submitted ended without an evaluation: who, when and why. */
export interface DraftWithdrawal {
  status: 'WITHDRAWN';
  decidedAt: string;
  reason: string;
  by: ActorRef;
}

/** The proposal with its data (the fields of the draft body) and what the evaluation made of it. */
export interface ProposalView extends ProposalSummaryView, Omit<ProposalData, 'title'> {
  tierReasons: string[];
  /** Reviews, approval levels and service levels, once triaged. */
  route: Route | null;
  applicableStandards: ApplicableStandardView[];
  catalogueVersion: string;
  policyVersion: string;
  workflowId: string | null;
  /** What screening found missing, while the proposal is returned. */
  screeningIssues: FieldError[];
  openTasks: TaskView[];
  /** Once closed. */
  outcome: Outcome | DraftWithdrawal | null;
  metrics: Metrics;
}

/** `POST /proposals/:id/submit` (202). */
export interface SubmitResult {
  id: string;
  status: 'SUBMITTED';
  workflowId: string;
}

/** A record of the hash-chained decision log. */
export interface HistoryRecordView {
  seq: number;
  at: string;
  /** Who: an e-mail, or `system`. */
  actor: string;
  type: RecordType;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** `GET /proposals/:id/history`, oldest first. */
export type HistoryView = Items<HistoryRecordView>;

// ----- finance and oversight ------------------------------------------------------------------

export type OutcomePage = Page<OutcomeRow>;

export type PeriodFigures = PortfolioPeriod & PortfolioFigures;

/** `GET /reports/portfolio`: the top-level figures are the period's. */
export type PortfolioReport = {
  /** The day (in `timeZone`) that splits open conditions from overdue ones. */
  asOf: string;
  timeZone: string;
  period: PeriodFigures;
  baseline: PeriodFigures | null;
} & PortfolioFigures;

// ----- the decision log for auditors --------------------------------------------------------------

/** A signed checkpoint of the chain's head (README "The decision log": the signed message). */
export interface CheckpointView {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  /** Ed25519, base64. */
  signature: string;
}

/** `GET /audit/checkpoints`, newest first. */
export type CheckpointPage = Page<CheckpointView>;

export interface AuditPublicKeyView {
  keyId: string;
  /** SPKI, PEM. */
  pem: string;
}

/** `GET /audit/public-key`: the key the worker signs with now, and every earlier one (rotation). */
export interface AuditPublicKeysView {
  current: AuditPublicKeyView | null;
  previous: AuditPublicKeyView[];
}

/** A record of any type (evaluation or administration) as `GET /audit/records` and each line of `GET /audit/export` give it. */
export type AuditRecordView = AuditRecord;

/** `GET /audit/records`, in seq order. */
export type AuditRecordPage = Page<AuditRecordView>;

/**
 * `GET /audit/verify`: the records after `from` re-hashed, starting from the latest checkpoint
 * whose signature verifies and whose hash is the stored record's (`checkpoint`; null: from the
 * first record). A checkpoint that does not match its record makes `ok` false and is named in
 * `problems`, as does a signature that does not verify.
 */
export interface ChainVerificationReport extends ChainVerification {
  /** The seq after which records were re-hashed (0: the whole log). */
  from: number;
  checkpoint: { seq: number; hash: string; signedAt: string; keyId: string } | null;
  problems: string[];
}

export type VerificationJobStatus = 'PENDING' | 'RUNNING' | 'PASSED' | 'FAILED';

/** `GET /audit/verifications/:id`: a full verification run as a job. */
export interface VerificationJobView {
  id: string;
  status: VerificationJobStatus;
  requestedBy: string;
  /** Records re-hashed so far, of `total` (null until the job has counted them). */
  checked: number;
  total: number | null;
  /** Set once finished: whether every hash and link held and every checkpoint matched, the first record that did not. */
  ok: boolean | null;
  firstBadSeq: number | null;
  /** Checkpoints whose signature or hash did not hold against the stored log. */
  problems: string[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** `GET /audit/verifications`, newest first: the nightly runs and those asked for. */
export type VerificationJobPage = Page<VerificationJobView>;

/** `GET /audit/verify?full=true` (202): the job started. */
export interface VerificationJobStarted {
  id: string;
  status: VerificationJobStatus;
}

// ----- mail -----------------------------------------------------------------------------------

/** `GET`/`PUT /me/preferences`: what a person chooses about the mail they receive. */
export interface MailPreferencesView {
  /** The language of their mail. */
  language: 'es' | 'en';
  /** Unsubscribed from the mail that asks nothing of them (mail that requires action is always sent). */
  unsubscribed: boolean;
}

/** A message of the outbox, as admins see it (`GET /admin/mail`); its body stays out (it holds the recipient's own links). */
export interface OutboxMailView {
  id: string;
  eventType: string;
  proposalId: string | null;
  recipientEmail: string;
  language: string;
  messageId: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
