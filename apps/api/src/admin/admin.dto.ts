import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PASSWORD_LENGTH } from '../../../../libs/auth';
import { ROLES, APPROVAL_LEVELS, type Role } from '../../../../libs/domain';
import { IsPresent } from '../common/validation.pipe';

const AGENCY_CODE = /^[A-Z0-9_]{2,32}$/;

const ROLES_DOC = { enum: ROLES, isArray: true, minItems: 1, maxItems: ROLES.length, uniqueItems: true } as const;

export class CreateUserDto {
  @ApiProperty({ example: 'pedro.ramos@minsal.example', format: 'email', maxLength: 254 }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Pedro Ramos', minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max, description: `Initial password; at least ${PASSWORD_LENGTH.min} characters` })
  @IsString()
  @MinLength(PASSWORD_LENGTH.min)
  @MaxLength(PASSWORD_LENGTH.max)
  password: string;
  @ApiProperty({ ...ROLES_DOC, example: ['agency_submitter'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];
  @ApiProperty({ example: 'MINSAL', pattern: AGENCY_CODE.source }) @Matches(AGENCY_CODE, { message: 'agencyCode must be 2-32 upper-case letters, digits or _' }) agencyCode: string;
  @ApiPropertyOptional({ enum: APPROVAL_LEVELS, nullable: true }) @IsOptional() @IsIn(APPROVAL_LEVELS) approvalLevel?: string | null;
  @ApiPropertyOptional({ description: 'The deputy (subrogante) of the level' }) @IsOptional() @IsBoolean() deputy?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) @IsPresent() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional(ROLES_DOC)
  @IsPresent()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ pattern: AGENCY_CODE.source }) @IsPresent() @Matches(AGENCY_CODE, { message: 'agencyCode must be 2-32 upper-case letters, digits or _' }) agencyCode?: string;
  @ApiPropertyOptional({ enum: APPROVAL_LEVELS, nullable: true, description: 'null removes the level' })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsIn(APPROVAL_LEVELS)
  approvalLevel?: string | null;
  @ApiPropertyOptional() @IsPresent() @IsBoolean() deputy?: boolean;
  @ApiPropertyOptional({ description: 'A disabled user’s tokens stop working at once' }) @IsPresent() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max })
  @IsPresent()
  @IsString()
  @MinLength(PASSWORD_LENGTH.min)
  @MaxLength(PASSWORD_LENGTH.max)
  password?: string;
}

export class LinkIdentityDto {
  @ApiProperty({ example: 'https://idp.gob.example', maxLength: 500, description: 'The identity provider’s issuer (OIDC_ISSUER)' }) @IsString() @MinLength(1) @MaxLength(500) issuer: string;
  @ApiProperty({ example: '12345678-9', maxLength: 255, description: 'The person’s subject (`sub`) at that provider' }) @IsString() @MinLength(1) @MaxLength(255) subject: string;
}

export class CreateAgencyDto {
  @ApiProperty({ example: 'MINVU', pattern: AGENCY_CODE.source }) @Matches(AGENCY_CODE, { message: 'code must be 2-32 upper-case letters, digits or _' }) code: string;
  @ApiProperty({ example: 'Ministerio de Vivienda y Urbanismo', minLength: 2, maxLength: 200 }) @IsString() @MinLength(2) @MaxLength(200) name: string;
}

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page: number = 1;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}
