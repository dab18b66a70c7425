import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { MailPreferencesView, OutboxMailView, Page } from '../../../../libs/http-contract';
import { MAIL_LANGUAGES, MAIL_STATUSES, type MailLanguage, type MailStatus } from '../../../../libs/persistence';

const dateTime = { type: String, format: 'date-time' } as const;

export class MailPreferencesDto implements MailPreferencesView {
  @ApiProperty({ enum: MAIL_LANGUAGES, description: 'The language of their mail' }) language: MailLanguage;
  @ApiProperty({ description: 'Unsubscribed from mail that asks nothing of them; mail that requires action is always sent' }) unsubscribed: boolean;
}

export class UpdateMailPreferencesDto implements MailPreferencesView {
  @ApiProperty({ enum: MAIL_LANGUAGES }) @IsIn(MAIL_LANGUAGES) language: MailLanguage;
  @ApiProperty() @IsBoolean() unsubscribed: boolean;
}

export class OutboxMailDto implements OutboxMailView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'TASK_AVAILABLE' }) eventType: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) proposalId: string | null;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ enum: MAIL_LANGUAGES }) language: string;
  @ApiProperty({ description: 'Stable across attempts: a copy sent again after a crash carries the same one' }) messageId: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: MAIL_STATUSES }) status: MailStatus;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ ...dateTime, nullable: true, description: 'When a pending message is tried next' }) nextAttemptAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty({ ...dateTime, nullable: true }) sentAt: string | null;
}

export class OutboxMailPageDto implements Page<OutboxMailView> {
  @ApiProperty({ type: [OutboxMailDto] }) items: OutboxMailDto[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class OutboxQuery {
  @ApiPropertyOptional({ enum: MAIL_STATUSES }) @IsOptional() @IsIn(MAIL_STATUSES) status?: MailStatus;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page: number = 1;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize: number = 20;
}
