import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { APPROVAL_CHOICES, PROPOSAL_LIMITS, REVIEW_OPINIONS, VERDICTS, type ApprovalChoice, type ReviewOpinion, type Verdict } from '../../../../libs/domain';
import { TASK_SCOPES, TASK_STATUSES, TASK_TYPES, type TaskScope, type TaskStatus, type TaskType } from '../../../../libs/http-contract';

const CODE = /^[A-Z]{2,5}-\d{2}$/;

export class ConditionDto {
  @ApiProperty({ maxLength: 2000, example: 'Sign-off of the security plan by the CISO' }) @IsString() @MinLength(1) @MaxLength(2000) text: string;
  @ApiPropertyOptional({ example: 'SEC-02', pattern: CODE.source }) @IsOptional() @Matches(CODE, { message: 'standardCode must look like SEC-01' }) standardCode?: string;
  @ApiProperty({ example: '2027-03-31', description: 'yyyy-mm-dd' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date (yyyy-mm-dd)' })
  dueDate: string;
}

export class VerdictDto {
  @ApiProperty({ example: 'SEC-01', pattern: CODE.source }) @Matches(CODE, { message: 'standardCode must look like SEC-01' }) standardCode: string;
  @ApiProperty({ enum: VERDICTS, example: 'MEETS' }) @IsIn(VERDICTS) verdict: Verdict;
  @ApiPropertyOptional({ maxLength: 5000, description: 'Required for anything but MEETS' }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class FlaggedCostLineDto {
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) @Max(PROPOSAL_LIMITS.maxCostLines - 1) costIndex: number;
  @ApiProperty({ example: 'Day rate 60% over the reference' }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

class ReviewDecisionBody {
  @ApiProperty({ enum: REVIEW_OPINIONS }) @IsIn(REVIEW_OPINIONS) opinion: ReviewOpinion;
  @ApiProperty({ type: [VerdictDto], description: 'One verdict for every standard in the task’s applicableStandards' })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VerdictDto)
  verdicts: VerdictDto[];
  @ApiPropertyOptional({ type: [ConditionDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ConditionDto) conditions?: ConditionDto[];
  @ApiPropertyOptional({ type: [String], description: 'For CHANGES_REQUESTED: what the agency must answer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  questions?: string[];
  @ApiPropertyOptional({ maxLength: 10000 }) @IsOptional() @IsString() @MaxLength(10000) comment?: string;
}

export class TechnicalDecisionDto extends ReviewDecisionBody {}

export class CostEfficiencyDecisionDto extends ReviewDecisionBody {
  @ApiPropertyOptional({ type: [FlaggedCostLineDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PROPOSAL_LIMITS.maxCostLines)
  @ValidateNested({ each: true })
  @Type(() => FlaggedCostLineDto)
  flaggedCostLines?: FlaggedCostLineDto[];
}

export class ApprovalDecisionDto {
  @ApiProperty({ enum: APPROVAL_CHOICES }) @IsIn(APPROVAL_CHOICES) decision: ApprovalChoice;
  @ApiPropertyOptional({ description: 'Defaults to the requested total; at most that', example: 150000000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(PROPOSAL_LIMITS.maxAmount * PROPOSAL_LIMITS.maxCostLines)
  approvedAmount?: number;
  @ApiPropertyOptional({ type: [ConditionDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ConditionDto) conditions?: ConditionDto[];
  @ApiPropertyOptional({ maxLength: 10000, description: 'Required to return to review, and to approve against an UNFAVOURABLE opinion' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  comment?: string;
}

export class ListTasksQuery {
  @ApiPropertyOptional({ enum: TASK_SCOPES, default: 'mine' }) @IsOptional() @IsIn(TASK_SCOPES) scope: TaskScope = 'mine';
  @ApiPropertyOptional({ enum: TASK_STATUSES }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
  @ApiPropertyOptional({ enum: TASK_TYPES }) @IsOptional() @IsIn(TASK_TYPES) type?: TaskType;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() proposalId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only escalated (or only not escalated) tasks' })
  @IsOptional()
  @IsIn(['true', 'false'])
  escalated?: 'true' | 'false';
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page: number = 1;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}

export class AssignTaskDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId: string;
}
