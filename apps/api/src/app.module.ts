import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../../../libs/config';
import { AuditController, AuditPublicKeyController } from './admin/audit.controller';
import { AuditService } from './admin/audit.service';
import { ReferencePublishingController } from './admin/reference-publishing.controller';
import { UsersAdminController } from './admin/users-admin.controller';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { CodecController } from './codec/codec.controller';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { heavyReadsModule } from './common/heavy-read';
import { CoreModule } from './core.module';
import { HealthController } from './health/health.controller';
import { MailAdminController, MailPreferencesController, UnsubscribeController } from './mail/mail.controller';
import { OutcomesController } from './oversight/outcomes.controller';
import { OversightService } from './oversight/oversight.service';
import { ReportsController } from './oversight/reports.controller';
import { ProposalViewBuilder } from './proposals/proposal.view';
import { ProposalsController } from './proposals/proposals.controller';
import { ProposalsService } from './proposals/proposals.service';
import { ReferenceDataService } from './reference/reference-data.service';
import { StandardsController } from './standards/standards.controller';
import { SupervisionController } from './tasks/supervision.controller';
import { SupervisionService } from './tasks/supervision.service';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config), heavyReadsModule(config)],
      controllers: [
        HealthController,
        AuthController,
        StandardsController,
        ProposalsController,
        TasksController,
        SupervisionController,
        ReferencePublishingController,
        AuditController,
        AuditPublicKeyController,
        OutcomesController,
        ReportsController,
        UsersAdminController,
        CodecController,
        MailPreferencesController,
        MailAdminController,
        UnsubscribeController,
      ],
      providers: [
        ReferenceDataService,
        AuditService,
        ProposalsService,
        ProposalViewBuilder,
        TasksService,
        SupervisionService,
        OversightService,
        IdempotencyInterceptor,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
