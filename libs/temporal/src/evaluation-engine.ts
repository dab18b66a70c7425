import { Client, Connection, isGrpcServiceError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { DomainError } from '../../domain';
import {
  EVALUATION_WORKFLOW_TYPE,
  evaluationWorkflowId,
  SEARCH_ATTRIBUTES,
  type EvaluationInput,
} from './evaluation.contract';

export interface EngineOptions {
  address: string;
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
    const connection = Connection.lazy({ address: options.address, connectTimeout: options.commandTimeoutMs });
    return new EvaluationEngine(connection, new Client({ connection, namespace: options.namespace }), options);
  }

  async startEvaluation(input: EvaluationInput): Promise<{ workflowId: string }> {
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
      return { workflowId };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new DomainError('CONFLICT', 'This proposal has already been submitted.');
      }
      throw this.unavailable(error);
    }
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
