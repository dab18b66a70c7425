import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  COST_CATEGORIES,
  COST_KINDS,
  PROPOSAL_CATEGORIES,
  PROPOSAL_LIMITS,
  PROPOSAL_STATUSES,
  TIERS,
  VERDICTS,
  type CostCategory,
  type CostKind,
  type ProposalCategory,
  type Verdict,
} from '../../../../libs/domain';
import { IsPresent } from '../common/validation.pipe';

const { maxAmount, maxCostLines, maxBenefitLines, maxHorizonYears, minHorizonYears } = PROPOSAL_LIMITS;
const AMOUNT = { minimum: 0, maximum: maxAmount, type: 'integer' as const };
const YEAR = { minimum: 1, maximum: maxHorizonYears, type: 'integer' as const, description: '1..horizonYears' };

/**
 * The three answers. `risk` is replaced as a whole, so an answer left out is unanswered; `null`
 * has no meaning of its own here (the "null clears" of a draft is for whole fields) and would be
 * stored as a third value of a yes/no answer: refused, as the document says.
 */
export class RiskDto {
  @ApiPropertyOptional({ example: false }) @IsPresent() @IsBoolean() novelTechnology?: boolean;
  @ApiPropertyOptional({ example: false }) @IsPresent() @IsBoolean() securityCritical?: boolean;
  @ApiPropertyOptional({ example: false }) @IsPresent() @IsBoolean() identityComponent?: boolean;
}

export class CostLineDto {
  @ApiProperty({ ...YEAR, example: 1 }) @IsInt() @Min(1) @Max(maxHorizonYears) year: number;
  @ApiProperty({ enum: COST_KINDS, example: 'CAPEX' }) @IsIn(COST_KINDS) kind: CostKind;
  @ApiProperty({ enum: COST_CATEGORIES, example: 'DEVELOPMENT' }) @IsIn(COST_CATEGORIES) category: CostCategory;
  @ApiPropertyOptional({ nullable: true, maxLength: 500, example: 'Development team, 10 person-months' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
  @ApiProperty({ ...AMOUNT, example: 150_000_000 }) @IsInt() @Min(0) @Max(maxAmount) amount: number;
  @ApiPropertyOptional({ nullable: true, type: 'integer', minimum: 0, maximum: 1_000_000_000, example: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  quantity?: number;
  @ApiPropertyOptional({ nullable: true, ...AMOUNT, example: 15_000_000 }) @IsOptional() @IsInt() @Min(0) @Max(maxAmount) unitPrice?: number;
}

export class BenefitLineDto {
  @ApiProperty({ ...YEAR, example: 2 }) @IsInt() @Min(1) @Max(maxHorizonYears) year: number;
  @ApiPropertyOptional({ nullable: true, maxLength: 500, example: 'Staff hours saved' }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiProperty({ ...AMOUNT, example: 90_000_000 }) @IsInt() @Min(0) @Max(maxAmount) amount: number;
}

export class SelfAssessmentDto {
  @ApiProperty({ example: 'SEC-01', pattern: '^[A-Z]{2,5}-[0-9]{2}$' })
  @IsString()
  @Matches(/^[A-Z]{2,5}-\d{2}$/, { message: 'standardCode must look like SEC-01' })
  standardCode: string;
  @ApiProperty({ enum: VERDICTS, example: 'MEETS' }) @IsIn(VERDICTS) answer: Verdict;
  @ApiPropertyOptional({ type: String, maxLength: 5000, nullable: true, example: 'Risk assessment v2, annex B', description: 'Required to submit; a draft may leave it empty' }) @IsOptional() @IsString() @MaxLength(5000) evidence?: string;
}

/** Every field of the proposal body except the title; all optional while drafting, and null clears one (mergeDraft). */
export class ProposalFieldsDto {
  @ApiPropertyOptional({ nullable: true, minLength: 1, maxLength: 5000, example: 'Online appointments for public hospitals' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(PROPOSAL_LIMITS.summaryMaxLength)
  summary?: string;

  @ApiPropertyOptional({ nullable: true, enum: PROPOSAL_CATEGORIES, example: 'NEW_SYSTEM' })
  @IsOptional()
  @IsIn(PROPOSAL_CATEGORIES)
  category?: ProposalCategory;

  @ApiPropertyOptional({ nullable: true, example: true }) @IsOptional() @IsBoolean() citizenFacing?: boolean;
  @ApiPropertyOptional({ nullable: true, example: true }) @IsOptional() @IsBoolean() handlesPersonalData?: boolean;
  @ApiPropertyOptional({ nullable: true, example: false }) @IsOptional() @IsBoolean() exchangesData?: boolean;
  @ApiPropertyOptional({ nullable: true, example: true }) @IsOptional() @IsBoolean() handlesProcedures?: boolean;

  @ApiPropertyOptional({ nullable: true, type: RiskDto, minProperties: 1, description: 'At least one of the flags' })
  @IsOptional()
  // A flag given as null counts as given here, so the answer names the flag (RiskDto refuses null).
  @IsNotEmptyObject({ nullable: true }, { message: 'risk must be an object' })
  @ValidateNested()
  @Type(() => RiskDto)
  risk?: RiskDto;

  @ApiPropertyOptional({ nullable: true, type: 'integer', minimum: minHorizonYears, maximum: maxHorizonYears, example: 5 })
  @IsOptional()
  @IsInt()
  @Min(minHorizonYears)
  @Max(maxHorizonYears)
  horizonYears?: number;

  @ApiPropertyOptional({ nullable: true, type: 'integer', minimum: 0, maximum: 1_000_000_000_000, example: 120000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  annualTransactions?: number;

  @ApiPropertyOptional({ nullable: true, type: [CostLineDto], maxItems: maxCostLines })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(maxCostLines)
  @ValidateNested({ each: true })
  @Type(() => CostLineDto)
  costs?: CostLineDto[];

  @ApiPropertyOptional({ nullable: true, type: [BenefitLineDto], maxItems: maxBenefitLines })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(maxBenefitLines)
  @ValidateNested({ each: true })
  @Type(() => BenefitLineDto)
  benefits?: BenefitLineDto[];

  @ApiPropertyOptional({ nullable: true, type: [SelfAssessmentDto], maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SelfAssessmentDto)
  selfAssessment?: SelfAssessmentDto[];
}

const TITLE = { minLength: PROPOSAL_LIMITS.titleMinLength, maxLength: PROPOSAL_LIMITS.titleMaxLength, example: 'Hospital appointments online' };

export class CreateProposalDto extends ProposalFieldsDto {
  @ApiProperty(TITLE)
  @IsString()
  @MinLength(PROPOSAL_LIMITS.titleMinLength)
  @MaxLength(PROPOSAL_LIMITS.titleMaxLength)
  title: string;
}

export class UpdateProposalDto extends ProposalFieldsDto {
  @ApiPropertyOptional(TITLE)
  // A title may be changed but never cleared: null is refused like any non-string.
  @IsPresent()
  @IsString()
  @MinLength(PROPOSAL_LIMITS.titleMinLength)
  @MaxLength(PROPOSAL_LIMITS.titleMaxLength)
  title?: string;
}

export class ListProposalsQuery {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES }) @IsOptional() @IsIn(PROPOSAL_STATUSES) status?: (typeof PROPOSAL_STATUSES)[number];
  @ApiPropertyOptional({ enum: TIERS }) @IsOptional() @IsIn(TIERS) tier?: (typeof TIERS)[number];
  @ApiPropertyOptional({ example: 'MINSAL', pattern: '^[A-Z0-9_]{2,32}$' }) @IsOptional() @Matches(/^[A-Z0-9_]{2,32}$/) agencyCode?: string;
  @ApiPropertyOptional({ maxLength: 200, description: 'Text searched in title and summary' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page: number = 1;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}

export class RespondDto {
  @ApiProperty({ minLength: 1, maxLength: 5000, example: 'Added the privacy impact assessment (annex C).' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  response: string;

  @ApiPropertyOptional({ type: UpdateProposalDto, minProperties: 1, description: 'Fields of the proposal that change in the new version' })
  @IsOptional()
  @IsNotEmptyObject({ nullable: false }, { message: 'changes must be an object' })
  @ValidateNested()
  @Type(() => UpdateProposalDto)
  changes?: UpdateProposalDto;
}

export class WithdrawDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'The project was merged into a shared platform.' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}
