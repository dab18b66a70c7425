import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LoginThrottle, OidcVerifier, TokenService } from '../../../libs/auth';
import type { AppConfig } from '../../../libs/config';
import {
  CatalogueRepository,
  dataSourceOptions,
  IdempotencyRepository,
  LoginFailuresRepository,
  OversightRepository,
  ProposalsRepository,
  RecordsRepository,
  TasksRepository,
  UsersRepository,
} from '../../../libs/persistence';
import { EvaluationEngine } from '../../../libs/temporal';

export const APP_CONFIG = Symbol('APP_CONFIG');

const REPOSITORIES = [CatalogueRepository, IdempotencyRepository, OversightRepository, ProposalsRepository, RecordsRepository, TasksRepository, UsersRepository];

class EngineLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EvaluationEngine) private readonly engine: EvaluationEngine) {}
  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
  }
}

/** The process-wide clients: database, Temporal, token signing. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, 'appraise-api'), migrationsRun: false })],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        ...REPOSITORIES.map((repository) => ({
          provide: repository,
          useFactory: (dataSource: DataSource) => new repository(dataSource),
          inject: [DataSource],
        })),
        { provide: EvaluationEngine, useFactory: () => EvaluationEngine.create(config.temporal) },
        EngineLifecycle,
        { provide: OidcVerifier, useFactory: () => (config.auth.oidc ? new OidcVerifier(config.auth.oidc) : null) },
        {
          provide: LoginThrottle,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new LoginThrottle(
              {
                maxFailuresPerEmail: config.auth.loginMaxFailuresPerEmail,
                maxFailuresPerAddress: config.auth.loginMaxFailuresPerAddress,
                windowSeconds: config.auth.loginWindowSeconds,
              },
              Date.now,
              new LoginFailuresRepository(dataSource),
            ),
        },
        {
          provide: TokenService,
          useFactory: () => new TokenService(config.auth.jwtSecret, config.auth.jwtIssuer, config.auth.tokenTtlSeconds),
        },
      ],
      exports: [APP_CONFIG, ...REPOSITORIES, EvaluationEngine, TokenService, LoginThrottle, OidcVerifier],
    };
  }
}
