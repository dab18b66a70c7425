import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiParam, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { FieldError, ProblemDetails } from '../../../../libs/http-contract';

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'costs[0].amount' }) field: string;
  @ApiProperty({ example: 'costs[0].amount must be a positive integer' }) message: string;
}

/** RFC 9457 problem details, as every error leaves the API. */
export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ example: 'https://appraise.example/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ type: 'integer', example: 400 }) status: number;
  @ApiProperty({ example: 'The request has 1 invalid field(s).' }) detail: string;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'One entry per invalid field' }) errors?: FieldErrorDto[];
  @ApiProperty({ example: '6f1c2b0e-8d43-4b8e-9a57-2f0d2f8a9c11', description: 'The request id, also in the X-Request-Id header' }) correlationId: string;
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  401: 'No valid bearer token',
  403: 'The caller’s role may not do this',
  404: 'Not found, or another agency’s',
  409: 'Conflicts with the current state',
  413: 'Body larger than 1 MB',
  422: 'Well-formed but not a valid decision',
  429: 'Too many attempts; see Retry-After',
  503: 'The evaluation engine did not answer; nothing was recorded (see Retry-After)',
};

/**
 * The error responses an operation can give, each as application/problem+json. Give a status
 * alone for its usual meaning, or `{ 409: 'what the conflict is' }` to say it for this operation.
 */
export function ApiProblems(...statuses: (number | Record<number, string>)[]): MethodDecorator & ClassDecorator {
  const entries = statuses.flatMap((s) => (typeof s === 'number' ? [[s, DEFAULT_DESCRIPTIONS[s]] as const] : Object.entries(s).map(([k, v]) => [Number(k), v] as const)));
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...entries.map(([status, description]) =>
      ApiResponse({ status, description: description ?? 'Error', content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}

/** A path parameter that must be a UUID (uuid-param.ts refuses anything else with a 400). */
export const ApiUuidParam = (name = 'id'): MethodDecorator => ApiParam({ name, required: true, schema: { type: 'string', format: 'uuid' } });
