import { Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, TASK_TYPES, type ApprovalDecision, type FieldError, type ReviewDecision, type TaskType } from '../../../../libs/domain';
import { flattenValidationErrors } from '../common/validation.pipe';
import { ApprovalDecisionDto, CostEfficiencyDecisionDto, TechnicalDecisionDto } from './task.dto';

const DECISION_BODIES: Record<TaskType, new () => object> = {
  TECHNICAL_REVIEW: TechnicalDecisionDto,
  COST_EFFICIENCY_REVIEW: CostEfficiencyDecisionDto,
  APPROVAL: ApprovalDecisionDto,
};

type Reading = { decision: ReviewDecision | ApprovalDecision } | { message: string; errors: FieldError[] };

/**
 * A decision's body, validated against the shape of each kind of task. Which kind applies is
 * known only once the task is read, and the API answers who may act (403) and whether the task
 * can be acted on (409) before what is wrong with the body (400): so the service asks for the
 * reading of its task's type, after those checks.
 *
 * An interface, not a class: a controller parameter typed with a class, even one imported as a
 * type only, is emitted by tsc with a class in its design:paramtypes (`Function` for a type-only
 * import), and the global ValidationPipe then validates the body against it and refuses every
 * decision (400, "an unknown value was passed to the validate function") in the built API.
 */
export interface DecisionBody {
  /** The body as a decision on a task of this type; a 400 naming each bad field otherwise. */
  as(type: TaskType): ReviewDecision | ApprovalDecision;
}

class DecisionBodyReadings implements DecisionBody {
  constructor(private readonly readings: Record<TaskType, Reading>) {}

  as(type: TaskType): ReviewDecision | ApprovalDecision {
    const reading = this.readings[type];
    if ('errors' in reading) throw new DomainError('VALIDATION_FAILED', reading.message, { errors: reading.errors });
    return reading.decision;
  }
}

/** Reads `POST /tasks/:id/decision`'s body (a JSON object, see JsonObjectBodyPipe) into a DecisionBody. */
@Injectable()
export class DecisionBodyPipe implements PipeTransform<unknown, Promise<DecisionBody>> {
  async transform(body: unknown): Promise<DecisionBody> {
    const readings = {} as Record<TaskType, Reading>;
    for (const type of TASK_TYPES) readings[type] = await read(type, body);
    return new DecisionBodyReadings(readings);
  }
}

async function read(type: TaskType, body: unknown): Promise<Reading> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { message: 'The decision must be a JSON object.', errors: [{ field: 'body', message: 'body must be a JSON object' }] };
  }
  const instance = plainToInstance(DECISION_BODIES[type], body);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (errors.length) {
    const fields = flattenValidationErrors(errors);
    return { message: `The decision has ${fields.length} invalid field(s).`, errors: fields };
  }
  return { decision: JSON.parse(JSON.stringify(instance)) as ReviewDecision | ApprovalDecision };
}
