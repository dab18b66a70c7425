import {
  Client,
  Connection,
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes, type UpdateDefinition } from '@temporalio/common';
import { DomainError, type DomainErrorCode, type FieldError } from '../../domain';
import {
  assignUpdate,
  claimUpdate,
  decideUpdate,
  EVALUATION_WORKFLOW_TYPE,
  evaluationWorkflowId,
  REFUSAL_TYPES,
  respondUpdate,
  SEARCH_ATTRIBUTES,
  withdrawUpdate,
  type AssignArgs,
  type ClaimArgs,
  type DecideArgs,
  type EvaluationInput,
  type RespondArgs,
  type UpdateOutcome,
  type WithdrawArgs,
} from './evaluation.contract';
import { HOUSEKEEPING_WORKFLOW_TYPES, type VerificationInput } from './housekeeping.contract';
import { temporalConnectionOptions, temporalDataConverter, type TemporalSecurity } from './temporal-connection';

/** How a workflow validator's refusal reads to the API. */
const REFUSAL_CODES: Record<string, DomainErrorCode | undefined> = {
  [REFUSAL_TYPES.invalid]: 'INVALID_DECISION',
  [REFUSAL_TYPES.forbidden]: 'FORBIDDEN',
  [REFUSAL_TYPES.conflict]: 'CONFLICT',
  [REFUSAL_TYPES.alreadyDecided]: 'ALREADY_DECIDED',
  [REFUSAL_TYPES.alreadyApplied]: 'ALREADY_APPLIED',
  // What the person sent could not be stored: nothing applied, they are told why (422).
  [REFUSAL_TYPES.notRecorded]: 'INVALID_DECISION',
  // The validator saw the update after its deadline: the same as no answer in time.
  [REFUSAL_TYPES.expired]: 'ENGINE_UNAVAILABLE',
};

/** How long the API waits for the result of an update the workflow has accepted (it will apply). */
const ACCEPTED_RESULT_WAIT_MS = 30_000;

/** Update arguments carry an expiry so that one the engine sees too late is refused, not applied. */
type Expiring<T> = Omit<T, 'expiresAt'>;

export interface EngineOptions extends TemporalSecurity {
  namespace: string;
  taskQueue: string;
  commandTimeoutMs: number;
}

/**
 * The API's only door to Temporal. SDK errors become domain errors here, so nothing above
 * this class knows what a gRPC status is.
 */
export class EvaluationEngine {
  private constructor(
    private readonly connection: Connection,
    private readonly client: Client,
    private readonly options: EngineOptions,
  ) {}

  /** Lazy: the API starts even while Temporal is down, and its health check says so. */
  static create(options: EngineOptions): EvaluationEngine {
    const connection = Connection.lazy({ ...temporalConnectionOptions(options), connectTimeout: options.commandTimeoutMs });
    const client = new Client({ connection, namespace: options.namespace, dataConverter: temporalDataConverter(options) });
    return new EvaluationEngine(connection, client, options);
  }

  /**
   * Starts the evaluation; `alreadyStarted` when its workflow exists already (only a submit of
   * this proposal starts it, so an earlier attempt whose answer was lost did).
   */
  async startEvaluation(input: EvaluationInput): Promise<{ workflowId: string; alreadyStarted: boolean }> {
    const workflowId = evaluationWorkflowId(input.proposalId);
    try {
      await this.withDeadline(() =>
        this.client.workflow.start(EVALUATION_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: this.options.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
          memo: { requestId: input.requestId },
          typedSearchAttributes: new TypedSearchAttributes([
            { key: SEARCH_ATTRIBUTES.status, value: 'SUBMITTED' },
            { key: SEARCH_ATTRIBUTES.agency, value: input.agencyCode },
            { key: SEARCH_ATTRIBUTES.requestedAmount, value: input.requestedAmount },
          ]),
        }),
      );
      return { workflowId, alreadyStarted: false };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, alreadyStarted: true };
      throw this.unavailable(error);
    }
  }

  /** Starts a full verification of the decision log as the workflow `workflowId` (its job row is keyed by it). */
  async startChainVerification(workflowId: string, input: VerificationInput): Promise<void> {
    try {
      await this.withDeadline(() =>
        this.client.workflow.start(HOUSEKEEPING_WORKFLOW_TYPES.verification, { workflowId, taskQueue: this.options.taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' }),
      );
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  decide(proposalId: string, args: Expiring<DecideArgs>): Promise<UpdateOutcome> {
    return this.update(proposalId, decideUpdate, args);
  }

  respond(proposalId: string, args: Expiring<RespondArgs>): Promise<UpdateOutcome> {
    return this.update(proposalId, respondUpdate, args);
  }

  withdraw(proposalId: string, args: Expiring<WithdrawArgs>): Promise<UpdateOutcome> {
    return this.update(proposalId, withdrawUpdate, args);
  }

  claim(proposalId: string, args: Expiring<ClaimArgs>): Promise<UpdateOutcome> {
    return this.update(proposalId, claimUpdate, args);
  }

  assign(proposalId: string, args: Expiring<AssignArgs>): Promise<UpdateOutcome> {
    return this.update(proposalId, assignUpdate, args);
  }

  /**
   * Sends a human decision and waits until the workflow has acted on it. An Update waits while
   * no worker runs, so its acceptance gets a deadline; past it the client gets a 503, and the
   * expiry in the arguments makes the workflow's validator refuse it should it arrive later:
   * nothing is recorded. Once accepted, the update is in the workflow's history and will apply,
   * so the API waits longer for its result rather than answer "nothing recorded" falsely.
   */
  private async update<A extends { expiresAt: string }>(
    proposalId: string,
    definition: UpdateDefinition<UpdateOutcome, [A]>,
    args: Omit<A, 'expiresAt'>,
  ): Promise<UpdateOutcome> {
    const deadline = Date.now() + this.options.commandTimeoutMs;
    const handle: WorkflowHandle = this.client.workflow.getHandle(evaluationWorkflowId(proposalId));
    let accepted;
    try {
      accepted = await this.connection.withDeadline(deadline, () =>
        handle.startUpdate(definition, { args: [{ ...args, expiresAt: new Date(deadline).toISOString() } as A], waitForStage: WorkflowUpdateStage.ACCEPTED }),
      );
    } catch (error) {
      throw this.refusalOrUnavailable(error);
    }
    try {
      return await this.connection.withDeadline(Date.now() + Math.max(ACCEPTED_RESULT_WAIT_MS, 3 * this.options.commandTimeoutMs), () => accepted.result());
    } catch (error) {
      const refusal = this.refusalOrUnavailable(error);
      if (refusal.code !== 'ENGINE_UNAVAILABLE') throw refusal;
      throw new DomainError('ENGINE_UNAVAILABLE', 'The evaluation accepted the request and will apply it, but did not finish in time. Do not send it again: read the state back shortly.', {
        details: { accepted: true },
      });
    }
  }

  private refusalOrUnavailable(error: unknown): DomainError {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const failure = error.cause;
      const errors = (failure.details?.[0] as FieldError[] | undefined) ?? undefined;
      const code = REFUSAL_CODES[failure.type ?? ''];
      if (code) return new DomainError(code, failure.message, code === 'INVALID_DECISION' && errors ? { errors } : {});
    }
    if (error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && /completed|not found/i.test(error.details))) {
      return new DomainError('CONFLICT', 'The evaluation of this proposal has ended; nothing more can be decided.');
    }
    return this.unavailable(error);
  }

  async isHealthy(timeoutMs = 2_000): Promise<boolean> {
    try {
      await this.connection.withDeadline(Date.now() + timeoutMs, () => this.connection.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }

  private withDeadline<T>(fn: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + this.options.commandTimeoutMs, fn);
  }

  private unavailable(error: unknown): DomainError {
    const detail = isGrpcServiceError(error) ? error.details : error instanceof Error ? error.message : String(error);
    return new DomainError('ENGINE_UNAVAILABLE', 'The evaluation engine did not answer in time; nothing was recorded. Try again shortly.', {
      details: { cause: detail },
    });
  }
}
