import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { TIERS, type Tier } from '../../../../libs/domain';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../../../../libs/domain';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written yyyy-mm-dd (2026-02-30 is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, unlike Date.UTC, does not move years 0-99 into the 1900s.
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  return year >= 1 && probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Missing passes here: `@IsOptional` or `RequiredWith` decides whether it may be missing. */
function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: (value: unknown) => value === undefined || isCalendarDate(value), defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a date (yyyy-mm-dd)` },
  });
}

/** The end of a range: not before its start, when both are valid dates (else the date check speaks). */
function NotBefore(start: string): PropertyDecorator {
  return ValidateBy({
    name: 'notBefore',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const from = (args?.object as Record<string, unknown> | undefined)?.[start];
        return !isCalendarDate(value) || !isCalendarDate(from) || value >= from;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must not be before ${start}`,
    },
  });
}

/** Both ends of a range or neither: checked on each end, so the error names the missing one. */
function RequiredWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'requiredWith',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const partner = (args?.object as Record<string, unknown> | undefined)?.[other];
        return value !== undefined || partner === undefined;
      },
      defaultMessage: (args?: ValidationArguments) => `${args?.property} is required with ${other}`,
    },
  });
}

const givesBaseline = (query: PortfolioQuery) => query.baselineFrom !== undefined || query.baselineTo !== undefined;

const DATE_DOC = { example: '2026-01-31', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/** The outcome filters, shared by the list and both CSV exports (which do not page). */
export class OutcomeFiltersQuery {
  @ApiPropertyOptional({ ...DATE_DOC, description: 'Decided on or after this day (yyyy-mm-dd, the policy’s time zone)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ ...DATE_DOC, description: 'Decided on or before this day (inclusive)' })
  @IsOptional()
  @IsCalendarDate()
  @NotBefore('from')
  to?: string;

  @ApiPropertyOptional({ example: 'MINSAL', pattern: '^[A-Z0-9_]{2,32}$', description: 'An agency sees its own outcomes whatever this says' })
  @IsOptional()
  @Matches(/^[A-Z0-9_]{2,32}$/, { message: 'agencyCode must be an agency code such as MINSAL' })
  agencyCode?: string;

  @ApiPropertyOptional({ enum: TIERS }) @IsOptional() @IsIn(TIERS) tier?: Tier;

  @ApiPropertyOptional({ enum: OUTCOME_STATUSES }) @IsOptional() @IsIn(OUTCOME_STATUSES) outcome?: OutcomeStatus;

  @ApiPropertyOptional({ maxLength: 200, description: 'Text searched in title and summary' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ListOutcomesQuery extends OutcomeFiltersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page: number = 1;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}

export class PortfolioQuery {
  @ApiPropertyOptional({ ...DATE_DOC, description: 'Start of the period (default: 1 January of the year of `to`, or of this year)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ ...DATE_DOC, description: 'End of the period, inclusive (default: 31 December of the year of `from`, or of this year)' })
  @IsOptional()
  @IsCalendarDate()
  @NotBefore('from')
  to?: string;

  @ApiPropertyOptional({ ...DATE_DOC, description: 'Start of the baseline period; with baselineTo' })
  @ValidateIf(givesBaseline)
  @IsCalendarDate()
  @RequiredWith('baselineTo')
  baselineFrom?: string;

  @ApiPropertyOptional({ ...DATE_DOC, description: 'End of the baseline period, inclusive; with baselineFrom' })
  @ValidateIf(givesBaseline)
  @IsCalendarDate()
  @NotBefore('baselineFrom')
  @RequiredWith('baselineFrom')
  baselineTo?: string;
}
