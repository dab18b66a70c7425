import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../../../libs/auth';
import { APPROVAL_LEVELS } from '../../../../libs/domain';

const AGENCY_CODE = /^[A-Z0-9_]{2,32}$/;

export class CreateUserDto {
  @ApiProperty({ example: 'pedro.ramos@minsal.example' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Pedro Ramos' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ minLength: 12, description: 'Initial password; at least 12 characters' }) @IsString() @MinLength(12) @MaxLength(200) password: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['agency_submitter'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];
  @ApiProperty({ example: 'MINSAL' }) @Matches(AGENCY_CODE, { message: 'agencyCode must be 2-32 upper-case letters, digits or _' }) agencyCode: string;
  @ApiPropertyOptional({ enum: APPROVAL_LEVELS, nullable: true }) @IsOptional() @IsIn(APPROVAL_LEVELS) approvalLevel?: string | null;
  @ApiPropertyOptional({ description: 'The deputy (subrogante) of the level' }) @IsOptional() @IsBoolean() deputy?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional() @IsOptional() @Matches(AGENCY_CODE, { message: 'agencyCode must be 2-32 upper-case letters, digits or _' }) agencyCode?: string;
  @ApiPropertyOptional({ enum: APPROVAL_LEVELS, nullable: true, description: 'null removes the level' })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsIn(APPROVAL_LEVELS)
  approvalLevel?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() deputy?: boolean;
  @ApiPropertyOptional({ description: 'A disabled user’s tokens stop working at once' }) @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ minLength: 12 }) @IsOptional() @IsString() @MinLength(12) @MaxLength(200) password?: string;
}

export class CreateAgencyDto {
  @ApiProperty({ example: 'MINVU' }) @Matches(AGENCY_CODE, { message: 'code must be 2-32 upper-case letters, digits or _' }) code: string;
  @ApiProperty({ example: 'Ministerio de Vivienda y Urbanismo' }) @IsString() @MinLength(2) @MaxLength(200) name: string;
}

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page: number = 1;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}
