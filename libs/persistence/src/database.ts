import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import type { DatabaseLog } from './typeorm-json-logger';
import { AdministrationLedger } from './ledger/administration.ledger';
import { EvaluationLedger } from './ledger/evaluation.ledger';
import { AuditRepository } from './repositories/audit.repository';
import { MailOutboxRepository } from './mail/mail-outbox.repository';
import type { MailSettings } from './mail/record-mail';
import { CatalogueRepository } from './repositories/catalogue.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { LoginFailuresRepository } from './repositories/login-failures.repository';
import { OversightRepository } from './repositories/oversight.repository';
import { ProposalsRepository } from './repositories/proposals.repository';
import { RateLimitsRepository } from './repositories/rate-limits.repository';
import { RecordsRepository } from './repositories/records.repository';
import { TasksRepository } from './repositories/tasks.repository';
import { UsersRepository } from './repositories/users.repository';

export interface OpenOptions {
  /** The process's structured log, for TypeORM's warnings (slow and failed queries, migrations). */
  log: DatabaseLog;
  /** Connection attempts before giving up (the database may still be starting). */
  attempts?: number;
  retryDelayMs?: number;
  /** Where links in queued mail point (the API and the worker); without it the ledger queues no mail. */
  mail?: MailSettings;
}

/**
 * A process's database: its connection pool, the repositories it reads through and the
 * evaluation and administration ledgers it writes through. The API and the worker open one each; nothing outside
 * libs/persistence touches TypeORM.
 */
export class Database {
  readonly audit: AuditRepository;
  readonly catalogues: CatalogueRepository;
  readonly idempotency: IdempotencyRepository;
  readonly loginFailures: LoginFailuresRepository;
  readonly oversight: OversightRepository;
  readonly proposals: ProposalsRepository;
  readonly rateLimits: RateLimitsRepository;
  readonly records: RecordsRepository;
  readonly tasks: TasksRepository;
  readonly users: UsersRepository;
  readonly ledger: EvaluationLedger;
  readonly administration: AdministrationLedger;
  readonly mailOutbox: MailOutboxRepository;

  private constructor(
    private readonly dataSource: DataSource,
    mail: MailSettings | null,
  ) {
    this.audit = new AuditRepository(dataSource);
    this.catalogues = new CatalogueRepository(dataSource);
    this.idempotency = new IdempotencyRepository(dataSource);
    this.loginFailures = new LoginFailuresRepository(dataSource);
    this.oversight = new OversightRepository(dataSource);
    this.proposals = new ProposalsRepository(dataSource);
    this.rateLimits = new RateLimitsRepository(dataSource);
    this.records = new RecordsRepository(dataSource);
    this.tasks = new TasksRepository(dataSource);
    this.users = new UsersRepository(dataSource);
    this.ledger = new EvaluationLedger(dataSource, mail);
    this.administration = new AdministrationLedger(dataSource);
    this.mailOutbox = new MailOutboxRepository(dataSource);
  }

  static async open(databaseUrl: string, applicationName: string, options: OpenOptions): Promise<Database> {
    const { log, attempts = 1, retryDelayMs = 3_000, mail = null } = options;
    for (let attempt = 1; ; attempt += 1) {
      const dataSource = createDataSource(databaseUrl, applicationName, log);
      try {
        await dataSource.initialize();
        return new Database(dataSource, mail);
      } catch (error) {
        if (attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  }

  /** Whether the database answers a trivial query now. */
  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
