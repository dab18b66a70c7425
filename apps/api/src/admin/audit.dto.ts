import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { PageQuery } from './admin.dto';

/** A seq: a positive integer JavaScript holds exactly (the column is a bigint). */
const SEQ = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

/** `to` may not be below `from` when both are given. */
function NotBelow(start: string): PropertyDecorator {
  return ValidateBy({
    name: 'notBelow',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const from = (args?.object as Record<string, unknown> | undefined)?.[start];
        return typeof value !== 'number' || typeof from !== 'number' || value >= from;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be below ${start}`,
    },
  });
}

/** A seq range of the log, both ends included. */
export class SeqRangeQuery {
  @ApiPropertyOptional({ ...SEQ, description: 'First seq (inclusive)' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) from?: number;
  @ApiPropertyOptional({ ...SEQ, description: 'Last seq (inclusive)' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) @NotBelow('from') to?: number;
}

/** A seq range and a type, a page at a time (the pages of every admin list: PageQuery). */
export class AuditRecordsQuery extends IntersectionType(SeqRangeQuery, PageQuery) {
  @ApiPropertyOptional({ example: 'DECISION_RECORDED', pattern: '^[A-Z][A-Z0-9_]{0,63}$', description: 'Only records of this type' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'type must be a record type such as DECISION_RECORDED' })
  type?: string;
}

export class VerifyQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: '`true` re-hashes the whole log as a job (202 with its Location)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  full?: 'true' | 'false';
}
