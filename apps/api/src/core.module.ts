import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { LoginThrottle, OidcVerifier, TokenService } from '../../../libs/auth';
import type { AppConfig } from '../../../libs/config';
import { writeLog } from '../../../libs/logging';
import {
  AdministrationLedger,
  AuditRepository,
  CatalogueRepository,
  Database,
  EvaluationLedger,
  IdempotencyRepository,
  MailOutboxRepository,
  mailSettings,
  OversightRepository,
  ProposalsRepository,
  RecordsRepository,
  TasksRepository,
  UsersRepository,
} from '../../../libs/persistence';
import { EvaluationEngine } from '../../../libs/temporal';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** What the services read through and write with, each taken from the process's one Database. */
const FROM_DATABASE = [
  [AuditRepository, (db: Database) => db.audit],
  [CatalogueRepository, (db: Database) => db.catalogues],
  [IdempotencyRepository, (db: Database) => db.idempotency],
  [OversightRepository, (db: Database) => db.oversight],
  [ProposalsRepository, (db: Database) => db.proposals],
  [RecordsRepository, (db: Database) => db.records],
  [TasksRepository, (db: Database) => db.tasks],
  [UsersRepository, (db: Database) => db.users],
  [EvaluationLedger, (db: Database) => db.ledger],
  [AdministrationLedger, (db: Database) => db.administration],
  [MailOutboxRepository, (db: Database) => db.mailOutbox],
] as const;

/** Closes the connections last, after the HTTP server has drained (Nest calls this on shutdown). */
class ConnectionsLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EvaluationEngine) private readonly engine: EvaluationEngine,
    @Inject(Database) private readonly database: Database,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
    await this.database.close();
  }
}

/** The process-wide clients: database, Temporal, token signing. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        // The database may still be starting (a restart of the whole stack): try for about 30 s.
        { provide: Database, useFactory: () => Database.open(config.databaseUrl, 'appraise-api', { log: writeLog, attempts: 10, retryDelayMs: 3_000, mail: mailSettings(config.mail, config.auth.jwtSecret) }) },
        ...FROM_DATABASE.map(([token, pick]) => ({ provide: token, useFactory: pick, inject: [Database] })),
        { provide: EvaluationEngine, useFactory: () => EvaluationEngine.create(config.temporal) },
        ConnectionsLifecycle,
        { provide: OidcVerifier, useFactory: () => (config.auth.oidc ? new OidcVerifier(config.auth.oidc) : null) },
        {
          provide: LoginThrottle,
          inject: [Database],
          useFactory: (database: Database) =>
            new LoginThrottle(
              {
                freeFailuresPerPair: config.auth.loginFreeFailuresPerPair,
                pairDelaySeconds: config.auth.loginPairDelaySeconds,
                maxFailuresPerEmail: config.auth.loginMaxFailuresPerEmail,
                maxFailuresPerAddress: config.auth.loginMaxFailuresPerAddress,
                windowSeconds: config.auth.loginWindowSeconds,
              },
              Date.now,
              database.loginFailures,
            ),
        },
        {
          provide: TokenService,
          useFactory: () => new TokenService(config.auth.jwtSecret, config.auth.jwtIssuer, config.auth.tokenTtlSeconds),
        },
      ],
      exports: [APP_CONFIG, Database, ...FROM_DATABASE.map(([token]) => token), EvaluationEngine, TokenService, LoginThrottle, OidcVerifier],
    };
  }
}
